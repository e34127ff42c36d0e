// google.longrunning.Operations, which the client libraries poll.
import type { SandboxContext } from './context';
import type { ProtoObject } from './protos';
import { page } from './resources';
import { invalidArgument, notFound } from './status';
import type { StoredOperation } from './state';

function find(ctx: SandboxContext, request: ProtoObject): StoredOperation {
  const name = String(request.name ?? '');
  if (!/^projects\/[^/]+\/locations\/[^/]+\/.+\/operations\/[^/]+$/.test(name)) {
    throw invalidArgument(`Operation name "${name}" must look like projects/P/locations/L/.../operations/ID.`);
  }
  const operation = ctx.operations.get(name);
  if (!operation) throw notFound(`Operation ${name} does not exist.`);
  return operation;
}

export function getOperation(ctx: SandboxContext, request: ProtoObject): ProtoObject {
  return ctx.operations.toProto(find(ctx, request));
}

export function listOperations(ctx: SandboxContext, request: ProtoObject): ProtoObject {
  const name = String(request.name ?? '');
  if (!/^projects\/[^/]+\/locations\/[^/]+/.test(name)) throw invalidArgument('name must be a resource such as projects/P/locations/L.');
  let operations = ctx.operations.list(name);
  const filter = typeof request.filter === 'string' ? request.filter.trim() : '';
  if (filter === 'done=true' || filter === 'done = true') operations = operations.filter((op) => op.done);
  else if (filter === 'done=false' || filter === 'done = false') operations = operations.filter((op) => !op.done);
  else if (filter !== '') throw invalidArgument(`Unsupported filter "${filter}": use done=true or done=false.`);
  const { items, nextPageToken } = page(operations, request.pageSize, request.pageToken);
  return { operations: items.map((op) => ctx.operations.toProto(op)), nextPageToken };
}

export function cancelOperation(ctx: SandboxContext, request: ProtoObject): ProtoObject {
  ctx.operations.cancel(find(ctx, request));
  return {};
}

export function deleteOperation(ctx: SandboxContext, request: ProtoObject): ProtoObject {
  ctx.operations.delete(find(ctx, request));
  return {};
}

export async function waitOperation(ctx: SandboxContext, request: ProtoObject): Promise<ProtoObject> {
  const operation = find(ctx, request);
  const timeout = (request.timeout ?? {}) as { seconds?: number; nanos?: number };
  const ms = timeout.seconds || timeout.nanos ? Number(timeout.seconds ?? 0) * 1000 + Number(timeout.nanos ?? 0) / 1e6 : 60_000;
  await ctx.operations.wait(operation, Math.min(ms, 600_000));
  return ctx.operations.toProto(operation);
}

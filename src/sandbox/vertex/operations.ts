// Long-running operations: each one is stored with its request, runs its work
// in the background over `delayMs` (reporting metadata as it goes), and
// finishes with a response or an error. Clients poll GetOperation, as with
// Vertex AI. Work changes resources only in its final synchronous step, so an
// operation that is still pending when the sandbox stops is simply run again
// at the next start.
import * as grpc from '@grpc/grpc-js';
import { nowIso, numericId, timestamp } from './ids';
import { packAny, type ProtoObject } from './protos';
import type { OperationKind, StateFile, StoredOperation } from './state';
import { RpcError } from './status';
import { errorMessage } from '../../shared/errors';

export interface OperationContext {
  /** Merges fields into the operation's metadata (e.g. a deployment stage). */
  report(patch: ProtoObject): void;
  /** Waits until `fraction` of the operation's duration has passed; throws if it was cancelled. */
  progress(fraction: number): Promise<void>;
}

/** Does an operation's work; returns its response message. */
export type OperationRunner = (operation: StoredOperation, context: OperationContext) => Promise<ProtoObject>;

export interface StartOptions {
  kind: OperationKind;
  /** Resource the operation belongs to; its name is `${resource}/operations/ID`. */
  resource: string;
  request: ProtoObject;
  types: { response: string; metadata: string };
  metadata?: ProtoObject;
}

const CANCELLED = new RpcError(grpc.status.CANCELLED, 'Operation was cancelled.');

export class Operations {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly waiters = new Map<string, (() => void)[]>();
  private closed = false;

  constructor(
    private readonly store: StateFile,
    private readonly runners: Record<OperationKind, OperationRunner>,
    private readonly delayMs: number,
  ) {}

  start(options: StartOptions): StoredOperation {
    const now = nowIso();
    const operation: StoredOperation = {
      name: `${options.resource}/operations/${numericId()}`,
      kind: options.kind,
      request: options.request,
      responseType: options.types.response,
      metadataType: options.types.metadata,
      metadata: { ...options.metadata, genericMetadata: { createTime: timestamp(now), updateTime: timestamp(now) } },
      createTime: now,
      updateTime: now,
      readyAt: Date.now() + this.delayMs,
      done: false,
    };
    this.store.state.operations[operation.name] = operation;
    this.store.save();
    this.run(operation);
    return operation;
  }

  /** Runs again the operations a previous process left unfinished. */
  resumePending(): void {
    for (const operation of Object.values(this.store.state.operations)) {
      if (!operation.done) {
        operation.readyAt = Date.now() + this.delayMs;
        this.run(operation);
      }
    }
  }

  get(name: string): StoredOperation | undefined {
    return this.store.state.operations[name];
  }

  list(prefix: string): StoredOperation[] {
    return Object.values(this.store.state.operations)
      .filter((op) => op.name.startsWith(`${prefix}/`))
      .sort((a, b) => a.createTime.localeCompare(b.createTime));
  }

  cancel(operation: StoredOperation): void {
    if (!operation.done) operation.cancelRequested = true;
  }

  delete(operation: StoredOperation): void {
    delete this.store.state.operations[operation.name];
    this.store.save();
  }

  /** Resolves when the operation is done or `timeoutMs` has passed. */
  async wait(operation: StoredOperation, timeoutMs: number): Promise<void> {
    if (operation.done) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      const list = this.waiters.get(operation.name) ?? [];
      list.push(done);
      this.waiters.set(operation.name, list);
    });
  }

  toProto(operation: StoredOperation): ProtoObject {
    const proto: ProtoObject = {
      name: operation.name,
      metadata: packAny(operation.metadataType, operation.metadata),
      done: operation.done,
    };
    if (operation.error) proto.error = { code: operation.error.code, message: operation.error.message, details: [] };
    else if (operation.done) proto.response = packAny(operation.responseType, operation.response ?? {});
    return proto;
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const list of this.waiters.values()) for (const done of list) done();
    this.waiters.clear();
  }

  private sleepUntil(epochMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, Math.max(0, epochMs - Date.now()));
      this.timers.add(timer);
    });
  }

  private run(operation: StoredOperation): void {
    const startedAt = Date.now();
    const span = Math.max(0, operation.readyAt - startedAt);
    const context: OperationContext = {
      report: (patch) => {
        const now = nowIso();
        const generic = (operation.metadata.genericMetadata ?? {}) as ProtoObject;
        operation.metadata = { ...operation.metadata, ...patch, genericMetadata: { ...generic, updateTime: timestamp(now) } };
        operation.updateTime = now;
        this.store.save();
      },
      progress: async (fraction) => {
        await this.sleepUntil(startedAt + span * Math.min(1, fraction));
        if (this.closed) throw new RpcError(grpc.status.UNAVAILABLE, 'The sandbox is shutting down.');
        if (operation.cancelRequested) throw CANCELLED;
      },
    };
    const runner = this.runners[operation.kind];
    runner(operation, context).then(
      (response) => this.finish(operation, { response }),
      (error: unknown) => {
        if (this.closed) return;
        const rpc = error instanceof RpcError ? error : new RpcError(grpc.status.INTERNAL, errorMessage(error));
        this.finish(operation, { error: { code: rpc.code, message: rpc.message } });
      },
    );
  }

  private finish(operation: StoredOperation, outcome: { response?: ProtoObject; error?: { code: number; message: string } }): void {
    if (this.closed) return;
    operation.done = true;
    operation.updateTime = nowIso();
    if (outcome.error) operation.error = outcome.error;
    else operation.response = outcome.response;
    this.store.save();
    for (const done of this.waiters.get(operation.name) ?? []) done();
    this.waiters.delete(operation.name);
  }
}

// `model-studio cloud operations describe|wait|cancel OPERATION`: inspect,
// resume waiting for (e.g. after a dropped connection or Ctrl-C), or cancel
// a long-running operation by name.
import { cancelOperation, describeOperation, resumeOperation } from '../../cloud';
import { UserError } from '../../shared/errors';
import { parseCommandArgs } from '../../core/commandArgs';
import { fields, withInterrupt } from './output';
import { COMMON_OPTIONS, COMMON_USAGE, waitTimeoutMs } from './target';
import { withClients } from './withClients';

const USAGE = `model-studio cloud operations describe|wait|cancel OPERATION ${COMMON_USAGE}`;

export async function operationsCommand(verb: string | undefined, argv: string[]): Promise<number> {
  if (verb !== 'describe' && verb !== 'wait' && verb !== 'cancel') {
    throw new UserError(`Unknown operations command '${verb ?? ''}': use describe, wait or cancel`);
  }
  const { values, positionals } = parseCommandArgs(argv, { ...COMMON_OPTIONS }, USAGE);
  if (positionals.length !== 1) throw new UserError(`Expected one OPERATION name. Usage: ${USAGE}`);
  const name = positionals[0];
  return withClients(values, async (clients, out) => {
    if (verb === 'describe') {
      const { operation } = await describeOperation(clients, name);
      const state = operation.done ? (operation.error ? `failed: ${operation.error.message ?? ''}` : 'done') : 'running';
      out.result({ name, done: Boolean(operation.done), error: operation.error ?? undefined }, () => fields([['name', name], ['state', state]]));
    } else if (verb === 'wait') {
      const response = await withInterrupt((signal) => resumeOperation(clients, name, out.waitOptions(`Waiting for ${name}`, waitTimeoutMs(values.timeout), signal)));
      out.result({ name, done: true, response }, () => `Operation ${name} finished.`);
    } else {
      await cancelOperation(clients, name);
      out.result({ name, cancelRequested: true }, () => `Asked Vertex AI to cancel ${name}.`);
    }
    return 0;
  });
}

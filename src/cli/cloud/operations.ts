// `model-studio cloud operations describe|wait|cancel OPERATION`: inspect,
// resume waiting for (e.g. after a dropped connection or Ctrl-C), or cancel
// a long-running operation by name.
import { cancelOperation, describeOperation, resumeOperation, type CloudClients } from '../../cloud';
import { UserError } from '../../shared/errors';
import { parseCommandArgs } from '../../core/commandArgs';
import { fields, withInterrupt, type Output } from './output';
import { COMMON_OPTIONS, COMMON_USAGE, waitTimeoutMs, type CommonValues } from './target';
import { withClients } from './withClients';
import type { VerbTable } from '../verbs';

const USAGE = `model-studio cloud operations describe|wait|cancel OPERATION ${COMMON_USAGE}`;

// The three verbs share one usage line.
export const operationVerbs: VerbTable = {
  describe: { run: describe, usage: USAGE },
  wait: { run: wait, usage: USAGE },
  cancel: { run: cancel, usage: USAGE },
};

/** Parses the arguments and runs `act` on the one OPERATION they name. */
function onOperation(argv: string[], act: (clients: CloudClients, out: Output, name: string, values: CommonValues) => Promise<void>): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { ...COMMON_OPTIONS }, USAGE);
  if (positionals.length !== 1) throw new UserError(`Expected one OPERATION name. Usage: ${USAGE}`);
  return withClients(values, async (clients, out) => {
    await act(clients, out, positionals[0], values);
    return 0;
  });
}

function describe(argv: string[]): Promise<number> {
  return onOperation(argv, async (clients, out, name) => {
    const { operation } = await describeOperation(clients, name);
    const state = operation.done ? (operation.error ? `failed: ${operation.error.message ?? ''}` : 'done') : 'running';
    out.result({ name, done: Boolean(operation.done), error: operation.error ?? undefined }, () => fields([['name', name], ['state', state]]));
  });
}

function wait(argv: string[]): Promise<number> {
  return onOperation(argv, async (clients, out, name, values) => {
    const response = await withInterrupt((signal) => resumeOperation(clients, name, out.waitOptions(`Waiting for ${name}`, waitTimeoutMs(values.timeout), signal)));
    out.result({ name, done: true, response }, () => `Operation ${name} finished.`);
  });
}

function cancel(argv: string[]): Promise<number> {
  return onOperation(argv, async (clients, out, name) => {
    await cancelOperation(clients, name);
    out.result({ name, cancelRequested: true }, () => `Asked Vertex AI to cancel ${name}.`);
  });
}

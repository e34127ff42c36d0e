// Model Studio: Open Experiments: the table of runs with its plots, for every
// run of the workspace or for one sweep (a sweep's row in the Model Explorer
// offers it inline and in its context menu). Other features open a sweep's
// view with `executeCommand('modelStudio.openExperiments', { sweepId })`.
import { UserError } from '../../shared/errors';
import { isRecord } from '../../shared/protocol/guards';
import { isSweepId, type ExperimentsScope } from '../../shared/protocol/experiments';
import type { ExtensionServices } from '../services';
import { sweepIdOfNode } from '../sweeps/sweepNode';

/** `{ sweepId }`, or a sweep's (or trial's) node in the Model Explorer: that sweep; anything else: every run. */
export function experimentsScopeOf(arg: unknown): ExperimentsScope {
  const sweepId = sweepIdOfNode(arg) ?? (isRecord(arg) ? arg.sweepId : undefined);
  if (sweepId === undefined) return {};
  if (!isSweepId(sweepId)) throw new UserError(`Not a sweep id: ${JSON.stringify(sweepId).slice(0, 80)}; a sweep id is its folder's name in .model-studio/sweeps.`);
  return { sweepId };
}

export async function openExperiments(services: ExtensionServices, arg: unknown): Promise<void> {
  await services.experiments.open(experimentsScopeOf(arg));
}

// Model Studio: Open Experiments: the table of runs with its plots, for every
// run of the workspace or for one sweep. Other features (the sweep node, Run
// Sweep) open a sweep's view with `executeCommand('modelStudio.openExperiments', { sweepId })`.
import { UserError } from '../../shared/errors';
import { isRecord } from '../../shared/protocol/guards';
import { isSweepId, type ExperimentsScope } from '../../shared/protocol/experiments';
import type { ExtensionServices } from '../services';

/** `{ sweepId }` (or anything carrying one, like a sweep's tree node): that sweep; anything else: every run. */
export function experimentsScopeOf(arg: unknown): ExperimentsScope {
  if (!isRecord(arg) || arg.sweepId === undefined) return {};
  if (!isSweepId(arg.sweepId)) throw new UserError(`Not a sweep id: ${JSON.stringify(arg.sweepId).slice(0, 80)}; a sweep id is its folder's name in .model-studio/sweeps.`);
  return { sweepId: arg.sweepId };
}

export async function openExperiments(services: ExtensionServices, arg: unknown): Promise<void> {
  await services.experiments.open(experimentsScopeOf(arg));
}

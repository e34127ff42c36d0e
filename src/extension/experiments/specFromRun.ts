// "Open as Spec": a run's hyperparameters as a spec file next to the spec it
// came from. run.json's `spec` is what the run trained with (for a sweep
// trial, the spec with the trial's values applied), so the new spec is that,
// without the search section and with a note saying where it came from.
// Never overwrites: a taken name gets -2, -3, … No vscode.

import { stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { RunRecord } from '../../shared/events';
import type { TrainingSpec } from '../../shared/spec';

/** The spec a run trained with, ready to train on its own (no `search`). */
export function specOfRun(record: Pick<RunRecord, 'id' | 'spec' | 'trial'>): TrainingSpec {
  // A sweep's spec keeps its `search` section in run.json; the new spec is one run's.
  const spec: TrainingSpec = structuredClone(record.spec);
  delete spec.search;
  const origin = record.trial ? `trial ${record.trial.trialId} of sweep ${record.trial.sweepId} (run ${record.id})` : `run ${record.id}`;
  spec.description = `The hyperparameters of ${origin}.`;
  return spec;
}

/** `mnist.train.json` + trial 7 -> `mnist.trial-7.train.json`; a plain run: `mnist.<run id>.train.json`. */
export function specFileName(record: Pick<RunRecord, 'id' | 'specPath' | 'trial'>, attempt = 1): string {
  const base = basename(record.specPath).replace(/(\.train)?\.json$/i, '') || 'model';
  const tag = (record.trial ? `trial-${record.trial.trialId}` : record.id).replace(/[^\w.-]+/g, '-');
  return `${base}.${tag}${attempt > 1 ? `-${attempt}` : ''}.train.json`;
}

async function isFolder(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

/**
 * Writes the spec next to the run's original spec (or into `fallbackDir` when
 * that folder is gone) and returns its path.
 */
export async function writeSpecFromRun(record: Pick<RunRecord, 'id' | 'spec' | 'specPath' | 'trial'>, fallbackDir: string): Promise<string> {
  const beside = dirname(record.specPath);
  const folder = (await isFolder(beside)) ? beside : fallbackDir;
  const spec = specOfRun(record);
  // A relative $schema only holds beside the original.
  if (folder !== beside) delete spec.$schema;
  const text = `${JSON.stringify(spec, null, 2)}\n`;
  for (let attempt = 1; ; attempt++) {
    const file = join(folder, specFileName(record, attempt));
    try {
      await writeFile(file, text, { flag: 'wx' });
      return file;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 100) throw error;
    }
  }
}

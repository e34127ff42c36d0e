// `model-studio sweeps [--json] [--sweeps-dir DIR]`: the sweeps of this
// workspace, newest first, with their progress and best trial (a sweep whose
// process is gone shows as crashed).
import { resolve } from 'node:path';
import { parseCommandArgs } from '../../core/commandArgs';
import { listSweeps, sweepsDirFor } from '../../core/sweep/sweepStore';
import { formatMetricValue, trialProgress } from '../../shared/sweepSummary';
import { printTable } from './runs';

const USAGE = 'model-studio sweeps [--json] [--sweeps-dir DIR]';

export async function sweepsCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { json: { type: 'boolean' }, 'sweeps-dir': { type: 'string' } }, USAGE);
  const sweepsDir = values['sweeps-dir'] ? resolve(values['sweeps-dir']) : sweepsDirFor(process.cwd());
  const sweeps = await listSweeps(sweepsDir);
  if (values.json) {
    process.stdout.write(JSON.stringify(sweeps) + '\n');
    return 0;
  }
  if (sweeps.length === 0) {
    process.stdout.write(`No sweeps in ${sweepsDir}. Start one with \`model-studio sweep SPEC\` (a spec with a "search" section).\n`);
    return 0;
  }
  const rows = sweeps.map((s) => {
    const { done, total } = trialProgress(s);
    const best = s.best ? `${s.search.metric.name} ${formatMetricValue(s.best.value)} (trial ${s.best.trialId}, run ${s.best.runId ?? '?'})` : '';
    return [s.id, s.status, `${done}/${total}`, best];
  });
  printTable(['SWEEP', 'STATUS', 'TRIALS', 'BEST'], rows);
  return 0;
}

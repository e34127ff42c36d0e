// How the dashboard names a run next to others: runs of one spec share a name
// ("mnist-mlp"), so the name alone tells them apart in no legend. The start
// time is what the Model Explorer lists runs by; the id settles the rest.

import { formatRunTime } from '../../src/shared/runTime';
import type { RunState } from './runState';

/** "mnist-mlp · Today 14:02:11" for each run, in order; the run id is added where name and time still repeat. */
export function runLabels(runs: readonly RunState[], now = Date.now()): string[] {
  const labels = runs.map((run) => {
    const started = run.startedAt;
    return started ? `${run.name} · ${formatRunTime(started, now)}` : run.name;
  });
  return labels.map((label, i) => (labels.indexOf(label) !== labels.lastIndexOf(label) ? `${label} · ${runs[i].id}` : label));
}

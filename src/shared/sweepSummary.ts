// A sweep in a few words, the same in the CLI, the status bar and the tree:
// "5/12 trials", "best val_acc 0.981".
import { isTrialSettled, type SweepRecord, type TrialParameters } from './sweep';

/** Trials whose outcome is known (completed, pruned, failed), of all. */
export function trialProgress(record: Pick<SweepRecord, 'trials'>): { done: number; total: number } {
  return { done: record.trials.filter((t) => isTrialSettled(t.status)).length, total: record.trials.length };
}

/** A metric value in three decimals, or three significant digits when it is small or large. */
export function formatMetricValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  return magnitude !== 0 && (magnitude < 0.01 || magnitude >= 1000) ? value.toPrecision(3) : value.toFixed(3);
}

/** "best val_acc 0.981", or undefined before any trial completed. */
export function bestText(record: Pick<SweepRecord, 'best' | 'search'>): string | undefined {
  return record.best ? `best ${record.search.metric.name} ${formatMetricValue(record.best.value)}` : undefined;
}

/** "sweep mnist-mlp · 5/12 trials · best val_acc 0.981" */
export function sweepHeadline(record: Pick<SweepRecord, 'name' | 'trials' | 'best' | 'search'>): string {
  const { done, total } = trialProgress(record);
  return [`sweep ${record.name}`, `${done}/${total} trials`, bestText(record)].filter(Boolean).join(' · ');
}

/** "learningRate 0.0012 · units 64": each parameter by the last name of its path. */
export function shortParameters(parameters: TrialParameters): string {
  return Object.entries(parameters)
    .map(([key, value]) => `${/([A-Za-z_$][\w$]*)(\[\d+\])*$/.exec(key)?.[1] ?? key} ${typeof value === 'number' ? shortNumber(value) : value}`)
    .join(' · ');
}

function shortNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : Number(value.toPrecision(3)).toString();
}

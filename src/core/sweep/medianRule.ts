// The median stopping rule: after a trial has trained `afterEpochs` epochs,
// it stops when its metric is worse than the median of the completed trials'
// metric at the same epoch (a completed trial that trained fewer epochs
// counts with its last value). A trial that cannot win frees its slot early.
import type { MedianStoppingSpec, SearchGoal, TrialRecord } from '../../shared/sweep';
import { formatValue } from './applyTrial';

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** `a` is better than `b` for the goal. */
export function isBetter(a: number, b: number, goal: SearchGoal): boolean {
  return goal === 'maximize' ? a > b : a < b;
}

export interface MedianCheck {
  rule: MedianStoppingSpec;
  metric: string;
  goal: SearchGoal;
  /** Every trial of the sweep; only completed ones with a history count. */
  trials: readonly TrialRecord[];
}

/**
 * Why the trial should stop, after it reported `value` at the end of epoch
 * `epoch` (0-based) of `epochs`; undefined to let it go on.
 */
export function medianStopReason(check: MedianCheck, epoch: number, epochs: number, value: number | undefined): string | undefined {
  const trained = epoch + 1;
  // Not yet its turn, or at its last epoch: it completes anyway.
  if (trained < (check.rule.afterEpochs ?? 1) || trained >= epochs) return undefined;
  // sweep.json writes a diverged value as null: such a trial has nothing to compare at that epoch.
  const atEpoch = check.trials
    .filter((t) => t.status === 'completed' && (t.metricHistory?.length ?? 0) > 0)
    .map((t) => {
      const history = t.metricHistory as number[];
      return history[Math.min(epoch, history.length - 1)];
    })
    .filter((v) => typeof v === 'number' && Number.isFinite(v));
  if (atEpoch.length < (check.rule.minTrials ?? 2)) return undefined;
  const middle = median(atEpoch);
  const shown = value === undefined || !Number.isFinite(value) ? String(value ?? 'no value') : formatValue(value);
  if (value !== undefined && Number.isFinite(value) && !isBetter(middle, value, check.goal)) return undefined;
  return `Pruned by the median rule: ${check.metric} ${shown} after epoch ${trained} is ${check.goal === 'maximize' ? 'below' : 'above'} the median ${formatValue(middle)} of ${atEpoch.length} completed trials.`;
}

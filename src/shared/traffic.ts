// Traffic-split arithmetic done before calling Vertex AI: giving a new model
// N% while the others keep their proportions, removing a model and handing
// its share to the rest, and parsing gcloud's "ID=N,ID=N" syntax. Vertex AI
// wants whole percentages that sum to 100.
import { UserError } from './errors';

export type TrafficSplit = Record<string, number>;

/** Whole numbers proportional to `weights` that sum to `total` (largest remainders win). */
export function rescale(weights: Readonly<TrafficSplit>, total: number): TrafficSplit {
  const ids = Object.keys(weights);
  const sum = ids.reduce((s, id) => s + Math.max(0, weights[id]), 0);
  if (ids.length === 0) return {};
  const exact = ids.map((id) => (sum === 0 ? total / ids.length : (Math.max(0, weights[id]) * total) / sum));
  const result: TrafficSplit = {};
  ids.forEach((id, i) => (result[id] = Math.floor(exact[i])));
  let left = total - Object.values(result).reduce((s, v) => s + v, 0);
  const order = ids.map((id, i) => ({ id, remainder: exact[i] - Math.floor(exact[i]), i })).sort((a, b) => b.remainder - a.remainder || a.i - b.i);
  for (const { id } of order) {
    if (left <= 0) break;
    result[id] += 1;
    left -= 1;
  }
  return result;
}

export function checkPercent(percent: number, what = 'traffic percentage'): void {
  if (!Number.isInteger(percent) || percent < 0 || percent > 100) {
    throw new UserError(`The ${what} must be a whole number from 0 to 100, got ${percent}`);
  }
}

/**
 * The DeployModel split: "0" (the model being deployed) gets `percent`, the
 * deployed models share the rest in their current proportions (evenly when
 * none has traffic).
 */
export function splitForNewModel(current: Readonly<TrafficSplit>, deployedIds: readonly string[], percent: number): TrafficSplit {
  checkPercent(percent);
  if (deployedIds.length === 0) {
    if (percent !== 100) throw new UserError(`The endpoint has no deployed model yet, so the first one must get 100% of the traffic, not ${percent}%`);
    return { '0': 100 };
  }
  const weights = Object.fromEntries(deployedIds.map((id) => [id, current[id] ?? 0]));
  return { ...rescale(weights, 100 - percent), '0': percent };
}

/** The split once `removedId` is gone: its share goes to the others in proportion. Empty when none is left. */
export function splitWithout(current: Readonly<TrafficSplit>, deployedIds: readonly string[], removedId: string): TrafficSplit {
  const remaining = deployedIds.filter((id) => id !== removedId);
  if (remaining.length === 0) return {};
  return rescale(Object.fromEntries(remaining.map((id) => [id, current[id] ?? 0])), 100);
}

/** All traffic to `winnerId`, none to the others. */
export function splitAllTo(deployedIds: readonly string[], winnerId: string): TrafficSplit {
  return Object.fromEntries(deployedIds.map((id) => [id, id === winnerId ? 100 : 0]));
}

/** Parses gcloud's `ID=N,ID=N` form. */
export function parseTrafficSplit(text: string): TrafficSplit {
  const split: TrafficSplit = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const match = /^([A-Za-z0-9_-]+)=(\d{1,3})$/.exec(part);
    if (!match) throw new UserError(`--traffic-split entry "${part}" is not ID=PERCENT, e.g. 0=10,1234567890=90`);
    if (match[1] in split) throw new UserError(`--traffic-split names ${match[1]} twice`);
    split[match[1]] = Number(match[2]);
  }
  if (Object.keys(split).length === 0) throw new UserError('--traffic-split is empty: give ID=PERCENT pairs, e.g. 0=10,1234567890=90');
  return split;
}

/** Checks a split against the deployed models (plus "0" when deploying). */
export function checkSplit(split: Readonly<TrafficSplit>, allowedIds: readonly string[]): void {
  let sum = 0;
  for (const [id, percent] of Object.entries(split)) {
    if (!allowedIds.includes(id)) {
      throw new UserError(`Traffic split names ${id}, which is not deployed on the endpoint; deployed: ${allowedIds.filter((a) => a !== '0').join(', ') || 'none'}`);
    }
    checkPercent(percent, `traffic for ${id}`);
    sum += percent;
  }
  if (sum !== 100) throw new UserError(`Traffic split percentages must sum to 100, got ${sum}`);
}

export function formatSplit(split: Readonly<TrafficSplit>): string {
  const entries = Object.entries(split);
  return entries.length === 0 ? '(no traffic)' : entries.map(([id, percent]) => `${id}=${percent}`).join(',');
}

// Vertex AI's traffic-split rules: percentages per deployed model ID, whole
// numbers that sum to 100 (or an empty split). DeployModel writes "0" for the
// model being deployed; UndeployModel refuses to drop a model that still has
// traffic unless the request moves it.
import { failedPrecondition, invalidArgument } from './status';

export type TrafficSplit = Record<string, number>;

function checkSplit(split: TrafficSplit, allowed: ReadonlySet<string>, what: string): void {
  let sum = 0;
  for (const [id, percent] of Object.entries(split)) {
    if (!allowed.has(id)) throw invalidArgument(`${what} names "${id}", which is not a DeployedModel of this Endpoint.`);
    if (!Number.isInteger(percent) || percent < 0 || percent > 100) {
      throw invalidArgument(`${what} value for "${id}" must be a whole number from 0 to 100, got ${percent}.`);
    }
    sum += percent;
  }
  if (Object.keys(split).length > 0 && sum !== 100) {
    throw invalidArgument(`${what} percentages must sum to 100, got ${sum}.`);
  }
}

function withoutZeros(split: TrafficSplit): TrafficSplit {
  return Object.fromEntries(Object.entries(split).filter(([, percent]) => percent > 0));
}

/** The split after deploying `newId`; an empty request leaves the split as it is. */
export function splitAfterDeploy(current: TrafficSplit, requested: TrafficSplit, existingIds: readonly string[], newId: string): TrafficSplit {
  if (Object.keys(requested).length === 0) return { ...current };
  checkSplit(requested, new Set(['0', ...existingIds]), 'traffic_split');
  const next: TrafficSplit = {};
  for (const [id, percent] of Object.entries(requested)) next[id === '0' ? newId : id] = percent;
  return withoutZeros(next);
}

/** The split after undeploying `removedId` from an endpoint whose other models are `remainingIds`. */
export function splitAfterUndeploy(
  current: TrafficSplit,
  requested: TrafficSplit,
  removedId: string,
  remainingIds: readonly string[],
  endpoint: string,
): TrafficSplit {
  if (remainingIds.length === 0) return {};
  if (Object.keys(requested).length > 0) {
    checkSplit(requested, new Set([removedId, ...remainingIds]), 'traffic_split');
    if ((requested[removedId] ?? 0) > 0) {
      throw invalidArgument(`traffic_split gives ${requested[removedId]}% to DeployedModel ${removedId}, which is being undeployed.`);
    }
    const next = withoutZeros(requested);
    delete next[removedId];
    return next;
  }
  const percent = current[removedId] ?? 0;
  if (percent > 0) {
    throw failedPrecondition(
      `DeployedModel ${removedId} still receives ${percent}% of the traffic of Endpoint ${endpoint}; ` +
        'move its traffic to other models in the request\'s traffic_split (or with UpdateEndpoint) before undeploying it.',
    );
  }
  const next = { ...current };
  delete next[removedId];
  return next;
}

/** A split set by UpdateEndpoint. */
export function checkUpdatedSplit(requested: TrafficSplit, deployedIds: readonly string[]): TrafficSplit {
  checkSplit(requested, new Set(deployedIds), 'endpoint.traffic_split');
  return withoutZeros(requested);
}

/** Picks the deployed model for a request: `draw` in [0, 1) walks the cumulative split. */
export function routeByTraffic(split: TrafficSplit, draw: number): string | undefined {
  const entries = Object.entries(split).filter(([, percent]) => percent > 0).sort(([a], [b]) => a.localeCompare(b));
  let cumulative = 0;
  const point = draw * 100;
  for (const [id, percent] of entries) {
    cumulative += percent;
    if (point < cumulative) return id;
  }
  return entries.at(-1)?.[0];
}

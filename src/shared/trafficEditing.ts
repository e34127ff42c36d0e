// Traffic-split editing for the traffic editor and the canary commands:
// moving one model's share while the others keep their proportions, so the
// sum stays 100, and the words that describe a change. No vscode import.
import { rescale, type TrafficSplit } from './traffic';
import type { DeployedModelSummary, EndpointSummary } from './cloudResources';

export type { TrafficSplit };

/**
 * Gives `id` exactly `percent` (clamped to 0-100, rounded); the other models
 * share the rest in their current proportions (evenly when they have none).
 */
export function setShare(split: Readonly<TrafficSplit>, ids: readonly string[], id: string, percent: number): TrafficSplit {
  const value = Math.min(100, Math.max(0, Math.round(Number.isFinite(percent) ? percent : 0)));
  const others = ids.filter((other) => other !== id);
  if (others.length === 0) return { [id]: 100 };
  const rest = rescale(Object.fromEntries(others.map((o) => [o, split[o] ?? 0])), 100 - value);
  return Object.fromEntries(ids.map((each) => [each, each === id ? value : rest[each]]));
}

export function splitSum(split: Readonly<TrafficSplit>): number {
  return Object.values(split).reduce((sum, v) => sum + v, 0);
}

/** Whole percentages from 0 to 100 for exactly the deployed models, summing to 100. */
export function isValidSplit(split: Readonly<TrafficSplit>, ids: readonly string[]): boolean {
  const keys = Object.keys(split);
  if (keys.length !== ids.length || !ids.every((id) => keys.includes(id))) return false;
  if (!Object.values(split).every((v) => Number.isInteger(v) && v >= 0 && v <= 100)) return false;
  return splitSum(split) === 100;
}

/** The current split with every deployed model present (0 for those without traffic). */
export function fullSplit(endpoint: Pick<EndpointSummary, 'deployedModels' | 'trafficSplit'>): TrafficSplit {
  return Object.fromEntries(endpoint.deployedModels.map((d) => [d.id, endpoint.trafficSplit[d.id] ?? 0]));
}

export function splitEquals(a: Readonly<TrafficSplit>, b: Readonly<TrafficSplit>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => (a[k] ?? 0) === (b[k] ?? 0));
}

/** "mnist-mlp v2" for a deployed model. */
export function deployedLabel(deployed: Pick<DeployedModelSummary, 'displayName' | 'modelVersionId' | 'id'>): string {
  const name = deployed.displayName || deployed.id;
  return deployed.modelVersionId ? `${name} v${deployed.modelVersionId}` : name;
}

/** One line per model whose share changes: "mnist-mlp v1: 90% → 50%". */
export function describeChange(endpoint: Pick<EndpointSummary, 'deployedModels'>, before: Readonly<TrafficSplit>, after: Readonly<TrafficSplit>): string[] {
  return endpoint.deployedModels
    .filter((d) => (before[d.id] ?? 0) !== (after[d.id] ?? 0))
    .map((d) => `${deployedLabel(d)}: ${before[d.id] ?? 0}% → ${after[d.id] ?? 0}%`);
}

/** "mnist-mlp v1 90% · mnist-mlp v2 10%". */
export function describeSplit(endpoint: Pick<EndpointSummary, 'deployedModels'>, split: Readonly<TrafficSplit>): string {
  if (endpoint.deployedModels.length === 0) return 'no deployed models';
  return endpoint.deployedModels.map((d) => `${deployedLabel(d)} ${split[d.id] ?? 0}%`).join(' · ');
}

/**
 * The canary of an endpoint: with two or more deployed models, the newest
 * one that has less than all of the traffic. Promote and Roll Back act on it.
 */
export function canaryOf(endpoint: Pick<EndpointSummary, 'deployedModels'>): DeployedModelSummary | undefined {
  if (endpoint.deployedModels.length < 2) return undefined;
  const newest = [...endpoint.deployedModels].sort((a, b) => (b.createTime ?? '').localeCompare(a.createTime ?? '') || b.id.localeCompare(a.id))[0];
  return newest.trafficPercent < 100 ? newest : undefined;
}

/** Traffic for a new deployment: all of it on an empty endpoint, a 10% canary otherwise. */
export function defaultTrafficPercent(deployedCount: number): number {
  return deployedCount === 0 ? 100 : 10;
}

// Where the Vertex AI view points: the local sandbox (the default, started on
// demand) or a Google Cloud project and region. Kept in the settings
// `modelStudio.cloud.project` (empty: the sandbox) and `modelStudio.cloud.region`,
// which Choose Cloud Target writes for the workspace.

export type CloudTarget = { kind: 'sandbox' } | { kind: 'project'; project: string; region: string };

export const SANDBOX_TARGET: CloudTarget = { kind: 'sandbox' };

/** The workspaceState key where version 0.1.0 remembered the target (read while the settings say nothing). */
export const TARGET_STATE_KEY = 'modelStudio.cloud.target';

export const DEFAULT_REGION = 'us-central1';

/** Vertex AI regions offered first when choosing a project's region. */
export const COMMON_REGIONS = ['us-central1', 'us-east1', 'us-east4', 'us-west1', 'europe-west1', 'europe-west4', 'asia-east1', 'asia-northeast1', 'asia-southeast1'];

const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const REGION = /^[a-z]+-[a-z]+\d+$/;

export function targetLabel(target: CloudTarget): string {
  return target.kind === 'sandbox' ? 'Local sandbox' : `${target.project} · ${target.region}`;
}

/** A stored value back to a target; anything unreadable means the sandbox. */
export function parseStoredTarget(value: unknown): CloudTarget {
  if (typeof value !== 'object' || value === null) return SANDBOX_TARGET;
  const { kind, project, region } = value as { kind?: unknown; project?: unknown; region?: unknown };
  if (kind === 'project' && typeof project === 'string' && typeof region === 'string' && PROJECT_ID.test(project) && REGION.test(region)) {
    return { kind: 'project', project, region };
  }
  return SANDBOX_TARGET;
}

/**
 * The target the settings name: `project` undefined when no settings scope
 * sets it (then a target stored by 0.1.0, else the sandbox), empty for the
 * sandbox. A mistyped project stays the target, so connecting names the
 * mistake instead of silently using the sandbox.
 */
export function resolveTarget(settings: { project: string | undefined; region: string | undefined }, stored: unknown): CloudTarget {
  if (settings.project === undefined) return parseStoredTarget(stored);
  const project = settings.project.trim();
  return project ? { kind: 'project', project, region: settings.region?.trim() || DEFAULT_REGION } : SANDBOX_TARGET;
}

/** Why a typed project ID is not one, or undefined when it looks right. */
export function checkProjectId(text: string): string | undefined {
  return PROJECT_ID.test(text.trim()) ? undefined : 'A project ID has 6-30 lowercase letters, digits or hyphens, starts with a letter and does not end with a hyphen';
}

export function checkRegion(text: string): string | undefined {
  return REGION.test(text.trim()) ? undefined : 'A region looks like us-central1 or europe-west4';
}

export function sameTarget(a: CloudTarget, b: CloudTarget): boolean {
  return targetLabel(a) === targetLabel(b);
}

// Which cloud a command talks to. Explicit flags win; then a project from the
// environment (as gcloud reads it); otherwise the running local sandbox,
// which is the default target until the user picks a Google Cloud project.
import type { CloudConfig } from '../../cloud';
import { readSandboxInfo, type SandboxInfo } from '../../core/sandboxInfo';
import { UserError } from '../../shared/errors';

export const COMMON_OPTIONS = {
  project: { type: 'string' },
  region: { type: 'string' },
  'api-endpoint': { type: 'string' },
  'storage-endpoint': { type: 'string' },
  insecure: { type: 'boolean' },
  json: { type: 'boolean' },
  timeout: { type: 'string' },
} as const;

export const COMMON_USAGE = '[--project P] [--region R] [--api-endpoint HOST:PORT] [--storage-endpoint URL] [--insecure] [--json]';

export interface CommonValues {
  project?: string;
  region?: string;
  'api-endpoint'?: string;
  'storage-endpoint'?: string;
  insecure?: boolean;
  json?: boolean;
  timeout?: string;
}

export interface Target {
  config: CloudConfig;
  /** The running sandbox, when the command targets it. */
  sandbox?: SandboxInfo;
}

const DEFAULT_REGION = 'us-central1';

export function resolveTarget(values: CommonValues, env: NodeJS.ProcessEnv = process.env): Target {
  const sandbox = readSandboxInfo();
  const region = values.region ?? env.CLOUDSDK_AI_REGION;
  const apiEndpoint = values['api-endpoint'];
  const project = values.project ?? env.CLOUDSDK_CORE_PROJECT ?? env.GOOGLE_CLOUD_PROJECT;
  const onSandbox = sandbox !== undefined && (apiEndpoint === undefined ? values.project === undefined && project === undefined : apiEndpoint === sandbox.apiEndpoint);
  if (onSandbox && sandbox) {
    return {
      sandbox,
      config: {
        project: values.project ?? sandbox.project,
        region: region ?? sandbox.region,
        apiEndpoint: sandbox.apiEndpoint,
        storageEndpoint: values['storage-endpoint'] ?? sandbox.storageEndpoint,
        insecure: true,
      },
    };
  }
  if (project === undefined) {
    throw new UserError(
      'No cloud to talk to: pass --project PROJECT (or set CLOUDSDK_CORE_PROJECT) for Google Cloud, or start the local sandbox with `model-studio sandbox start --detach`',
    );
  }
  return {
    config: {
      project,
      region: region ?? DEFAULT_REGION,
      apiEndpoint,
      storageEndpoint: values['storage-endpoint'],
      insecure: values.insecure ?? false,
    },
  };
}

/** --timeout SECONDS for waiting on operations, in ms (default 60 minutes). */
export function waitTimeoutMs(value: string | undefined): number {
  if (value === undefined) return 60 * 60_000;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new UserError(`--timeout must be a number of seconds above 0, not '${value}'`);
  return seconds * 1000;
}

// Where cloud commands go: a Google Cloud project and region (the regional
// Vertex AI host), or any Vertex-compatible server given by address, such as
// the local sandbox.
import { UserError } from '../shared/errors';

export interface CloudConfig {
  project: string;
  region: string;
  /** HOST:PORT of a Vertex-compatible gRPC server; default REGION-aiplatform.googleapis.com:443. */
  apiEndpoint?: string;
  /** URL of a Cloud-Storage-compatible JSON API; default https://storage.googleapis.com. */
  storageEndpoint?: string;
  /** Plaintext gRPC and no credentials, for local servers such as the sandbox. */
  insecure?: boolean;
}

const PROJECT = /^([a-z][a-z0-9-]{4,28}[a-z0-9]|[0-9]{1,20})$/;
const REGION = /^[a-z]+-[a-z]+[0-9]{1,2}$/;

export function checkConfig(config: CloudConfig): void {
  if (!config.project) throw new UserError('No Google Cloud project given: pass --project PROJECT (or start the local sandbox with `model-studio sandbox start`)');
  if (!PROJECT.test(config.project)) {
    throw new UserError(`"${config.project}" is not a valid project ID: use 6-30 lowercase letters, digits and hyphens, starting with a letter`);
  }
  if (!REGION.test(config.region)) throw new UserError(`"${config.region}" is not a Vertex AI region: use a region such as us-central1`);
  if (config.apiEndpoint !== undefined) apiAddress(config);
  if (config.storageEndpoint !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(config.storageEndpoint);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new UserError(`--storage-endpoint "${config.storageEndpoint}" is not an http(s) URL, e.g. http://127.0.0.1:4443`);
    }
  }
}

/** The gRPC host and port the Vertex AI clients connect to. */
export function apiAddress(config: CloudConfig): { host: string; port: number } {
  if (config.apiEndpoint === undefined) return { host: `${config.region}-aiplatform.googleapis.com`, port: 443 };
  const match = /^(\[[0-9a-f:]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(config.apiEndpoint);
  const port = match?.[2] === undefined ? 443 : Number(match[2]);
  if (!match || port < 1 || port > 65535) {
    throw new UserError(`--api-endpoint "${config.apiEndpoint}" is not HOST:PORT, e.g. us-central1-aiplatform.googleapis.com:443 or 127.0.0.1:8470`);
  }
  return { host: match[1], port };
}

/** projects/P/locations/R */
export function parentOf(config: CloudConfig): string {
  return `projects/${config.project}/locations/${config.region}`;
}

/** Words for messages: which server the commands talk to. */
export function targetLabel(config: CloudConfig): string {
  const { host, port } = apiAddress(config);
  return config.apiEndpoint === undefined ? `Vertex AI (project ${config.project}, ${config.region})` : `the Vertex AI server at ${host}:${port}`;
}

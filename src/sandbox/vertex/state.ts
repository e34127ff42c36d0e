// The sandbox's resources, persisted as one JSON file so they survive a
// restart. Writes go to a temporary file and are renamed into place, so a
// crash never leaves half a state behind.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../shared/errors';
import type { ProtoObject } from './protos';

export interface StoredModelVersion {
  versionId: string;
  displayName: string;
  description?: string;
  versionDescription?: string;
  containerSpec: ProtoObject;
  artifactUri?: string;
  labels: Record<string, string>;
  versionAliases: string[];
  createTime: string;
  updateTime: string;
  etag: string;
}

export interface StoredModel {
  /** Full resource name without a version. */
  name: string;
  versions: StoredModelVersion[];
  defaultVersionId: string;
  nextVersionId: number;
  createTime: string;
}

export interface StoredDeployedModel {
  id: string;
  /** Model resource name without a version. */
  model: string;
  modelVersionId: string;
  displayName: string;
  dedicatedResources: ProtoObject;
  createTime: string;
}

export interface StoredEndpoint {
  name: string;
  displayName: string;
  description?: string;
  labels: Record<string, string>;
  deployedModels: StoredDeployedModel[];
  trafficSplit: Record<string, number>;
  etag: string;
  createTime: string;
  updateTime: string;
}

export type OperationKind = 'uploadModel' | 'deleteModel' | 'deleteModelVersion' | 'createEndpoint' | 'deleteEndpoint' | 'deployModel' | 'undeployModel';

export interface StoredOperation {
  name: string;
  kind: OperationKind;
  /** The validated request, as the handler will apply it. */
  request: ProtoObject;
  /** Fully qualified response and metadata message types. */
  responseType: string;
  metadataType: string;
  metadata: ProtoObject;
  createTime: string;
  updateTime: string;
  /** Epoch milliseconds when the work may finish. */
  readyAt: number;
  done: boolean;
  cancelRequested?: boolean;
  error?: { code: number; message: string };
  response?: ProtoObject;
}

export interface SandboxState {
  version: 1;
  models: Record<string, StoredModel>;
  endpoints: Record<string, StoredEndpoint>;
  operations: Record<string, StoredOperation>;
}

const FILE = 'vertex-state.json';

export class StateFile {
  readonly state: SandboxState;
  /** Saves since the start: grows with every change, for the control endpoint's status. */
  revision = 0;

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.state = StateFile.read(join(dir, FILE));
  }

  private static read(path: string): SandboxState {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      return { version: 1, models: {}, endpoints: {}, operations: {} };
    }
    let parsed: SandboxState;
    try {
      parsed = JSON.parse(text) as SandboxState;
    } catch {
      throw new UserError(`${path} is damaged (not JSON): delete it to start the sandbox with no models and endpoints`);
    }
    if (parsed.version !== 1) throw new UserError(`${path} has state version ${String(parsed.version)}, this sandbox reads version 1: delete it to start afresh`);
    return parsed;
  }

  save(): void {
    const path = join(this.dir, FILE);
    const temp = `${path}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(this.state, null, 1));
    renameSync(temp, path);
    this.revision++;
  }
}

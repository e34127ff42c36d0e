// What every service handler shares: the persisted state, the operations
// engine, the loaded models and the sandbox's settings.
import type { BatchRunner } from './batchJobs';
import type { Operations } from './operations';
import type { Predictors } from './predictors';
import type { StateFile } from './state';

export interface SandboxSettings {
  /** vCPUs of dedicated prediction replicas allowed per project and region (max replicas count). */
  servingCpuQuota: number;
}

export interface SandboxContext {
  store: StateFile;
  operations: Operations;
  predictors: Predictors;
  settings: SandboxSettings;
  /** Lists the objects under a gs:// folder; undefined when no storage server is attached. */
  listArtifacts?: (gsUri: string) => Promise<string[]>;
  /** Reads and writes Cloud Storage objects (batch prediction input and output); undefined without a storage server. */
  objects?: ObjectStore;
  batchRunner: BatchRunner;
}

export interface ObjectStore {
  read(gsUri: string): Promise<Buffer>;
  write(gsUri: string, text: string): Promise<void>;
}

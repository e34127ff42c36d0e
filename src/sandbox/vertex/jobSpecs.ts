// Checks a CustomJobSpec as Vertex AI does before it queues a job, and turns
// one into the replica's command line and environment (the training
// container contract: AIP_MODEL_DIR, AIP_CHECKPOINT_DIR, AIP_TENSORBOARD_LOG_DIR).
import type { protos } from '@google-cloud/aiplatform';
import { SANDBOX_TRAINER_IMAGE, TRAINING_MACHINES, ENV } from '../../shared/vertexTraining';
import { invalidArgument, RpcError } from './status';
import * as grpc from '@grpc/grpc-js';

type ICustomJobSpec = protos.google.cloud.aiplatform.v1.ICustomJobSpec;

/** GPUs of each type the sandbox's project may use for training at once (Vertex AI's default quota is small too). */
export const TRAINING_ACCELERATOR_QUOTA = 4;

export interface WorkerPool {
  machineType: string;
  acceleratorType?: string;
  acceleratorCount: number;
  replicaCount: number;
  imageUri: string;
  args: string[];
  env: Record<string, string>;
}

export interface CheckedJobSpec {
  pool: WorkerPool;
  /** gs://.../ with a trailing slash. */
  baseOutputDir: string;
  timeoutMs?: number;
  serviceAccount?: string;
  spot: boolean;
}

const GS_FOLDER = /^gs:\/\/[a-z0-9][a-z0-9._-]{1,221}[a-z0-9](\/.*)?$/;

export function checkJobSpec(spec: ICustomJobSpec | null | undefined, field: string): CheckedJobSpec {
  const pools = spec?.workerPoolSpecs ?? [];
  if (pools.length === 0) throw invalidArgument(`${field}.worker_pool_specs must have at least one worker pool.`);
  const first = pools[0];
  const machine = first.machineSpec ?? {};
  const machineType = String(machine.machineType ?? '');
  const known = TRAINING_MACHINES.find((m) => m.machineType === machineType);
  if (!known && !/^(n1|n2|e2|c2|a2|g2)-(standard|highmem|highcpu|highgpu|ultragpu)-\d+g?$/.test(machineType)) {
    throw invalidArgument(`${field}.worker_pool_specs[0].machine_spec.machine_type "${machineType}" is not a supported training machine type.`);
  }
  const acceleratorType = typeof machine.acceleratorType === 'string' && machine.acceleratorType !== 'ACCELERATOR_TYPE_UNSPECIFIED' ? machine.acceleratorType : undefined;
  const acceleratorCount = Number(machine.acceleratorCount ?? 0);
  if (acceleratorType && known && !known.accelerators.includes(acceleratorType)) {
    throw invalidArgument(`Accelerator ${acceleratorType} cannot be attached to machine type ${machineType}.`);
  }
  if (acceleratorType && acceleratorCount < 1) throw invalidArgument(`accelerator_count must be at least 1 with accelerator ${acceleratorType}.`);
  const container = first.containerSpec ?? {};
  const imageUri = String(container.imageUri ?? '');
  if (imageUri === '') throw invalidArgument(`${field}.worker_pool_specs[0].container_spec.image_uri is required.`);
  const env: Record<string, string> = {};
  for (const variable of container.env ?? []) env[String(variable.name)] = String(variable.value ?? '');
  const output = String(spec?.baseOutputDirectory?.outputUriPrefix ?? '');
  if (!GS_FOLDER.test(output)) throw invalidArgument(`${field}.base_output_directory.output_uri_prefix must be a gs:// folder, not "${output}".`);
  const scheduling = spec?.scheduling ?? {};
  const timeout = scheduling.timeout;
  const serviceAccount = typeof spec?.serviceAccount === 'string' && spec.serviceAccount !== '' ? spec.serviceAccount : undefined;
  if (serviceAccount && !/^[a-z][a-z0-9-]{4,28}[a-z0-9]@[a-z0-9.-]+\.iam\.gserviceaccount\.com$/.test(serviceAccount)) {
    throw invalidArgument(`service_account "${serviceAccount}" is not a service account email (NAME@PROJECT.iam.gserviceaccount.com).`);
  }
  return {
    pool: {
      machineType,
      acceleratorType,
      acceleratorCount: acceleratorType ? acceleratorCount : 0,
      replicaCount: Number(first.replicaCount ?? 1),
      imageUri,
      args: (container.args ?? []).map(String),
      env,
    },
    baseOutputDir: output.endsWith('/') ? output : `${output}/`,
    timeoutMs: timeout?.seconds ? Number(timeout.seconds) * 1000 + Math.floor((timeout.nanos ?? 0) / 1e6) : undefined,
    serviceAccount,
    spot: scheduling.strategy === 'SPOT',
  };
}

/** Vertex AI's quota error, with the quota metric the user asks to raise. */
export function acceleratorQuotaError(acceleratorType: string, requested: number, inUse: number): RpcError {
  const metric = `aiplatform.googleapis.com/custom_model_training_${acceleratorType.toLowerCase().replace(/^nvidia_(tesla_)?/, 'nvidia_')}_gpus`;
  return new RpcError(
    grpc.status.RESOURCE_EXHAUSTED,
    `The following quota metrics exceed quota limits: ${metric}. Requested ${requested}, in use ${inUse}, limit ${TRAINING_ACCELERATOR_QUOTA}.`,
    { reason: 'RATE_LIMIT_EXCEEDED', metadata: { quota_metric: metric } },
  );
}

/** The message Vertex AI puts on a job whose image cannot be pulled. */
export function imageMissingMessage(imageUri: string): string | undefined {
  if (imageUri === SANDBOX_TRAINER_IMAGE || /(^|\/)model-studio[-/]trainer(:|$|@)/.test(imageUri) || imageUri.includes('/trainer:')) return undefined;
  return `Unable to pull the container image "${imageUri}": it was not found, or the job's service account cannot read it.`;
}

/** The environment of one replica (a trial's outputs go under its own folder). */
export function replicaEnv(spec: CheckedJobSpec, outputDir: string, extra: Record<string, string>): Record<string, string> {
  return {
    ...spec.pool.env,
    [ENV.modelDir]: `${outputDir}model/`,
    [ENV.checkpointDir]: `${outputDir}checkpoints/`,
    [ENV.tensorboardDir]: `${outputDir}logs/`,
    ...extra,
  };
}

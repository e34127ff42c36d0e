// What custom and tuning jobs share in the cloud layer: their names (an ID
// or a full resource name, as gcloud takes them), their summary for people
// (state, elapsed time, machine, estimated cost so far), where their outputs
// are, and job errors turned into one line the user can act on.
import type { google } from '@google-cloud/aiplatform/build/protos/protos';
import { UserError } from '../shared/errors';
import { estimatedUsdPerHour, JOB_OUTPUTS_PREFIX, BUNDLED_TRAINING_PRICES, type TrainingPriceTable } from '../shared/vertexTraining';
import { parentOf, type CloudConfig } from './config';
import { isoTime } from './summaries';

type ICustomJobSpec = google.cloud.aiplatform.v1.ICustomJobSpec;

export type TrainingJobState = 'queued' | 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelling' | 'cancelled' | 'paused' | 'expired' | 'updating' | 'unspecified';

export function jobState(state: unknown): TrainingJobState {
  const text = String(state ?? 'JOB_STATE_UNSPECIFIED').replace(/^JOB_STATE_/, '').toLowerCase();
  return (['queued', 'pending', 'running', 'succeeded', 'failed', 'cancelling', 'cancelled', 'paused', 'expired', 'updating'] as const).find((s) => s === text) ?? 'unspecified';
}

export function isFinalJobState(state: TrainingJobState): boolean {
  return state === 'succeeded' || state === 'failed' || state === 'cancelled' || state === 'expired';
}

export type JobCollection = 'customJobs' | 'hyperparameterTuningJobs';

export function jobResourceName(config: CloudConfig, collection: JobCollection, value: string): string {
  const text = value.trim();
  if (new RegExp(`^projects/[^/]+/locations/[^/]+/${collection}/[0-9A-Za-z_-]+$`).test(text)) return text;
  if (!/^[0-9A-Za-z_-]{1,128}$/.test(text)) {
    throw new UserError(`"${value}" is not a job ID or resource name: use an ID such as 1234567890 or projects/P/locations/R/${collection}/ID`);
  }
  return `${parentOf(config)}/${collection}/${text}`;
}

export interface JobMachine {
  machineType: string;
  acceleratorType?: string;
  acceleratorCount: number;
  replicaCount: number;
  spot: boolean;
  imageUri: string;
}

export function machineOf(spec: ICustomJobSpec | null | undefined): JobMachine {
  const pool = spec?.workerPoolSpecs?.[0];
  const accelerator = pool?.machineSpec?.acceleratorType;
  const acceleratorType = accelerator && accelerator !== 'ACCELERATOR_TYPE_UNSPECIFIED' ? String(accelerator) : undefined;
  return {
    machineType: pool?.machineSpec?.machineType ?? '',
    acceleratorType,
    acceleratorCount: acceleratorType ? Number(pool?.machineSpec?.acceleratorCount ?? 0) : 0,
    replicaCount: Number(pool?.replicaCount ?? 1),
    spot: String(spec?.scheduling?.strategy ?? '') === 'SPOT',
    imageUri: pool?.containerSpec?.imageUri ?? '',
  };
}

/** gs://.../ with a trailing slash. */
export function baseOutputOf(spec: ICustomJobSpec | null | undefined): string {
  const prefix = spec?.baseOutputDirectory?.outputUriPrefix ?? '';
  return prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
}

/** The spec the trainer reads, from its --spec argument. */
export function specUriOf(spec: ICustomJobSpec | null | undefined): string | undefined {
  const args = spec?.workerPoolSpecs?.[0]?.containerSpec?.args ?? [];
  return args.map((a) => /^--spec=(.+)$/.exec(a)?.[1]).find((v) => v !== undefined);
}

export function elapsedMs(start: string | undefined, end: string | undefined, now = Date.now()): number {
  if (!start) return 0;
  return Math.max(0, (end ? Date.parse(end) : now) - Date.parse(start));
}

/** Estimated cost so far at on-demand (or Spot) prices; undefined for machines the prices lack. */
export function estimatedCost(machine: JobMachine, ms: number, prices: TrainingPriceTable = BUNDLED_TRAINING_PRICES): number | undefined {
  const accelerator = machine.acceleratorType ? { type: machine.acceleratorType, count: machine.acceleratorCount } : undefined;
  const perHour = estimatedUsdPerHour(machine.machineType, accelerator, { replicas: machine.replicaCount, spot: machine.spot, prices });
  return perHour === undefined ? undefined : (perHour * ms) / 3_600_000;
}

export interface JobTimes {
  createTime?: string;
  startTime?: string;
  endTime?: string;
}

export function jobTimes(job: { createTime?: unknown; startTime?: unknown; endTime?: unknown }): JobTimes {
  const time = (value: unknown): string | undefined => isoTime(value as Parameters<typeof isoTime>[0]);
  return { createTime: time(job.createTime), startTime: time(job.startTime), endTime: time(job.endTime) };
}

/** The job's error in one line, with what to do when it is one the user can fix. */
export function explainJobError(message: string, machine: JobMachine, config: CloudConfig): string {
  const text = message.replace(/\s*\n\s*/g, ' ').trim();
  if (/Unable to pull|image.*(not found|does not exist)|manifest unknown/i.test(text)) {
    return `The trainer image ${machine.imageUri} was not found: build and push it (README, "Training on Vertex AI"), or pass --container-image-uri with an image in Artifact Registry. (${text})`;
  }
  if (/quota/i.test(text)) {
    return `Not enough ${machine.acceleratorType ?? 'CPU'} quota in ${config.region}: request more at https://console.cloud.google.com/iam-admin/quotas?project=${config.project}, or pick another accelerator or region. (${text})`;
  }
  if (/iam\.serviceAccounts\.actAs|service account.*permission|permission.*service account/i.test(text)) {
    return `The job's service account lacks a permission: grant it roles/aiplatform.user and roles/storage.objectAdmin on the bucket, and give your account roles/iam.serviceAccountUser on it. (${text})`;
  }
  return text;
}

/** gs://BUCKET/model-studio/jobs/<name>-<time>/ for a new job. */
export function newOutputDir(bucket: string, name: string, now = new Date()): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'job';
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `gs://${bucket}/${JOB_OUTPUTS_PREFIX}/${slug}-${stamp}/`;
}

// The flags `custom-jobs create` and `hp-tuning-jobs create` share, as gcloud
// spells them, turned into the cloud layer's options.
import { resolve } from 'node:path';
import type { TrainingInputOptions } from '../../cloud';
import { SANDBOX_BUCKET } from '../../core/sandboxInfo';
import { UserError } from '../../shared/errors';
import { SANDBOX_TRAINER_IMAGE } from '../../shared/vertexTraining';
import { parseAccelerator } from './deploy';
import type { Target } from './target';

export const TRAINING_OPTIONS = {
  spec: { type: 'string' },
  'display-name': { type: 'string' },
  bucket: { type: 'string' },
  'machine-type': { type: 'string' },
  accelerator: { type: 'string' },
  'replica-count': { type: 'string' },
  'container-image-uri': { type: 'string' },
  'service-account': { type: 'string' },
  'job-timeout': { type: 'string' },
  spot: { type: 'boolean' },
  epochs: { type: 'string' },
} as const;

export const TRAINING_USAGE =
  '--spec SPEC --display-name NAME [--bucket gs://BUCKET] [--machine-type M] [--accelerator type=NVIDIA_TESLA_T4,count=1] [--replica-count N] [--container-image-uri URI] [--service-account EMAIL] [--job-timeout 2h] [--spot] [--epochs N]';

export interface TrainingValues {
  spec?: string;
  'display-name'?: string;
  bucket?: string;
  'machine-type'?: string;
  accelerator?: string;
  'replica-count'?: string;
  'container-image-uri'?: string;
  'service-account'?: string;
  'job-timeout'?: string;
  spot?: boolean;
  epochs?: string;
}

/** "90s", "30m", "2h" or seconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(s|m|h)?$/.exec(text.trim());
  if (!match) throw new UserError(`--job-timeout "${text}" is not a duration: write it like 90s, 30m or 2h`);
  const seconds = Number(match[1]) * (match[2] === 'h' ? 3600 : match[2] === 'm' ? 60 : 1);
  if (seconds < 1) throw new UserError('--job-timeout must be at least 1 second');
  return Math.round(seconds);
}

function positiveInteger(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new UserError(`${flag} must be a whole number of at least 1, not '${text}'`);
  return value;
}

export function trainingOptions(values: TrainingValues, target: Target, usage: string): TrainingInputOptions {
  if (!values.spec) throw new UserError(`Missing --spec SPEC (a *.train.json). Usage: ${usage}`);
  if (!values['display-name']) throw new UserError(`Missing --display-name NAME. Usage: ${usage}`);
  const imageUri = values['container-image-uri'] ?? process.env.MODEL_STUDIO_TRAINER_IMAGE ?? (target.sandbox ? SANDBOX_TRAINER_IMAGE : undefined);
  if (!imageUri) {
    throw new UserError('Missing --container-image-uri: the trainer image you pushed to Artifact Registry (README, "Training on Vertex AI"), e.g. us-central1-docker.pkg.dev/PROJECT/REPO/model-studio-trainer:latest');
  }
  const bucket = values.bucket ?? (target.sandbox ? SANDBOX_BUCKET : undefined);
  if (!bucket) throw new UserError(`Missing --bucket gs://BUCKET for the spec, the data and the job's outputs. Usage: ${usage}`);
  return {
    specPath: resolve(values.spec),
    displayName: values['display-name'],
    bucket,
    createBucket: Boolean(target.sandbox && !values.bucket),
    machineType: values['machine-type'],
    accelerator: values.accelerator ? parseAccelerator(values.accelerator) : undefined,
    replicaCount: positiveInteger('--replica-count', values['replica-count']),
    imageUri,
    serviceAccount: values['service-account'],
    timeoutSeconds: values['job-timeout'] ? parseDuration(values['job-timeout']) : undefined,
    spot: values.spot,
    epochs: positiveInteger('--epochs', values.epochs),
  };
}

export function money(usd: number | undefined): string {
  return usd === undefined ? 'unknown' : `$${usd < 1 ? usd.toFixed(3) : usd.toFixed(2)}`;
}

export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

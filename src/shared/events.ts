// The trainer's event stream. The same objects travel over the IPC channel to
// the extension host, to stdout (one JSON object a line with `--json`), and
// into the run folder's metrics.jsonl, so every consumer shares one type.

import type { TrainingSpec } from './spec';

/** Metric values by Keras-style name: loss, acc, val_loss, val_acc, ... */
export type Metrics = Record<string, number>;

export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';
/** What a user may ask for (`--backend`, the setting, Train With…): 'auto' picks the fastest available. */
export const BACKEND_CHOICES = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

export interface BackendInfo {
  name: BackendName;
  /** Human description of where the math runs: CPU model, or GPU name and memory. */
  device: string;
  /** TF.js version in use. */
  version: string;
  /** Where a native backend was loaded from, when it was. */
  loadedFrom?: string;
}

export interface SplitSummary {
  count: number;
}

export interface DataSummary {
  /** Shape of one input sample, e.g. [28, 28]. */
  sampleShape: number[];
  numClasses?: number;
  classNames?: string[];
  train: SplitSummary;
  validation?: SplitSummary;
  test?: SplitSummary;
  /** 'image' data gets misclassified examples drawn in the dashboard. */
  kind: 'image' | 'tabular';
  loadMs: number;
}

interface EventBase {
  runId: string;
  /** Milliseconds since the Unix epoch. */
  time: number;
}

export interface RunStartedEvent extends EventBase {
  type: 'runStarted';
  spec: TrainingSpec;
  backend: BackendInfo;
  data: DataSummary;
  epochs: number;
  batchSize: number;
  batchesPerEpoch: number;
  /** First epoch this process trains (0-based); > 0 when resuming. */
  initialEpoch: number;
  /** Parameters in the model. */
  parameters: number;
}

export interface BatchEndEvent extends EventBase {
  type: 'batchEnd';
  /** 0-based epoch. */
  epoch: number;
  /** 0-based batch within the epoch. */
  batch: number;
  batchesPerEpoch: number;
  /** Global step across epochs, 1-based. */
  step: number;
  loss: number;
  metrics: Metrics;
  samplesPerSecond: number;
}

export interface EpochEndEvent extends EventBase {
  type: 'epochEnd';
  epoch: number;
  epochs: number;
  /** Train and validation values: loss, acc, val_loss, val_acc, ... */
  metrics: Metrics;
  durationMs: number;
  samplesPerSecond: number;
}

export interface CheckpointSavedEvent extends EventBase {
  type: 'checkpointSaved';
  /** Epochs completed when the checkpoint was taken. */
  epoch: number;
  /** Folder relative to the run folder, e.g. "checkpoints/epoch-0003". */
  path: string;
}

export interface ConfusionMatrix {
  labels: string[];
  /** matrix[actual][predicted] = count */
  matrix: number[][];
}

export interface MisclassifiedExample {
  index: number;
  actual: number;
  predicted: number;
  confidence: number;
  /** For image data: the pixels as grey/RGB bytes, base64, with shape [h, w, c]. */
  image?: { width: number; height: number; channels: number; base64: string };
}

export interface EvaluationEvent extends EventBase {
  type: 'evaluation';
  /** Test metrics: loss, acc, ... */
  metrics: Metrics;
  samples: number;
  confusionMatrix?: ConfusionMatrix;
  misclassified?: MisclassifiedExample[];
}

export type RunOutcome = 'completed' | 'stopped' | 'failed';

export interface RunFinishedEvent extends EventBase {
  type: 'runFinished';
  status: RunOutcome;
  /** Why it stopped or failed, in words for people. */
  reason?: string;
  epochsCompleted: number;
  finalMetrics: Metrics;
  testMetrics?: Metrics;
  durationMs: number;
}

export interface LogEvent extends EventBase {
  type: 'log';
  level: 'info' | 'warning' | 'error';
  message: string;
}

export type TrainerEvent =
  | RunStartedEvent
  | BatchEndEvent
  | EpochEndEvent
  | CheckpointSavedEvent
  | EvaluationEvent
  | RunFinishedEvent
  | LogEvent;

export type TrainerEventType = TrainerEvent['type'];

/**
 * Messages the host sends to a trainer child process over IPC: first one
 * 'train', then at most one 'stop' (finish the current batch, save, exit).
 */
export type HostToTrainerMessage = { type: 'train'; request: TrainRequest } | { type: 'stop' };

/**
 * Messages a trainer child process sends over IPC: its events (batchEnd
 * coalesced to ~20 a second), or one 'error' when it fails before or outside
 * a run (bad spec, missing data). Exit code: 0 completed or stopped, 2 user
 * error, 1 internal failure.
 */
export type TrainerToHostMessage = TrainerEvent | { type: 'error'; message: string; userError: boolean };

/** The first message a trainer child process receives: what to run. */
export interface TrainRequest {
  specPath: string;
  /** Workspace folder that holds `.model-studio/runs`. */
  runsDir: string;
  epochs?: number;
  backend?: BackendChoice;
  /** fit.batchSize for this run, over the spec's (recorded in the run's spec). */
  batchSize?: number;
  /** The optimizer's learning rate for this run, over the spec's (recorded in the run's spec). */
  learningRate?: number;
  /** Run id to resume from its last checkpoint. */
  resume?: string;
}

/** Run status on disk. 'crashed' is derived: 'running' whose process is gone. */
export type RunStatus = 'running' | RunOutcome | 'crashed';

/** Contents of `.model-studio/runs/<id>/run.json`. */
export interface RunRecord {
  id: string;
  name: string;
  specPath: string;
  spec: TrainingSpec;
  status: RunStatus;
  reason?: string;
  backend?: BackendInfo;
  data?: DataSummary;
  pid: number;
  hostname: string;
  createdAt: string;
  updatedAt: string;
  endedAt?: string;
  epochs: number;
  epochsCompleted: number;
  lastCheckpoint?: string;
  finalMetrics?: Metrics;
  testMetrics?: Metrics;
  durationMs?: number;
}

export function isTrainerEvent(value: unknown): value is TrainerEvent {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { type?: unknown }).type === 'string' &&
    typeof (value as { runId?: unknown }).runId === 'string'
  );
}

// The trainer's event stream. The same objects travel over the IPC channel to
// the extension host, to stdout (one JSON object a line with `--json`), and
// into the run folder's metrics.jsonl, so every consumer shares one type.
// Receivers check them with the guards in protocol/runEvents.ts.

import type { TrainingSpec } from './spec';
import type { TrialInfo } from './sweep';

/** Metric values by Keras-style name: loss, acc, val_loss, val_acc, ... */
export type Metrics = Record<string, number>;

/** The backends a trainer can run on, fastest first. */
export const BACKEND_NAMES = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
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

export interface EventBase {
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
  /**
   * Batches of `initialEpoch` already trained before this process (a resume
   * mid-epoch continues at this batch); absent or 0 at an epoch's start.
   */
  initialBatch?: number;
  /** Global steps already trained before this process: its first batchEnd has step initialStep + 1. */
  initialStep?: number;
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
  /** Global step across epochs and resumes, 1-based: one per batch of the run. */
  step: number;
  /** This batch's own loss. */
  loss: number;
  /** This batch's own metrics (without loss). */
  metrics: Metrics;
  /**
   * Loss and metrics averaged over the epoch so far (weighted by batch size),
   * as Keras's progress bar shows them: what the status bar and the dashboard's
   * tiles show while training. Absent in runs recorded by older versions.
   */
  epochAverage?: Metrics;
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

/**
 * A model evaluated on a test split: what the trainer reports after training
 * (as an EvaluationEvent) and what `model-studio evaluate --json` prints.
 */
export interface Evaluation {
  /** Test metrics: loss, acc, ... */
  metrics: Metrics;
  samples: number;
  /** For classifiers. */
  confusionMatrix?: ConfusionMatrix;
  /** For classifiers: the mistakes the model was most sure about, most confident first. */
  misclassified?: MisclassifiedExample[];
}

export interface EvaluationEvent extends EventBase, Evaluation {
  type: 'evaluation';
}

export const RUN_OUTCOMES = ['completed', 'stopped', 'failed'] as const;
export type RunOutcome = (typeof RUN_OUTCOMES)[number];

export interface RunFinishedEvent extends EventBase {
  type: 'runFinished';
  status: RunOutcome;
  /** Why it stopped or failed, in words for people. */
  reason?: string;
  epochsCompleted: number;
  finalMetrics: Metrics;
  testMetrics?: Metrics;
  /** Time spent training the run, summed over every process that trained it (resumes included). */
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
 * Run status on disk. 'crashed': a 'running' record whose trainer is gone,
 * derived when read (see core/runLiveness.ts), or written when the user marks
 * a stuck run as crashed.
 */
export const RUN_STATUSES = ['running', ...RUN_OUTCOMES, 'crashed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

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
  /** The trainer's start time as core/runLiveness.ts reads it, so a reused PID is not taken for it. */
  processStart?: string;
  createdAt: string;
  updatedAt: string;
  endedAt?: string;
  epochs: number;
  epochsCompleted: number;
  lastCheckpoint?: string;
  finalMetrics?: Metrics;
  testMetrics?: Metrics;
  /** Time spent training, summed over every process that trained the run; updated at each epoch's end. */
  durationMs?: number;
  /** Set when the run is a trial of a sweep (or of a Vertex AI tuning job). */
  trial?: TrialInfo;
}

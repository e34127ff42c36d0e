// Hyperparameter search: the spec's `search` section (design.md, "One search
// section, two executors"), a trial's place in its sweep as run.json records
// it, and the sweep record in `.model-studio/sweeps/<sweep-id>/sweep.json`.
// Locally `model-studio sweep` runs the trials; on Vertex AI the same section
// becomes a HyperparameterTuningJob's StudySpec.

export const SEARCH_ALGORITHMS = ['grid', 'random', 'default'] as const;
export type SearchAlgorithm = (typeof SEARCH_ALGORITHMS)[number];
export type SearchGoal = 'maximize' | 'minimize';
export type ParameterScale = 'linear' | 'log' | 'reverseLog';

export interface DoubleParameter {
  type: 'double';
  min: number;
  max: number;
  scale?: ParameterScale;
}

export interface IntegerParameter {
  type: 'integer';
  min: number;
  max: number;
  scale?: ParameterScale;
}

export interface DiscreteParameter {
  type: 'discrete';
  values: number[];
}

export interface CategoricalParameter {
  type: 'categorical';
  values: string[];
}

export type ParameterSpec = DoubleParameter | IntegerParameter | DiscreteParameter | CategoricalParameter;

/**
 * Stop a trial early when it cannot win: after `afterEpochs` epochs, a trial
 * whose metric is worse than the median of the completed trials at the same
 * epoch is stopped and recorded as 'pruned' (Vertex AI: medianAutomatedStoppingSpec).
 */
export interface MedianStoppingSpec {
  /** Epochs a trial trains before the rule may stop it (default 1). */
  afterEpochs?: number;
  /** Completed trials the median needs before it stops anyone (default 2). */
  minTrials?: number;
}

export interface SearchSpec {
  /** The metric trials are compared on, e.g. val_acc, and whether bigger is better. */
  metric: { name: string; goal: SearchGoal };
  /** 'default' is Vertex AI's own search on the cloud, random locally. */
  algorithm?: SearchAlgorithm;
  maxTrials?: number;
  parallelTrials?: number;
  /**
   * Keys are paths into the spec written the way validation errors print
   * them, e.g. "compile.optimizer.learningRate", "model.layers[1].units".
   */
  parameters: Record<string, ParameterSpec>;
  /** Seeds the local random search, so the same spec draws the same trials (local sweeps only). */
  seed?: number;
  medianStopping?: MedianStoppingSpec;
}

/** A trial's values by parameter path. */
export type TrialParameters = Record<string, number | string>;

/** What run.json records of a run that is a trial of a sweep (or of a Vertex AI tuning job). */
export interface TrialInfo {
  /** The local sweep's id, or the tuning job's resource name. */
  sweepId: string;
  trialId: string;
  parameters: TrialParameters;
}

export const TRIAL_STATUSES = ['pending', 'running', 'completed', 'stopped', 'failed', 'crashed', 'pruned'] as const;
export type TrialStatus = (typeof TRIAL_STATUSES)[number];

export interface TrialRecord {
  trialId: string;
  parameters: TrialParameters;
  status: TrialStatus;
  /** The run that trains it, once started. */
  runId?: string;
  /** The search metric's final (or best) value, once known. */
  value?: number;
  /** Why it failed or was stopped early, in words for people. */
  reason?: string;
  /** Epochs its run trains, and how many it has completed (for live progress). */
  epochs?: number;
  epochsCompleted?: number;
  /** The search metric at the end of each epoch so far: what the median rule compares. */
  metricHistory?: number[];
}

export const SWEEP_STATUSES = ['running', 'completed', 'stopped', 'failed', 'crashed'] as const;
export type SweepStatus = (typeof SWEEP_STATUSES)[number];

/** Contents of `.model-studio/sweeps/<sweep-id>/sweep.json`. */
export interface SweepRecord {
  id: string;
  name: string;
  specPath: string;
  /** The search as run: maxTrials and parallelTrials are the numbers in effect (flags and defaults applied). */
  search: SearchSpec;
  status: SweepStatus;
  createdAt: string;
  updatedAt: string;
  endedAt?: string;
  trials: TrialRecord[];
  /** The best trial so far by the search metric and goal. */
  best?: { trialId: string; runId?: string; value: number };
  /** Why it stopped, failed or crashed, in words for people. */
  reason?: string;
  /** The seed random search drew the trials with. */
  seed?: number;
  /** The runs folder that holds the trials' runs. */
  runsDir?: string;
  /** The process that runs the sweep (the CLI, or the editor's extension host): a 'running' sweep whose process is gone crashed. */
  pid?: number;
  hostname?: string;
  processStart?: string;
}

/** A trial that will not train again: its outcome is known. */
export function isTrialSettled(status: TrialStatus): boolean {
  return status === 'completed' || status === 'pruned' || status === 'failed';
}

/** `model-studio sweep --json` prints one of these a line. */
export type SweepEvent =
  | { type: 'sweepStarted'; sweepId: string; time: number; name: string; specPath: string; algorithm: SearchAlgorithm; trials: number; parallelTrials: number; metric: SearchSpec['metric']; resumed: boolean }
  | { type: 'trialStarted'; sweepId: string; time: number; trialId: string; runId: string; parameters: TrialParameters; resumed: boolean }
  | { type: 'trialEpoch'; sweepId: string; time: number; trialId: string; runId: string; epoch: number; epochs: number; value?: number }
  | { type: 'trialFinished'; sweepId: string; time: number; trialId: string; runId?: string; status: TrialStatus; value?: number; reason?: string; best: boolean }
  | { type: 'sweepFinished'; sweepId: string; time: number; status: SweepStatus; reason?: string; best?: SweepRecord['best']; counts: Partial<Record<TrialStatus, number>> };

// Hyperparameter search: the spec's `search` section (design.md, "One search
// section, two executors"), a trial's place in its sweep as run.json records
// it, and the sweep record in `.model-studio/sweeps/<sweep-id>/sweep.json`.
// Locally `model-studio sweep` runs the trials; on Vertex AI the same section
// becomes a HyperparameterTuningJob's StudySpec.

export type SearchAlgorithm = 'grid' | 'random' | 'default';
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

export type TrialStatus = 'pending' | 'running' | 'completed' | 'stopped' | 'failed' | 'crashed' | 'pruned';

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
}

export type SweepStatus = 'running' | 'completed' | 'stopped' | 'failed' | 'crashed';

/** Contents of `.model-studio/sweeps/<sweep-id>/sweep.json`. */
export interface SweepRecord {
  id: string;
  name: string;
  specPath: string;
  search: SearchSpec;
  status: SweepStatus;
  createdAt: string;
  updatedAt: string;
  endedAt?: string;
  trials: TrialRecord[];
  /** The best trial so far by the search metric and goal. */
  best?: { trialId: string; runId?: string; value: number };
}

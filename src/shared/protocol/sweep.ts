// The guard for sweep.json as the CLI, the extension and the experiments view
// read it from disk: a file another process (or a person) may have written.
import {
  SEARCH_ALGORITHMS,
  SWEEP_STATUSES,
  TRIAL_STATUSES,
  type MedianStoppingSpec,
  type ParameterSpec,
  type SearchSpec,
  type SweepRecord,
  type TrialRecord,
} from '../sweep';
import { arrayOf, boundedString, integerIn, isFiniteNumber, isRunId, MAX_MESSAGE_TEXT, messagesOf, numberIn, objectOf, oneOf, optional, recordOf, type Guard } from './guards';

const MAX_NAME = 1000;
const MAX_PATH = 4096;
const MAX_TRIALS = 10_000;
const MAX_PARAMETERS = 200;
const MAX_VALUES = 10_000;
const MAX_EPOCHS = 1_000_000;

const isName = boundedString(MAX_NAME);
const isPath = boundedString(MAX_PATH);
const isCount = integerIn(0, Number.MAX_SAFE_INTEGER);
const isInteger = (value: unknown): value is number => Number.isSafeInteger(value);
const isScale = optional(oneOf(['linear', 'log', 'reverseLog'] as const));
/** JSON writes NaN as null: a diverged value reads as null. */
const isValue = (value: unknown): value is number => typeof value === 'number' || value === null;

const isParameterSpec: Guard<ParameterSpec> = messagesOf<ParameterSpec>({
  double: { min: isFiniteNumber, max: isFiniteNumber, scale: isScale },
  integer: { min: isFiniteNumber, max: isFiniteNumber, scale: isScale },
  discrete: { values: arrayOf(isFiniteNumber, { min: 1, max: MAX_VALUES }) },
  categorical: { values: arrayOf(isName, { min: 1, max: MAX_VALUES }) },
});

const isSearchSpec: Guard<SearchSpec> = objectOf<SearchSpec>({
  metric: objectOf({ name: isName, goal: oneOf(['maximize', 'minimize'] as const) }),
  algorithm: optional(oneOf(SEARCH_ALGORITHMS)),
  maxTrials: optional(integerIn(1, MAX_TRIALS)),
  parallelTrials: optional(integerIn(1, MAX_TRIALS)),
  parameters: recordOf(isPath, isParameterSpec, MAX_PARAMETERS),
  seed: optional(isInteger),
  medianStopping: optional(objectOf<MedianStoppingSpec>({ afterEpochs: optional(integerIn(1, MAX_EPOCHS)), minTrials: optional(integerIn(1, MAX_TRIALS)) })),
});

const isTrialRecord: Guard<TrialRecord> = objectOf<TrialRecord>({
  trialId: isName,
  parameters: recordOf(isPath, (v): v is number | string => isFiniteNumber(v) || isName(v), MAX_PARAMETERS),
  status: oneOf(TRIAL_STATUSES),
  runId: optional(isRunId),
  value: optional(isValue),
  reason: optional(boundedString(MAX_MESSAGE_TEXT)),
  epochs: optional(integerIn(0, MAX_EPOCHS)),
  epochsCompleted: optional(integerIn(0, MAX_EPOCHS)),
  metricHistory: optional(arrayOf(isValue, { max: MAX_EPOCHS })),
});

/** A sweep.json: the search as run, its trials, and the best so far. */
export const isSweepRecord: Guard<SweepRecord> = objectOf<SweepRecord>({
  id: isRunId,
  name: isName,
  specPath: isPath,
  search: isSearchSpec,
  status: oneOf(SWEEP_STATUSES),
  createdAt: isName,
  updatedAt: isName,
  endedAt: optional(isName),
  trials: arrayOf(isTrialRecord, { max: MAX_TRIALS }),
  best: optional(objectOf({ trialId: isName, runId: optional(isRunId), value: numberIn(-Number.MAX_VALUE, Number.MAX_VALUE) })),
  reason: optional(boundedString(MAX_MESSAGE_TEXT)),
  seed: optional(isInteger),
  runsDir: optional(isPath),
  pid: optional(isCount),
  hostname: optional(isName),
  processStart: optional(isName),
});


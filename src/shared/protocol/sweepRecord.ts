// The guard for `.model-studio/sweeps/<sweep-id>/sweep.json` (SweepRecord in
// ../sweep.ts), wherever it is read: the experiments view, the tree, the CLI.
// A sweep's folder name is its id, so ids follow the run-id rule.

import type {
  CategoricalParameter,
  DiscreteParameter,
  DoubleParameter,
  IntegerParameter,
  ParameterSpec,
  SearchSpec,
  SweepRecord,
  TrialRecord,
} from '../sweep';
import { arrayOf, boundedString, byType, integerIn, isRunId, MAX_MESSAGE_TEXT, numberIn, objectOf, oneOf, optional, recordOf, type Guard } from './guards';

const MAX_NAME = 1000;
const MAX_PATH = 4096;
/** Parameters a search may vary, values a discrete or categorical one may list, trials a sweep may hold. */
export const MAX_SEARCH_PARAMETERS = 200;
const MAX_PARAMETER_VALUES = 10_000;
export const MAX_TRIALS = 100_000;

const isName = boundedString(MAX_NAME);
const isNumber = numberIn(-Number.MAX_VALUE, Number.MAX_VALUE);
const isScale = optional(oneOf(['linear', 'log', 'reverseLog'] as const));

export const isParameterSpec: Guard<ParameterSpec> = byType<ParameterSpec>({
  double: objectOf<DoubleParameter>({ type: oneOf(['double'] as const), min: isNumber, max: isNumber, scale: isScale }),
  integer: objectOf<IntegerParameter>({ type: oneOf(['integer'] as const), min: isNumber, max: isNumber, scale: isScale }),
  discrete: objectOf<DiscreteParameter>({ type: oneOf(['discrete'] as const), values: arrayOf(isNumber, { min: 1, max: MAX_PARAMETER_VALUES }) }),
  categorical: objectOf<CategoricalParameter>({ type: oneOf(['categorical'] as const), values: arrayOf(isName, { min: 1, max: MAX_PARAMETER_VALUES }) }),
});

export const isSearchSpec: Guard<SearchSpec> = objectOf<SearchSpec>({
  metric: objectOf<SearchSpec['metric']>({ name: boundedString(200, 1), goal: oneOf(['maximize', 'minimize'] as const) }),
  algorithm: optional(oneOf(['grid', 'random', 'default'] as const)),
  maxTrials: optional(integerIn(1, MAX_TRIALS)),
  parallelTrials: optional(integerIn(1, 1024)),
  parameters: recordOf(boundedString(MAX_PATH, 1), isParameterSpec, MAX_SEARCH_PARAMETERS),
});

/**
 * A metric value: a diverged trial's NaN is written by JSON as null, which
 * passes (as runEvents.ts's metrics do); readers treat it as no value.
 */
const isMetricValue = (value: unknown): value is number => value === null || isNumber(value);

const isTrialValue = (value: unknown): value is number | string => isNumber(value) || isName(value);
const isTrialParameters = recordOf(boundedString(MAX_PATH, 1), isTrialValue, MAX_SEARCH_PARAMETERS);

const isTrialRecord: Guard<TrialRecord> = objectOf<TrialRecord>({
  trialId: boundedString(MAX_NAME, 1),
  parameters: isTrialParameters,
  status: oneOf(['pending', 'running', 'completed', 'stopped', 'failed', 'crashed', 'pruned'] as const),
  runId: optional(isRunId),
  value: optional(isMetricValue),
  reason: optional(boundedString(MAX_MESSAGE_TEXT)),
});

export const isSweepRecord: Guard<SweepRecord> = objectOf<SweepRecord>({
  id: isRunId,
  name: isName,
  specPath: boundedString(MAX_PATH),
  search: isSearchSpec,
  status: oneOf(['running', 'completed', 'stopped', 'failed', 'crashed'] as const),
  createdAt: isName,
  updatedAt: isName,
  endedAt: optional(isName),
  trials: arrayOf(isTrialRecord, { max: MAX_TRIALS }),
  best: optional(objectOf<NonNullable<SweepRecord['best']>>({ trialId: boundedString(MAX_NAME, 1), runId: optional(isRunId), value: isMetricValue })),
});

// Values chosen for one run over the spec's own (Train With…, `model-studio
// train --batch-size 64 --learning-rate 0.0005`): the run trains with them and
// its run.json keeps the spec as trained, so a run says what it was.
import { UserError } from '../../shared/errors';
import type { TrainingSpec } from '../../shared/spec';
import { rememberSource, sourceOf } from './jsonLocation';

export interface RunOverrides {
  /** fit.batchSize for this run. */
  batchSize?: number;
  /** compile.optimizer's learning rate for this run. */
  learningRate?: number;
}

/** Throws a UserError naming the flag when a value cannot be trained with. */
export function checkRunOverrides(overrides: RunOverrides): void {
  const { batchSize, learningRate } = overrides;
  if (batchSize !== undefined && (!Number.isInteger(batchSize) || batchSize < 1)) {
    throw new UserError(`The batch size must be a whole number of at least 1, not ${batchSize}: fix --batch-size or fit.batchSize.`);
  }
  if (learningRate !== undefined && !(Number.isFinite(learningRate) && learningRate > 0)) {
    throw new UserError(`The learning rate must be a number above 0, not ${learningRate}: fix --learning-rate, e.g. 0.001.`);
  }
}

export function hasRunOverrides(overrides: RunOverrides): boolean {
  return overrides.batchSize !== undefined || overrides.learningRate !== undefined;
}

/** The spec with the run's values in place; the spec itself is left as it was. */
export function applyRunOverrides(spec: TrainingSpec, overrides: RunOverrides): TrainingSpec {
  checkRunOverrides(overrides);
  if (!hasRunOverrides(overrides)) return spec;
  const { batchSize, learningRate } = overrides;
  const optimizer = spec.compile.optimizer;
  const applied: TrainingSpec = {
    ...spec,
    fit: batchSize === undefined ? spec.fit : { ...spec.fit, batchSize },
    compile:
      learningRate === undefined
        ? spec.compile
        : { ...spec.compile, optimizer: typeof optimizer === 'string' ? { type: optimizer, learningRate } : { ...optimizer, learningRate } },
  };
  // Later messages still point into the file the user wrote.
  const source = sourceOf(spec);
  if (source) rememberSource(applied, source);
  return applied;
}

// Which values each trial tries. Grid search walks every combination in
// order (the last parameter changing fastest, like itertools.product); random
// search draws each trial's values from its own seeded generator, so trial 7
// has the same values however many trials the sweep asks for. Scales follow
// Vertex AI's: linear, log (evenly spread in log space) and reverseLog (log
// spacing mirrored, crowding towards max); integers are drawn as doubles over
// [min - 0.5, max + 0.5) and rounded, so each whole number is equally likely
// on a linear scale.
import type { ParameterScale, ParameterSpec, SearchSpec, TrialParameters } from '../../shared/sweep';
import { seededRandom } from '../../shared/seededRandom';

/** Random search's trial count when the spec names none. */
export const DEFAULT_RANDOM_TRIALS = 10;

/** The values grid search tries for one parameter (doubles have none to enumerate). */
export function gridValues(parameter: ParameterSpec): (number | string)[] {
  switch (parameter.type) {
    case 'discrete':
    case 'categorical':
      return parameter.values;
    case 'integer': {
      const values: number[] = [];
      for (let v = parameter.min; v <= parameter.max; v++) values.push(v);
      return values;
    }
    case 'double':
      throw new Error('grid search cannot enumerate a double parameter');
  }
}

/** How many combinations the grid has. */
export function gridSize(search: SearchSpec): number {
  return Object.values(search.parameters).reduce((product, p) => product * gridCount(p), 1);
}

function gridCount(parameter: ParameterSpec): number {
  if (parameter.type === 'integer') return parameter.max - parameter.min + 1;
  if (parameter.type === 'double') return Infinity;
  return parameter.values.length;
}

/** Combination `index` of the grid (0-based), without building the others. */
export function gridTrial(search: SearchSpec, index: number): TrialParameters {
  const entries = Object.entries(search.parameters);
  const trial: TrialParameters = {};
  let rest = index;
  for (let i = entries.length - 1; i >= 0; i--) {
    const [key, parameter] = entries[i];
    const count = gridCount(parameter);
    const position = rest % count;
    rest = Math.floor(rest / count);
    trial[key] = parameter.type === 'integer' ? parameter.min + position : gridValues(parameter)[position];
  }
  // Keys in the spec's order, as people read them.
  return Object.fromEntries(entries.map(([key]) => [key, trial[key]]));
}

/** A generator of its own for trial `index` of a sweep seeded with `seed`. */
function trialRandom(seed: number, index: number): () => number {
  // Mix the two so neighbouring seeds and indexes give unrelated streams.
  const mixed = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35);
  const random = seededRandom(mixed);
  random();
  return random;
}

/** A number from [min, max) spread by `scale`; `u` is uniform in [0, 1). */
export function scaled(u: number, min: number, max: number, scale: ParameterScale = 'linear'): number {
  switch (scale) {
    case 'linear':
      return min + u * (max - min);
    case 'log':
      return Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min)));
    case 'reverseLog':
      // The log scale's spacing mirrored: dense near max, sparse near min.
      return max + min - Math.exp(Math.log(min) + (1 - u) * (Math.log(max) - Math.log(min)));
  }
}

/** Six significant digits: values that read well in tables and repeat exactly through JSON. */
function tidy(value: number): number {
  return Number(value.toPrecision(6));
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

export function sampleParameter(parameter: ParameterSpec, random: () => number): number | string {
  switch (parameter.type) {
    case 'double':
      return clamp(tidy(scaled(random(), parameter.min, parameter.max, parameter.scale)), parameter.min, parameter.max);
    case 'integer': {
      // Half a step beyond each end, so min and max are as likely as their neighbours
      // (a log scale's min is at least 1, so min - 0.5 stays positive).
      const { min, max } = parameter;
      return clamp(Math.round(scaled(random(), min - 0.5, max + 0.5, parameter.scale)), min, max);
    }
    case 'discrete':
    case 'categorical':
      return parameter.values[Math.min(parameter.values.length - 1, Math.floor(random() * parameter.values.length))];
  }
}

/** Trial `index` (0-based) of a random search seeded with `seed`. */
export function randomTrial(search: SearchSpec, seed: number, index: number): TrialParameters {
  const random = trialRandom(seed, index);
  return Object.fromEntries(Object.entries(search.parameters).map(([key, parameter]) => [key, sampleParameter(parameter, random)]));
}

/** How many trials a sweep runs: maxTrials (random: 10 by default), never more than a grid has. */
export function trialCount(search: SearchSpec): number {
  if (search.algorithm === 'grid') return Math.min(search.maxTrials ?? Infinity, gridSize(search));
  return search.maxTrials ?? DEFAULT_RANDOM_TRIALS;
}

/** The values of every trial of the sweep, in trial order. */
export function planTrials(search: SearchSpec, seed: number, count = trialCount(search)): TrialParameters[] {
  const trials: TrialParameters[] = [];
  for (let index = 0; index < count; index++) {
    trials.push(search.algorithm === 'grid' ? gridTrial(search, index) : randomTrial(search, seed, index));
  }
  return trials;
}

// The rules of a spec's `search` section that the schema cannot express: every
// parameter path exists in the spec and the field there takes the parameter's
// kind of value, over the whole range; ranges are ordered; log scales are
// positive; grid search only enumerates what is countable; the metric is one
// the spec reports. Each problem is one sentence naming the parameter.
import { isModuleModel, type TrainingSpec } from '../../shared/spec';
import type { ParameterSpec, SearchSpec } from '../../shared/sweep';
import { formatPath, type JsonPath, type PlacedProblem } from './jsonLocation';
import { reportedNames } from './metricNames';
import type { SchemaNode } from './schema';
import { describeRange } from './schemaErrors';
import { allowedNames, numberFits, scalarKinds, schemaAt, type ScalarKinds } from './schemaWalk';
import { parseSpecPath, valueAtPath } from './specPaths';
import { nearestName, suggestion } from './suggest';

type SearchProblem = PlacedProblem;

/** The first problem of the spec's search section, or undefined (also when it has none). */
export function firstSearchProblem(spec: TrainingSpec): SearchProblem | undefined {
  const search = spec.search;
  if (!search) return undefined;
  return metricProblem(spec, search) ?? parametersProblem(spec, search) ?? stoppingProblem(spec, search);
}

function metricProblem(spec: TrainingSpec, search: SearchSpec): SearchProblem | undefined {
  const name = search.metric.name;
  const path = ['search', 'metric', 'name'];
  const { validationSplit, validationData } = spec.fit;
  const validating = (validationSplit ?? 0) > 0 || validationData !== undefined;
  const known = reportedNames(spec.compile, true);
  if (!known.includes(name)) {
    // Keras 2.3+ says 'accuracy' where TF.js says 'acc'.
    const alias = name.replace(/accuracy$/, 'acc');
    const hint = known.includes(alias) ? `did you mean '${alias}'? (TF.js reports accuracy as 'acc')` : suggestion(name, known, 'values');
    return { path, atKey: false, render: (where) => `Unknown search.metric.name '${name}'${where}; ${hint}` };
  }
  if (name.startsWith('val_') && !validating) {
    return {
      path,
      atKey: false,
      render: (where) =>
        `search.metric.name '${name}'${where} needs validation data; set fit.validationSplit (e.g. 0.1) or fit.validationData "test", or search on '${name.slice(4)}'`,
    };
  }
  return undefined;
}

function parametersProblem(spec: TrainingSpec, search: SearchSpec): SearchProblem | undefined {
  const keys = Object.keys(search.parameters);
  for (const key of keys) {
    const problem = parameterProblem(spec, search, key, search.parameters[key]);
    if (problem) return problem;
  }
  for (const key of keys) {
    const outer = keys.find((other) => other !== key && (key.startsWith(`${other}.`) || key.startsWith(`${other}[`)));
    if (outer) {
      return {
        path: ['search', 'parameters', key],
        atKey: true,
        render: (where) => `${label(key)}${where} is inside ${label(outer)}; search one or the other`,
      };
    }
  }
  return undefined;
}

/** `search.parameters["model.layers[1].units"]` */
function label(key: string, ...more: JsonPath): string {
  return formatPath(['search', 'parameters', key, ...more]);
}

function parameterProblem(spec: TrainingSpec, search: SearchSpec, key: string, parameter: ParameterSpec): SearchProblem | undefined {
  const at = (more: JsonPath, render: (where: string) => string, atKey = false): SearchProblem => ({ path: ['search', 'parameters', key, ...more], atKey, render });
  const onKey = (render: (where: string) => string): SearchProblem => at([], render, true);
  const target = parseSpecPath(key);
  if (!target) return onKey((where) => `${label(key)}${where} is not a path into the spec; write it like "compile.optimizer.learningRate" or "model.layers[1].units"`);
  const field = formatPath(target);
  if (target[0] === 'search') return onKey((where) => `${label(key)}${where} points into the search itself; name a value outside "search"`);

  const lookup = schemaAt(spec, target);
  if ('missing' in lookup) return onKey((where) => `${label(key)}${where}: ${missingReason(spec, lookup.missing, lookup.length)}`);
  if ('unknownField' in lookup) {
    const owner = formatPath(lookup.at);
    const near = nearestName(lookup.unknownField, lookup.fields);
    const hint = near ? `did you mean "${formatPath([...lookup.at, near])}"?` : `it has: ${lookup.fields.join(', ')}`;
    return onKey((where) => `${label(key)}${where}: ${owner}${ownerKind(spec, lookup.at)} has no field '${lookup.unknownField}'; ${hint}`);
  }
  const kinds = scalarKinds(lookup.found);
  const kindProblem = parameterKindProblem(key, field, parameter, kinds, lookup.found);
  if (kindProblem) return onKey(kindProblem);

  if (parameter.type === 'double' || parameter.type === 'integer') {
    const { min, max } = parameter;
    if (parameter.type === 'integer') {
      for (const [bound, value] of [['min', min], ['max', max]] as const) {
        if (!Number.isInteger(value)) {
          return at([bound], (where) => `${label(key, bound)} ${value}${where} is not a whole number; an integer parameter needs whole bounds such as ${Math.floor(value)} or ${Math.ceil(value)}`);
        }
      }
    }
    if (!(min < max)) return at(['min'], (where) => `${label(key, 'min')} ${min}${where} is not below max ${max}; make min smaller than max`);
    const scale = parameter.scale ?? 'linear';
    if (scale !== 'linear' && min <= 0) {
      return at(['min'], (where) => `${label(key, 'min')} ${min}${where}: a ${scale} scale needs min > 0; raise min or use "scale": "linear"`);
    }
    for (const [bound, value] of [['min', min], ['max', max]] as const) {
      if (!numberFits(kinds, value)) return at([bound], (where) => `${label(key, bound)} ${value}${where} is not allowed for ${field}; allowed: ${allowedRange(kinds, target)}`);
    }
    if (parameter.type === 'double' && searchAlgorithm(search) === 'grid') {
      return onKey(
        (where) => `${label(key)}${where} is a double, which grid search cannot enumerate; list the values to try with "type": "discrete", "values": [...], or use "algorithm": "random"`,
      );
    }
    return undefined;
  }
  if (parameter.type === 'discrete') {
    const { values } = parameter;
    for (const [index, value] of values.entries()) {
      if (!numberFits(kinds, value)) return at(['values', index], (where) => `${label(key, 'values', index)} ${value}${where} is not allowed for ${field}; allowed: ${allowedRange(kinds, target)}`);
    }
    const sorted = [...values].sort((a, b) => a - b);
    if (values.some((v, i) => v !== sorted[i])) {
      return at(['values'], (where) => `${label(key, 'values')}${where} must list the numbers in increasing order (Vertex AI requires it): ${JSON.stringify(sorted)}`);
    }
    return undefined;
  }
  const names = allowedNames(kinds);
  if (names) {
    for (const [index, value] of parameter.values.entries()) {
      if (!names.includes(value)) return at(['values', index], (where) => `${label(key, 'values', index)} '${value}'${where} is not allowed for ${field}; ${suggestion(value, names, 'values')}`);
    }
  }
  return undefined;
}

function searchAlgorithm(search: SearchSpec): 'grid' | 'random' {
  return search.algorithm === 'grid' ? 'grid' : 'random';
}

/** Why a parameter's kind does not fit the field; undefined when it does. */
function parameterKindProblem(key: string, field: string, parameter: ParameterSpec, kinds: ScalarKinds, node: SchemaNode): ((where: string) => string) | undefined {
  if (kinds.composite) {
    const what = node.type === 'array' ? 'a list' : 'an object';
    return (where) => `${label(key)}${where}: ${field} is ${what}; a parameter sets one number or name in the spec, e.g. "model.layers[1].units"`;
  }
  const numeric = parameter.type !== 'categorical';
  if (numeric && kinds.numbers.length === 0) {
    if (kinds.boolean && kinds.strings.length === 0) return (where) => `${label(key)}${where}: ${field} is true or false, which a search cannot vary (parameters are numbers or names)`;
    const names = allowedNames(kinds);
    return (where) =>
      `${label(key)}${where} is ${parameter.type} (numbers), but ${field} takes ${names ? `a name (${names.slice(0, 6).join(', ')}${names.length > 6 ? ', …' : ''})` : 'text'}; use "type": "categorical"`;
  }
  if (!numeric && kinds.strings.length === 0) {
    const takes = kinds.numbers.length > 0 ? 'numbers' : 'true or false, which a search cannot vary';
    return (where) => `${label(key)}${where} is categorical (names), but ${field} takes ${takes}${kinds.numbers.length > 0 ? '; use "type": "discrete"' : ''}`;
  }
  if (parameter.type === 'double' && kinds.integer) {
    return (where) => `${label(key)}${where} is a double, but ${field} takes whole numbers; use "type": "integer"`;
  }
  return undefined;
}

/** "units >= 1 (a whole number)", "learningRate > 0" for the field at `path`. */
function allowedRange(kinds: ScalarKinds, path: JsonPath): string {
  const name = String(path[path.length - 1]);
  return kinds.numbers.map((b) => describeRange(b, name)).join(' or ');
}

/** "model.layers has 4 items, [0] to [3]", "the spec has no earlyStopping". */
function missingReason(spec: TrainingSpec, missing: JsonPath, length: number | undefined): string {
  const where = formatPath(missing);
  if (length !== undefined) {
    const list = formatPath(missing.slice(0, -1));
    return length === 0 ? `${list} is empty` : `the spec has no ${where}; ${list} has ${length} item${length === 1 ? '' : 's'}, [0] to [${length - 1}]`;
  }
  const value = valueAtPath(spec, missing);
  if (value !== undefined) return `${where} is ${JSON.stringify(value)}, which has no fields to set`;
  if (missing[0] === 'model' && missing[1] === 'layers' && isModuleModel(spec.model)) return 'the model is built by a module (model.module), which has no layers to set';
  return `the spec has no ${where}; add it to the spec, then search the values in it`;
}

/** " (a dense layer)" after a layer's path. */
function ownerKind(spec: TrainingSpec, at: JsonPath): string {
  const value = valueAtPath(spec, at) as { type?: unknown } | undefined;
  return at.includes('layers') && typeof value?.type === 'string' ? ` (a ${value.type} layer)` : '';
}

function stoppingProblem(spec: TrainingSpec, search: SearchSpec): SearchProblem | undefined {
  const afterEpochs = search.medianStopping?.afterEpochs ?? 1;
  const epochs = spec.fit.epochs;
  if (search.medianStopping && afterEpochs >= epochs && !('fit.epochs' in search.parameters)) {
    const given = search.medianStopping.afterEpochs !== undefined;
    return {
      path: given ? ['search', 'medianStopping', 'afterEpochs'] : ['search', 'medianStopping'],
      atKey: !given,
      render: (where) =>
        `search.medianStopping.afterEpochs ${afterEpochs}${where} is not below fit.epochs ${epochs}, so no trial could be stopped early; lower it or train more epochs`,
    };
  }
  return undefined;
}

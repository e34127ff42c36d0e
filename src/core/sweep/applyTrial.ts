// A trial's spec: the base spec with the trial's values written at their
// paths (a string optimizer becomes its object form to take a learning rate),
// without the search section: a trial trains as an ordinary run.
import { UserError, errorMessage } from '../../shared/errors';
import type { TrainingSpec } from '../../shared/spec';
import type { TrialParameters } from '../../shared/sweep';
import { parseSpec } from '../spec';
import { parseSpecPath, setAtPath } from '../spec/specPaths';

/** A copy of `spec` with each parameter's value at its path and no `search`; `spec` is left as it was. */
export function applyTrialParameters(spec: TrainingSpec, parameters: TrialParameters): TrainingSpec {
  const copy = structuredClone(spec) as TrainingSpec & Record<string, unknown>;
  delete copy.search;
  for (const [key, value] of Object.entries(parameters)) {
    const path = parseSpecPath(key);
    if (!path) throw new UserError(`'${key}' is not a path into the spec; write it like "model.layers[1].units"`);
    setAtPath(copy, path, value);
  }
  return copy;
}

/**
 * The trial's spec, checked like any spec: a value the search section let
 * through but the spec refuses (a rule across fields) fails here, before
 * anything trains. `label` names the trial in the message.
 */
export function checkedTrialSpec(spec: TrainingSpec, parameters: TrialParameters, label: string): TrainingSpec {
  const applied = applyTrialParameters(spec, parameters);
  try {
    return parseSpec(JSON.stringify(applied, null, 2), label);
  } catch (error) {
    // Line and column would point into a text the user never saw.
    const message = errorMessage(error).replace(/ \(line \d+, column \d+\)/g, '');
    throw new UserError(`${message} (values ${describeParameters(parameters)})`);
  }
}

/** "compile.optimizer.learningRate=0.001, model.layers[1].units=64" */
export function describeParameters(parameters: TrialParameters): string {
  return Object.entries(parameters)
    .map(([key, value]) => `${key}=${typeof value === 'number' ? formatValue(value) : value}`)
    .join(', ');
}

/** Numbers short enough for a line: 4 significant digits, whole numbers as they are. */
export function formatValue(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return Number(value.toPrecision(4)).toString();
}

// The trainer image's command line: `--spec=gs://...` names the spec, and a
// tuning trial's values arrive as `--<parameterId>=<value>` (Vertex AI's
// contract), mapped back to spec paths through the spec's search section.
import { UserError } from '../../shared/errors';
import type { TrainingSpec } from '../../shared/spec';
import type { TrialParameters } from '../../shared/sweep';
import { parameterIdOf } from '../../shared/vertexTraining';

export interface TrainerArgs {
  specUri: string;
  /** --epochs N: train this many epochs instead of the spec's. */
  epochs?: number;
  /** Every other `--name=value`, by name. */
  values: Record<string, string>;
}

export function parseTrainerArgs(argv: readonly string[]): TrainerArgs {
  const values: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const match = /^--([^=]+)(?:=(.*))?$/s.exec(argv[i]);
    if (!match) throw new UserError(`Unexpected argument '${argv[i]}': the trainer takes --spec=gs://BUCKET/PATH and --<parameter>=<value>`);
    const value = match[2] ?? argv[++i];
    if (value === undefined) throw new UserError(`--${match[1]} needs a value`);
    values[match[1]] = value;
  }
  const { spec, epochs, ...rest } = values;
  if (!spec) throw new UserError('The trainer needs --spec=gs://BUCKET/PATH/SPEC.train.json');
  const epochCount = epochs === undefined ? undefined : Number(epochs);
  if (epochCount !== undefined && (!Number.isInteger(epochCount) || epochCount < 1)) throw new UserError(`--epochs must be a whole number of at least 1, not ${epochs}`);
  return { specUri: spec, epochs: epochCount, values: rest };
}

/** The trial's values by spec path; undefined when no search parameter was passed. */
export function trialParameters(spec: TrainingSpec, values: Record<string, string>): TrialParameters | undefined {
  const parameters = spec.search?.parameters ?? {};
  const byId = new Map(Object.keys(parameters).map((path) => [parameterIdOf(path), path]));
  const result: TrialParameters = {};
  for (const [id, text] of Object.entries(values)) {
    const path = byId.get(id);
    if (!path) {
      throw new UserError(`--${id} is not a parameter of the spec's search section (it has ${[...byId.keys()].join(', ') || 'none'})`);
    }
    const parameter = parameters[path];
    if (parameter.type === 'categorical') {
      result[path] = text;
    } else {
      const value = Number(text);
      if (!Number.isFinite(value)) throw new UserError(`--${id}=${text} is not a number`);
      result[path] = parameter.type === 'integer' ? Math.round(value) : value;
    }
  }
  return Object.keys(result).length > 0 ? result : undefined;
}

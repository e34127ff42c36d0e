// `model-studio predict RUN --input FILE`: predictions as JSON on stdout.
import { resolve } from 'node:path';
import { UserError } from '../../shared/errors';
import { BACKEND_CHOICES, type BackendChoice } from '../../shared/events';
import { runsDirFor } from '../../core/runStore';
import { predictFile } from '../../trainer/savedModel';
import { oneOf, parseCommandArgs } from '../../core/commandArgs';

const USAGE = 'model-studio predict RUN --input FILE [--backend B] [--runs-dir DIR]';

export async function predictCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    { input: { type: 'string' }, backend: { type: 'string' }, 'runs-dir': { type: 'string' } },
    USAGE,
  );
  if (positionals.length !== 1) throw new UserError(`Expected one run id. Usage: ${USAGE}`);
  if (!values.input) throw new UserError(`Missing --input FILE (instances as JSON). Usage: ${USAGE}`);
  const runsDir = values['runs-dir'] ? resolve(values['runs-dir']) : runsDirFor(process.cwd());
  const backend = oneOf<BackendChoice>(values.backend, BACKEND_CHOICES, '--backend');
  const result = await predictFile(runsDir, positionals[0], resolve(values.input), backend);
  process.stdout.write(JSON.stringify(result) + '\n');
  return 0;
}

// `model-studio evaluate RUN [--json]`: the run's saved model on its test split.
import { resolve } from 'node:path';
import { UserError } from '../../shared/errors';
import { BACKEND_CHOICES, type BackendChoice } from '../../shared/events';
import { formatMetrics } from '../../shared/progress';
import { runsDirFor } from '../../core/runStore';
import { evaluateRun } from '../../trainer/savedModel';
import { oneOf, parseCommandArgs } from '../../core/commandArgs';

const USAGE = 'model-studio evaluate RUN [--json] [--backend B] [--runs-dir DIR]';

export async function evaluateCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    { json: { type: 'boolean' }, backend: { type: 'string' }, 'runs-dir': { type: 'string' } },
    USAGE,
  );
  if (positionals.length !== 1) throw new UserError(`Expected one run id. Usage: ${USAGE}`);
  const runsDir = values['runs-dir'] ? resolve(values['runs-dir']) : runsDirFor(process.cwd());
  const backend = oneOf<BackendChoice>(values.backend, BACKEND_CHOICES, '--backend');
  const result = await evaluateRun(runsDir, positionals[0], backend);
  if (values.json) {
    process.stdout.write(JSON.stringify(result) + '\n');
  } else {
    process.stdout.write(`Test (${result.samples} samples): ${formatMetrics(result.metrics)}\n`);
    if (result.confusionMatrix) process.stdout.write(formatConfusion(result.confusionMatrix.labels, result.confusionMatrix.matrix));
  }
  return 0;
}

export function formatConfusion(labels: string[], matrix: number[][]): string {
  const width = Math.max(4, ...matrix.flat().map((n) => String(n).length), ...labels.map((l) => l.length));
  const cell = (s: string): string => s.padStart(width);
  const header = `${cell('')} ${labels.map(cell).join(' ')}  ← predicted`;
  const rows = matrix.map((row, i) => `${cell(labels[i])} ${row.map((n) => cell(String(n))).join(' ')}`);
  return ['Confusion matrix (rows: actual)', header, ...rows].join('\n') + '\n';
}

// `model-studio runs [--json] [--runs-dir DIR]`: the runs of this workspace, newest first.
import { resolve } from 'node:path';
import type { RunRecord } from '../../shared/events';
import { testAccuracyOf } from '../../shared/metrics';
import { listRuns, runsDirFor } from '../../core/runStore';
import { parseCommandArgs } from '../../core/commandArgs';

const USAGE = 'model-studio runs [--json] [--runs-dir DIR]';

export async function runsCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { json: { type: 'boolean' }, 'runs-dir': { type: 'string' } }, USAGE);
  const runsDir = values['runs-dir'] ? resolve(values['runs-dir']) : runsDirFor(process.cwd());
  const runs = await listRuns(runsDir);
  if (values.json) {
    process.stdout.write(JSON.stringify(runs.map(summary)) + '\n');
    return 0;
  }
  if (runs.length === 0) {
    process.stdout.write(`No runs in ${runsDir}. Start one with \`model-studio train SPEC\`.\n`);
    return 0;
  }
  const rows = runs.map((r) => [r.id, r.status, `${r.epochsCompleted}/${r.epochs}`, r.backend?.name ?? '', testAccuracyText(r)]);
  printTable(['RUN', 'STATUS', 'EPOCHS', 'BACKEND', 'TEST ACC'], rows);
  return 0;
}

function summary(r: RunRecord): Omit<RunRecord, 'spec'> {
  const { spec: _spec, ...rest } = r;
  return rest;
}

function testAccuracyText(r: RunRecord): string {
  return testAccuracyOf(r)?.toFixed(4) ?? '';
}

export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const format = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  process.stdout.write([format(header), ...rows.map(format)].join('\n') + '\n');
}

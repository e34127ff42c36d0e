// `model-studio runs [--json] [--runs-dir DIR] [--clear-stale | --mark-crashed RUN]`:
// the runs of this workspace, newest first. --clear-stale writes every run
// whose trainer is gone as crashed; --mark-crashed clears one stuck as
// running whose trainer cannot be checked (a record of an older version, a
// machine that no longer answers), so it can be resumed or deleted.
import { resolve } from 'node:path';
import type { RunRecord } from '../../shared/events';
import { UserError } from '../../shared/errors';
import { testAccuracyOf } from '../../shared/metrics';
import { clearStaleRuns, listRuns, markRunCrashed, runsDirFor } from '../../core/runStore';
import { parseCommandArgs } from '../../core/commandArgs';

const USAGE = 'model-studio runs [--json] [--runs-dir DIR] [--clear-stale | --mark-crashed RUN]';

export async function runsCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(
    argv,
    { json: { type: 'boolean' }, 'runs-dir': { type: 'string' }, 'clear-stale': { type: 'boolean' }, 'mark-crashed': { type: 'string' } },
    USAGE,
  );
  const runsDir = values['runs-dir'] ? resolve(values['runs-dir']) : runsDirFor(process.cwd());
  if (values['clear-stale'] && values['mark-crashed'] !== undefined) throw new UserError(`Use --clear-stale or --mark-crashed, not both. Usage: ${USAGE}`);
  if (values['mark-crashed'] !== undefined) {
    const record = await markRunCrashed(runsDir, values['mark-crashed']);
    process.stderr.write(`Marked run ${record.id} as crashed: resume it with \`model-studio train --resume ${record.id}\` or delete it.\n`);
  } else if (values['clear-stale']) {
    const cleared = await clearStaleRuns(runsDir);
    process.stderr.write(cleared.length ? `Marked ${cleared.length} run(s) whose trainer is gone as crashed: ${cleared.map((r) => r.id).join(', ')}\n` : 'No run is stuck as running.\n');
  }
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

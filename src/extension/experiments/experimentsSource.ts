// What an experiments panel shows, read from disk: the runs (as rows) of the
// workspace or of one sweep, and the sweep's record
// (`.model-studio/sweeps/<sweep-id>/sweep.json`). Best-epoch values come from
// each run's metrics.jsonl, read again only when its run.json changed. No vscode.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { METRICS_FILE, runDir } from '../../core/runStore';
import type { EpochEndEvent, Metrics, RunRecord } from '../../shared/events';
import { errorMessage } from '../../shared/errors';
import type { ExperimentRow, ExperimentsScope, SweepSummary } from '../../shared/protocol/experiments';
import { isRunRecord, isTrainerEvent } from '../../shared/protocol/runEvents';
import { isSweepRecord } from '../../shared/protocol/sweep';
import type { SweepRecord } from '../../shared/sweep';
import { bestEpochMetrics, experimentRow } from './experimentRows';

/** Where sweeps live in a workspace folder (design.md: "One search section, two executors"). */
export const SWEEPS_FOLDER = join('.model-studio', 'sweeps');
export const SWEEP_FILE = 'sweep.json';

export interface RunLocation {
  record: RunRecord;
  runsDir: string;
}

export interface ExperimentsSnapshot {
  title: string;
  rows: ExperimentRow[];
  sweep?: SweepSummary;
  /** Why the scope cannot be shown, for the page. */
  problem?: string;
}

export interface SourceOptions {
  /** Every run of the workspace (the runs model's cached list). */
  runs(): Promise<RunLocation[]>;
  /** The sweeps folders of the workspace folders. */
  sweepsDirs(): string[];
}

export function sweepSummary(sweep: SweepRecord): SweepSummary {
  const scales: SweepSummary['scales'] = {};
  for (const [path, parameter] of Object.entries(sweep.search.parameters)) {
    scales[path] = parameter.type === 'double' || parameter.type === 'integer' ? parameter.scale ?? 'linear' : 'linear';
  }
  const summary: SweepSummary = {
    id: sweep.id,
    name: sweep.name,
    status: sweep.status,
    metric: sweep.search.metric,
    scales,
    plannedTrials: Math.max(sweep.search.maxTrials ?? 0, sweep.trials.length),
  };
  // A diverged best (NaN, written as null) is no best.
  if (sweep.best && Number.isFinite(sweep.best.value)) summary.best = sweep.best;
  return summary;
}

export class ExperimentsSource {
  private readonly best = new Map<string, { updatedAt: string; metrics: Metrics }>();

  constructor(private readonly options: SourceOptions) {}

  async load(scope: ExperimentsScope, baseline?: string): Promise<ExperimentsSnapshot> {
    const runs = (await this.options.runs()).filter((run) => isRunRecord(run.record));
    if (!scope.sweepId) return { title: 'Experiments', rows: await this.rows(runs) };
    const sweepId = scope.sweepId;
    const sweep = await this.readSweep(sweepId);
    const trialRuns = new Set(sweep?.trials.flatMap((t) => (t.runId ? [t.runId] : [])) ?? []);
    // The baseline stays on top of a sweep's table too: the run its trials have to beat.
    const shown = runs.filter((run) => run.record.trial?.sweepId === sweepId || trialRuns.has(run.record.id) || run.record.id === baseline);
    const rows = await this.rows(shown);
    if (sweep) return { title: `Sweep: ${sweep.name}`, rows, sweep: sweepSummary(sweep) };
    const problem = rows.some((row) => row.trial?.sweepId === sweepId)
      ? undefined
      : `No sweep '${sweepId}' in this workspace: .model-studio/sweeps/${sweepId}/sweep.json is missing. Open the experiments of all runs instead.`;
    return { title: `Sweep ${sweepId}`, rows, problem };
  }

  private async rows(runs: readonly RunLocation[]): Promise<ExperimentRow[]> {
    const live = new Set(runs.map((run) => run.record.id));
    for (const id of this.best.keys()) if (!live.has(id)) this.best.delete(id);
    return Promise.all(runs.map(async (run) => experimentRow(run.record, await this.bestOf(run))));
  }

  /** Best validation values over the epochs, from metrics.jsonl; cached until run.json changes. */
  private async bestOf({ record, runsDir }: RunLocation): Promise<Metrics> {
    const cached = this.best.get(record.id);
    if (cached && cached.updatedAt === record.updatedAt) return cached.metrics;
    let text = '';
    try {
      text = await readFile(join(runDir(runsDir, record.id), METRICS_FILE), 'utf8');
    } catch {
      // No metrics yet: no best.
    }
    const epochs: EpochEndEvent[] = [];
    for (const line of text.split('\n')) {
      // Most lines are batches: parse only the epochs.
      if (!line.includes('"epochEnd"')) continue;
      try {
        const event: unknown = JSON.parse(line);
        if (isTrainerEvent(event) && event.type === 'epochEnd') epochs.push(event);
      } catch {
        // A torn last line.
      }
    }
    const metrics = bestEpochMetrics(epochs);
    this.best.set(record.id, { updatedAt: record.updatedAt, metrics });
    return metrics;
  }

  private async readSweep(sweepId: string): Promise<SweepRecord | undefined> {
    for (const dir of this.options.sweepsDirs()) {
      const file = join(dir, sweepId, SWEEP_FILE);
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch {
        continue;
      }
      try {
        const value: unknown = JSON.parse(text);
        if (isSweepRecord(value)) return value;
        throw new Error('it does not read as a sweep record');
      } catch (error) {
        throw new Error(`${file} is damaged (${errorMessage(error)}): restore it or delete the sweep folder.`);
      }
    }
    return undefined;
  }
}

// The Model Explorer's content as plain data: which groups, which items,
// their words, icons and context values. The TreeDataProvider only turns
// these into TreeItems, so everything a person reads is tested here.
import type { RunRecord, RunStatus } from '../../shared/events';
import { formatDuration } from '../../shared/progress';
import { formatLoss, formatPercent } from '../statusBar/statusText';
import { accuracyOf, bestKnownAccuracy } from '../../shared/metrics';
import { formatRunTime } from '../../shared/runTime';
import type { LiveRun } from '../training/liveRun';

/** A codicon id with an optional theme color id. */
export interface IconView {
  id: string;
  color?: string;
}

export interface RunItemView {
  /** Stable id for the tree (keeps expansion and selection across refreshes). */
  id: string;
  runId?: string;
  label: string;
  description: string;
  /** Markdown. */
  tooltip: string;
  icon: IconView;
  /** Flags for menus' `viewItem =~ /\bflag\b/` clauses. */
  contextValue: string;
  status: RunStatus | 'queued' | 'starting';
  specPath: string;
}

export interface SpecGroupView {
  id: string;
  name: string;
  specPath: string;
  description: string;
  runs: RunItemView[];
}

/** One row of the explorer per run: what is on disk, overlaid with what the live trainer says. */
export function runItemView(record: RunRecord | undefined, live: LiveRun | undefined, now = Date.now()): RunItemView {
  const runId = record?.id ?? live?.runId;
  const liveActive = live !== undefined && live.phase !== 'finished';
  const status: RunItemView['status'] = liveActive
    ? live.phase === 'queued'
      ? 'queued'
      : live.phase === 'starting'
        ? 'starting'
        : 'running'
    : (record?.status ?? live?.finished?.status ?? 'running');
  const specPath = record?.specPath ?? live?.specPath ?? '';
  const label = record ? formatRunTime(record.createdAt, now) : liveActive ? (live.phase === 'queued' ? 'Queued' : 'Starting…') : (runId ?? 'run');
  const description = liveActive ? liveDescription(live) : record ? recordDescription(record) : '';
  const flags = ['run', status];
  if (status === 'running' || status === 'queued' || status === 'starting') flags.push('stoppable');
  if (record && isResumable(record)) flags.push('resumable');
  if (record && (record.status === 'completed' || record.status === 'stopped')) flags.push('model');
  return {
    id: runId ? `run:${runId}` : `pending:${specPath}:${live?.queuePosition ?? 0}`,
    runId,
    label,
    description,
    tooltip: runTooltip(record, live, status),
    icon: statusIcon(status),
    contextValue: flags.join(' '),
    status,
    specPath,
  };
}

export function isResumable(record: RunRecord): boolean {
  return record.status !== 'running' && record.status !== 'completed' && record.lastCheckpoint !== undefined;
}

/** The icon of a status that runs, sweeps and trials share. */
export function settledOrRunningIcon(status: RunStatus): IconView {
  switch (status) {
    case 'running':
      return { id: 'loading~spin' };
    case 'completed':
      return { id: 'pass', color: 'testing.iconPassed' };
    case 'stopped':
      return { id: 'debug-stop', color: 'charts.yellow' };
    case 'crashed':
      return { id: 'warning', color: 'charts.orange' };
    case 'failed':
      return { id: 'error', color: 'testing.iconFailed' };
  }
}

export function statusIcon(status: RunItemView['status']): IconView {
  if (status === 'starting') return { id: 'loading~spin' };
  if (status === 'queued') return { id: 'clock' };
  return settledOrRunningIcon(status);
}

/** "test acc 0.9712", "val acc 0.9650", "loss 0.213": the best single number for a run. */
export function headlineMetric(record: Pick<RunRecord, 'testMetrics' | 'finalMetrics'>): string | undefined {
  const accuracy = bestKnownAccuracy(record);
  if (accuracy) return `${accuracy.source === 'train' ? '' : `${accuracy.source} `}acc ${accuracy.value.toFixed(4)}`;
  const loss = record.testMetrics?.loss ?? record.finalMetrics?.loss;
  return loss !== undefined ? `loss ${formatLoss(loss)}` : undefined;
}

function recordDescription(record: RunRecord): string {
  const metric = headlineMetric(record);
  const epochs = `${record.epochsCompleted}/${record.epochs} epochs`;
  switch (record.status) {
    case 'completed':
      return [metric, record.durationMs !== undefined ? formatDuration(record.durationMs / 1000) : epochs].filter(Boolean).join(' · ');
    case 'stopped':
      return ['stopped', epochs, metric].filter(Boolean).join(' · ');
    case 'crashed':
      return ['crashed', epochs].join(' · ');
    case 'failed':
      return ['failed', record.reason ? truncate(record.reason, 60) : epochs].join(' · ');
    case 'running':
      return ['running', epochs].join(' · ');
  }
}

function liveDescription(live: LiveRun): string {
  if (live.phase === 'queued') return live.queuePosition ? `waiting (#${live.queuePosition})` : 'waiting';
  if (live.phase === 'starting') return live.stopping ? 'stopping…' : 'loading data…';
  if (live.phase === 'evaluating') return 'evaluating on the test set…';
  const parts: string[] = [];
  if (live.epoch !== undefined && live.epochs !== undefined) parts.push(`epoch ${Math.min(live.epoch + 1, live.epochs)}/${live.epochs}`);
  if (live.epochProgress !== undefined) parts.push(formatPercent(live.epochProgress));
  if (live.loss !== undefined) parts.push(`loss ${formatLoss(live.loss)}`);
  if (live.stopping) parts.push('stopping…');
  return parts.join(' · ');
}

function runTooltip(record: RunRecord | undefined, live: LiveRun | undefined, status: RunItemView['status']): string {
  const lines: string[] = [];
  const id = record?.id ?? live?.runId;
  lines.push(`**${record?.name ?? live?.name ?? 'run'}** — ${status}${id ? ` \`${id}\`` : ''}`);
  if (record?.reason) lines.push(record.reason);
  if (record?.backend) lines.push(`Backend: ${record.backend.name} (${record.backend.device})`);
  if (record) lines.push(`Epochs: ${record.epochsCompleted} of ${record.epochs}`);
  if (record?.finalMetrics && Object.keys(record.finalMetrics).length) lines.push(`Final: ${metricsLine(record.finalMetrics)}`);
  if (record?.testMetrics) lines.push(`Test: ${metricsLine(record.testMetrics)}`);
  if (record?.createdAt) lines.push(`Started ${new Date(record.createdAt).toLocaleString('en-US')}`);
  if (record && isResumable(record)) lines.push('_Resume continues from the last checkpoint._');
  return lines.join('  \n');
}

function metricsLine(metrics: Record<string, number>): string {
  return Object.entries(metrics)
    .map(([k, v]) => `${k} ${Number.isFinite(v) ? v.toFixed(4) : String(v)}`)
    .join(' · ');
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export { formatRunTime };

/**
 * Runs grouped by spec name, groups ordered by their newest run. Live jobs
 * without a record yet (queued, loading data) appear first in their group.
 */
export function groupRuns(records: readonly RunRecord[], live: readonly LiveRun[], now = Date.now()): SpecGroupView[] {
  const liveById = new Map(live.filter((l) => l.runId).map((l) => [l.runId as string, l]));
  const groups = new Map<string, { specPath: string; items: RunItemView[]; newest: string }>();
  const add = (name: string, specPath: string, item: RunItemView, createdAt: string, first = false): void => {
    let group = groups.get(name);
    if (!group) {
      group = { specPath, items: [], newest: createdAt };
      groups.set(name, group);
    }
    if (first) group.items.unshift(item);
    else group.items.push(item);
    if (createdAt > group.newest) group.newest = createdAt;
  };
  const sorted = [...records].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  for (const record of sorted) add(record.name, record.specPath, runItemView(record, liveById.get(record.id), now), record.createdAt);
  const recorded = new Set(records.map((r) => r.id));
  const pending = live.filter((l) => l.phase !== 'finished' && !(l.runId && recorded.has(l.runId)));
  for (const job of [...pending].reverse()) add(job.name, job.specPath, runItemView(undefined, job, now), new Date(now).toISOString(), true);
  return [...groups.entries()]
    .sort((a, b) => b[1].newest.localeCompare(a[1].newest))
    .map(([name, group]) => ({
      id: `spec:${name}`,
      name,
      specPath: group.specPath,
      description: groupDescription(group.items, records.filter((r) => r.name === name)),
      runs: group.items,
    }));
}

// Descriptions put the essential first: at the default side bar width (300 px)
// a nested row shows only its first 20 characters or so.
function groupDescription(items: RunItemView[], records: RunRecord[]): string {
  const running = items.filter((i) => i.status === 'running' || i.status === 'starting').length;
  const parts: string[] = [];
  const best = Math.max(...records.map((r) => accuracyOf(r.testMetrics) ?? Number.NEGATIVE_INFINITY));
  if (Number.isFinite(best)) parts.push(`best test acc ${best.toFixed(4)}`);
  if (running) parts.push(`${running} training`);
  parts.push(`${items.length} run${items.length === 1 ? '' : 's'}`);
  return parts.join(' · ');
}

/** A saved model's row under Local Models: its result, then which run (by start time). */
export function modelDescription(record: RunRecord, now = Date.now()): string {
  return [headlineMetric(record), formatRunTime(record.createdAt, now)].filter(Boolean).join(' · ');
}

// The Batch Predictions part of the Vertex AI tree as plain data (no vscode):
// each job with its state, completion stats, model version and elapsed time;
// active jobs can be cancelled, finished ones open their results. A row is
// labelled by when the job was created and its description starts with the
// state and the counts: at the default side bar width a generated display
// name alone fills the row, so the name and the machine are in the tooltip.
import type { BatchResultRow } from '../../cloud';
import type { BatchJobState, BatchPredictionJobSummary } from '../../shared/cloudResources';
import { MAX_SHOWN_TEXT, type BatchResultView } from '../../shared/protocol/batchResults';
import { thumbnailPixels, topClasses } from './testSamples';
import { formatElapsed } from './trainingShape';
import { formatRunTime } from '../../shared/runTime';
// Type-only: cloudShape composes this file's views into the tree's.
import type { CloudItemView } from './cloudShape';

export type BatchNode = { type: 'batchJobs' } | { type: 'batchJob'; job: BatchPredictionJobSummary };

const ACTIVE: readonly BatchJobState[] = ['PENDING', 'RUNNING', 'CANCELLING', 'UNKNOWN'];

export function isActiveBatchJob(job: BatchPredictionJobSummary): boolean {
  return ACTIVE.includes(job.state);
}

export function batchNodeId(node: BatchNode): string {
  return node.type === 'batchJobs' ? 'cloud:batchJobs' : `cloud:batchJob:${node.job.id}`;
}

/** Newest first. */
export function batchJobNodes(jobs: readonly BatchPredictionJobSummary[]): BatchNode[] {
  return [...jobs].sort((a, b) => (b.createTime ?? '').localeCompare(a.createTime ?? '') || b.id.localeCompare(a.id)).map((job) => ({ type: 'batchJob', job }));
}

const STATE_ICONS: Record<BatchJobState, { id: string; color?: string }> = {
  PENDING: { id: 'clock' },
  RUNNING: { id: 'loading~spin' },
  CANCELLING: { id: 'loading~spin' },
  SUCCEEDED: { id: 'pass', color: 'charts.green' },
  FAILED: { id: 'error', color: 'errorForeground' },
  CANCELLED: { id: 'circle-slash' },
  UNKNOWN: { id: 'question' },
};

/** From its start (or creation) to its end, or to now while it runs. */
export function batchElapsedMs(job: BatchPredictionJobSummary, now: number): number | undefined {
  const start = Date.parse(job.startTime ?? job.createTime ?? '');
  if (!Number.isFinite(start)) return undefined;
  const end = job.endTime ? Date.parse(job.endTime) : now;
  return Number.isFinite(end) ? Math.max(0, end - start) : undefined;
}

/** "120 done · 2 failed" once nothing is left, "40/120 done · 2 failed" while some is, or undefined before anything is counted. */
export function completionText(job: BatchPredictionJobSummary): string | undefined {
  const { successfulCount: ok, failedCount: failed, incompleteCount: left } = job;
  if (ok + failed + left === 0) return undefined;
  return [left ? `${ok}/${ok + failed + left} done` : `${ok} done`, failed ? `${failed} failed` : undefined].filter(Boolean).join(' · ');
}

/** "07:28:31" today, "Dec 1 07:28" before: short enough to leave the row's width to the state and the counts. */
function createdLabel(job: BatchPredictionJobSummary, now: number): string | undefined {
  return job.createTime ? formatRunTime(job.createTime, now).replace(/^Today /, '') : undefined;
}

export function batchItemView(node: BatchNode, now: number, modelLabel: (job: BatchPredictionJobSummary) => string): CloudItemView {
  const id = batchNodeId(node);
  if (node.type === 'batchJobs') {
    return { id, label: 'Batch Predictions', icon: { id: 'list-ordered' }, contextValue: 'cloudBatchJobs', collapsible: 'collapsed' };
  }
  const job = node.job;
  const active = isActiveBatchJob(job);
  const elapsed = batchElapsedMs(job, now);
  const hasResults = job.outputDirectory !== undefined && (job.state === 'SUCCEEDED' || job.successfulCount + job.failedCount > 0);
  const machine = job.machineType ? `${job.machineType} ×${job.startingReplicaCount ?? 1}${job.maxReplicaCount && job.maxReplicaCount !== job.startingReplicaCount ? `-${job.maxReplicaCount}` : ''}` : undefined;
  return {
    id,
    label: createdLabel(job, now) ?? (job.displayName || job.id),
    description: [job.state.toLowerCase(), completionText(job), modelLabel(job), elapsed === undefined ? undefined : formatElapsed(elapsed)].filter(Boolean).join(' · '),
    tooltip: [
      `**${job.displayName}** batch prediction job \`${job.id}\``,
      `State: ${job.state.toLowerCase()}${job.error ? ` — ${job.error}` : ''}`,
      job.createTime ? `Created ${formatRunTime(job.createTime, now)}${elapsed === undefined ? '' : ` · elapsed ${formatElapsed(elapsed)}`}` : '',
      `Model: ${modelLabel(job)} (\`${job.model}\`)`,
      machine ? `Machine: ${machine}` : '',
      `Predictions: ${job.successfulCount}, failed: ${job.failedCount}, left: ${job.incompleteCount}${job.replicaHours ? `; ${job.replicaHours.toFixed(3)} replica-hours` : ''}`,
      `Input: ${job.inputUris.map((u) => `\`${u}\``).join(', ')}`,
      `Output: \`${job.outputDirectory ?? job.outputUriPrefix}\``,
    ]
      .filter(Boolean)
      .join('  \n'),
    icon: STATE_ICONS[job.state],
    contextValue: ['cloudBatchJob', active ? 'active' : '', hasResults ? 'hasResults' : ''].filter(Boolean).join(' '),
    collapsible: 'none',
    command: hasResults ? { command: 'modelStudio.openBatchResults', title: 'Open Results', withNode: true } : undefined,
  };
}

function shortJson(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_SHOWN_TEXT ? `${text.slice(0, MAX_SHOWN_TEXT - 1)}…` : text;
}

/** One result as the viewer shows it: an MNIST instance as its pixels, probabilities as the top classes, anything else as short text. */
export function resultView(row: BatchResultRow): BatchResultView {
  if (row.tooLarge) return { index: row.index, top: [], error: 'This result line is over 1 MB: not shown.' };
  const pixels = thumbnailPixels(row.instance);
  const top = row.prediction === undefined ? undefined : topClasses(row.prediction);
  return {
    index: row.index,
    pixels,
    instance: pixels || row.instance === undefined ? undefined : shortJson(row.instance),
    top: top ?? [],
    raw: top || row.prediction === undefined ? undefined : shortJson(row.prediction),
    error: row.error,
  };
}

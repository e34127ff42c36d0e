// What the sweep UI says, as plain data: the Model Explorer's rows (a sweep
// with its progress and best, each trial with its status, metric and values),
// the status bar's text, whether a spec has a search for the CodeLens. The
// tree, status bar and lens only turn these into VS Code objects, so the
// words are tested here.
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import type { SweepRecord, SweepStatus, TrialRecord, TrialStatus } from '../../shared/sweep';
import { bestText, formatMetricValue, shortParameters, sweepHeadline, trialProgress } from '../../shared/sweepSummary';
import type { IconView } from '../tree/treeShape';
import { formatRunTime, settledOrRunningIcon } from '../tree/treeShape';

export interface SweepRowView {
  id: string;
  label: string;
  description: string;
  /** Markdown. */
  tooltip: string;
  icon: IconView;
  /** "sweep <status>" and flags for menus: sweepRunning, sweepResumable, hasBest (not "stoppable"/"resumable", which the run menus match). */
  contextValue: string;
}

export interface TrialRowView extends SweepRowView {
  runId?: string;
}

export function sweepIcon(status: SweepStatus): IconView {
  return settledOrRunningIcon(status);
}

export function trialIcon(status: TrialStatus, best: boolean): IconView {
  if (best) return { id: 'star-full', color: 'charts.yellow' };
  if (status === 'pending') return { id: 'circle-outline' };
  if (status === 'pruned') return { id: 'circle-slash', color: 'descriptionForeground' };
  return settledOrRunningIcon(status);
}

/** "running · 5/12 trials · 2 training · best val_acc 0.981" */
export function sweepRowView(record: SweepRecord, live: boolean, now = Date.now()): SweepRowView {
  const { done, total } = trialProgress(record);
  const training = record.trials.filter((t) => t.status === 'running').length;
  const description = [record.status, `${done}/${total} trials`, training && record.status === 'running' ? `${training} training` : '', bestText(record)].filter(Boolean).join(' · ');
  const flags = ['sweep', record.status];
  if (live && record.status === 'running') flags.push('sweepRunning');
  if (record.status === 'stopped' || record.status === 'crashed' || record.status === 'failed') flags.push('sweepResumable');
  if (record.best) flags.push('hasBest');
  const best = record.trials.find((t) => t.trialId === record.best?.trialId);
  const lines = [
    `**Sweep ${escape(record.name)}** — ${record.status} \`${record.id}\``,
    record.reason ? escape(record.reason) : '',
    `${record.search.metric.goal === 'maximize' ? 'Maximize' : 'Minimize'} ${record.search.metric.name} · ${record.search.algorithm === 'grid' ? 'grid' : `random (seed ${record.seed ?? '?'})`} · ${record.search.parallelTrials ?? 1} at a time`,
    `Trials: ${done} of ${total} done`,
    best && record.best ? `Best: trial ${best.trialId}, ${record.search.metric.name} ${formatMetricValue(record.best.value)} (${escape(shortParameters(best.parameters))})` : '',
    `Spec: ${escape(record.specPath)}`,
    `Started ${formatRunTime(record.createdAt, now)}`,
  ];
  return { id: `sweep:${record.id}`, label: record.name, description, tooltip: lines.filter(Boolean).join('  \n'), icon: sweepIcon(record.status), contextValue: flags.join(' ') };
}

/** "Trial 3" with "completed · val_acc 0.974 · learningRate 0.0012 · units 64" */
export function trialRowView(record: SweepRecord, trial: TrialRecord): TrialRowView {
  const metric = record.search.metric.name;
  const isBest = record.best?.trialId === trial.trialId;
  const value = trial.value !== undefined && trial.value !== null ? `${metric} ${formatMetricValue(trial.value)}` : undefined;
  const lastValue = trial.metricHistory?.at(-1);
  const progress = trial.epochs !== undefined ? `epoch ${Math.min((trial.epochsCompleted ?? 0) + 1, trial.epochs)}/${trial.epochs}` : 'starting…';
  let state: string[];
  switch (trial.status) {
    case 'running':
      state = ['running', progress, lastValue !== undefined && lastValue !== null && Number.isFinite(lastValue) ? `${metric} ${formatMetricValue(lastValue)}` : ''];
      break;
    case 'completed':
      state = [isBest ? 'best' : '', value ?? 'completed'];
      break;
    case 'pruned':
      state = [`pruned after epoch ${trial.epochsCompleted ?? '?'}`, value ?? ''];
      break;
    case 'pending':
      state = [trial.runId ? 'to resume' : 'pending'];
      break;
    default:
      state = [trial.status, trial.epochs !== undefined ? `${trial.epochsCompleted ?? 0}/${trial.epochs} epochs` : ''];
  }
  const hasModel = trial.runId !== undefined && (trial.status === 'completed' || trial.status === 'pruned' || trial.status === 'stopped');
  const flags = ['trial', trial.status];
  if (trial.runId) flags.push('hasRun');
  if (hasModel) flags.push('model');
  const lines = [
    `**Trial ${trial.trialId}** of sweep ${escape(record.name)} — ${trial.status}${isBest ? ' (best)' : ''}`,
    trial.reason ? escape(trial.reason) : '',
    ...Object.entries(trial.parameters).map(([key, v]) => `\`${key}\` = ${v}`),
    value ? `${metric}: ${trial.value}` : '',
    trial.runId ? `Run \`${trial.runId}\`` : '',
  ];
  return {
    id: `trial:${record.id}:${trial.trialId}`,
    runId: trial.runId,
    label: `Trial ${trial.trialId}`,
    description: [...state, shortParameters(trial.parameters)].filter(Boolean).join(' · '),
    tooltip: lines.filter(Boolean).join('  \n'),
    icon: trialIcon(trial.status, isBest),
    contextValue: flags.join(' '),
  };
}

function escape(text: string): string {
  return text.replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`);
}

/** "$(loading~spin) sweep mnist-mlp · 5/12 trials · best val_acc 0.981", and how it ended once it has. */
export function sweepStatusText(record: SweepRecord): string {
  const icon = record.status === 'running' ? '$(loading~spin)' : record.status === 'completed' ? '$(check)' : record.status === 'failed' ? '$(error)' : '$(debug-stop)';
  const ended = record.status === 'running' ? '' : ` · ${record.status}`;
  return `${icon} ${sweepHeadline(record)}${ended}`;
}

/** Whether the spec text has a top-level "search" object (it need not be valid yet). */
export function hasSearchSection(text: string): boolean {
  const root = parseTree(text);
  return root !== undefined && findNodeAtLocation(root, ['search'])?.type === 'object';
}

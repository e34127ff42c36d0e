// The status bar's words, as pure functions of the live runs:
// "$(pulse) mnist-mlp · epoch 2/5 · 43% · loss 0.213 · 1:12 left".
import type { Metrics } from '../../shared/events';
import { formatDuration } from '../../shared/progress';
import { accuracyOf } from '../../shared/metrics';
import type { LiveRun } from '../training/liveRun';

/** Loss with three decimals while it is small, significant digits when large. */
export function formatLoss(loss: number): string {
  if (!Number.isFinite(loss)) return String(loss);
  return Math.abs(loss) >= 100 ? loss.toPrecision(4) : loss.toFixed(3);
}

export function formatPercent(fraction: number): string {
  return `${Math.floor(Math.min(1, Math.max(0, fraction)) * 100)}%`;
}

/** One run in one line, without the icon. */
export function describeLiveRun(run: LiveRun): string {
  const parts = [run.name];
  if (run.phase === 'queued') {
    parts.push(run.queuePosition ? `queued (#${run.queuePosition})` : 'queued');
  } else if (run.phase === 'starting') {
    parts.push(run.stopping ? 'stopping…' : 'starting…');
  } else if (run.phase === 'evaluating') {
    parts.push('evaluating…');
  } else if (run.phase === 'training') {
    if (run.epoch !== undefined && run.epochs !== undefined) parts.push(`epoch ${Math.min(run.epoch + 1, run.epochs)}/${run.epochs}`);
    if (run.epochProgress !== undefined) parts.push(formatPercent(run.epochProgress));
    if (run.loss !== undefined) parts.push(`loss ${formatLoss(run.loss)}`);
    if (run.stopping) parts.push('stopping…');
    else if (run.etaSeconds !== undefined && Number.isFinite(run.etaSeconds)) parts.push(`${formatDuration(run.etaSeconds)} left`);
  } else if (run.finished) {
    parts.push(finishedSummary(run));
  }
  return parts.join(' · ');
}

function finishedSummary(run: LiveRun): string {
  const finished = run.finished;
  if (!finished) return 'finished';
  if (finished.status === 'failed') return 'failed';
  const acc = accuracyOf(run.testMetrics) ?? accuracyOf(finished.finalMetrics, 'val_') ?? accuracyOf(finished.finalMetrics);
  const result = acc !== undefined ? `${accuracyOf(run.testMetrics) !== undefined ? 'test ' : ''}acc ${acc.toFixed(4)}` : undefined;
  if (finished.status === 'stopped') {
    return [`stopped at epoch ${finished.epochsCompleted}/${run.epochs ?? '?'}`, result].filter(Boolean).join(' · ');
  }
  return result ?? `done in ${formatDuration(finished.durationMs / 1000)}`;
}

/** Status bar text while training: the first active run, and how many more. */
export function statusBarText(runs: readonly LiveRun[]): string {
  const active = runs.filter((r) => r.phase !== 'queued' && r.phase !== 'finished');
  const queued = runs.filter((r) => r.phase === 'queued').length;
  const shown = active[0] ?? runs[0];
  if (!shown) return '';
  const icon = shown.phase === 'queued' || shown.phase === 'starting' ? '$(loading~spin)' : '$(pulse)';
  const extra: string[] = [];
  if (active.length > 1) extra.push(`+${active.length - 1} running`);
  if (queued > 0 && shown.phase !== 'queued') extra.push(`${queued} queued`);
  return [`${icon} ${describeLiveRun(shown)}`, ...extra].join(' · ');
}

/** Status bar text after a run ended, shown for a while. */
export function finishedText(run: LiveRun): string {
  const status = run.finished?.status;
  const icon = status === 'failed' ? '$(error)' : status === 'stopped' ? '$(debug-stop)' : '$(check)';
  return `${icon} ${describeLiveRun(run)}`;
}

function formatMetricsLine(metrics: Metrics): string {
  return Object.entries(metrics)
    .map(([name, value]) => `${name} ${Number.isFinite(value) ? value.toFixed(4) : String(value)}`)
    .join(' · ');
}

/** Markdown for the status bar tooltip: everything the one line leaves out. */
export function statusTooltip(runs: readonly LiveRun[]): string {
  const sections = runs.map((run) => {
    const lines = [`**${escapeMarkdown(run.name)}** — ${run.phase === 'finished' ? (run.finished?.status ?? 'finished') : run.phase}`];
    if (run.epoch !== undefined && run.epochs !== undefined && run.phase === 'training') {
      const batch = run.batchesPerEpoch && run.epochProgress !== undefined ? Math.round(run.epochProgress * run.batchesPerEpoch) : undefined;
      lines.push(
        `Epoch ${run.epoch + 1} of ${run.epochs}` +
          (batch !== undefined && run.batchesPerEpoch ? ` · batch ${batch} of ${run.batchesPerEpoch}` : ''),
      );
    }
    if (run.batchMetrics && run.phase === 'training') lines.push(`This epoch so far: ${formatMetricsLine({ loss: run.loss ?? Number.NaN, ...run.batchMetrics })}`);
    if (run.epochMetrics) lines.push(`Last epoch: ${formatMetricsLine(run.epochMetrics)}`);
    if (run.testMetrics) lines.push(`Test: ${formatMetricsLine(run.testMetrics)}`);
    if (run.finished?.reason) lines.push(escapeMarkdown(run.finished.reason));
    if (run.samplesPerSecond !== undefined && run.phase === 'training') {
      const eta = run.etaSeconds !== undefined && Number.isFinite(run.etaSeconds) ? ` · ${formatDuration(run.etaSeconds)} left` : '';
      lines.push(`${Math.round(run.samplesPerSecond).toLocaleString('en-US')} samples/s${eta}`);
    }
    if (run.backend) lines.push(`Backend ${run.backend.name} · ${escapeMarkdown(run.backend.device)}`);
    if (run.runId) lines.push(`Run \`${run.runId}\``);
    if (run.phase === 'queued') lines.push(`Waiting for a free slot (modelStudio.maxConcurrentRuns)`);
    return lines.join('  \n');
  });
  return [...sections, '_Click to open the dashboard._'].join('\n\n---\n\n');
}

function escapeMarkdown(text: string): string {
  // Only what would change the rendering of plain names and reasons.
  return text.replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`);
}

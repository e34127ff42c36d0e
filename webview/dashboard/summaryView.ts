// The top of the dashboard: what run this is, how it is doing, Stop, and Push
// to Vertex AI once it has a model.
// One run gets a header with live facts and metric tiles; several runs get a
// table with one row per run, in the colour of its lines.

import type { RunStatus } from '../../src/shared/events';
import { epochSoFar } from '../../src/shared/progress';
import { h } from './dom';
import { formatCount, formatDuration, formatMetric } from './format';
import type { RunState } from './runState';
import type { Palette } from './theme';

export interface SummaryActions {
  stop(runId: string): void;
  openFolder(runId: string): void;
  pushRun(runId: string): void;
  resumeRun(runId: string): void;
  /** Run ids whose stop request is in flight. */
  stopping: ReadonlySet<string>;
  /** Run ids whose push flow (pickers, upload, registration) is still going. */
  pushing: ReadonlySet<string>;
  /** Run ids whose resume request is in flight. */
  resuming: ReadonlySet<string>;
}

const STATUS_LABELS: Record<RunStatus, string> = {
  running: 'Running',
  completed: 'Completed',
  stopped: 'Stopped',
  failed: 'Failed',
  crashed: 'Crashed',
};

export function statusBadge(status: RunStatus): HTMLElement {
  return h('vscode-badge', { class: `status status-${status}`, 'data-status': status }, STATUS_LABELS[status]);
}

function stopButton(run: RunState, actions: SummaryActions): HTMLElement | null {
  if (run.status !== 'running') return null;
  const stopping = actions.stopping.has(run.id);
  return h(
    'vscode-button',
    { class: 'stop', 'data-action': 'stop', disabled: stopping, title: 'Stop training after the current batch; the run keeps what it has', onclick: () => actions.stop(run.id) },
    stopping ? 'Stopping…' : '■ Stop',
  );
}

/** Completed and stopped runs saved their model (a stop saves the weights it has); failed and crashed ones may not have. */
function pushButton(run: RunState, actions: SummaryActions): HTMLElement | null {
  if (run.status !== 'completed' && run.status !== 'stopped') return null;
  const pushing = actions.pushing.has(run.id);
  return h(
    'vscode-button',
    { class: 'push', 'data-action': 'push', disabled: pushing, title: "Upload the run's model to Cloud Storage and register it in the Vertex AI Model Registry", onclick: () => actions.pushRun(run.id) },
    pushing ? 'Pushing…' : 'Push to Vertex AI',
  );
}

/**
 * Resume continues a stopped, failed or crashed run from its last checkpoint (the
 * Resume Training command). It stays in place but disabled while the run trains,
 * and when there is no checkpoint to continue from.
 */
function resumeButton(run: RunState, actions: SummaryActions): HTMLElement | null {
  if (run.status === 'completed') return null;
  const resuming = actions.resuming.has(run.id);
  const hasCheckpoint = run.record?.lastCheckpoint !== undefined || run.checkpoints > 0;
  const title =
    run.status === 'running'
      ? 'Training now: Resume continues a stopped run from its last checkpoint'
      : hasCheckpoint
        ? 'Continue training from the last checkpoint'
        : 'Nothing to resume from: the run ended before it saved a checkpoint';
  return h(
    'vscode-button',
    { class: 'resume', 'data-action': 'resume', secondary: run.status === 'running', disabled: resuming || run.status === 'running' || !hasCheckpoint, title, onclick: () => actions.resumeRun(run.id) },
    resuming ? 'Resuming…' : '▶ Resume',
  );
}

/** Samples a second, epoch x/y, batch progress and time left, from the newest events. */
export function progressFacts(run: RunState): { label: string; value: string }[] {
  const facts: { label: string; value: string }[] = [];
  const backend = run.started?.backend ?? run.record?.backend;
  if (backend) facts.push({ label: 'Backend', value: `${backend.name} · TF.js ${backend.version}` }, { label: 'Device', value: backend.device });
  const batch = run.lastBatch;
  const epochs = run.epochs;
  const running = run.status === 'running';
  const throughput = running ? batch?.samplesPerSecond : run.lastEpoch?.samplesPerSecond ?? batch?.samplesPerSecond;
  if (throughput !== undefined) facts.push({ label: 'Throughput', value: `${formatCount(throughput)} samples/s` });
  if (epochs !== undefined) {
    const done = run.finished?.epochsCompleted ?? (batch ? batch.epoch + (running ? 1 : 0) : (run.lastEpoch?.epoch ?? -1) + 1);
    facts.push({ label: 'Epoch', value: `${Math.min(done, epochs)}/${epochs}` });
  }
  if (running && batch) {
    facts.push({ label: 'Batch', value: `${formatCount(batch.batch + 1)}/${formatCount(batch.batchesPerEpoch)}` });
    const left = remainingMs(run);
    if (left !== undefined) facts.push({ label: 'Time left', value: formatDuration(left) });
  }
  const duration = run.finished?.durationMs ?? run.record?.durationMs;
  if (!running && duration !== undefined) facts.push({ label: 'Duration', value: formatDuration(duration) });
  return facts;
}

/** Fraction of all batches done, 0..1. */
export function progressFraction(run: RunState): number {
  if (run.status === 'completed') return 1;
  const batch = run.lastBatch;
  const epochs = run.epochs;
  if (!batch || !epochs) return 0;
  return Math.min(1, (batch.epoch * batch.batchesPerEpoch + batch.batch + 1) / (epochs * batch.batchesPerEpoch));
}

function remainingMs(run: RunState): number | undefined {
  const batch = run.lastBatch;
  const epochs = run.epochs;
  const batchSize = run.started?.batchSize;
  if (!batch || !epochs || !batchSize || batch.samplesPerSecond <= 0) return undefined;
  const batchesLeft = (epochs - batch.epoch - 1) * batch.batchesPerEpoch + (batch.batchesPerEpoch - batch.batch - 1);
  return (batchesLeft * batchSize * 1000) / batch.samplesPerSecond;
}

/**
 * Latest value of each metric, with test metrics after training. While an epoch
 * runs, its average so far (as Keras's progress bar and the status bar show it:
 * a single batch's value jumps about); once it ends, that epoch's values.
 */
export function metricTiles(run: RunState): { name: string; value: string; hint: string }[] {
  const tiles: { name: string; value: string; hint: string }[] = [];
  const lastEpoch = run.lastEpoch;
  const epochMetrics = lastEpoch?.metrics ?? {};
  const batch = run.lastBatch;
  // The epoch after the last finished one, when it has batches.
  const inProgress = batch && (!lastEpoch || batch.epoch > lastEpoch.epoch) ? batch : undefined;
  const soFar = inProgress ? epochSoFar(inProgress) : {};
  const running = run.status === 'running';
  for (const name of run.metricNames()) {
    // A stopped run shows its last whole epoch, like run.json; the part of an epoch only when there is nothing else.
    const useSoFar = soFar[name] !== undefined && (running || epochMetrics[name] === undefined);
    const train = useSoFar ? soFar[name] : epochMetrics[name];
    const hint = useSoFar && inProgress ? `train, average over epoch ${inProgress.epoch + 1} so far` : `train, epoch ${(lastEpoch?.epoch ?? 0) + 1}`;
    if (train !== undefined) tiles.push({ name, value: formatMetric(name, train), hint });
    const val = epochMetrics[`val_${name}`];
    if (val !== undefined) tiles.push({ name: `val_${name}`, value: formatMetric(name, val), hint: `validation, epoch ${(lastEpoch?.epoch ?? 0) + 1}` });
  }
  const test = run.evaluation?.metrics ?? run.finished?.testMetrics ?? run.record?.testMetrics;
  for (const [name, value] of Object.entries(test ?? {})) tiles.push({ name: `test_${name}`, value: formatMetric(name, value), hint: 'test set' });
  return tiles;
}

export function renderSingleSummary(run: RunState, actions: SummaryActions): HTMLElement {
  const progress = h('div', { class: 'progress', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100 });
  const fill = h('div', { class: `progress-fill status-${run.status}` });
  const fraction = progressFraction(run);
  fill.style.width = `${(fraction * 100).toFixed(1)}%`;
  progress.setAttribute('aria-valuenow', String(Math.round(fraction * 100)));
  progress.append(fill);
  const reason = run.finished?.reason ?? run.record?.reason;
  return h(
    'header',
    { class: 'run-header', 'data-run-id': run.id },
    h(
      'div',
      { class: 'title-row' },
      h('h1', null, run.name),
      statusBadge(run.status),
      h('span', { class: 'run-id', title: 'Run id' }, run.id),
      h('span', { class: 'spacer' }),
      h('vscode-button', { secondary: true, 'data-action': 'open-folder', title: 'Reveal the run folder', onclick: () => actions.openFolder(run.id) }, 'Open folder'),
      pushButton(run, actions),
      resumeButton(run, actions),
      stopButton(run, actions),
    ),
    h('div', { class: 'facts' }, ...progressFacts(run).map((f) => h('span', { class: 'fact' }, h('span', { class: 'fact-label' }, f.label), h('span', { class: 'fact-value', 'data-fact': f.label }, f.value)))),
    progress,
    reason && run.status !== 'completed' ? h('p', { class: `reason status-${run.status}` }, reason) : null,
    ...run.logs.slice(-3).map((log) => h('p', { class: `log log-${log.level}` }, log.message)),
    h(
      'div',
      { class: 'tiles' },
      ...metricTiles(run).map((tile) => h('div', { class: 'tile', title: tile.hint, 'data-metric': tile.name }, h('span', { class: 'tile-name' }, tile.name), h('span', { class: 'tile-value' }, tile.value))),
    ),
  );
}

export function renderCompareSummary(runs: readonly RunState[], palette: Palette, actions: SummaryActions): HTMLElement {
  const metricNames = [...new Set(runs.flatMap((run) => run.metricNames()))];
  const columns = metricNames.flatMap((name) => [name, `val_${name}`]).filter((name) => runs.some((run) => finalMetric(run, name) !== undefined));
  const testNames = [...new Set(runs.flatMap((run) => Object.keys(run.evaluation?.metrics ?? run.record?.testMetrics ?? {})))];
  return h(
    'header',
    { class: 'run-header compare' },
    h('div', { class: 'title-row' }, h('h1', null, `Comparing ${runs.length} runs`)),
    // A narrow editor scrolls the table rather than the page.
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        { class: 'runs-table' },
        h(
          'thead',
          null,
          h('tr', null, h('th', null, 'Run'), h('th', null, 'Status'), h('th', null, 'Backend'), h('th', null, 'Epochs'), ...columns.map((c) => h('th', { class: 'num' }, c)), ...testNames.map((c) => h('th', { class: 'num' }, `test ${c}`)), h('th', null, '')),
        ),
        h(
          'tbody',
          null,
          ...runs.map((run, i) => {
            const swatch = h('span', { class: 'swatch swatch-batch', 'aria-hidden': 'true' });
            swatch.style.setProperty('--swatch', palette.lines[i % palette.lines.length]);
            const test = run.evaluation?.metrics ?? run.record?.testMetrics ?? {};
            return h(
              'tr',
              { 'data-run-id': run.id },
              h('td', null, swatch, h('span', { class: 'run-name', title: run.id }, run.label || run.name)),
              h('td', null, statusBadge(run.status)),
              h('td', null, run.started?.backend.name ?? run.record?.backend?.name ?? '–'),
              h('td', { class: 'num' }, `${run.finished?.epochsCompleted ?? (run.lastEpoch ? run.lastEpoch.epoch + 1 : 0)}/${run.epochs ?? '?'}`),
              ...columns.map((c) => h('td', { class: 'num' }, formatMetric(c, finalMetric(run, c)))),
              ...testNames.map((c) => h('td', { class: 'num' }, formatMetric(c, test[c]))),
              h('td', null, stopButton(run, actions)),
            );
          }),
        ),
      ),
    ),
  );
}

function finalMetric(run: RunState, name: string): number | undefined {
  return run.lastEpoch?.metrics[name] ?? run.record?.finalMetrics?.[name];
}

// After training: the test metrics, the confusion matrix as a heat-mapped
// table, and the misclassified examples drawn from their pixels.

import type { ConfusionMatrix, Evaluation, Metrics, MisclassifiedExample, RunStatus } from '../../src/shared/events';
import { h } from './dom';
import { formatCount, formatMetric } from './format';

/** In a comparison each run shows this many of its worst mistakes, so the columns stay comparable. */
const COMPARED_EXAMPLES = 8;

function metricsLine(metrics: Metrics): string {
  return Object.entries(metrics)
    .map(([name, value]) => `${name} ${formatMetric(name, value)}`)
    .join(' · ');
}

export function renderEvaluation(evaluation: Evaluation): HTMLElement {
  return h(
    'section',
    { class: 'evaluation', 'data-section': 'evaluation' },
    h('h2', null, 'Test set'),
    h('p', { class: 'muted' }, `${formatCount(evaluation.samples)} samples · ${metricsLine(evaluation.metrics)}`),
    h(
      'div',
      { class: 'evaluation-grid' },
      evaluation.confusionMatrix ? renderConfusionMatrix(evaluation.confusionMatrix) : null,
      evaluation.misclassified?.length ? renderMisclassified(evaluation.misclassified, evaluation.confusionMatrix?.labels) : null,
    ),
  );
}

/** One compared run's part of the test results. */
export interface ComparedEvaluation {
  runId: string;
  /** Name and start time (runLabel.ts). */
  label: string;
  /** The run's line colour in the charts. */
  colour: string;
  status: RunStatus;
  evaluation?: Evaluation;
  /** Test metrics from run.json when the events hold no evaluation. */
  testMetrics?: Metrics;
}

/** Each compared run's test results side by side, under its name, start time and colour. */
export function renderEvaluationComparison(runs: readonly ComparedEvaluation[]): HTMLElement {
  return h(
    'section',
    { class: 'evaluation compare', 'data-section': 'evaluation' },
    h('h2', null, 'Test set'),
    h(
      'div',
      { class: 'evaluation-columns' },
      ...runs.map((run) => {
        const swatch = h('span', { class: 'swatch swatch-batch', 'aria-hidden': 'true' });
        swatch.style.setProperty('--swatch', run.colour);
        const { evaluation } = run;
        const summary = evaluation
          ? `${formatCount(evaluation.samples)} samples · ${metricsLine(evaluation.metrics)}`
          : run.testMetrics
            ? metricsLine(run.testMetrics)
            : notEvaluated(run.status);
        return h(
          'div',
          { class: 'evaluation-column', 'data-run-id': run.runId },
          h('h3', { class: 'evaluation-run', title: run.runId }, swatch, run.label),
          h('p', { class: 'muted evaluation-summary' }, summary),
          evaluation?.confusionMatrix ? renderConfusionMatrix(evaluation.confusionMatrix, true) : null,
          evaluation?.misclassified?.length ? renderMisclassified(evaluation.misclassified.slice(0, COMPARED_EXAMPLES), evaluation.confusionMatrix?.labels) : null,
        );
      }),
    ),
  );
}

function notEvaluated(status: RunStatus): string {
  if (status === 'running') return 'Evaluated on the test set when training ends.';
  if (status === 'completed') return 'No test set evaluation (the spec turned it off, or the data has no test split).';
  return `Not evaluated: the run ${status === 'stopped' ? 'was stopped' : status} before the test set.`;
}

/** `compact`: counts without thousands separators, so two matrices fit side by side. */
export function renderConfusionMatrix(confusion: ConfusionMatrix, compact = false): HTMLElement {
  const { labels, matrix } = confusion;
  const rowTotals = matrix.map((row) => row.reduce((a, b) => a + b, 0));
  const table = h(
    'table',
    { class: 'confusion', 'aria-label': 'Confusion matrix: rows are actual classes, columns predicted' },
    h('thead', null, h('tr', null, h('th', { class: 'corner' }, 'actual \\ predicted'), ...labels.map((label) => h('th', null, label)), h('th', { class: 'num' }, 'recall'))),
    h(
      'tbody',
      null,
      ...matrix.map((row, actual) =>
        h(
          'tr',
          null,
          h('th', null, labels[actual] ?? String(actual)),
          ...row.map((count, predicted) => {
            const share = rowTotals[actual] ? count / rowTotals[actual] : 0;
            const cell = h('td', { title: `actual ${labels[actual]}, predicted ${labels[predicted]}: ${count} (${(share * 100).toFixed(1)}%)` }, count ? (compact ? String(count) : formatCount(count)) : '');
            // Correct predictions in blue, mistakes in red; strength by share of the row.
            const tone = actual === predicted ? 'var(--vscode-charts-blue, #3794ff)' : 'var(--vscode-charts-red, #f14c4c)';
            // sqrt: a 1% confusion still shows, a 30% one does not drown the table.
            const strength = actual === predicted ? 15 + share * 70 : Math.min(75, Math.sqrt(share) * 160);
            if (count) cell.style.background = `color-mix(in srgb, ${tone} ${strength.toFixed(0)}%, transparent)`;
            if (actual === predicted) cell.classList.add('diagonal');
            return cell;
          }),
          h('td', { class: 'num recall' }, rowTotals[actual] ? `${((row[actual] / rowTotals[actual]) * 100).toFixed(1)}%` : '–'),
        ),
      ),
    ),
  );
  return h('figure', { class: 'confusion-figure' }, h('figcaption', null, 'Confusion matrix'), table);
}

export function renderMisclassified(examples: readonly MisclassifiedExample[], labels?: readonly string[]): HTMLElement {
  const name = (index: number): string => labels?.[index] ?? String(index);
  return h(
    'figure',
    { class: 'misclassified-figure' },
    h('figcaption', null, 'Misclassified examples (most confident mistakes first)'),
    h(
      'div',
      { class: 'misclassified' },
      ...examples.map((example) => {
        const src = example.image ? imageDataUrl(example.image) : undefined;
        return h(
          'div',
          { class: 'example', title: `test sample #${example.index}` },
          src ? h('img', { src, alt: `test sample ${example.index}`, width: 56, height: 56 }) : h('div', { class: 'no-image' }, '#', example.index),
          h('span', { class: 'example-actual' }, 'actual ', h('b', null, name(example.actual))),
          h('span', { class: 'example-predicted' }, 'predicted ', h('b', null, name(example.predicted))),
          h('span', { class: 'example-confidence' }, `${(example.confidence * 100).toFixed(0)}% sure`),
        );
      }),
    ),
  );
}

/** Grey or RGB bytes (base64) -> a PNG data URL (the CSP allows img-src data:). */
export function imageDataUrl(image: NonNullable<MisclassifiedExample['image']>): string | undefined {
  const { width, height, channels } = image;
  const bytes = Uint8Array.from(atob(image.base64), (c) => c.charCodeAt(0));
  if (width <= 0 || height <= 0 || bytes.length < width * height * channels) return undefined;
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (!context) return undefined;
  const pixels = context.createImageData(width, height);
  for (let i = 0; i < width * height; i++) {
    const r = bytes[i * channels];
    pixels.data[i * 4] = r;
    pixels.data[i * 4 + 1] = channels >= 3 ? bytes[i * channels + 1] : r;
    pixels.data[i * 4 + 2] = channels >= 3 ? bytes[i * channels + 2] : r;
    pixels.data[i * 4 + 3] = 255;
  }
  context.putImageData(pixels, 0, 0);
  return canvas.toDataURL('image/png');
}

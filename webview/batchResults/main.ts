// The batch prediction results viewer's page: one page of results at a time,
// each next to its input (an MNIST instance drawn as a 28x28 digit with the
// predicted class and its probability), Previous/Next to move through them.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import { isBatchToWebview, type BatchFromWebview, type BatchResultView, type BatchToWebview } from '../../src/shared/protocol/batchResults';
import { h, replace } from '../dashboard/dom';
import { HostClient } from '../shared/hostClient';
import { injectStyles } from '../shared/pageStyles';
import { mnistCanvas } from '../shared/mnistCanvas';

const host = new HostClient<BatchToWebview, BatchFromWebview>({ name: 'Batch results viewer', isMessage: isBatchToWebview, source: window });
const app = document.getElementById('app') as HTMLElement;

injectStyles(`
  body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 12px 20px; }
  h2 { font-weight: 600; margin: 0 0 4px; }
  .sub { color: var(--vscode-descriptionForeground); margin-bottom: 10px; overflow-wrap: anywhere; }
  .nav { display: flex; gap: 8px; align-items: center; margin: 8px 0; }
  .status { min-height: 1.4em; color: var(--vscode-descriptionForeground); margin-bottom: 8px; }
  .status.error { color: var(--vscode-errorForeground); }
  .results { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 10px; }
  .result { border: 1px solid var(--vscode-panel-border); border-radius: 4px; padding: 8px; display: flex; gap: 8px; align-items: flex-start; min-width: 0; }
  .result.failed { border-color: var(--vscode-errorForeground); }
  .result canvas { width: 56px; height: 56px; image-rendering: pixelated; flex: none; background: #000; }
  .result .text { font-family: var(--vscode-editor-font-family); font-size: .85em; overflow-wrap: anywhere; max-height: 6em; overflow: hidden; }
  .answer { min-width: 0; }
  .cls { font-size: 1.8em; font-weight: 700; line-height: 1.1; }
  .p, .n { color: var(--vscode-descriptionForeground); font-size: .9em; }
  .err { color: var(--vscode-errorForeground); overflow-wrap: anywhere; }
`);

let pageSize = 48;
let total = 0;
let offset = 0;
let more = false;
let busy = false;

const header = h('div', null);
const status = h('div', { class: 'status', 'data-status': '' });
const range = h('span', { 'data-range': '' });
const prev = h('vscode-button', { secondary: true, 'data-action': 'prev', onclick: () => go(offset - pageSize) }, 'Previous');
const next = h('vscode-button', { secondary: true, 'data-action': 'next', onclick: () => go(offset + pageSize) }, 'Next');
const results = h('div', { class: 'results', 'data-results': '' });
app.replaceChildren(header, h('div', { class: 'nav' }, prev, next, range), status, results);

function setEnabled(button: HTMLElement, enabled: boolean): void {
  if (enabled) button.removeAttribute('disabled');
  else button.setAttribute('disabled', '');
}

function updateNav(): void {
  setEnabled(prev, !busy && offset > 0);
  setEnabled(next, !busy && more);
}

function go(to: number): void {
  if (busy || to < 0 || (to > offset && !more)) return;
  host.post({ type: 'page', offset: to });
}

function showStatus(text: string, kind: 'busy' | 'error' | 'shown'): void {
  status.className = kind === 'error' ? 'status error' : 'status';
  status.dataset.status = kind;
  status.textContent = text;
}

function digit(pixels: number[]): HTMLCanvasElement {
  const canvas = mnistCanvas(pixels);
  canvas.dataset.digit = '';
  return canvas;
}

function card(row: BatchResultView): HTMLElement {
  const best = row.top[0];
  const input = row.pixels ? digit(row.pixels) : h('div', { class: 'text', title: 'The instance' }, row.instance ?? '');
  const answer = row.error
    ? h('div', { class: 'answer' }, h('div', { class: 'err' }, row.error))
    : best
      ? h('div', { class: 'answer' }, h('div', { class: 'cls' }, String(best.cls)), h('div', { class: 'p' }, `${(best.p * 100).toFixed(1)}%`), h('div', { class: 'n' }, row.top.slice(1).map((t) => `${t.cls} ${(t.p * 100).toFixed(1)}%`).join(' · ')))
      : h('div', { class: 'answer text', title: 'The prediction' }, row.raw ?? '');
  return h(
    'div',
    { class: `result${row.error ? ' failed' : ''}`, 'data-index': row.index, 'data-predicted': best ? String(best.cls) : '', 'data-probability': best ? String(best.p) : '' },
    h('div', null, input, h('div', { class: 'n' }, `#${row.index + 1}`)),
    answer,
  );
}

host.connect((m) => {
  if (m.type === 'init') {
    pageSize = m.pageSize;
    total = m.total;
    replace(header, h('h2', null, `Results of ${m.jobName} `, h('vscode-badge', null, String(m.total))), h('div', { class: 'sub', 'data-summary': '' }, m.summary), h('div', { class: 'sub' }, m.outputDirectory));
    go(0);
  } else if (m.type === 'busy') {
    busy = true;
    updateNav();
    showStatus(m.message, 'busy');
  } else if (m.type === 'error') {
    busy = false;
    updateNav();
    showStatus(m.message, 'error');
  } else if (m.type === 'page') {
    busy = false;
    offset = m.offset;
    more = m.more;
    results.replaceChildren(...m.rows.map(card));
    const last = m.offset + m.rows.length;
    range.textContent = m.rows.length ? `Results ${m.offset + 1}–${last} of ${Math.max(total, last)}` : 'No results';
    const failed = m.rows.filter((r) => r.error).length;
    showStatus(`${m.rows.length} shown${failed ? `, ${failed} failed` : ''}`, 'shown');
    updateNav();
  }
});

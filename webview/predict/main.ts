// The prediction panel's page: draw a digit on a canvas (scaled to 28x28 like
// MNIST: centred by its centre of mass in a 20x20 box), send test samples, or
// a JSON request file; shows each instance with its top classes.
import { isPredictToWebview, type PredictFromWebview, type PredictionRow, type PredictToWebview } from '../../src/shared/protocol/predict';
import { hasInk, toMnistPixels } from './digit';
import { HostClient } from '../shared/hostClient';
import { pageNonce } from '../shared/pageNonce';
import { el } from '../shared/el';
import { mnistCanvas } from '../shared/mnistCanvas';

const host = new HostClient<PredictToWebview, PredictFromWebview>({ name: 'Prediction panel', isMessage: isPredictToWebview, source: window });
const app = document.getElementById('app') as HTMLElement;
const SIZE = 280;

const style = document.createElement('style');
style.nonce = pageNonce();
style.textContent = `
  body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 12px 20px; }
  h2 { font-weight: 600; margin: 0 0 4px; }
  .sub { color: var(--vscode-descriptionForeground); margin-bottom: 14px; }
  .sources { display: flex; gap: 28px; flex-wrap: wrap; align-items: flex-start; }
  .source { border: 1px solid var(--vscode-panel-border); padding: 10px; border-radius: 4px; }
  .source h3 { margin: 0 0 8px; font-size: 1em; }
  canvas.pad { background: #000; cursor: crosshair; touch-action: none; display: block; margin-bottom: 8px; }
  button { background: var(--vscode-button-background); color: var(--vscode-button-foreground); border: none; padding: 6px 12px; margin: 0 6px 6px 0; cursor: pointer; }
  button.secondary { background: var(--vscode-button-secondaryBackground); color: var(--vscode-button-secondaryForeground); }
  button:disabled { opacity: .5; }
  .status { margin: 12px 0; min-height: 1.4em; color: var(--vscode-descriptionForeground); }
  .status.error { color: var(--vscode-errorForeground); }
  .status[data-status=hint] { color: var(--vscode-editorWarning-foreground, var(--vscode-foreground)); }
  .results { display: flex; flex-wrap: wrap; gap: 10px; }
  .result { border: 1px solid var(--vscode-panel-border); border-radius: 4px; padding: 8px; width: 150px; }
  .result.wrong { border-color: var(--vscode-errorForeground); }
  .result canvas { width: 56px; height: 56px; image-rendering: pixelated; float: left; margin-right: 8px; }
  .cls { font-size: 1.8em; font-weight: 700; }
  .p { color: var(--vscode-descriptionForeground); }
  .bars { clear: both; padding-top: 6px; }
  .bars div { display: flex; align-items: center; gap: 4px; font-size: .9em; }
  .bars span.fill { display: inline-block; height: 8px; background: var(--vscode-charts-blue); }
`;
document.head.appendChild(style);

const status = el('div', { className: 'status', dataset: { status: '' } });
const results = el('div', { className: 'results' });
const header = el('div', {});
const pad = el('canvas', { className: 'pad', width: SIZE, height: SIZE });
const ctx = pad.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D;
let drawing = false;
let last: { x: number; y: number } | undefined;

function clearPad(): void {
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, SIZE, SIZE);
}
clearPad();
function point(event: PointerEvent): { x: number; y: number } {
  const box = pad.getBoundingClientRect();
  return { x: ((event.clientX - box.left) * SIZE) / box.width, y: ((event.clientY - box.top) * SIZE) / box.height };
}
pad.addEventListener('pointerdown', (e) => {
  drawing = true;
  last = point(e);
  pad.setPointerCapture(e.pointerId);
});
pad.addEventListener('pointermove', (e) => {
  if (!drawing || !last) return;
  const p = point(e);
  ctx.strokeStyle = '#fff';
  ctx.lineWidth = 22;
  ctx.lineCap = 'round';
  ctx.beginPath();
  ctx.moveTo(last.x, last.y);
  ctx.lineTo(p.x, p.y);
  ctx.stroke();
  last = p;
});
pad.addEventListener('pointerup', () => {
  drawing = false;
  last = undefined;
});

const buttons: HTMLButtonElement[] = [];
function button(text: string, action: string, onClick: () => void, secondary = false): HTMLButtonElement {
  const b = el('button', { textContent: text, className: secondary ? 'secondary' : '', dataset: { action } });
  b.addEventListener('click', onClick);
  buttons.push(b);
  return b;
}
const predictDrawn = button('Predict', 'predict-drawn', () => {
  const image = ctx.getImageData(0, 0, SIZE, SIZE);
  const pixels = toMnistPixels(image.data, SIZE, SIZE);
  // A blank image still gets an answer ("5 · 20%"), which means nothing.
  if (!hasInk(pixels)) {
    showStatus('Draw a digit on the canvas first (press and drag), then Predict.', 'hint');
    return;
  }
  host.post({ type: 'drawn', pixels });
});
const clear = button('Clear', 'clear', clearPad, true);
const samples = button('Send 8 test samples', 'samples', () => host.post({ type: 'samples', count: 8 }));
const file = button('Send a JSON request file…', 'file', () => host.post({ type: 'requestFile' }), true);
const samplesNote = el('div', { className: 'p' });

app.replaceChildren(
  header,
  el(
    'div',
    { className: 'sources' },
    el('div', { className: 'source' }, el('h3', { textContent: 'Draw a digit' }), pad, predictDrawn, clear),
    el('div', { className: 'source' }, el('h3', { textContent: 'From the test set' }), samples, samplesNote, el('h3', { textContent: 'From a file' }), file, el('div', { className: 'p', textContent: '{"instances": [...], "parameters": {...}}' })),
  ),
  status,
  results,
);

function resultCard(row: PredictionRow, index: number): HTMLElement {
  const best = row.top[0];
  const wrong = row.label !== undefined && best !== undefined && best.cls !== row.label;
  const card = el('div', { className: `result${wrong ? ' wrong' : ''}`, dataset: { index: String(index), predicted: best ? String(best.cls) : '', label: row.label === undefined ? '' : String(row.label) } });
  if (row.pixels) card.append(mnistCanvas(row.pixels));
  if (best) {
    card.append(el('div', { className: 'cls', textContent: String(best.cls) }), el('div', { className: 'p', textContent: `${(best.p * 100).toFixed(1)}%${row.label !== undefined ? ` · true ${row.label}` : ''}` }));
    card.append(el('div', { className: 'bars' }, ...row.top.map((t) => el('div', {}, `${t.cls}`, el('span', { className: 'fill', style: `width:${Math.max(1, Math.round(t.p * 90))}px` }), `${(t.p * 100).toFixed(1)}%`))));
  } else {
    card.append(el('div', { className: 'p', textContent: row.raw ?? '' }));
  }
  return card;
}

function showStatus(text: string, kind: 'hint' | 'error' | 'busy' | 'result'): void {
  status.className = kind === 'error' ? 'status error' : 'status';
  status.dataset.status = kind;
  status.textContent = text;
}

function deployedHeader(deployed: string): HTMLElement {
  return el('div', { className: 'sub', textContent: `Deployed: ${deployed}`, dataset: { deployed: '' } });
}

let samplesAvailable = false;

function setBusy(busy: boolean): void {
  for (const b of buttons) b.disabled = busy || (b === samples && !samplesAvailable);
}

host.connect((m) => {
  if (m.type === 'init') {
    header.replaceChildren(el('h2', { textContent: `Predict with ${m.endpointName}` }), deployedHeader(m.deployed));
    samplesAvailable = m.samplesAvailable;
    samples.disabled = !samplesAvailable;
    samplesNote.textContent = m.samplesNote ?? '';
  } else if (m.type === 'deployed') {
    header.querySelector('[data-deployed]')?.replaceWith(deployedHeader(m.deployed));
  } else if (m.type === 'busy') {
    setBusy(true);
    showStatus(m.message, 'busy');
  } else if (m.type === 'error') {
    setBusy(false);
    showStatus(m.message, 'error');
  } else if (m.type === 'result') {
    setBusy(false);
    const labelled = m.rows.filter((r) => r.label !== undefined && r.top[0]);
    const correct = labelled.filter((r) => r.top[0].cls === r.label).length;
    showStatus(`${m.source}: answered by ${m.answeredBy} in ${m.ms} ms${labelled.length ? ` · ${correct}/${labelled.length} correct` : ''}`, 'result');
    results.replaceChildren(...m.rows.map(resultCard));
  }
});
void clear;
void file;

// The traffic editor's page: a slider and a number per deployed model; moving
// one rescales the others so the sum stays 100. Shows the current and the
// new split; Apply sends the split with the etag the host read.
import { isTrafficToWebview, type TrafficFromWebview, type TrafficStateMessage, type TrafficToWebview } from '../../src/shared/protocol/traffic';
import { describeChangeRows, setShare } from './split';
import { HostClient } from '../shared/hostClient';
import { pageNonce } from '../shared/pageNonce';

const host = new HostClient<TrafficToWebview, TrafficFromWebview>({ name: 'Traffic editor', isMessage: isTrafficToWebview, source: window });
const app = document.getElementById('app') as HTMLElement;
let state: TrafficStateMessage | undefined;
let split: Record<string, number> = {};

const style = document.createElement('style');
style.nonce = pageNonce();
style.textContent = `
  body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 12px 20px; }
  h2 { font-weight: 600; margin: 0 0 4px; }
  .sub { color: var(--vscode-descriptionForeground); margin-bottom: 16px; }
  table { border-collapse: collapse; width: 100%; max-width: 760px; }
  th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--vscode-panel-border); }
  input[type=range] { width: 260px; accent-color: var(--vscode-button-background); }
  input[type=number] { width: 56px; background: var(--vscode-input-background); color: var(--vscode-input-foreground); border: 1px solid var(--vscode-input-border, transparent); padding: 2px 4px; }
  .changed { color: var(--vscode-charts-yellow); font-weight: 600; }
  .bar { display: flex; height: 14px; max-width: 760px; margin: 12px 0; border-radius: 3px; overflow: hidden; }
  .bar span { display: block; height: 100%; }
  button { background: var(--vscode-button-background); color: var(--vscode-button-foreground); border: none; padding: 6px 14px; margin-right: 8px; cursor: pointer; }
  button.secondary { background: var(--vscode-button-secondaryBackground); color: var(--vscode-button-secondaryForeground); }
  button:disabled { opacity: 0.5; cursor: default; }
  .note { margin: 12px 0; padding: 8px 10px; max-width: 740px; border-left: 3px solid; }
  .note.conflict, .note.error { border-color: var(--vscode-errorForeground); background: var(--vscode-inputValidation-errorBackground); }
  .note.applied { border-color: var(--vscode-charts-green); }
  .sum { margin: 8px 0; }
`;
document.head.appendChild(style);

const COLORS = ['var(--vscode-charts-blue)', 'var(--vscode-charts-yellow)', 'var(--vscode-charts-green)', 'var(--vscode-charts-purple)', 'var(--vscode-charts-orange)', 'var(--vscode-charts-red)'];

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Record<string, unknown> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'dataset') Object.assign(node.dataset, v);
    // A string assigned to style sets its cssText.
    else (node as unknown as Record<string, unknown>)[k] = v;
  }
  node.append(...children);
  return node;
}

function render(busy?: string): void {
  if (!state) return;
  const s = state;
  const ids = s.rows.map((r) => r.id);
  const current = Object.fromEntries(s.rows.map((r) => [r.id, r.current]));
  const sum = Object.values(split).reduce((a, b) => a + b, 0);
  const dirty = ids.some((id) => split[id] !== current[id]);
  const rows = s.rows.map((row, i) => {
    const range = el('input', { type: 'range', min: '0', max: '100', step: '1', value: String(split[row.id]), disabled: s.rows.length < 2 || Boolean(busy), dataset: { id: row.id } });
    const number = el('input', { type: 'number', min: '0', max: '100', step: '1', value: String(split[row.id]), disabled: s.rows.length < 2 || Boolean(busy), dataset: { id: row.id } });
    const change = (value: number): void => {
      split = setShare(split, ids, row.id, value);
      render();
    };
    range.addEventListener('input', () => change(Number(range.value)));
    number.addEventListener('change', () => change(Number(number.value)));
    const changed = split[row.id] !== row.current;
    return el(
      'tr',
      { dataset: { id: row.id } },
      el('td', {}, el('span', { textContent: '■ ', style: `color: ${COLORS[i % COLORS.length]}` }), row.label),
      el('td', { textContent: row.machine }),
      el('td', { textContent: `${row.current}%`, className: 'current' }),
      el('td', {}, range, ' ', number, ' %'),
      el('td', { textContent: changed ? `${row.current}% → ${split[row.id]}%` : 'unchanged', className: changed ? 'changed' : '' }),
    );
  });
  const bar = el('div', { className: 'bar' }, ...s.rows.map((row, i) => el('span', { title: `${row.label} ${split[row.id]}%`, style: `width:${split[row.id]}%;background:${COLORS[i % COLORS.length]}` })));
  const apply = el('button', { textContent: busy ?? 'Apply', disabled: !dirty || sum !== 100 || Boolean(busy), dataset: { action: 'apply' } });
  apply.addEventListener('click', () => host.post({ type: 'apply', etag: s.etag, split }));
  const reset = el('button', { textContent: 'Reset', className: 'secondary', disabled: !dirty || Boolean(busy), dataset: { action: 'reset' } });
  reset.addEventListener('click', () => {
    split = { ...current };
    render();
  });
  const reload = el('button', { textContent: 'Reload', className: 'secondary', disabled: Boolean(busy), dataset: { action: 'reload' } });
  reload.addEventListener('click', () => host.post({ type: 'reload' }));
  const notes: HTMLElement[] = [];
  if (s.conflict) notes.push(el('div', { className: 'note conflict', textContent: s.conflict, dataset: { note: 'conflict' } }));
  if (s.error) notes.push(el('div', { className: 'note error', textContent: s.error, dataset: { note: 'error' } }));
  if (s.applied && !dirty) notes.push(el('div', { className: 'note applied', textContent: s.applied, dataset: { note: 'applied' } }));
  const changes = describeChangeRows(s.rows, split);
  app.replaceChildren(
    el('h2', { textContent: `Traffic split of ${s.endpointName}` }),
    el('div', { className: 'sub', textContent: `Endpoint ${s.endpointId} · etag ${s.etag || '—'} · moving one share rescales the others so the total stays 100%.` }),
    el('table', {}, el('thead', {}, el('tr', {}, ...['Deployed model', 'Machine', 'Current', 'New', 'Change'].map((h) => el('th', { textContent: h })))), el('tbody', {}, ...rows)),
    bar,
    el('div', { className: 'sum', textContent: `Total ${sum}%${changes.length ? ` · ${changes.join(' · ')}` : ''}`, dataset: { sum: String(sum) } }),
    ...notes,
    el('div', {}, apply, reset, reload),
  );
}

host.connect((message) => {
  if (message.type === 'state') {
    state = message;
    split = Object.fromEntries(message.rows.map((r) => [r.id, r.current]));
    render();
  } else if (message.type === 'busy') {
    render(message.message);
  }
});

// The traffic editor's page: a slider and a number per deployed model; moving
// one rescales the others so the sum stays 100. Shows the current and the
// new split; Apply sends the split with the etag the host read.
import { isTrafficToWebview, type TrafficFromWebview, type TrafficStateMessage, type TrafficToWebview } from '../../src/shared/protocol/traffic';
import { describeChangeRows, setShare } from './split';
import { HostClient } from '../shared/hostClient';
import { pageNonce } from '../shared/pageNonce';
import { el } from '../shared/el';

const host = new HostClient<TrafficToWebview, TrafficFromWebview>({ name: 'Traffic editor', isMessage: isTrafficToWebview, source: window });
const app = document.getElementById('app') as HTMLElement;
let state: TrafficStateMessage | undefined;
let split: Record<string, number> = {};

const style = document.createElement('style');
style.nonce = pageNonce();
style.textContent = `
  body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 12px 20px; }
  h2 { font-weight: 600; margin: 0 0 4px; }
  .sub { color: var(--vscode-descriptionForeground); margin-bottom: 16px; max-width: 860px; }
  table { border-collapse: collapse; width: 100%; max-width: 860px; }
  th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--vscode-panel-border); vertical-align: middle; }
  th { color: var(--vscode-descriptionForeground); font-weight: normal; white-space: nowrap; }
  td.model { white-space: nowrap; }
  .machine { display: block; color: var(--vscode-descriptionForeground); font-size: 0.9em; white-space: nowrap; }
  td.current, td.change { white-space: nowrap; font-variant-numeric: tabular-nums; }
  th.new, td.new { width: 100%; }
  /* The slider takes the room there is; the number and its % never leave its line. */
  .share { display: flex; align-items: center; gap: 8px; white-space: nowrap; }
  .share input[type=range] { flex: 1 1 auto; min-width: 60px; margin: 0; accent-color: var(--vscode-button-background); }
  .share input[type=number] { flex: none; width: 3.6em; background: var(--vscode-input-background); color: var(--vscode-input-foreground); border: 1px solid var(--vscode-input-border, transparent); padding: 2px 4px; }
  .unit { flex: none; }
  .changed { color: var(--vscode-charts-yellow); font-weight: 600; }
  .bar { display: flex; height: 14px; max-width: 860px; margin: 12px 0; border-radius: 3px; overflow: hidden; }
  .bar span { display: block; height: 100%; }
  button { background: var(--vscode-button-background); color: var(--vscode-button-foreground); border: none; padding: 6px 14px; margin: 0 8px 6px 0; cursor: pointer; }
  button.secondary { background: var(--vscode-button-secondaryBackground); color: var(--vscode-button-secondaryForeground); }
  button:disabled { opacity: 0.5; cursor: default; }
  .note { margin: 12px 0; padding: 8px 10px; max-width: 840px; border-left: 3px solid; }
  .note.conflict, .note.error { border-color: var(--vscode-errorForeground); background: var(--vscode-inputValidation-errorBackground); }
  .note.applied { border-color: var(--vscode-charts-green); }
  .sum { margin: 8px 0; max-width: 860px; }
`;
document.head.appendChild(style);

const COLORS = ['var(--vscode-charts-blue)', 'var(--vscode-charts-yellow)', 'var(--vscode-charts-green)', 'var(--vscode-charts-purple)', 'var(--vscode-charts-orange)', 'var(--vscode-charts-red)'];

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
      el(
        'td',
        { className: 'model' },
        el('span', { textContent: '■ ', style: `color: ${COLORS[i % COLORS.length]}` }),
        row.label,
        el('span', { className: 'machine', textContent: row.machine, title: 'Machine type × minimum replicas' }),
      ),
      el('td', { textContent: `${row.current}%`, className: 'current' }),
      el('td', { className: 'new' }, el('div', { className: 'share' }, range, number, el('span', { className: 'unit', textContent: '%' }))),
      el('td', { textContent: changed ? `${row.current}% → ${split[row.id]}%` : 'unchanged', className: changed ? 'change changed' : 'change' }),
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
    // The etag stays internal: Apply sends it back, so a change made meanwhile is refused rather than overwritten.
    el('div', { className: 'sub', textContent: `Endpoint ${s.endpointId} · moving one share rescales the others so the total stays 100%.` }),
    el(
      'table',
      {},
      el('thead', {}, el('tr', {}, ...[['Deployed model', ''], ['Current', ''], ['New', 'new'], ['Change', '']].map(([h, className]) => el('th', { textContent: h, className })))),
      el('tbody', {}, ...rows),
    ),
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

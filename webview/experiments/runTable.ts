// The table of runs, virtualized: only the rows in view (and a few around)
// are in the DOM, between two spacer rows that keep the scroll height, so
// thousands of runs scroll and redraw as fast as thirty. Fixed row height and
// column widths keep the layout still while rows come and go. The header
// sorts (click) and filters (a box per column).

import type { ExperimentRow, ParameterValue } from '../../src/shared/protocol/experiments';
import { h, replace } from '../dashboard/dom';
import { formatDuration, formatMetric, formatValue } from '../dashboard/format';
import type { Column } from './columns';
import type { SortOrder } from './tableModel';

export const ROW_HEIGHT = 26;
const OVERSCAN = 8;

export interface TableActions {
  sort(column: Column): void;
  filterColumn(columnId: string, text: string): void;
  toggleStar(runId: string): void;
  toggleSelect(runId: string): void;
  /** The header's checkbox: select (or clear) every shown row. */
  selectShown(on: boolean): void;
  /** Double-click: the run's dashboard. */
  openRun(runId: string): void;
}

export interface TableView {
  rows: readonly ExperimentRow[];
  columns: readonly Column[];
  sort: SortOrder;
  starred: ReadonlySet<string>;
  selected: ReadonlySet<string>;
  baseline?: string;
  best?: string;
  columnFilters: ReadonlyMap<string, string>;
}

function columnWidth(column: Column): number {
  if (column.id === 'run:run') return 240;
  if (column.id === 'run:created') return 130;
  if (column.kind === 'param') return Math.min(180, Math.max(90, column.name.length * 5));
  return 92;
}

/** The last part of a spec path, to keep headers short: model.layers[1].units -> layers[1].units. */
function shortLabel(column: Column): string {
  if (column.kind !== 'param') return column.name;
  const parts = column.name.split('.');
  return parts.length > 2 ? parts.slice(-2).join('.') : column.name;
}

const DATE = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

export function formatCell(column: Column, row: ExperimentRow): string {
  const value: ParameterValue | undefined = column.value(row);
  if (column.id === 'run:epochs') return `${row.epochsCompleted}/${row.epochs}`;
  if (column.id === 'run:duration_s') return row.durationMs === undefined ? '–' : formatDuration(row.durationMs);
  if (column.id === 'run:created') return DATE.format(new Date(row.createdAt));
  if (value === undefined) return '–';
  if (typeof value === 'string') return value;
  if (column.kind === 'metric') return formatMetric(column.name.replace(/^(best_|test_)/, ''), value);
  return formatValue(value);
}

export class RunTable {
  readonly element: HTMLElement;
  private readonly table: HTMLTableElement;
  private readonly head: HTMLTableSectionElement;
  private readonly body: HTMLTableSectionElement;
  private view: TableView | undefined;
  private headKey = '';
  private readonly rowCache = new WeakMap<ExperimentRow, { key: string; element: HTMLElement }>();
  private frame = 0;
  private readonly selectAll: HTMLInputElement;
  /**
   * Sizes and scroll position as last observed: reading them from the DOM in
   * the middle of a render would force a layout of the whole page.
   */
  private scrollTop = 0;
  private viewportHeight = 420;
  private headHeight = 56;

  constructor(private readonly actions: TableActions) {
    this.head = h('thead');
    this.body = h('tbody');
    this.table = h('table', { class: 'runs' }, this.head, this.body);
    this.element = h('div', { class: 'table-wrap', tabindex: 0 }, this.table);
    this.selectAll = h('input', { type: 'checkbox', class: 'select-all', 'aria-label': 'Select every shown run', title: 'Select every shown run' });
    this.selectAll.addEventListener('change', () => actions.selectShown(this.selectAll.checked));
    this.element.addEventListener('scroll', () => {
      this.scrollTop = this.element.scrollTop;
      if (!this.frame) this.frame = requestAnimationFrame(() => this.renderRows());
    });
    new ResizeObserver(() => {
      this.viewportHeight = this.element.clientHeight;
      this.headHeight = this.head.offsetHeight;
      this.renderRows();
    }).observe(this.element);
    this.body.addEventListener('click', (event) => this.onClick(event));
    this.body.addEventListener('dblclick', (event) => {
      const runId = (event.target as HTMLElement).closest('tr')?.dataset.runId;
      if (runId && !(event.target as HTMLElement).closest('input, button')) actions.openRun(runId);
    });
  }

  /** Shows these rows; redraws the header only when the columns or the sort changed. */
  update(view: TableView): void {
    this.view = view;
    const key = `${view.columns.map((c) => c.id).join('|')}#${view.sort.column.id}:${view.sort.descending}`;
    if (key !== this.headKey) {
      this.headKey = key;
      this.renderHead(view);
    }
    const shownSelected = view.rows.length > 0 && view.rows.every((row) => view.selected.has(row.id));
    this.selectAll.checked = shownSelected;
    this.renderRows();
  }

  /** Empties the header's filter boxes (Clear Filters). */
  clearFilterInputs(): void {
    for (const input of this.head.querySelectorAll<HTMLInputElement>('input.column-filter')) input.value = '';
  }

  /** Scrolls so the row is in view (the scatter's click, the e2e test). */
  reveal(runId: string): void {
    const index = this.view?.rows.findIndex((row) => row.id === runId) ?? -1;
    if (index < 0) return;
    const top = index * ROW_HEIGHT;
    const { scrollTop, viewportHeight } = this;
    if (top < scrollTop || top + ROW_HEIGHT > scrollTop + viewportHeight - 2 * ROW_HEIGHT) {
      this.element.scrollTop = Math.max(0, top - viewportHeight / 3);
      this.scrollTop = this.element.scrollTop;
    }
    this.renderRows();
  }

  private renderHead(view: TableView): void {
    const colgroup = h('colgroup', null, h('col', { class: 'col-select' }), h('col', { class: 'col-star' }), ...view.columns.map((c) => {
      const col = h('col');
      col.style.width = `${columnWidth(c)}px`;
      return col;
    }));
    this.table.querySelector('colgroup')?.remove();
    this.table.prepend(colgroup);
    // A fixed layout needs the table's own width: the columns' sum.
    this.table.style.width = `${2 * 30 + view.columns.reduce((sum, c) => sum + columnWidth(c), 0)}px`;
    const names = h(
      'tr',
      { class: 'names' },
      h('th', { class: 'select' }, this.selectAll),
      h('th', { class: 'star', title: 'Starred' }, '★'),
      ...view.columns.map((column) => {
        const sorted = view.sort.column.id === column.id;
        const th = h(
          'th',
          { 'data-column': column.name, 'data-column-id': column.id, class: `${column.kind}${column.numeric ? ' num' : ''}${sorted ? ' sorted' : ''}`, title: `${column.name} (click to sort)`, 'aria-sort': sorted ? (view.sort.descending ? 'descending' : 'ascending') : undefined },
          shortLabel(column),
          sorted ? h('span', { class: 'sort-mark' }, view.sort.descending ? ' ▼' : ' ▲') : null,
        );
        th.addEventListener('click', () => this.actions.sort(column));
        return th;
      }),
    );
    const filters = h(
      'tr',
      { class: 'filters' },
      h('th'),
      h('th'),
      ...view.columns.map((column) => {
        const input = h('input', {
          class: 'column-filter',
          'data-column-id': column.id,
          placeholder: column.numeric ? '>0.9, 1..5' : 'filter',
          'aria-label': `Filter ${column.name}`,
          value: view.columnFilters.get(column.id) ?? '',
        });
        input.addEventListener('input', () => this.actions.filterColumn(column.id, input.value));
        return h('th', null, input);
      }),
    );
    replace(this.head, names, filters);
  }

  private renderRows(): void {
    this.frame = 0;
    const view = this.view;
    if (!view) return;
    const total = view.rows.length;
    const viewport = Math.max(this.viewportHeight - this.headHeight, ROW_HEIGHT);
    // Fewer rows than before may have shortened the table under the scroll position.
    const scrollTop = Math.min(this.scrollTop, Math.max(0, total * ROW_HEIGHT - viewport));
    const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(total, Math.ceil((scrollTop + viewport) / ROW_HEIGHT) + OVERSCAN);
    const spacer = (rows: number): HTMLTableRowElement => {
      const tr = h('tr', { class: 'spacer', 'aria-hidden': 'true' }, h('td', { colspan: view.columns.length + 2 }));
      tr.style.height = `${rows * ROW_HEIGHT}px`;
      return tr;
    };
    const rows: HTMLElement[] = [];
    for (let i = first; i < last; i++) rows.push(this.rowElement(view, view.rows[i]));
    replace(this.body, spacer(first), ...rows, spacer(total - last));
    this.element.dataset.rendered = String(last - first);
  }

  /** The row's element, reused while nothing it shows has changed (rows scroll and filter in and out). */
  private rowElement(view: TableView, row: ExperimentRow): HTMLElement {
    const key = `${this.headKey}|${view.selected.has(row.id)}|${view.starred.has(row.id)}|${row.id === view.baseline}|${row.id === view.best}`;
    const kept = this.rowCache.get(row);
    if (kept?.key === key) return kept.element;
    const element = this.renderRow(view, row);
    this.rowCache.set(row, { key, element });
    return element;
  }

  private renderRow(view: TableView, row: ExperimentRow): HTMLElement {
    const starred = view.starred.has(row.id);
    const selected = view.selected.has(row.id);
    const classes = ['run-row', selected ? 'selected' : '', row.id === view.baseline ? 'baseline' : '', row.id === view.best ? 'best-run' : ''].filter(Boolean).join(' ');
    return h(
      'tr',
      { class: classes, 'data-run-id': row.id },
      h('td', { class: 'select' }, h('input', { type: 'checkbox', class: 'select-run', checked: selected, 'aria-label': `Select ${row.name}` })),
      h('td', { class: 'star' }, h('button', { class: `star${starred ? ' on' : ''}`, 'data-action': 'star', 'aria-pressed': String(starred), title: starred ? 'Unstar' : 'Star' }, starred ? '★' : '☆')),
      ...view.columns.map((column) => {
        if (column.id === 'run:run') return this.nameCell(view, row);
        const text = formatCell(column, row);
        if (column.id === 'run:status') return h('td', null, h('span', { class: `status status-${row.status}`, 'data-status': row.status }, text));
        return h('td', { class: column.numeric ? 'num' : undefined, title: column.kind === 'param' ? `${column.name} = ${text}` : undefined }, text);
      }),
    );
  }

  private nameCell(view: TableView, row: ExperimentRow): HTMLElement {
    return h(
      'td',
      { class: 'name', title: row.id },
      row.id === view.baseline ? h('span', { class: 'tag tag-baseline', title: 'The pinned baseline' }, 'baseline') : null,
      row.id === view.best ? h('span', { class: 'tag tag-best', title: 'The best run by the chosen metric' }, 'best') : null,
      h('span', { class: 'run-name' }, row.name),
      h('span', { class: 'run-id' }, row.id),
    );
  }

  private onClick(event: Event): void {
    const target = event.target as HTMLElement;
    const runId = target.closest('tr')?.dataset.runId;
    if (!runId) return;
    if (target.closest('[data-action=star]')) this.actions.toggleStar(runId);
    else if (target.closest('input.select-run')) this.actions.toggleSelect(runId);
  }
}

// The table of runs, virtualized: only the rows in view (and a few around)
// are in the DOM, between two spacer rows that keep the scroll height, so
// thousands of runs scroll and redraw as fast as thirty. The row elements
// stay in place and take the next runs' values (RowSlot): putting rows into
// the table again cost a style pass each (about 20 ms a redraw here), new
// text in fixed-size cells costs almost nothing. Fixed row height and column
// widths keep the layout still. The header sorts (click) and filters (a box
// per column).

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
  /** The row elements in view, top to bottom, between the spacers; rebuilt when the columns change. */
  private slots: RowSlot[] = [];
  private slotsKey = '';
  private readonly spacers: [HTMLTableRowElement, HTMLTableRowElement] = [spacerRow(), spacerRow()];
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
    const [top, bottom] = this.spacers;
    if (this.slotsKey !== this.headKey) {
      this.slotsKey = this.headKey;
      this.slots = [];
      for (const spacer of this.spacers) spacer.firstElementChild?.setAttribute('colspan', String(view.columns.length + 2));
      replace(this.body, top, bottom);
    }
    while (this.slots.length < last - first) {
      const slot = new RowSlot(view.columns);
      this.body.insertBefore(slot.element, bottom);
      this.slots.push(slot);
    }
    while (this.slots.length > last - first) this.slots.pop()?.element.remove();
    this.slots.forEach((slot, i) => slot.show(view, view.rows[first + i], this.headKey));
    setHeight(top, first * ROW_HEIGHT);
    setHeight(bottom, (total - last) * ROW_HEIGHT);
    this.element.dataset.rendered = String(last - first);
  }

  private onClick(event: Event): void {
    const target = event.target as HTMLElement;
    const runId = target.closest('tr')?.dataset.runId;
    if (!runId) return;
    if (target.closest('[data-action=star]')) this.actions.toggleStar(runId);
    else if (target.closest('input.select-run')) this.actions.toggleSelect(runId);
  }
}

function spacerRow(): HTMLTableRowElement {
  return h('tr', { class: 'spacer', 'aria-hidden': 'true' }, h('td'));
}

function setHeight(element: HTMLElement, pixels: number): void {
  const height = `${pixels}px`;
  if (element.style.height !== height) element.style.height = height;
}

/** One row element of the table, showing whichever run is at its place; it changes only what differs. */
class RowSlot {
  readonly element: HTMLTableRowElement;
  private readonly checkbox: HTMLInputElement;
  private readonly star: HTMLButtonElement;
  private readonly cells: HTMLTableCellElement[];
  /** The run column's name and id, and the status column's badge. */
  private readonly name = h('span', { class: 'run-name' });
  private readonly id = h('span', { class: 'run-id' });
  private readonly status = h('span');
  private shown: ExperimentRow | undefined;
  private key = '';

  constructor(private readonly columns: readonly Column[]) {
    this.checkbox = h('input', { type: 'checkbox', class: 'select-run' });
    this.star = h('button', { 'data-action': 'star' });
    this.cells = columns.map((column) => {
      if (column.id === 'run:run') return h('td', { class: 'name' }, this.name, this.id);
      if (column.id === 'run:status') return h('td', null, this.status);
      return h('td', { class: column.numeric ? 'num' : undefined });
    });
    this.element = h('tr', null, h('td', { class: 'select' }, this.checkbox), h('td', { class: 'star' }, this.star), ...this.cells);
  }

  show(view: TableView, row: ExperimentRow, headKey: string): void {
    const selected = view.selected.has(row.id);
    const starred = view.starred.has(row.id);
    const key = `${headKey}|${selected}|${starred}|${row.id === view.baseline}|${row.id === view.best}`;
    if (row === this.shown && key === this.key) return;
    this.shown = row;
    this.key = key;
    const { element, checkbox, star } = this;
    element.className = ['run-row', selected ? 'selected' : '', row.id === view.baseline ? 'baseline' : '', row.id === view.best ? 'best-run' : ''].filter(Boolean).join(' ');
    element.dataset.runId = row.id;
    checkbox.checked = selected;
    checkbox.setAttribute('aria-label', `Select ${row.name}`);
    star.className = `star${starred ? ' on' : ''}`;
    star.setAttribute('aria-pressed', String(starred));
    star.title = starred ? 'Unstar' : 'Star';
    setText(star, starred ? '★' : '☆');
    this.columns.forEach((column, i) => {
      const cell = this.cells[i];
      if (column.id === 'run:run') return this.nameCell(cell, view, row);
      const text = formatCell(column, row);
      if (column.id === 'run:status') {
        this.status.className = `status status-${row.status}`;
        this.status.dataset.status = row.status;
        return setText(this.status, text);
      }
      setText(cell, text);
      if (column.kind === 'param') cell.title = `${column.name} = ${text}`;
    });
  }

  private nameCell(cell: HTMLTableCellElement, view: TableView, row: ExperimentRow): void {
    cell.title = row.id;
    setText(this.name, row.name);
    setText(this.id, row.id);
    // The tags come and go with the baseline and the best: rarely.
    const tags = [
      row.id === view.baseline ? h('span', { class: 'tag tag-baseline', title: 'The pinned baseline' }, 'baseline') : null,
      row.id === view.best ? h('span', { class: 'tag tag-best', title: 'The best run by the chosen metric' }, 'best') : null,
    ].filter((tag) => tag !== null);
    const current = [...cell.querySelectorAll('.tag')];
    if (current.length === tags.length && current.every((tag, i) => tag.className === tags[i].className)) return;
    for (const tag of current) tag.remove();
    this.name.before(...tags);
  }
}

function setText(element: HTMLElement, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}

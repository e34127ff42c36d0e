// The experiments view's controller: holds the rows and what the user chose
// (filters, brushes, sort, stars, selection, metric), talks to the host, and
// redraws the table and both plots at most once per animation frame.

import { MAX_COMPARED_RUNS } from '../../src/shared/protocol/dashboard';
import type {
  ExperimentRow,
  ExperimentsFromWebview,
  ExperimentsToWebview,
  ExperimentsViewState,
  Marks,
  SweepSummary,
} from '../../src/shared/protocol/experiments';
import type { ReplyMessage } from '../../src/shared/protocol/guards';
import type { HostClient } from '../shared/hostClient';
import { h, replace } from '../dashboard/dom';
import { onThemeChange, readPalette } from '../dashboard/theme';
import { buildColumns, defaultMetric, RUN_COLUMNS, type Column, type TableColumns } from './columns';
import { Controls } from './controls';
import { csvFileName, toCsv } from './csv';
import { filterRows, parseColumnFilter, type Brush, type ColumnFilter } from './filters';
import { renderBest, renderCount, renderTitle } from './header';
import { ParallelCoordinates } from './parallelCoordinates';
import { plotColors, type PlotColors } from './plotCanvas';
import { RunTable } from './runTable';
import { axisFor, type Axis } from './scales';
import { ScatterPlot } from './scatterPlot';
import { bestRow, DEFAULT_SORT, displayRows, displayShownRows, sortRows, type SortOrder } from './tableModel';

export type ExperimentsClient = Pick<HostClient<ExperimentsToWebview, ExperimentsFromWebview>, 'request' | 'setState'>;

/** The parallel coordinates show at most this many parameters (the first ones: a sweep's searched come first). */
const MAX_PLOTTED_PARAMS = 12;
/** Push waits on pickers, an upload and a registration. */
const LONG_REQUEST_MS = 60 * 60_000;

export class ExperimentsApp {
  private title = 'Experiments';
  private problem: string | undefined;
  private sweep: SweepSummary | undefined;
  private readonly rows = new Map<string, ExperimentRow>();
  private list: ExperimentRow[] = [];
  private columns: TableColumns = buildColumns([]);
  private readonly axes = new Map<string, Axis>();
  private marks: Marks = { starred: [] };
  private starred = new Set<string>();
  private readonly selected = new Set<string>();
  private readonly busy = new Set<string>();
  private text = '';
  private readonly columnText = new Map<string, string>();
  private readonly columnFilters = new Map<string, ColumnFilter>();
  private readonly brushes = new Map<string, Brush>();
  private logX: boolean | undefined;
  private colors: PlotColors;
  private frame = 0;
  private initialised = false;
  private rowsChanged = true;
  private shownCount = 0;
  /** What the last render showed, for the plots' redraws on resize. */
  private shownIds = new Set<string>();
  private bestId: string | undefined;
  /** Every row in table order, and what it was sorted from: filter changes reuse it. */
  private sorted: { list: ExperimentRow[]; column: Column; descending: boolean; rows: ExperimentRow[] } | undefined;
  /** What each part of the page was last drawn from (see once()). */
  private readonly drawn = new Map<string, string>();
  /** Bumped by every init and update: the title counts finished trials. */
  private rowsVersion = 0;
  private readonly sections: Record<'title' | 'notice' | 'best' | 'count' | 'plots', HTMLElement>;
  private readonly controls: Controls;
  private readonly table: RunTable;
  private readonly parallel: ParallelCoordinates;
  private readonly scatter: ScatterPlot;

  constructor(
    root: HTMLElement,
    private readonly client: ExperimentsClient,
    private view: ExperimentsViewState,
  ) {
    const fontFamily = getComputedStyle(document.body).fontFamily || 'sans-serif';
    this.colors = plotColors(readPalette(), fontFamily);
    this.controls = new Controls({
      filterText: (text) => this.change(() => (this.text = text)),
      chooseMetric: (name) => this.saveView({ metric: name }),
      chooseScatterX: (name) => {
        this.logX = undefined;
        this.saveView({ scatterX: name });
      },
      setLogX: (on) => this.change(() => (this.logX = on)),
      compare: () => void this.compare(),
      pinSelected: () => void this.setBaseline([...this.selected][0]),
      unpinBaseline: () => void this.setBaseline(undefined),
      clearFilters: () => this.clearFilters(),
      clearBrushes: () => this.change(() => this.brushes.clear()),
      exportCsv: () => void this.exportCsv(),
    });
    this.table = new RunTable({
      sort: (column) => this.sortBy(column),
      filterColumn: (id, text) => this.setColumnFilter(id, text),
      toggleStar: (runId) => void this.toggleStar(runId),
      toggleSelect: (runId) => this.change(() => (this.selected.has(runId) ? this.selected.delete(runId) : this.selected.add(runId))),
      selectShown: (on) => this.selectShown(on),
      openRun: (runId) => void this.request((requestId) => ({ type: 'openRuns', requestId, runIds: [runId] })),
    });
    this.parallel = new ParallelCoordinates((columnId, brush) => this.setBrush(columnId, brush));
    this.scatter = new ScatterPlot((runId) => {
      this.change(() => (this.selected.has(runId) ? this.selected.delete(runId) : this.selected.add(runId)));
      this.table.reveal(runId);
    });
    this.sections = {
      title: h('header', { class: 'title' }),
      notice: h('div', { id: 'notice', role: 'status' }),
      best: h('div', { id: 'best' }),
      count: h('div', { class: 'count' }),
      plots: h('section', { class: 'plots' }, h('div', { class: 'plot-card' }, h('h3', null, 'Parameters to metric'), this.parallel.element), h('div', { class: 'plot-card' }, h('h3', null, 'Metric against a parameter'), this.controls.plotControls, this.scatter.element)),
    };
    replace(root, this.sections.title, this.sections.notice, this.sections.best, this.controls.toolbar, this.sections.count, this.table.element, this.sections.plots);
    onThemeChange(() => {
      this.colors = plotColors(readPalette(), fontFamily);
      this.schedule();
    });
  }

  /** A message from the host (replies are settled by the client). */
  receive(message: Exclude<ExperimentsToWebview, ReplyMessage>): void {
    switch (message.type) {
      case 'init':
        this.initialised = true;
        this.title = message.title;
        this.problem = message.problem;
        this.sweep = message.sweep;
        this.rows.clear();
        this.selected.clear();
        for (const row of message.rows) this.rows.set(row.id, row);
        this.setMarks(message.marks);
        this.saveView({ scope: message.scope });
        break;
      case 'update':
        this.sweep = message.sweep;
        for (const id of message.remove) {
          this.rows.delete(id);
          this.selected.delete(id);
        }
        for (const row of message.upsert) this.rows.set(row.id, row);
        break;
      case 'marks':
        this.setMarks(message.marks);
        break;
    }
    if (message.type !== 'marks') {
      this.rowsChanged = true;
      this.rowsVersion++;
    }
    this.schedule();
  }

  /** Renders now instead of at the next animation frame (the benchmark and tests time this). */
  renderNow(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.render();
  }

  /** The benchmark's and tests' handles on the filters (the same paths the controls take). */
  setFilterText(text: string): void {
    this.change(() => (this.text = text));
  }

  setBrush(columnId: string, brush: Brush | undefined): void {
    this.change(() => (brush ? this.brushes.set(columnId, brush) : this.brushes.delete(columnId)));
  }

  get shown(): number {
    return this.shownCount;
  }

  private setMarks(marks: Marks): void {
    this.marks = marks;
    this.starred = new Set(marks.starred);
  }

  private change(apply: () => unknown): void {
    apply();
    this.schedule();
  }

  private saveView(change: Partial<ExperimentsViewState>): void {
    this.view = { ...this.view, ...change };
    this.client.setState(this.view);
    this.schedule();
  }

  private schedule(): void {
    if (!this.frame) this.frame = requestAnimationFrame(() => this.render());
  }

  private sortOrder(): SortOrder {
    const sort = this.view.sort;
    const column = sort && this.columns.byId.get(sort.key);
    return column && sort ? { column, descending: sort.descending } : DEFAULT_SORT;
  }

  private sortBy(column: Column): void {
    const current = this.sortOrder();
    // Results sort best first on the first click; everything else descending, then ascending.
    const first = column.kind === 'metric' ? !column.lowerBetter : column.kind !== 'run' || column.id === RUN_COLUMNS.created.id;
    const descending = current.column.id === column.id ? !current.descending : first;
    this.saveView({ sort: { key: column.id, descending } });
  }

  private setColumnFilter(id: string, text: string): void {
    const filter = parseColumnFilter(text);
    this.columnText.set(id, text);
    if (filter) this.columnFilters.set(id, filter);
    else this.columnFilters.delete(id);
    this.schedule();
  }

  private clearFilters(): void {
    this.text = '';
    this.columnText.clear();
    this.columnFilters.clear();
    this.brushes.clear();
    this.controls.clearSearch();
    this.table.clearFilterInputs();
    this.schedule();
  }

  private selectShown(on: boolean): void {
    const shown = filterRows(this.list, this.columns.byId, { text: this.text, columns: this.columnFilters, brushes: this.brushes });
    for (const row of shown) {
      if (on) this.selected.add(row.id);
      else this.selected.delete(row.id);
    }
    this.schedule();
  }

  /** The chosen metric's column; a sweep's own goal decides which end is better. */
  private metricColumn(): Column | undefined {
    const name = this.view.metric && this.columns.byId.has(`metric:${this.view.metric}`) ? this.view.metric : defaultMetric(this.columns.metrics, this.sweep);
    const column = name ? this.columns.byId.get(`metric:${name}`) : undefined;
    if (!column || this.sweep?.metric.name !== column.name) return column;
    return { ...column, lowerBetter: this.sweep.metric.goal === 'minimize' };
  }

  private scatterColumn(): Column | undefined {
    const params = this.columns.params;
    return params.find((p) => p.name === this.view.scatterX) ?? params.find((p) => p.numeric) ?? params[0];
  }

  private axis(column: Column, log = column.log): Axis {
    const key = `${column.id}|${log}|${column.lowerBetter}`;
    let axis = this.axes.get(key);
    if (!axis) this.axes.set(key, (axis = axisFor(column, this.list, log)));
    return axis;
  }

  private sortedRows(): ExperimentRow[] {
    const { column, descending } = this.sortOrder();
    const kept = this.sorted;
    if (kept?.list === this.list && kept.column === column && kept.descending === descending) return kept.rows;
    this.sorted = { list: this.list, column, descending, rows: sortRows(this.list, { column, descending }) };
    return this.sorted.rows;
  }

  private render(): void {
    this.frame = 0;
    if (!this.initialised) return;
    if (this.rowsChanged) {
      this.rowsChanged = false;
      this.list = [...this.rows.values()];
      this.columns = buildColumns(this.list, this.sweep);
      this.axes.clear();
    }
    const metric = this.metricColumn();
    const filtered = filterRows(this.list, this.columns.byId, { text: this.text, columns: this.columnFilters, brushes: this.brushes });
    this.shownCount = filtered.length;
    const best = bestRow(this.list, metric, this.sweep);
    const rows = displayShownRows(this.sortedRows(), new Set(filtered), this.marks.baseline);
    const scatterX = this.scatterColumn();
    // Rebuilt only when they change: new vscode-elements cost a style pass each.
    this.once('title', [this.title, this.sweep, this.list.length, this.rowsVersion], () => replace(this.sections.title, renderTitle(this.title, this.sweep, this.list)));
    this.once('problem', [this.problem], () => this.problem && replace(this.sections.notice, h('p', { class: 'notice' }, this.problem)));
    const bestValue = best && metric ? metric.value(best) : undefined;
    this.once('best', [best?.id, best?.status, metric?.name, bestValue, best ? this.busy.has(best.id) : false, this.sweep?.best?.runId], () =>
      replace(this.sections.best, renderBest(best, metric, this.sweep, { push: (id) => void this.push(id), openAsSpec: (id) => void this.openAsSpec(id), open: (id) => void this.request((requestId) => ({ type: 'openRuns', requestId, runIds: [id] })), busy: this.busy })),
    );
    replace(this.sections.count, renderCount(filtered.length, this.list.length, this.selected.size));
    this.controls.update({
      metrics: this.columns.metrics,
      metric: metric?.name,
      params: this.columns.params,
      scatterX: scatterX?.name,
      logX: this.logX ?? scatterX?.log ?? false,
      selected: this.selected.size,
      maxCompared: MAX_COMPARED_RUNS,
      hasBaseline: this.marks.baseline !== undefined,
      filtering: this.text !== '' || this.columnFilters.size > 0 || this.brushes.size > 0,
      brushing: this.brushes.size > 0,
    });
    this.table.update({ rows, columns: this.columns.all, sort: this.sortOrder(), starred: this.starred, selected: this.selected, baseline: this.marks.baseline, best: best?.id, columnFilters: this.columnText });
    this.shownIds = new Set(filtered.map((row) => row.id));
    this.bestId = best?.id;
    this.drawPlots();
  }

  private drawPlots(): void {
    if (!this.initialised) return;
    const metric = this.metricColumn();
    const common = { rows: this.list, shown: this.shownIds, selected: this.selected, baseline: this.marks.baseline, best: this.bestId, colors: this.colors };
    const metricAxis = metric && this.axis(metric);
    const params = this.columns.params.slice(0, MAX_PLOTTED_PARAMS).map((column) => this.axis(column));
    this.parallel.draw({ ...common, axes: metricAxis ? [...params, metricAxis] : params, brushes: this.brushes });
    const x = this.scatterColumn();
    if (x && metricAxis) {
      this.scatter.element.hidden = false;
      this.scatter.draw({ ...common, x: this.axis(x, this.logX ?? x.log), y: metricAxis });
    } else this.scatter.element.hidden = true;
  }

  /** Runs `draw` when `inputs` differ from the last time under this key. */
  private once(key: string, inputs: unknown[], draw: () => unknown): void {
    const signature = JSON.stringify(inputs);
    if (this.drawn.get(key) === signature) return;
    this.drawn.set(key, signature);
    draw();
  }

  private async request(make: (requestId: number) => Extract<ExperimentsFromWebview, { requestId: number }>, timeoutMs?: number): Promise<boolean> {
    try {
      await this.client.request(make, timeoutMs);
      return true;
    } catch (error) {
      this.notify((error as Error).message);
      return false;
    }
  }

  private async toggleStar(runId: string): Promise<void> {
    const starred = !this.starred.has(runId);
    // At once on screen; the host's marks message confirms (or the failure puts it back).
    this.change(() => (starred ? this.starred.add(runId) : this.starred.delete(runId)));
    if (!(await this.request((requestId) => ({ type: 'star', requestId, runId, starred })))) this.change(() => (starred ? this.starred.delete(runId) : this.starred.add(runId)));
  }

  private async setBaseline(runId: string | undefined): Promise<void> {
    await this.request((requestId) => ({ type: 'baseline', requestId, runId }));
  }

  private async compare(): Promise<void> {
    const order = displayRows(this.list, this.list, this.sortOrder(), this.marks.baseline);
    const runIds = order.filter((row) => this.selected.has(row.id)).map((row) => row.id).slice(0, MAX_COMPARED_RUNS);
    if (runIds.length) await this.request((requestId) => ({ type: 'openRuns', requestId, runIds }));
  }

  private async exportCsv(): Promise<void> {
    const filtered = filterRows(this.list, this.columns.byId, { text: this.text, columns: this.columnFilters, brushes: this.brushes });
    const rows = displayRows(filtered, this.list, this.sortOrder(), this.marks.baseline);
    const [name, ...rest] = this.columns.all;
    const csv = toCsv([name, RUN_COLUMNS.id, ...rest], rows);
    await this.request((requestId) => ({ type: 'exportCsv', requestId, csv, fileName: csvFileName(this.title) }), LONG_REQUEST_MS);
  }

  private async busyWhile(runId: string, work: () => Promise<unknown>): Promise<void> {
    this.change(() => this.busy.add(runId));
    try {
      await work();
    } finally {
      this.change(() => this.busy.delete(runId));
    }
  }

  private push(runId: string): Promise<void> {
    return this.busyWhile(runId, () => this.request((requestId) => ({ type: 'pushRun', requestId, runId }), LONG_REQUEST_MS));
  }

  private openAsSpec(runId: string): Promise<void> {
    return this.busyWhile(runId, () => this.request((requestId) => ({ type: 'openAsSpec', requestId, runId })));
  }

  private notify(message: string): void {
    replace(this.sections.notice, h('p', { class: 'notice' }, message, ' ', h('vscode-button', { secondary: true, onclick: () => replace(this.sections.notice) }, 'Dismiss')));
  }
}

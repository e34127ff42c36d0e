// The experiments view's controls: the search box, the metric the plots and
// "best" use, what to do with the selected runs, and the scatter's x axis.

import { h, replace } from '../dashboard/dom';
import type { Column } from './columns';

export interface ControlsActions {
  filterText(text: string): void;
  chooseMetric(name: string): void;
  chooseScatterX(name: string): void;
  setLogX(on: boolean): void;
  compare(): void;
  pinSelected(): void;
  unpinBaseline(): void;
  clearFilters(): void;
  clearBrushes(): void;
  exportCsv(): void;
}

export interface ControlsState {
  metrics: readonly Column[];
  metric?: string;
  params: readonly Column[];
  scatterX?: string;
  logX: boolean;
  selected: number;
  maxCompared: number;
  hasBaseline: boolean;
  filtering: boolean;
  brushing: boolean;
}

type Select = HTMLElementTagNameMap['vscode-single-select'];
type Button = HTMLElementTagNameMap['vscode-button'];

function select(id: string, label: string, onChange: (value: string) => void): Select {
  const element = h('vscode-single-select', { id, 'aria-label': label });
  element.addEventListener('change', () => onChange(element.value));
  return element;
}

/** Replaces a select's options only when they change (it would lose its open state and focus). */
function setOptions(element: Select, names: readonly string[], value: string | undefined): void {
  const key = names.join('\n');
  if (element.dataset.options !== key) {
    element.dataset.options = key;
    replace(element, ...names.map((name) => h('vscode-option', { value: name, selected: name === value }, name)));
  }
  if (value !== undefined && element.value !== value) element.value = value;
}

export class Controls {
  readonly toolbar: HTMLElement;
  readonly plotControls: HTMLElement;
  private readonly metric: Select;
  private readonly scatterX: Select;
  private readonly logX: HTMLElementTagNameMap['vscode-checkbox'];
  private readonly compare: Button;
  private readonly pin: Button;
  private readonly unpin: Button;
  private readonly clearFilters: Button;
  private readonly clearBrushes: Button;
  private readonly search: HTMLElementTagNameMap['vscode-textfield'];

  constructor(actions: ControlsActions) {
    const search = (this.search = h('vscode-textfield', { id: 'filter', placeholder: 'Filter runs: name, status, values…', 'aria-label': 'Filter runs' }));
    search.addEventListener('input', () => actions.filterText(search.value));
    this.metric = select('metric', 'Metric for the plots and the best run', (value) => actions.chooseMetric(value));
    const button = (action: string, text: string, onClick: () => void, secondary = true): Button => h('vscode-button', { 'data-action': action, secondary, onclick: () => onClick() }, text);
    this.compare = button('compare', 'Compare in Dashboard', () => actions.compare(), false);
    this.pin = button('pin-baseline', 'Pin as Baseline', () => actions.pinSelected());
    this.unpin = button('unpin-baseline', 'Unpin Baseline', () => actions.unpinBaseline());
    this.clearFilters = button('clear-filters', 'Clear Filters', () => actions.clearFilters());
    const exportCsv = button('export', 'Export CSV…', () => actions.exportCsv());
    this.toolbar = h(
      'div',
      { class: 'toolbar', role: 'toolbar' },
      search,
      h('label', { class: 'control' }, h('span', null, 'Metric'), this.metric),
      h('span', { class: 'spacer' }),
      this.compare,
      this.pin,
      this.unpin,
      this.clearFilters,
      exportCsv,
    );
    this.scatterX = select('scatter-x', 'Parameter on the x axis', (value) => actions.chooseScatterX(value));
    this.logX = h('vscode-checkbox', { id: 'log-x', label: 'Log x' });
    this.logX.addEventListener('change', () => actions.setLogX(this.logX.checked));
    this.clearBrushes = button('clear-brushes', 'Clear Brushes', () => actions.clearBrushes());
    this.plotControls = h('div', { class: 'plot-controls' }, this.clearBrushes, h('span', { class: 'spacer' }), h('label', { class: 'control' }, h('span', null, 'x'), this.scatterX), this.logX);
  }

  clearSearch(): void {
    this.search.value = '';
  }

  update(state: ControlsState): void {
    setOptions(this.metric, state.metrics.map((m) => m.name), state.metric);
    setOptions(this.scatterX, state.params.map((p) => p.name), state.scatterX);
    this.logX.checked = state.logX;
    this.compare.disabled = state.selected === 0 || state.selected > state.maxCompared;
    this.compare.title = state.selected > state.maxCompared ? `The dashboard overlays at most ${state.maxCompared} runs` : 'Overlay the selected runs in the dashboard';
    this.compare.textContent = state.selected ? `Compare ${state.selected} in Dashboard` : 'Compare in Dashboard';
    this.pin.hidden = state.selected !== 1;
    this.unpin.hidden = !state.hasBaseline;
    this.clearFilters.hidden = !state.filtering;
    this.clearBrushes.hidden = !state.brushing;
  }
}

// Chart controls: EMA smoothing, log-scale loss, and the runs to compare.

import type { DashboardViewState, RunSummary } from '../../src/shared/protocol/dashboard';
import { MAX_COMPARED_RUNS } from '../../src/shared/protocol/dashboard';
import { h } from './dom';
import { formatMetric } from './format';
import { formatRunTime } from '../../src/shared/runTime';

export interface ToolbarActions {
  setSmoothing(weight: number): void;
  setLogScale(on: boolean): void;
  setIgnoreOutliers(on: boolean): void;
  compare(runIds: string[]): void;
}

export interface Toolbar {
  element: HTMLElement;
  /** Offers `available` in the compare picker, with `shown` selected. */
  setRuns(available: readonly RunSummary[], shown: readonly string[]): void;
}

/** Picking runs one by one should not reload the dashboard after every click. */
const COMPARE_DEBOUNCE_MS = 700;

interface MultiSelect extends HTMLElement {
  value: string[];
  open: boolean;
}

export function buildToolbar(view: DashboardViewState, actions: ToolbarActions): Toolbar {
  const smoothingValue = h('span', { class: 'slider-value' }, view.smoothing.toFixed(2));
  const slider = h('input', {
    type: 'range',
    min: 0,
    max: 0.99,
    step: 0.01,
    value: view.smoothing,
    id: 'smoothing',
    'aria-label': 'Smoothing (exponential moving average weight)',
  });
  slider.addEventListener('input', () => {
    smoothingValue.textContent = Number(slider.value).toFixed(2);
    actions.setSmoothing(Number(slider.value));
  });
  const logScale = h('vscode-checkbox', { label: 'Log-scale loss', id: 'log-scale', checked: view.logScale }) as HTMLElement & { checked: boolean };
  logScale.addEventListener('change', () => actions.setLogScale(logScale.checked));
  const outliers = h('vscode-checkbox', { label: 'Ignore outliers', id: 'ignore-outliers', checked: view.ignoreOutliers, title: 'Scale the y axis to the middle 96% of the values' }) as HTMLElement & { checked: boolean };
  outliers.addEventListener('change', () => actions.setIgnoreOutliers(outliers.checked));

  const picker = h('vscode-multi-select', { id: 'compare', 'aria-label': 'Runs to show' }) as MultiSelect;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let offered = '';
  picker.addEventListener('change', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const ids = picker.value.slice(0, MAX_COMPARED_RUNS);
      if (ids.length) actions.compare(ids);
    }, COMPARE_DEBOUNCE_MS);
  });

  const element = h(
    'div',
    { class: 'toolbar', role: 'toolbar' },
    h('label', { class: 'control', for: 'smoothing' }, h('span', null, 'Smoothing'), slider, smoothingValue),
    h('span', { class: 'control' }, logScale),
    h('span', { class: 'control' }, outliers),
    h('span', { class: 'spacer' }),
    h('span', { class: 'control compare' }, h('span', null, 'Compare runs'), picker),
  );

  return {
    element,
    setRuns(available, shown) {
      const signature = JSON.stringify([available.map((r) => [r.id, r.status, r.accuracy]), shown]);
      if (signature === offered || picker.open) return;
      offered = signature;
      const options = available.map((run) => {
        const accuracy = run.accuracy !== undefined ? ` · ${formatMetric('acc', run.accuracy)}` : '';
        const started = run.createdAt ? ` · ${formatRunTime(run.createdAt)}` : '';
        return h('vscode-option', { value: run.id, selected: shown.includes(run.id), description: run.id }, `${run.name}${started} · ${run.status}${accuracy}`);
      });
      picker.replaceChildren(...options);
    },
  };
}

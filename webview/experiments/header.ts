// The top of the experiments view: what it shows (all runs, or a sweep with
// its progress and best), how many runs pass the filters, and the best run by
// the chosen metric with what to do with it: push it to Vertex AI, turn it
// into a spec, look at it in the dashboard.

import type { ExperimentRow, SweepSummary } from '../../src/shared/protocol/experiments';
import { h } from '../dashboard/dom';
import type { Column } from './columns';
import { formatCell } from './runTable';
import { hasModel } from './tableModel';

export interface BestActions {
  push(runId: string): void;
  openAsSpec(runId: string): void;
  open(runId: string): void;
  /** Run ids whose push or spec request is in flight. */
  busy: ReadonlySet<string>;
}

export function renderTitle(title: string, sweep: SweepSummary | undefined, rows: readonly ExperimentRow[]): HTMLElement {
  const facts: string[] = [];
  if (sweep) {
    const done = rows.filter((row) => row.trial?.sweepId === sweep.id && row.status !== 'running').length;
    facts.push(sweep.status, `${done}/${sweep.plannedTrials} trials`, `${sweep.metric.goal} ${sweep.metric.name}`);
  }
  return h('div', { class: 'title-row' }, h('h1', null, title), ...facts.map((fact) => h('span', { class: 'fact' }, fact)));
}

export function renderCount(shown: number, total: number, selected: number): HTMLElement {
  const text = shown === total ? `${total} run${total === 1 ? '' : 's'}` : `${shown} of ${total} runs shown`;
  return h('span', { id: 'summary', 'data-shown': shown, 'data-total': total, 'data-selected': selected }, text, selected ? ` · ${selected} selected` : '');
}

export function renderBest(best: ExperimentRow | undefined, metric: Column | undefined, sweep: SweepSummary | undefined, actions: BestActions): HTMLElement | null {
  if (!best || !metric) return null;
  const fromSweep = sweep?.best?.runId === best.id && sweep.metric.name === metric.name;
  const who = best.trial ? `trial ${best.trial.trialId}` : best.id;
  const busy = actions.busy.has(best.id);
  const withModel = hasModel(best);
  return h(
    'div',
    { class: 'best', 'data-run-id': best.id },
    h('span', { class: 'best-label' }, fromSweep ? 'Best trial' : 'Best run', ` by ${metric.name}:`),
    h('strong', null, formatCell(metric, best)),
    h('span', null, best.name),
    h('span', { class: 'run-id' }, who),
    h('span', { class: 'spacer' }),
    h('vscode-button', { 'data-action': 'push-best', disabled: busy || !withModel, title: withModel ? "Upload the run's model and register it in the Vertex AI Model Registry" : 'This run saved no model', onclick: () => actions.push(best.id) }, busy ? 'Working…' : 'Push to Vertex AI'),
    h('vscode-button', { secondary: true, 'data-action': 'open-as-spec', disabled: busy, title: "Write a spec with this run's hyperparameters next to the original, and open it", onclick: () => actions.openAsSpec(best.id) }, 'Open as Spec'),
    h('vscode-button', { secondary: true, 'data-action': 'open-best', onclick: () => actions.open(best.id) }, 'Dashboard'),
  );
}

// The dashboard's controller: holds the runs, talks to the host, and redraws
// at most once per animation frame whatever the message rate.

import type { DashboardViewState, HostToWebviewMessage, RunHistory, RunSummary, WebviewToHostMessage } from '../../src/shared/protocol/dashboard';
import type { ReplyMessage } from '../../src/shared/protocol/guards';
import type { HostClient } from '../shared/hostClient';
import { h, replace } from './dom';
import { renderConfig } from './configView';
import { renderEvaluation, renderEvaluationComparison } from './evaluationView';
import { MetricChart, type ChartContext } from './metricChart';
import { runLabels } from './runLabel';
import { RunState } from './runState';
import { renderCompareSummary, renderSingleSummary, type SummaryActions } from './summaryView';
import { onThemeChange, readPalette, type Palette } from './theme';
import { buildToolbar, type Toolbar } from './toolbar';

/** The dashboard's connection to the extension host (webview/shared/hostClient.ts). */
export type DashboardClient = Pick<HostClient<HostToWebviewMessage, WebviewToHostMessage>, 'request' | 'setState'>;

/** Marks a section as not drawn for the runs now shown. */
const NOT_DRAWN = Symbol('not drawn');

/** A push waits on the user's answers in pickers, then an upload and a registration: give it much longer. */
const PUSH_TIMEOUT_MS = 60 * 60_000;

export class DashboardApp {
  private runs: RunState[] = [];
  private available: RunSummary[] = [];
  private readonly charts = new Map<string, MetricChart>();
  private palette: Palette;
  private readonly fontFamily: string;
  private readonly stopping = new Set<string>();
  private readonly pushing = new Set<string>();
  private readonly resuming = new Set<string>();
  private frame = 0;
  private drawnVersions = '';
  /** What the details sections show now; NOT_DRAWN after an init, so the next render replaces them whatever they held. */
  private drawnEvaluation: readonly unknown[] | typeof NOT_DRAWN = NOT_DRAWN;
  private drawnLabels = '';
  private drawnConfig: unknown = NOT_DRAWN;
  private chartsNeedRebuild = false;
  private initialised = false;
  private readonly sections: Record<'summary' | 'notice' | 'charts' | 'evaluation' | 'config', HTMLElement>;
  private readonly toolbar: Toolbar;

  constructor(
    root: HTMLElement,
    private readonly client: DashboardClient,
    private view: DashboardViewState,
  ) {
    this.palette = readPalette();
    this.fontFamily = getComputedStyle(document.body).fontFamily || 'sans-serif';
    this.toolbar = buildToolbar(view, {
      setSmoothing: (value) => this.updateView({ smoothing: value }),
      setLogScale: (value) => this.updateView({ logScale: value }),
      setIgnoreOutliers: (value) => this.updateView({ ignoreOutliers: value }),
      compare: (runIds) => void this.select(runIds),
    });
    this.sections = {
      summary: h('div', { id: 'summary' }),
      notice: h('div', { id: 'notice', role: 'status' }),
      charts: h('div', { id: 'charts', class: 'charts' }),
      evaluation: h('div', { id: 'evaluation' }),
      config: h('div', { id: 'config' }),
    };
    replace(root, this.sections.summary, this.sections.notice, this.toolbar.element, this.sections.charts, this.sections.evaluation, this.sections.config);
    new ResizeObserver(() => this.charts.forEach((chart) => chart.resize())).observe(this.sections.charts);
    onThemeChange(() => {
      this.palette = readPalette();
      this.chartsNeedRebuild = true;
      this.drawnVersions = '';
      this.schedule();
    });
  }

  /** A message from the host (replies are settled by the client and never come here). */
  receive(message: Exclude<HostToWebviewMessage, ReplyMessage>): void {
    switch (message.type) {
      case 'init':
        this.init(message.runs, message.available, message.runsDir);
        break;
      case 'events':
        for (const event of message.events) this.runs.find((run) => run.id === event.runId)?.apply(event);
        this.schedule();
        break;
      case 'runsChanged':
        for (const record of message.records) this.runs.find((run) => run.id === record.id)?.setRecord(record);
        this.available = message.available;
        this.toolbar.setRuns(this.available, this.runIds());
        this.schedule();
        break;
    }
  }

  /**
   * Redraws every chart now (the benchmark times this; normal updates go through requestAnimationFrame).
   * `fresh`: decimate every point again, as after a zoom or a resize.
   */
  redrawCharts(fresh = false): void {
    for (const chart of this.charts.values()) chart.redraw(fresh);
  }

  /** Renders pending changes now instead of at the next animation frame (for the benchmark). */
  renderNow(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.render();
  }

  get chartCount(): number {
    return this.charts.size;
  }

  private init(histories: RunHistory[], available: RunSummary[], runsDir: string | undefined): void {
    this.initialised = true;
    this.runs = histories.map((history) => {
      const run = new RunState(history.runId);
      run.setSmoothing(this.view.smoothing);
      if (history.record) run.setRecord(history.record);
      for (const event of history.events) run.apply(event);
      return run;
    });
    this.available = available;
    this.updateView({ runIds: this.runIds(), runsDir });
    this.toolbar.setRuns(available, this.runIds());
    this.chartsNeedRebuild = true;
    this.drawnVersions = '';
    // A new run with no evaluation yet must not keep the previous run's (undefined would match "nothing to draw").
    this.drawnEvaluation = this.drawnConfig = NOT_DRAWN;
    this.drawnLabels = '';
    this.schedule();
  }

  private runIds(): string[] {
    return this.runs.map((run) => run.id);
  }

  private updateView(change: Partial<DashboardViewState>): void {
    this.view = { ...this.view, ...change };
    this.client.setState(this.view);
    if (change.smoothing !== undefined) for (const run of this.runs) run.setSmoothing(this.view.smoothing);
    if (change.smoothing !== undefined || change.logScale !== undefined || change.ignoreOutliers !== undefined) {
      this.drawnVersions = '';
      this.schedule();
    }
  }

  private schedule(): void {
    if (!this.frame) this.frame = requestAnimationFrame(() => this.render());
  }

  private render(): void {
    this.frame = 0;
    if (!this.initialised) return;
    this.updateLabels();
    const versions = this.runs.map((run) => `${run.id}:${run.version}`).join(',') + `|${[...this.stopping].join(',')}|${[...this.pushing].join(',')}|${[...this.resuming].join(',')}`;
    if (versions === this.drawnVersions && !this.chartsNeedRebuild) return;
    this.drawnVersions = versions;
    this.renderSummary();
    this.renderCharts();
    this.renderDetails();
  }

  /** Names the shown runs by name and start time; a changed name rebuilds the charts' legends. */
  private updateLabels(): void {
    const labels = runLabels(this.runs);
    const key = labels.join('\n');
    if (key === this.drawnLabels) return;
    this.drawnLabels = key;
    this.runs.forEach((run, i) => (run.label = labels[i]));
    this.chartsNeedRebuild = true;
  }

  private renderSummary(): void {
    const actions: SummaryActions = {
      stop: (runId) => void this.stop(runId),
      openFolder: (runId) => void this.client.request((requestId) => ({ type: 'openFolder', requestId, runId })).catch((error: Error) => this.notify(error.message)),
      pushRun: (runId) => void this.push(runId),
      resumeRun: (runId) => void this.resume(runId),
      stopping: this.stopping,
      pushing: this.pushing,
      resuming: this.resuming,
    };
    if (this.runs.length === 0) {
      replace(this.sections.summary, h('header', { class: 'run-header empty' }, h('h1', null, 'No run to show'), h('p', { class: 'muted' }, 'Train a model (Model Studio: Train Model) or pick a run in the Model Explorer.')));
    } else if (this.runs.length === 1) {
      replace(this.sections.summary, renderSingleSummary(this.runs[0], actions));
    } else {
      replace(this.sections.summary, renderCompareSummary(this.runs, this.palette, actions));
    }
  }

  private renderCharts(): void {
    const metrics = [...new Set(this.runs.flatMap((run) => run.metricNames()))];
    const waiting = this.sections.charts.querySelector('.waiting');
    if (metrics.length === 0 && this.runs.length > 0 && !waiting) {
      this.sections.charts.append(h('p', { class: 'waiting muted' }, 'Waiting for the first batch…'));
    } else if (metrics.length > 0) waiting?.remove();
    for (const [metric, chart] of this.charts) {
      if (!metrics.includes(metric)) {
        chart.destroy();
        chart.element.remove();
        this.charts.delete(metric);
      }
    }
    const context: ChartContext = { runs: this.runs, smoothing: this.view.smoothing, logScale: this.view.logScale, ignoreOutliers: this.view.ignoreOutliers, palette: this.palette, fontFamily: this.fontFamily };
    const rebuild = this.chartsNeedRebuild;
    this.chartsNeedRebuild = false;
    metrics.forEach((metric, index) => {
      let chart = this.charts.get(metric);
      if (!chart) {
        chart = new MetricChart(metric);
        this.charts.set(metric, chart);
      }
      // Keeps the metrics' order (loss first) when a new one appears.
      if (this.sections.charts.children[index] !== chart.element) this.sections.charts.insertBefore(chart.element, this.sections.charts.children[index] ?? null);
      chart.update(context, rebuild);
    });
  }

  private renderDetails(): void {
    const single = this.runs.length === 1 ? this.runs[0] : undefined;
    // What the section depends on: each run's own evaluation, and when comparing, the names and colours.
    const inputs = single ? [single.evaluation] : [...this.runs.flatMap((run) => [run.evaluation ?? run.record?.testMetrics, run.status]), this.drawnLabels, this.palette];
    if (this.drawnEvaluation === NOT_DRAWN || inputs.some((input, i) => input !== (this.drawnEvaluation as readonly unknown[])[i])) {
      this.drawnEvaluation = inputs;
      replace(this.sections.evaluation, single ? (single.evaluation ? renderEvaluation(single.evaluation) : null) : this.evaluationComparison());
    }
    const config = single ? single.started ?? single.record : undefined;
    if (config !== this.drawnConfig) {
      this.drawnConfig = config;
      replace(this.sections.config, single ? renderConfig(single) : null);
    }
  }

  /** The compared runs' test results side by side; nothing when none of them was evaluated. */
  private evaluationComparison(): HTMLElement | null {
    if (!this.runs.some((run) => run.evaluation ?? run.record?.testMetrics)) return null;
    return renderEvaluationComparison(
      this.runs.map((run, i) => ({
        runId: run.id,
        label: run.label || run.name,
        colour: this.palette.lines[i % this.palette.lines.length],
        status: run.status,
        evaluation: run.evaluation,
        testMetrics: run.record?.testMetrics,
      })),
    );
  }

  private async stop(runId: string): Promise<void> {
    this.stopping.add(runId);
    this.schedule();
    try {
      await this.client.request((requestId) => ({ type: 'stop', requestId, runId }));
    } catch (error) {
      this.notify(`Could not stop the run: ${(error as Error).message}`);
    } finally {
      this.stopping.delete(runId);
      this.schedule();
    }
  }

  /** The host answers when its Push Model flow ends; until then the button says so. */
  private async push(runId: string): Promise<void> {
    this.pushing.add(runId);
    this.schedule();
    try {
      await this.client.request((requestId) => ({ type: 'pushRun', requestId, runId }), PUSH_TIMEOUT_MS);
    } catch (error) {
      this.notify(`Could not push the run: ${(error as Error).message}`);
    } finally {
      this.pushing.delete(runId);
      this.schedule();
    }
  }

  /** The host runs Resume Training for the run and answers once the trainer is asked to start (or the command failed and said why). */
  private async resume(runId: string): Promise<void> {
    this.resuming.add(runId);
    this.schedule();
    try {
      await this.client.request((requestId) => ({ type: 'resumeRun', requestId, runId }));
    } catch (error) {
      this.notify(`Could not resume the run: ${(error as Error).message}`);
    } finally {
      this.resuming.delete(runId);
      this.schedule();
    }
  }

  private async select(runIds: string[]): Promise<void> {
    if (runIds.length === 0) return;
    try {
      await this.client.request((requestId) => ({ type: 'selectRuns', requestId, runIds }));
    } catch (error) {
      this.notify((error as Error).message);
    }
  }

  private notify(message: string): void {
    replace(this.sections.notice, h('p', { class: 'notice' }, message, ' ', h('vscode-button', { secondary: true, onclick: () => replace(this.sections.notice) }, 'Dismiss')));
  }
}

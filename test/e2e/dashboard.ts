// Reading the training dashboard webview in one go: its header re-renders
// with every event, so located handles go stale between two reads.
import type { Frame } from 'playwright-core';

export interface DashboardHeader {
  runId: string;
  /** The status badge: running, completed, stopped, failed. */
  status: string;
  /** The header's facts by label ("Epoch": "2/3", "Batch": "57/188", …). */
  facts: Record<string, string>;
  /** The metric tiles' values by metric. */
  tiles: Record<string, string>;
}

/** The dashboard's header facts, tiles, status and run id. */
export async function dashboardHeader(frame: Frame): Promise<DashboardHeader> {
  return (await frame.evaluate(`(() => ({
    runId: document.querySelector('.run-header[data-run-id]')?.dataset.runId ?? '',
    status: document.querySelector('vscode-badge[data-status]')?.dataset.status ?? '',
    facts: Object.fromEntries([...document.querySelectorAll('[data-fact]')].map((e) => [e.dataset.fact, e.textContent])),
    tiles: Object.fromEntries([...document.querySelectorAll('.tile[data-metric]')].map((e) => [e.dataset.metric, e.querySelector('.tile-value').textContent])),
  }))()`)) as DashboardHeader;
}

export interface ChartCard {
  /** x values drawn. */
  points: number;
  /** The right end of the x axis, in epochs. */
  xMax: number;
  /** The lines in the legend: batch, epoch, val. */
  kinds: string[];
}

/** One metric's chart card as drawn, or undefined before it exists. */
export async function chartCard(frame: Frame, metric: string): Promise<ChartCard | undefined> {
  return (await frame.evaluate(`(() => {
    const card = document.querySelector('.chart-card[data-metric=${JSON.stringify(metric)}]');
    if (!card) return undefined;
    return {
      points: Number(card.dataset.points ?? 0),
      xMax: Number(card.dataset.xMax ?? 0),
      kinds: [...card.querySelectorAll('.legend-item')].map((item) => [...item.classList].find((c) => c.startsWith('kind-'))?.slice(5) ?? ''),
    };
  })()`)) as ChartCard | undefined;
}

/** Clicks a dashboard button through the page (the header re-renders with every event, detaching located handles). */
export async function clickInDashboard(frame: Frame, selector: string): Promise<void> {
  await frame.evaluate(`document.querySelector(${JSON.stringify(selector)})?.click()`);
}

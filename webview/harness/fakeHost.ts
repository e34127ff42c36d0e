// The benchmark's and browser tests' stand-in for VS Code: a fake
// acquireVsCodeApi (loaded before dashboard.js), theme variables, synthetic
// runs, and timing helpers, exposed as `window.harness`.

import type { BatchEndEvent, TrainerEvent } from '../../src/shared/events';
import { testAccuracyOf } from '../../src/shared/metrics';
import type { HostToWebviewMessage, RunHistory, WebviewToHostMessage } from '../../src/shared/protocol/dashboard';
import { syntheticRun, type HarnessImage, type SyntheticRunOptions } from './syntheticRun';
import { applyTheme, type ThemeName } from './themes';

export interface Timings {
  samples: number[];
}

const posted: WebviewToHostMessage[] = [];
const violations: string[] = [];
let state: unknown;
let ready = false;
let pending: HostToWebviewMessage[] = [];

document.addEventListener('securitypolicyviolation', (event) => {
  violations.push(`${event.violatedDirective}: ${event.blockedURI || 'inline'} ${event.sourceFile}:${event.lineNumber}`);
});

function deliver(message: HostToWebviewMessage): void {
  if (!ready) {
    pending.push(message);
    return;
  }
  window.dispatchEvent(new MessageEvent('message', { data: message }));
}

const api = {
  postMessage(message: WebviewToHostMessage): void {
    posted.push(message);
    if (message.type === 'ready') {
      ready = true;
      const queued = pending;
      pending = [];
      queued.forEach(deliver);
    } else {
      // Requests succeed after a moment, like a real host.
      setTimeout(() => deliver({ type: 'reply', requestId: message.requestId }), harness.replyDelayMs);
    }
  },
  getState: (): unknown => state,
  setState(value: unknown): void {
    state = value;
  },
};

Object.assign(window, { acquireVsCodeApi: () => api });

function flushCanvases(): void {
  // Reading a pixel forces the canvas to rasterise what was drawn, so timings include it.
  for (const canvas of document.querySelectorAll('canvas')) canvas.getContext('2d')?.getImageData(0, 0, 1, 1);
}

function app(): NonNullable<Window['modelStudioDashboard']> {
  const dashboard = window.modelStudioDashboard;
  if (!dashboard) throw new Error('the dashboard did not start');
  return dashboard;
}

const harness = {
  posted,
  violations,
  /** How long the fake host takes to answer a request; tests lengthen it to see busy states. */
  replyDelayMs: 50,
  setTheme(name: ThemeName): void {
    applyTheme(name);
  },
  /** Builds synthetic runs and sends them as the host's `init`. Returns the events per run. */
  showRuns(runs: SyntheticRunOptions[], images: HarnessImage[] = []): number[] {
    const exampleImage = (label: number, nth: number): { index: number; base64: string } | undefined => {
      const matching = images.filter((image) => image.label === label);
      return matching.length ? matching[nth % matching.length] : undefined;
    };
    const histories: RunHistory[] = runs.map((options) => {
      const run = syntheticRun({ ...options, exampleImage });
      return { runId: run.record.id, record: run.record, events: run.events };
    });
    deliver({
      type: 'init',
      runs: histories,
      available: histories.map((h) => ({ id: h.runId, name: h.record?.name ?? h.runId, status: h.record?.status ?? 'running', createdAt: h.record?.createdAt ?? '', accuracy: h.record && testAccuracyOf(h.record) })),
    });
    return histories.map((h) => h.events.length);
  },
  deliver,
  renderNow(): void {
    app().renderNow();
    flushCanvases();
  },
  /** Times `count` redraws of every chart (decimate, setData, draw, rasterise); `fresh`: decimate all points again. */
  measureRedraw(count: number, fresh = false): Timings {
    const samples: number[] = [];
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      app().redrawCharts(fresh);
      flushCanvases();
      samples.push(performance.now() - started);
    }
    return { samples };
  },
  /** Times live updates: an `events` message with `perMessage` new batches for `runId`, then a full render. */
  measureLiveUpdate(runId: string, count: number, perMessage: number): Timings {
    const samples: number[] = [];
    const last = lastBatch(runId);
    let step = last.step;
    let batch = last.batch;
    for (let i = 0; i < count; i++) {
      const events: TrainerEvent[] = [];
      for (let k = 0; k < perMessage; k++) {
        step++;
        batch++;
        events.push({ ...last, step, batch, time: last.time + step, loss: last.loss * (0.9 + 0.2 * Math.random()) });
      }
      const started = performance.now();
      window.dispatchEvent(new MessageEvent('message', { data: { type: 'events', events } }));
      app().renderNow();
      flushCanvases();
      samples.push(performance.now() - started);
    }
    return { samples };
  },
};

const lastBatches = new Map<string, BatchEndEvent>();
window.addEventListener('message', (event: MessageEvent<HostToWebviewMessage>) => {
  const message = event.data;
  const events = message.type === 'init' ? message.runs.flatMap((r) => r.events) : message.type === 'events' ? message.events : [];
  for (const e of events) if (e.type === 'batchEnd') lastBatches.set(e.runId, e);
});

function lastBatch(runId: string): BatchEndEvent {
  const last = lastBatches.get(runId);
  if (!last) throw new Error(`no batches for ${runId}`);
  return last;
}

Object.assign(window, { harness });
export type Harness = typeof harness;

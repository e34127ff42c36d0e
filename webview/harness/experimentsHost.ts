// The experiments view's stand-in for VS Code in the benchmark and the
// browser tests: a fake acquireVsCodeApi (loaded before experiments.js) that
// records what the page posts and answers its requests, theme variables,
// synthetic rows, and timing helpers, exposed as `window.harness`.

import type { ExperimentsFromWebview, ExperimentsToWebview, Marks } from '../../src/shared/protocol/experiments';
import type { Brush } from '../experiments/filters';
import { syntheticExperiments, syntheticSweep } from './syntheticExperiments';
import { applyTheme, type ThemeName } from './themes';

const posted: ExperimentsFromWebview[] = [];
const violations: string[] = [];
let state: unknown;
let ready = false;
let pending: ExperimentsToWebview[] = [];
let marks: Marks = { starred: [] };

document.addEventListener('securitypolicyviolation', (event) => {
  violations.push(`${event.violatedDirective}: ${event.blockedURI || 'inline'} ${event.sourceFile}:${event.lineNumber}`);
});

function deliver(message: ExperimentsToWebview): void {
  if (!ready) {
    pending.push(message);
    return;
  }
  window.dispatchEvent(new MessageEvent('message', { data: message }));
}

/** Like the host: stars and the baseline are kept and sent back as a marks message. */
function answer(message: Exclude<ExperimentsFromWebview, { type: 'ready' }>): void {
  if (message.type === 'star') marks = { ...marks, starred: message.starred ? [...marks.starred, message.runId] : marks.starred.filter((id) => id !== message.runId) };
  if (message.type === 'baseline') marks = message.runId ? { ...marks, baseline: message.runId } : { starred: marks.starred };
  setTimeout(() => {
    if (message.type === 'star' || message.type === 'baseline') deliver({ type: 'marks', marks });
    deliver({ type: 'reply', requestId: message.requestId, error: harness.failNext });
    harness.failNext = undefined;
  }, harness.replyDelayMs);
}

const api = {
  postMessage(message: ExperimentsFromWebview): void {
    posted.push(message);
    if (message.type !== 'ready') return answer(message);
    ready = true;
    const queued = pending;
    pending = [];
    queued.forEach(deliver);
  },
  getState: (): unknown => state,
  setState(value: unknown): void {
    state = value;
  },
};

Object.assign(window, { acquireVsCodeApi: () => api });

function app(): NonNullable<Window['modelStudioExperiments']> {
  const view = window.modelStudioExperiments;
  if (!view) throw new Error('the experiments view did not start');
  return view;
}

function flushCanvases(): void {
  // Reading a pixel forces the canvas to rasterise what was drawn, so timings include it.
  for (const canvas of document.querySelectorAll('canvas')) canvas.getContext('2d')?.getImageData(0, 0, 1, 1);
}

/** Times one change: apply it, render the table and both plots, lay the page out, rasterise the plots. */
function timed(change: () => void): number {
  const started = performance.now();
  change();
  app().renderNow();
  void document.body.offsetHeight;
  flushCanvases();
  return performance.now() - started;
}

const harness = {
  posted,
  violations,
  replyDelayMs: 30,
  /** The next reply carries this error. */
  failNext: undefined as string | undefined,
  setTheme(name: ThemeName): void {
    applyTheme(name);
  },
  deliver,
  /** Sends `count` synthetic runs as the host's init (a sweep's trials when `sweepId` is given). */
  showRows(count: number, options: { sweepId?: string; seed?: number; marks?: Marks } = {}): void {
    const rows = syntheticExperiments({ count, seed: options.seed, sweepId: options.sweepId });
    marks = options.marks ?? { starred: [] };
    const sweep = options.sweepId ? syntheticSweep(options.sweepId, rows) : undefined;
    deliver({ type: 'init', scope: options.sweepId ? { sweepId: options.sweepId } : {}, title: sweep ? `Sweep: ${sweep.name}` : 'Experiments', sweep, rows, marks });
  },
  renderNow(): void {
    app().renderNow();
    flushCanvases();
  },
  /** Times `count` rounds of filter + table + plots: alternating text filters and brushes, as a user narrows down. */
  measureFilterRedraw(count: number): number[] {
    const brushes: Brush[] = [{ min: 0.0005, max: 0.005 }, { min: 0.0001, max: 0.01 }];
    const samples: number[] = [];
    for (let i = 0; i < count; i++) {
      samples.push(
        timed(() => {
          app().setFilterText(i % 2 ? 'relu' : '');
          app().setBrush('param:compile.optimizer.learningRate', brushes[i % 2]);
        }),
      );
    }
    return samples;
  },
  shown(): number {
    return app().shown;
  },
};

Object.assign(window, { harness });
export type ExperimentsHarness = typeof harness;

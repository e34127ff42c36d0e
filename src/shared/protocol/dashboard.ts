// Messages between the extension host and the dashboard webview. Both sides
// import this file, so a message that one side sends is a type the other side
// switches on. Host -> webview messages are notifications; webview -> host
// messages that need an answer carry a requestId and get a `reply`.

import type { RunRecord, RunStatus, TrainerEvent } from '../events';

/** The view type of the dashboard panel (serializer, activation event). */
export const DASHBOARD_VIEW_TYPE = 'modelStudio.dashboard';

/** One run as the dashboard restores it: its record (absent until run.json exists) and every event so far. */
export interface RunHistory {
  runId: string;
  record?: RunRecord;
  events: TrainerEvent[];
}

/** A run the dashboard can offer for comparison. */
export interface RunSummary {
  id: string;
  name: string;
  status: RunStatus;
  createdAt: string;
  /** Test accuracy or final accuracy when known, for the picker's label. */
  accuracy?: number;
}

/** What the webview keeps across reloads (vscode.setState); the serializer reads `runIds` and `runsDir`. */
export interface DashboardViewState {
  runIds: string[];
  /** The folder the runs were read from (absolute path), so a window reload restores the same runs. */
  runsDir?: string;
  smoothing: number;
  logScale: boolean;
  /** Scale y to the middle 96% of the values (the first batches' loss would flatten everything else). */
  ignoreOutliers: boolean;
}

// ---- host -> webview ------------------------------------------------------

/** Replaces everything shown: the runs with their history, and the runs available to compare. */
export interface InitMessage {
  type: 'init';
  runs: RunHistory[];
  /** Where they were read from; the webview saves it for the panel serializer. */
  runsDir?: string;
  available: RunSummary[];
}

/** New events for shown runs, coalesced (at most ~20 messages a second), in arrival order. */
export interface EventsMessage {
  type: 'events';
  events: TrainerEvent[];
}

/** The runs on disk changed (a run started, ended, was deleted): new records and the picker's list. */
export interface RunsChangedMessage {
  type: 'runsChanged';
  records: RunRecord[];
  available: RunSummary[];
}

/** The answer to a webview request. */
export interface ReplyMessage {
  type: 'reply';
  requestId: number;
  /** Set when the request failed, in words for people. */
  error?: string;
}

export type HostToWebviewMessage = InitMessage | EventsMessage | RunsChangedMessage | ReplyMessage;

// ---- webview -> host ------------------------------------------------------

/** The webview's script is listening: the host sends `init`, then events. Sent again after every reload. */
export interface ReadyMessage {
  type: 'ready';
}

/** The user pressed Stop for a run. */
export interface StopRequest {
  type: 'stop';
  requestId: number;
  runId: string;
}

/** Show these runs (one: a single run; several: overlaid for comparison). */
export interface SelectRunsRequest {
  type: 'selectRuns';
  requestId: number;
  runIds: string[];
}

/** Reveal the run's folder in the OS file manager / explorer. */
export interface OpenFolderRequest {
  type: 'openFolder';
  requestId: number;
  runId: string;
}

/** Push the run's saved model to Vertex AI (the host runs the Push Model command for it; the reply comes when that ends). */
export interface PushRunRequest {
  type: 'pushRun';
  requestId: number;
  runId: string;
}

export type WebviewToHostMessage = ReadyMessage | StopRequest | SelectRunsRequest | OpenFolderRequest | PushRunRequest;

export type WebviewRequest = StopRequest | SelectRunsRequest | OpenFolderRequest | PushRunRequest;

// ---- guards: messages cross a process boundary, so each side checks -------

/** Longest run list a selectRuns request may carry; a comparison of more is unreadable anyway. */
export const MAX_COMPARED_RUNS = 12;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isRequestId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Run ids are folder names: no path separators, no dot-dot, bounded length. */
export function isRunId(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/.test(value) && !value.includes('..');
}

export function isWebviewToHostMessage(value: unknown): value is WebviewToHostMessage {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'ready':
      return true;
    case 'stop':
    case 'openFolder':
    case 'pushRun':
      return isRequestId(value.requestId) && isRunId(value.runId);
    case 'selectRuns':
      return (
        isRequestId(value.requestId) &&
        Array.isArray(value.runIds) &&
        value.runIds.length >= 1 &&
        value.runIds.length <= MAX_COMPARED_RUNS &&
        value.runIds.every(isRunId)
      );
    default:
      return false;
  }
}

export function isHostToWebviewMessage(value: unknown): value is HostToWebviewMessage {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'init':
      return Array.isArray(value.runs) && Array.isArray(value.available);
    case 'events':
      return Array.isArray(value.events);
    case 'runsChanged':
      return Array.isArray(value.records) && Array.isArray(value.available);
    case 'reply':
      return isRequestId(value.requestId) && (value.error === undefined || typeof value.error === 'string');
    default:
      return false;
  }
}

/** Per-batch values are noisy: a strong EMA by default (TensorBoard-style weight, 0 = raw). */
export const DEFAULT_SMOOTHING = 0.9;

/** Reads a DashboardViewState saved by the webview (untrusted: it comes back from disk). */
export function parseViewState(value: unknown): DashboardViewState | undefined {
  if (!isRecord(value) || !Array.isArray(value.runIds)) return undefined;
  const runIds = value.runIds.filter(isRunId).slice(0, MAX_COMPARED_RUNS);
  const smoothing = typeof value.smoothing === 'number' && value.smoothing >= 0 && value.smoothing < 1 ? value.smoothing : DEFAULT_SMOOTHING;
  // An absolute path without NUL; the host only ever reads run folders inside it.
  const runsDir = typeof value.runsDir === 'string' && /^([A-Za-z]:[\\/]|\/)/.test(value.runsDir) && !value.runsDir.includes('\0') ? value.runsDir : undefined;
  const state: DashboardViewState = { runIds, smoothing, logScale: value.logScale === true, ignoreOutliers: value.ignoreOutliers !== false };
  if (runsDir) state.runsDir = runsDir;
  return state;
}

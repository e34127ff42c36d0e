// Messages between the extension host and the dashboard webview. Both sides
// import this file, so a message that one side sends is a type the other side
// switches on, and each side checks what it receives with the guards below.
// Host -> webview messages are notifications; webview -> host messages that
// need an answer carry a requestId and get a `reply`.

import { RUN_STATUSES, type RunRecord, type RunStatus, type TrainerEvent } from '../events';
import {
  arrayOf,
  boundedString,
  isReadyMessage,
  isRecord,
  isReplyMessage,
  isRequestId,
  isRunId,
  messagesOf,
  numberIn,
  objectOf,
  oneOf,
  optional,
  type Guard,
  type ReadyMessage,
  type ReplyMessage,
} from './guards';
import { isRunRecord, isTrainerEvent } from './runEvents';

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

export type HostToWebviewMessage = InitMessage | EventsMessage | RunsChangedMessage | ReplyMessage;

// ---- webview -> host ------------------------------------------------------

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

/** Continue a stopped or crashed run from its last checkpoint (the host runs the Resume Training command for it). */
export interface ResumeRunRequest {
  type: 'resumeRun';
  requestId: number;
  runId: string;
}

export type WebviewToHostMessage = ReadyMessage | StopRequest | SelectRunsRequest | OpenFolderRequest | PushRunRequest | ResumeRunRequest;

export type WebviewRequest = StopRequest | SelectRunsRequest | OpenFolderRequest | PushRunRequest | ResumeRunRequest;

// ---- guards: messages cross a process boundary, so each side checks -------

/**
 * Longest run list a selectRuns request (and a comparison) may carry: each run
 * keeps its own colour up to this many (webview/dashboard/theme.ts), and the
 * legend lists one value per run beyond six.
 */
export const MAX_COMPARED_RUNS = 48;
/** Runs one init may carry: the explorer can compare any selection; the picker lists this many. */
export const MAX_SHOWN_RUNS = 200;
/** Events one run's history may hold (a thousand MNIST epochs of 1,875 batches each fit). */
export const MAX_RUN_EVENTS = 5_000_000;
/** Events one live message may carry (coalesced every 50 ms: a burst after a hidden spell). */
export const MAX_LIVE_EVENTS = 100_000;

export const isWebviewToHostMessage: Guard<WebviewToHostMessage> = messagesOf<WebviewToHostMessage>({
  ready: isReadyMessage,
  stop: { requestId: isRequestId, runId: isRunId },
  openFolder: { requestId: isRequestId, runId: isRunId },
  pushRun: { requestId: isRequestId, runId: isRunId },
  resumeRun: { requestId: isRequestId, runId: isRunId },
  selectRuns: {
    requestId: isRequestId,
    runIds: arrayOf(isRunId, { min: 1, max: MAX_COMPARED_RUNS }),
  },
});

const isRunSummary: Guard<RunSummary> = objectOf<RunSummary>({
  id: isRunId,
  name: boundedString(1000),
  status: oneOf(RUN_STATUSES),
  createdAt: boundedString(1000),
  accuracy: optional(numberIn(-Number.MAX_VALUE, Number.MAX_VALUE)),
});

const isAvailable = arrayOf(isRunSummary, { max: MAX_SHOWN_RUNS });

const isRunHistory: Guard<RunHistory> = objectOf<RunHistory>({
  runId: isRunId,
  record: optional(isRunRecord),
  events: arrayOf(isTrainerEvent, { max: MAX_RUN_EVENTS }),
});

export const isHostToWebviewMessage: Guard<HostToWebviewMessage> = messagesOf<HostToWebviewMessage>({
  init: {
    runs: arrayOf(isRunHistory, { max: MAX_SHOWN_RUNS }),
    runsDir: optional(boundedString(4096)),
    available: isAvailable,
  },
  events: { events: arrayOf(isTrainerEvent, { max: MAX_LIVE_EVENTS }) },
  runsChanged: {
    records: arrayOf(isRunRecord, { max: MAX_SHOWN_RUNS }),
    available: isAvailable,
  },
  reply: isReplyMessage,
});

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

// Messages between the extension host and the experiments view (a table of
// runs with parallel coordinates and a scatter plot). Both sides import this
// file and check what they receive with the guards below; webview requests
// carry a requestId and get a `reply` (see guards.ts).

import { RUN_STATUSES, type RunStatus } from '../events';
import type { ParameterScale, SearchGoal, SweepStatus } from '../sweep';
import { MAX_COMPARED_RUNS } from './dashboard';
import {
  arrayOf,
  boundedString,
  integerIn,
  isBoolean,
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
  recordOf,
  type Guard,
  type ReadyMessage,
  type ReplyMessage,
} from './guards';

/** The view type of the experiments panel (serializer, activation event). */
export const EXPERIMENTS_VIEW_TYPE = 'modelStudio.experiments';

/**
 * What one panel shows: every run of the workspace, or the trials of one
 * local sweep. This is the argument of the `modelStudio.openExperiments`
 * command: `{ sweepId: 'mnist-mlp-20261202-101500-ab12' }` or nothing.
 */
export interface ExperimentsScope {
  /** A folder name under `.model-studio/sweeps/`. */
  sweepId?: string;
}

export type ParameterValue = number | string;

/** One run as the table shows it: what it is, its hyperparameters, its results. */
export interface ExperimentRow {
  id: string;
  name: string;
  status: RunStatus;
  createdAt: string;
  epochs: number;
  epochsCompleted: number;
  durationMs?: number;
  /** Hyperparameters by spec path, as validation errors print them: fit.batchSize, model.layers[1].units. */
  params: Record<string, ParameterValue>;
  /** Results by column name: last epoch's loss, val_acc; best_val_acc over the epochs; test_acc. */
  metrics: Record<string, number>;
  /** Set when the run is a trial of a sweep (or of a Vertex AI tuning job). */
  trial?: { sweepId: string; trialId: string };
}

/** The sweep a panel shows: what it searches and its best trial so far. */
export interface SweepSummary {
  id: string;
  name: string;
  status: SweepStatus;
  metric: { name: string; goal: SearchGoal };
  /** Every searched parameter path with its scale (a column even where all trials agree). */
  scales: Record<string, ParameterScale>;
  /** Trials planned (maxTrials) or known, whichever is more. */
  plannedTrials: number;
  best?: { trialId: string; runId?: string; value: number };
}

/** The view's marks: persisted by the host, shared by every experiments panel of the workspace. */
export interface Marks {
  starred: string[];
  /** The run pinned on top of the table as the one to beat. */
  baseline?: string;
}

/** What the webview keeps across reloads (vscode.setState); the serializer reads `scope`. */
export interface ExperimentsViewState {
  scope: ExperimentsScope;
  sort?: { key: string; descending: boolean };
  /** The metric the plots and "best" use. */
  metric?: string;
  /** The scatter plot's x parameter. */
  scatterX?: string;
}

// ---- host -> webview ------------------------------------------------------

/** Replaces everything shown. */
export interface ExperimentsInitMessage {
  type: 'init';
  scope: ExperimentsScope;
  title: string;
  sweep?: SweepSummary;
  rows: ExperimentRow[];
  marks: Marks;
  /** Why nothing can be shown (a sweep that is not there), in words for people. */
  problem?: string;
}

/** Rows that changed or appeared, and rows that went away (coalesced while trials run). */
export interface ExperimentsUpdateMessage {
  type: 'update';
  sweep?: SweepSummary;
  upsert: ExperimentRow[];
  remove: string[];
}

/** Stars or the baseline changed (here or in another panel). */
export interface MarksMessage {
  type: 'marks';
  marks: Marks;
}

export type ExperimentsToWebview = ExperimentsInitMessage | ExperimentsUpdateMessage | MarksMessage | ReplyMessage;

// ---- webview -> host ------------------------------------------------------

export interface StarRequest {
  type: 'star';
  requestId: number;
  runId: string;
  starred: boolean;
}

/** Pins a run as the baseline; without runId, unpins. */
export interface BaselineRequest {
  type: 'baseline';
  requestId: number;
  runId?: string;
}

/** Overlays these runs in the dashboard. */
export interface OpenRunsRequest {
  type: 'openRuns';
  requestId: number;
  runIds: string[];
}

/** Saves the table as CSV: the host asks where. */
export interface ExportCsvRequest {
  type: 'exportCsv';
  requestId: number;
  csv: string;
  fileName: string;
}

/** Pushes the run's model to Vertex AI (the Push Model command; the reply comes when it ends). */
export interface PushRunRequest {
  type: 'pushRun';
  requestId: number;
  runId: string;
}

/** Writes a spec with the run's hyperparameters next to the original and opens it. */
export interface OpenAsSpecRequest {
  type: 'openAsSpec';
  requestId: number;
  runId: string;
}

export type ExperimentsFromWebview = ReadyMessage | StarRequest | BaselineRequest | OpenRunsRequest | ExportCsvRequest | PushRunRequest | OpenAsSpecRequest;

// ---- guards ---------------------------------------------------------------

/** Rows one panel may hold: thousands of runs stay smooth (bench/experimentsView.ts). */
export const MAX_EXPERIMENT_ROWS = 20_000;
const MAX_PARAMS = 500;
const MAX_METRICS = 400;
const MAX_NAME = 1000;
const MAX_KEY = 4096;
/** A CSV export: 20,000 rows of a few hundred characters fit. */
export const MAX_CSV_CHARS = 32 * 1024 * 1024;
export const MAX_STARRED = MAX_EXPERIMENT_ROWS;

const isName = boundedString(MAX_NAME);
const isKey = boundedString(MAX_KEY, 1);
const isNumber = numberIn(-Number.MAX_VALUE, Number.MAX_VALUE);
const isCount = integerIn(0, Number.MAX_SAFE_INTEGER);
const isParameterValue = (value: unknown): value is ParameterValue => isNumber(value) || isName(value);

/** A sweep's id names its folder: the run-id rule keeps it inside `.model-studio/sweeps/`. */
export const isSweepId: Guard<string> = isRunId;

export const isExperimentsScope: Guard<ExperimentsScope> = objectOf<ExperimentsScope>({ sweepId: optional(isSweepId) });

export const isExperimentRow: Guard<ExperimentRow> = objectOf<ExperimentRow>({
  id: isRunId,
  name: isName,
  status: oneOf(RUN_STATUSES),
  createdAt: isName,
  epochs: isCount,
  epochsCompleted: isCount,
  durationMs: optional(numberIn(0, Number.MAX_SAFE_INTEGER)),
  params: recordOf(isKey, isParameterValue, MAX_PARAMS),
  metrics: recordOf(isKey, isNumber, MAX_METRICS),
  // A tuning job's sweep id is its resource name, so only bounded here.
  trial: optional(objectOf<NonNullable<ExperimentRow['trial']>>({ sweepId: isKey, trialId: isKey })),
});

const isSweepSummary: Guard<SweepSummary> = objectOf<SweepSummary>({
  id: isSweepId,
  name: isName,
  status: oneOf(['running', 'completed', 'stopped', 'failed', 'crashed'] as const),
  metric: objectOf<SweepSummary['metric']>({ name: isKey, goal: oneOf(['maximize', 'minimize'] as const) }),
  scales: recordOf(isKey, oneOf(['linear', 'log', 'reverseLog'] as const), MAX_PARAMS),
  plannedTrials: isCount,
  best: optional(objectOf<NonNullable<SweepSummary['best']>>({ trialId: isKey, runId: optional(isRunId), value: isNumber })),
});

export const isMarks: Guard<Marks> = objectOf<Marks>({ starred: arrayOf(isRunId, { max: MAX_STARRED }), baseline: optional(isRunId) });

const isRows = arrayOf(isExperimentRow, { max: MAX_EXPERIMENT_ROWS });

export const isExperimentsToWebview: Guard<ExperimentsToWebview> = messagesOf<ExperimentsToWebview>({
  init: {
    scope: isExperimentsScope,
    title: isName,
    sweep: optional(isSweepSummary),
    rows: isRows,
    marks: isMarks,
    problem: optional(boundedString(64 * 1024)),
  },
  update: {
    sweep: optional(isSweepSummary),
    upsert: isRows,
    remove: arrayOf(isRunId, { max: MAX_EXPERIMENT_ROWS }),
  },
  marks: { marks: isMarks },
  reply: isReplyMessage,
});

export const isExperimentsFromWebview: Guard<ExperimentsFromWebview> = messagesOf<ExperimentsFromWebview>({
  ready: isReadyMessage,
  star: { requestId: isRequestId, runId: isRunId, starred: isBoolean },
  baseline: { requestId: isRequestId, runId: optional(isRunId) },
  openRuns: { requestId: isRequestId, runIds: arrayOf(isRunId, { min: 1, max: MAX_COMPARED_RUNS }) },
  exportCsv: {
    requestId: isRequestId,
    csv: boundedString(MAX_CSV_CHARS),
    // A file name only: the host's save dialog picks the folder.
    fileName: (v): v is string => typeof v === 'string' && /^[\w. -]{1,200}\.csv$/.test(v) && !v.startsWith('.'),
  },
  pushRun: { requestId: isRequestId, runId: isRunId },
  openAsSpec: { requestId: isRequestId, runId: isRunId },
});

/** Reads an ExperimentsViewState saved by the webview (untrusted: it comes back from disk). */
export function parseExperimentsViewState(value: unknown): ExperimentsViewState | undefined {
  if (!isRecord(value) || !isExperimentsScope(value.scope)) return undefined;
  const state: ExperimentsViewState = { scope: value.scope.sweepId ? { sweepId: value.scope.sweepId } : {} };
  const sort = value.sort;
  if (isRecord(sort) && isKey(sort.key) && typeof sort.descending === 'boolean') state.sort = { key: sort.key, descending: sort.descending };
  if (isKey(value.metric)) state.metric = value.metric;
  if (isKey(value.scatterX)) state.scatterX = value.scatterX;
  return state;
}

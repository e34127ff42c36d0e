// Messages between the extension host and the batch prediction results
// viewer. The webview says 'ready' and gets the job; it asks for one page of
// results at a time (never the whole output), and the host answers busy, then
// the page or an error. Each side checks what it receives.

import {
  arrayOf,
  boundedString,
  integerIn,
  isBoolean,
  isReadyMessage,
  MAX_MESSAGE_TEXT,
  messagesOf,
  numberIn,
  objectOf,
  optional,
  type Guard,
  type ReadyMessage,
} from './guards';
import { isMnistPixels, TOP_CLASSES, type ClassProbability } from './predict';

/** Results one page shows: ~50 digit cards fill a screen or two. */
export const RESULTS_PAGE_SIZE = 48;
/** The most a page may hold (what the guard lets through). */
export const MAX_PAGE_ROWS = 500;
/** What a row shows of an instance or a prediction that is not a digit or class probabilities. */
export const MAX_SHOWN_TEXT = 300;

export interface BatchResultView {
  /** Position among all results (predictions first, then errors). */
  index: number;
  /** 28x28 grey values in [0, 1], when the instance is an MNIST image. */
  pixels?: number[];
  /** The instance as text, cut short, when it is not an image. */
  instance?: string;
  /** Classes by probability, highest first (top 3), when the prediction is a list of probabilities. */
  top: ClassProbability[];
  /** The prediction as text, cut short, when it is not a list of probabilities. */
  raw?: string;
  /** Why this instance has no prediction. */
  error?: string;
}

export interface BatchInitMessage {
  type: 'init';
  jobName: string;
  /** "mnist-mlp v2 · n1-standard-4 · succeeded". */
  summary: string;
  /** Results the job counted (predictions and errors). */
  total: number;
  pageSize: number;
  outputDirectory: string;
}

export interface BatchBusyMessage {
  type: 'busy';
  message: string;
}

export interface BatchPageMessage {
  type: 'page';
  offset: number;
  rows: BatchResultView[];
  /** Whether results follow this page. */
  more: boolean;
}

export interface BatchErrorMessage {
  type: 'error';
  message: string;
}

export type BatchToWebview = BatchInitMessage | BatchBusyMessage | BatchPageMessage | BatchErrorMessage;

/** Show the page that starts at `offset`. */
export interface BatchPageRequest {
  type: 'page';
  offset: number;
}

export type BatchFromWebview = ReadyMessage | BatchPageRequest;

const isText = boundedString(MAX_MESSAGE_TEXT);
const isShown = boundedString(MAX_SHOWN_TEXT + 1);
const isCount = integerIn(0, Number.MAX_SAFE_INTEGER);

export const isBatchFromWebview: Guard<BatchFromWebview> = messagesOf<BatchFromWebview>({
  ready: isReadyMessage,
  page: { offset: isCount },
});

const isResultView: Guard<BatchResultView> = objectOf<BatchResultView>({
  index: isCount,
  pixels: optional(isMnistPixels),
  instance: optional(isShown),
  top: arrayOf(objectOf<ClassProbability>({ cls: isCount, p: numberIn(-Number.MAX_VALUE, Number.MAX_VALUE) }), { max: TOP_CLASSES }),
  raw: optional(isShown),
  error: optional(isText),
});

export const isBatchToWebview: Guard<BatchToWebview> = messagesOf<BatchToWebview>({
  init: {
    jobName: boundedString(1000),
    summary: isText,
    total: isCount,
    pageSize: integerIn(1, MAX_PAGE_ROWS),
    outputDirectory: boundedString(2000),
  },
  busy: { message: isText },
  page: { offset: isCount, rows: arrayOf(isResultView, { max: MAX_PAGE_ROWS }), more: isBoolean },
  error: { message: isText },
});

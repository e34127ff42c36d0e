// Messages between the extension host and the prediction panel's webview.
// The webview says 'ready' and gets the endpoint; it asks for a prediction
// of a drawn digit, of test samples, or of a request file; the host answers
// busy, then a result or an error. Each side checks what it receives.

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

/** An MNIST image: 28 x 28 grey values. */
export const MNIST_PIXELS = 28 * 28;
/** Test samples one request may ask for. */
export const MAX_SAMPLES = 32;
/** Rows one result may carry (a 1.5 MB request holds fewer instances). */
export const MAX_PREDICTION_ROWS = 100_000;
/** Classes a result row lists, highest first. */
export const TOP_CLASSES = 3;

export interface ClassProbability {
  cls: number;
  p: number;
}

export interface PredictionRow {
  /** 28x28 grey values in [0, 1] for a thumbnail, when the instance is an image. */
  pixels?: number[];
  /** The true class, when it came from the test set. */
  label?: number;
  /** Classes by probability, highest first (top 3). */
  top: ClassProbability[];
  /** The raw prediction when it is not a list of probabilities. */
  raw?: string;
}

export interface PredictInitMessage {
  type: 'init';
  endpointName: string;
  /** The deployed models and their shares, in words. */
  deployed: string;
  samplesAvailable: boolean;
  /** Why there are no test samples, and how to get them. */
  samplesNote?: string;
}

/** The endpoint changed (a deploy, a new split, an undeploy): its deployed models and shares now. */
export interface PredictDeployedMessage {
  type: 'deployed';
  deployed: string;
}

export interface PredictBusyMessage {
  type: 'busy';
  message: string;
}

export interface PredictResultMessage {
  type: 'result';
  /** Where the instances came from, in words. */
  source: string;
  answeredBy: string;
  ms: number;
  rows: PredictionRow[];
}

export interface PredictErrorMessage {
  type: 'error';
  message: string;
}

export type PredictToWebview = PredictInitMessage | PredictDeployedMessage | PredictBusyMessage | PredictResultMessage | PredictErrorMessage;

/** A digit drawn on the canvas, scaled like MNIST. */
export interface DrawnMessage {
  type: 'drawn';
  pixels: number[];
}

/** Send this many samples of the MNIST test set. */
export interface SamplesMessage {
  type: 'samples';
  count: number;
}

/** Ask the user for a JSON request file and send it. */
export interface RequestFileMessage {
  type: 'requestFile';
}

export type PredictFromWebview = ReadyMessage | DrawnMessage | SamplesMessage | RequestFileMessage;

const isText = boundedString(MAX_MESSAGE_TEXT);
const isName = boundedString(1000);
/** Exactly one MNIST image of values in [0, 1]. */
export const isMnistPixels: Guard<number[]> = arrayOf(numberIn(0, 1), { min: MNIST_PIXELS, max: MNIST_PIXELS });

export const isPredictFromWebview: Guard<PredictFromWebview> = messagesOf<PredictFromWebview>({
  ready: isReadyMessage,
  drawn: { pixels: isMnistPixels },
  samples: { count: integerIn(1, MAX_SAMPLES) },
  requestFile: {},
});

const isPredictionRow: Guard<PredictionRow> = objectOf<PredictionRow>({
  pixels: optional(isMnistPixels),
  label: optional(integerIn(0, Number.MAX_SAFE_INTEGER)),
  // A model's outputs need not be probabilities (logits, regression): any finite number.
  top: arrayOf(objectOf<ClassProbability>({ cls: integerIn(0, Number.MAX_SAFE_INTEGER), p: numberIn(-Number.MAX_VALUE, Number.MAX_VALUE) }), { max: TOP_CLASSES }),
  raw: optional(isText),
});

export const isPredictToWebview: Guard<PredictToWebview> = messagesOf<PredictToWebview>({
  init: {
    endpointName: isName,
    deployed: isText,
    samplesAvailable: isBoolean,
    samplesNote: optional(isText),
  },
  deployed: { deployed: isText },
  busy: { message: isText },
  result: {
    source: isText,
    answeredBy: isText,
    ms: numberIn(0, Number.MAX_SAFE_INTEGER),
    rows: arrayOf(isPredictionRow, { max: MAX_PREDICTION_ROWS }),
  },
  error: { message: isText },
});

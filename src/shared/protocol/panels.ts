// Messages between the extension host and the traffic and prediction
// webviews. Type-only on both sides; each webview sends 'ready' first.

export interface TrafficRow {
  id: string;
  label: string;
  /** Share now, on the endpoint. */
  current: number;
  machine: string;
}

export type TrafficToWebview =
  | { type: 'state'; endpointId: string; endpointName: string; etag: string; rows: TrafficRow[]; conflict?: string; error?: string; applied?: string }
  | { type: 'busy'; message: string };

export type TrafficFromWebview = { type: 'ready' } | { type: 'apply'; etag: string; split: Record<string, number> } | { type: 'reload' };

export interface PredictionRow {
  /** 28x28 grey values in [0, 1] for a thumbnail, when the instance is an image. */
  pixels?: number[];
  /** The true class, when it came from the test set. */
  label?: number;
  /** Classes by probability, highest first (top 3). */
  top: { cls: number; p: number }[];
  /** The raw prediction when it is not a list of probabilities. */
  raw?: string;
}

export type PredictToWebview =
  | { type: 'init'; endpointName: string; deployed: string; samplesAvailable: boolean; samplesNote?: string }
  | { type: 'busy'; message: string }
  | { type: 'result'; source: string; answeredBy: string; ms: number; rows: PredictionRow[] }
  | { type: 'error'; message: string };

export type PredictFromWebview =
  | { type: 'ready' }
  | { type: 'drawn'; pixels: number[] }
  | { type: 'samples'; count: number }
  | { type: 'requestFile' };

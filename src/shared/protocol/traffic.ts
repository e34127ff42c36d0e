// Messages between the extension host and the traffic editor webview. The
// webview says 'ready' and gets the endpoint's state; Apply sends the new
// split with the etag that state carried; the host answers with a new state
// (applied, a conflict, or an error). Each side checks what it receives.

import type { EndpointSummary } from '../cloudResources';
import type { TrafficSplit } from '../traffic';
import { deployedLabel } from '../trafficEditing';
import {
  arrayOf,
  boundedString,
  integerIn,
  isReadyMessage,
  matching,
  MAX_MESSAGE_TEXT,
  messagesOf,
  objectOf,
  optional,
  recordOf,
  type Guard,
  type ReadyMessage,
} from './guards';

export interface TrafficRow {
  /** The deployed model's id. */
  id: string;
  label: string;
  /** Share now, on the endpoint. */
  current: number;
  machine: string;
}

/** What the last action came to; at most one is set. */
export interface TrafficNotes {
  conflict?: string;
  error?: string;
  applied?: string;
}

export interface TrafficStateMessage extends TrafficNotes {
  type: 'state';
  endpointId: string;
  endpointName: string;
  /** The endpoint's etag when it was read: Apply sends it back, so a change made meanwhile is refused. */
  etag: string;
  rows: TrafficRow[];
}

export interface TrafficBusyMessage {
  type: 'busy';
  message: string;
}

export type TrafficToWebview = TrafficStateMessage | TrafficBusyMessage;

export interface ApplyTrafficMessage {
  type: 'apply';
  etag: string;
  /** Whole percentages by deployed-model id. */
  split: TrafficSplit;
}

export interface ReloadTrafficMessage {
  type: 'reload';
}

export type TrafficFromWebview = ReadyMessage | ApplyTrafficMessage | ReloadTrafficMessage;

/** More deployed models than one endpoint can usefully split traffic across. */
export const MAX_DEPLOYED_MODELS = 100;
export const MAX_ETAG_LENGTH = 1024;
const MAX_NAME = 1000;

/** Vertex AI's ids: a letter or digit, then letters, digits, '_' or '-' (128 at most). */
export const isDeployedModelId: Guard<string> = matching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/, 128);
const isShare = integerIn(0, 100);
const isEtag = boundedString(MAX_ETAG_LENGTH);
const isName = boundedString(MAX_NAME);
const isNote = optional(boundedString(MAX_MESSAGE_TEXT));

export const isTrafficFromWebview: Guard<TrafficFromWebview> = messagesOf<TrafficFromWebview>({
  ready: isReadyMessage,
  reload: {},
  apply: {
    etag: isEtag,
    split: recordOf(isDeployedModelId, isShare, MAX_DEPLOYED_MODELS),
  },
});

export const isTrafficToWebview: Guard<TrafficToWebview> = messagesOf<TrafficToWebview>({
  state: {
    endpointId: isName,
    endpointName: isName,
    etag: isEtag,
    rows: arrayOf(objectOf<TrafficRow>({ id: isDeployedModelId, label: isName, current: isShare, machine: isName }), { max: MAX_DEPLOYED_MODELS }),
    conflict: isNote,
    error: isNote,
    applied: isNote,
  },
  busy: { message: boundedString(MAX_MESSAGE_TEXT) },
});

/** The state message for an endpoint as it was read: one row per deployed model. */
export function trafficState(endpoint: EndpointSummary, notes: TrafficNotes = {}): TrafficStateMessage {
  return {
    type: 'state',
    endpointId: endpoint.id,
    endpointName: endpoint.displayName,
    etag: endpoint.etag,
    rows: endpoint.deployedModels.map((d) => ({
      id: d.id,
      label: deployedLabel(d),
      current: endpoint.trafficSplit[d.id] ?? 0,
      machine: `${d.machineType ?? 'automatic'} ×${d.minReplicaCount ?? 1}`,
    })),
    ...notes,
  };
}

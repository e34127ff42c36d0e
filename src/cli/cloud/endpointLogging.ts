// Request-response logging flags of `cloud endpoints update`, as gcloud's:
// --request-response-logging-rate, --request-response-logging-table and
// --disable-request-response-logging. A flag left out keeps what the endpoint
// has (the rate alone keeps its table), since UpdateEndpoint replaces the
// whole logging config under its mask.
import { describeEndpoint, updateEndpointLogging, type CloudClients, type EndpointSummary } from '../../cloud';
import { UserError } from '../../shared/errors';

export const LOGGING_OPTIONS = {
  'request-response-logging-rate': { type: 'string' },
  'request-response-logging-table': { type: 'string' },
  'disable-request-response-logging': { type: 'boolean' },
} as const;

export const LOGGING_USAGE = '[--request-response-logging-rate R] [--request-response-logging-table bq://PROJECT.DATASET.TABLE] [--disable-request-response-logging]';

export interface LoggingChange {
  enable: boolean;
  samplingRate?: number;
  table?: string;
}

/** The change the flags ask for, or undefined when they ask none. */
export function loggingChange(values: { 'request-response-logging-rate'?: string; 'request-response-logging-table'?: string; 'disable-request-response-logging'?: boolean }): LoggingChange | undefined {
  const rateText = values['request-response-logging-rate'];
  const table = values['request-response-logging-table'];
  const disable = values['disable-request-response-logging'] ?? false;
  if (disable && (rateText !== undefined || table !== undefined)) {
    throw new UserError('--disable-request-response-logging turns logging off: give it alone, or --request-response-logging-rate/--request-response-logging-table to change it');
  }
  if (disable) return { enable: false };
  if (rateText === undefined && table === undefined) return undefined;
  let samplingRate: number | undefined;
  if (rateText !== undefined) {
    samplingRate = /^(0(\.\d+)?|1(\.0*)?|\.\d+)$/.test(rateText.trim()) ? Number(rateText) : NaN;
    if (Number.isNaN(samplingRate)) throw new UserError(`--request-response-logging-rate must be a fraction of requests from 0 to 1 (e.g. 0.1), not "${rateText}"`);
  }
  return { enable: true, samplingRate, table };
}

/** Applies the change over the endpoint's current logging config. */
export async function applyLoggingChange(clients: CloudClients, endpoint: string, change: LoggingChange): Promise<EndpointSummary> {
  const current = (await describeEndpoint(clients, endpoint)).logging;
  // Without a table Vertex AI creates one (bq://PROJECT.logging_ENDPOINT_ID.request_response_logging).
  const table = change.table ?? current?.table;
  return updateEndpointLogging(clients, endpoint, {
    enabled: change.enable,
    samplingRate: change.samplingRate ?? (current?.enabled || !change.enable ? (current?.samplingRate ?? 1) : 1),
    table,
  });
}

/** "on, rate 0.5, bq://p.d.t" or "off". */
export function describeLogging(endpoint: EndpointSummary): string {
  const l = endpoint.logging;
  if (!l?.enabled) return `off${l?.table ? ` (table ${l.table} kept)` : ''}`;
  return `on, rate ${l.samplingRate}${l.table ? `, ${l.table}` : ''}`;
}

// Request-response logging of an endpoint: turn it on or off, change the
// sampling rate or the BigQuery table (UpdateEndpoint with its mask).
import type { CloudClients } from './clients';
import { loggingConfig, type LoggingOptions } from './createEndpoint';
import { explained } from './errors';
import { endpointResourceName } from './names';
import { SINGLE_ATTEMPT } from './retry';
import { endpointSummary, type EndpointSummary } from './summaries';

export async function updateEndpointLogging(clients: CloudClients, endpoint: string, options: LoggingOptions): Promise<EndpointSummary> {
  const name = endpointResourceName(clients.config, endpoint);
  const config = loggingConfig(options);
  return explained({ action: `changing request-response logging of ${name}`, config: clients.config }, async () => {
    const [updated] = await clients.endpoints.updateEndpoint(
      { endpoint: { name, predictRequestResponseLoggingConfig: config }, updateMask: { paths: ['predict_request_response_logging_config'] } },
      SINGLE_ATTEMPT,
    );
    return endpointSummary(updated);
  });
}

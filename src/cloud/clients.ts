// The Google client libraries, configured once per command from a
// CloudConfig: regional Vertex AI host or a custom endpoint, ADC or no
// credentials, and Cloud Storage at its default or a custom endpoint.
import { grpc, type GoogleAuth } from 'google-gax';
import { JobServiceClient } from '@google-cloud/aiplatform/build/src/v1/job_service_client';
import { EndpointServiceClient } from '@google-cloud/aiplatform/build/src/v1/endpoint_service_client';
import { ModelServiceClient } from '@google-cloud/aiplatform/build/src/v1/model_service_client';
import { PredictionServiceClient } from '@google-cloud/aiplatform/build/src/v1/prediction_service_client';
import { Storage } from '@google-cloud/storage';
import { UserError } from '../shared/errors';
import { anonymousAuth, applicationDefaultAuth } from './auth';
import { apiAddress, checkConfig, parentOf, type CloudConfig } from './config';

export class CloudClients {
  readonly parent: string;
  private storageClient?: Storage;
  private jobClient?: JobServiceClient;

  private constructor(
    readonly config: CloudConfig,
    readonly models: ModelServiceClient,
    readonly endpoints: EndpointServiceClient,
    readonly prediction: PredictionServiceClient,
    private readonly clientOptions: ConstructorParameters<typeof ModelServiceClient>[0],
  ) {
    this.parent = parentOf(config);
  }

  /** Checks the config and the credentials, then builds the clients (no network call yet in insecure mode). */
  static async connect(config: CloudConfig): Promise<CloudClients> {
    checkConfig(config);
    const { host, port } = apiAddress(config);
    const auth: GoogleAuth = config.insecure ? anonymousAuth() : await applicationDefaultAuth();
    const options = {
      apiEndpoint: host,
      port,
      auth,
      fallback: false,
      ...(config.insecure ? { sslCreds: grpc.credentials.createInsecure() } : {}),
    };
    return new CloudClients(config, new ModelServiceClient(options), new EndpointServiceClient(options), new PredictionServiceClient(options), options);
  }

  /** Vertex AI training (custom and tuning jobs), made at first use. */
  get jobs(): JobServiceClient {
    this.jobClient ??= new JobServiceClient(this.clientOptions);
    return this.jobClient;
  }

  /** Cloud Storage, at the configured endpoint; unauthenticated in insecure mode. */
  get storage(): Storage {
    if (!this.storageClient) {
      const { storageEndpoint, insecure, project } = this.config;
      if (insecure && storageEndpoint === undefined) {
        throw new UserError('--insecure needs --storage-endpoint URL too: plaintext mode never sends models to the real Cloud Storage');
      }
      this.storageClient =
        storageEndpoint === undefined
          ? new Storage({ projectId: project })
          : new Storage({ projectId: project, apiEndpoint: storageEndpoint.replace(/\/+$/, ''), useAuthWithCustomEndpoint: !insecure });
    }
    return this.storageClient;
  }

  async close(): Promise<void> {
    await Promise.all([this.models.close(), this.endpoints.close(), this.prediction.close(), this.jobClient?.close()]);
  }
}

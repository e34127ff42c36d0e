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
import { BUNDLED_TRAINING_PRICES, type TrainingPriceTable } from '../shared/vertexTraining';
import { anonymousAuth, applicationDefaultAuth } from './auth';
import { apiAddress, checkConfig, parentOf, type CloudConfig } from './config';

type ClientOptions = ConstructorParameters<typeof PredictionServiceClient>[0] & Record<string, unknown>;

export class CloudClients {
  readonly parent: string;
  private storageClient?: Storage;
  private readonly dedicated = new Map<string, PredictionServiceClient>();
  private jobClient?: JobServiceClient;
  /** What job summaries estimate costs with: the bundled fallback until the caller sets the region's catalog prices. */
  trainingPrices: TrainingPriceTable = BUNDLED_TRAINING_PRICES;

  private constructor(
    private readonly options: ClientOptions,
    readonly config: CloudConfig,
    readonly models: ModelServiceClient,
    readonly endpoints: EndpointServiceClient,
    readonly prediction: PredictionServiceClient,
  ) {
    this.parent = parentOf(config);
  }

  /** Checks the config and the credentials, then builds the clients (no network call yet in insecure mode). */
  static async connect(config: CloudConfig): Promise<CloudClients> {
    checkConfig(config);
    const { host, port } = apiAddress(config);
    const auth: GoogleAuth = config.insecure ? anonymousAuth() : await applicationDefaultAuth();
    const options: ClientOptions = {
      apiEndpoint: host,
      port,
      auth,
      fallback: false,
      ...(config.insecure ? { sslCreds: grpc.credentials.createInsecure() } : {}),
    };
    return new CloudClients(options, config, new ModelServiceClient(options), new EndpointServiceClient(options), new PredictionServiceClient(options));
  }

  /** JobService (training, tuning and batch prediction jobs), made at first use. */
  get jobs(): JobServiceClient {
    this.jobClient ??= new JobServiceClient(this.options);
    return this.jobClient;
  }

  /**
   * Predictions for a dedicated endpoint, at its own DNS name. A compatible
   * server (insecure mode) is reached at its address with that name as the
   * :authority, as a virtual host.
   */
  dedicatedPrediction(dns: string): PredictionServiceClient {
    let client = this.dedicated.get(dns);
    if (!client) {
      client = new PredictionServiceClient(
        this.config.insecure ? { ...this.options, 'grpc.default_authority': dns } : { ...this.options, apiEndpoint: dns, port: 443 },
      );
      this.dedicated.set(dns, client);
    }
    return client;
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
    await Promise.all([this.models.close(), this.endpoints.close(), this.prediction.close(), ...[...this.dedicated.values()].map((c) => c.close()), this.jobClient?.close()]);
  }
}

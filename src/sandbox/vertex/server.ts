// The Vertex-AI-compatible gRPC server: ModelService, EndpointService,
// PredictionService and google.longrunning.Operations on 127.0.0.1, with its
// state in a folder so it survives restarts. The real @google-cloud/aiplatform
// clients talk to it with insecure channel credentials.
import * as grpc from '@grpc/grpc-js';
import type { ObjectStore, SandboxContext } from './context';
import * as deployments from './deployments';
import * as batch from './batchJobs';
import * as endpoints from './endpointService';
import * as evaluations from './evaluations';
import { Faults, type FaultRule } from './faults';
import * as models from './modelService';
import { Operations } from './operations';
import * as ops from './operationsService';
import { predict, PredictionRouter } from './predictionService';
import { Predictors, type ModelLoader } from './predictors';
import { serviceDefinition, V1, type ProtoObject } from './protos';
import { StateFile } from './state';
import { toServiceError } from './status';
import type { protos } from '@google-cloud/aiplatform';
import { JobEngine } from './jobEngine';
import { JOB_SERVICE_HANDLERS, resumeJobs } from './jobService';

type IPredictRequest = protos.google.cloud.aiplatform.v1.IPredictRequest;

export interface VertexSandboxOptions {
  /** Folder for the persisted state (created when missing). */
  stateDir: string;
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** How long each long-running operation takes; default 300 ms. */
  operationDelayMs?: number;
  /** Loads a deployed model's server from its artifact URI. */
  loadModel: ModelLoader;
  /** Lists a gs:// folder, to refuse uploads whose artifacts are missing. */
  listArtifacts?: (gsUri: string) => Promise<string[]>;
  /** Cloud Storage objects for batch prediction input and output. */
  objects?: ObjectStore;
  faults?: FaultRule[];
  /** Dedicated-replica vCPUs allowed per project and region; default 96. */
  servingCpuQuota?: number;
  /** One line per call, for `sandbox start` in the foreground. */
  log?: (line: string) => void;
  /** The trainer image's entry (dist/vertexTrainer.js) that training jobs run. */
  trainerPath?: string;
  /** The storage server's URL, for the trainers of training jobs. */
  storageUrl?: string;
  /** How long a training job stays queued and pending; default 200 ms. */
  jobQueueDelayMs?: number;
  /** Told when each call starts; the function it returns, when the call ends (the idle watch). */
  onCall?: () => () => void;
}

export interface VertexSandbox {
  /** HOST:PORT, as the clients' apiEndpoint and port want it. */
  address: string;
  host: string;
  port: number;
  faults: Faults;
  /** Grows with every change of the persisted state. */
  readonly revision: number;
  close(): Promise<void>;
}

/** What a handler may know about the call besides its request. */
export interface CallInfo {
  /** The :authority the client addressed (a dedicated endpoint's DNS name, or the shared host). */
  host: string;
}

type Handler = (request: ProtoObject, call: CallInfo) => ProtoObject | Promise<ProtoObject>;

function resourceOf(request: ProtoObject): string {
  for (const key of ['name', 'parent', 'endpoint']) {
    const value = request[key];
    if (typeof value === 'string') return value;
    if (value && typeof value === 'object' && typeof (value as ProtoObject).name === 'string') return String((value as ProtoObject).name);
  }
  return '';
}

export async function startVertexSandbox(options: VertexSandboxOptions): Promise<VertexSandbox> {
  const store = new StateFile(options.stateDir);
  const faults = new Faults(options.faults);
  const predictors = new Predictors(options.loadModel);
  const ctx = {
    store,
    predictors,
    settings: { servingCpuQuota: options.servingCpuQuota ?? 96 },
    listArtifacts: options.listArtifacts,
    objects: options.objects,
  } as SandboxContext;
  ctx.operations = new Operations(
    store,
    {
      uploadModel: models.runUploadModel(ctx),
      deleteModel: models.runDeleteModel(ctx),
      deleteModelVersion: models.runDeleteModelVersion(ctx),
      createEndpoint: endpoints.runCreateEndpoint(ctx),
      deleteEndpoint: endpoints.runDeleteEndpoint(ctx),
      deployModel: deployments.runDeployModel(ctx),
      undeployModel: deployments.runUndeployModel(ctx),
      mutateDeployedModel: deployments.runMutateDeployedModel(ctx),
    },
    options.operationDelayMs ?? 300,
  );
  ctx.batchRunner = new batch.BatchRunner(ctx, options.operationDelayMs ?? 300);
  const router = new PredictionRouter();
  const log = options.log;

  function unary(method: string, handler: Handler): grpc.handleUnaryCall<ProtoObject, ProtoObject> {
    return (call, callback) => {
      const started = Date.now();
      const ended = options.onCall?.();
      const resource = resourceOf(call.request);
      const run = async (): Promise<ProtoObject> => {
        const fault = faults.take({ method, resource });
        if (fault) throw fault;
        return handler(call.request, { host: call.getHost() });
      };
      run().then(
        (response) => {
          log?.(`${method} ${resource} OK ${Date.now() - started} ms`);
          ended?.();
          callback(null, response);
        },
        (error: unknown) => {
          const status = toServiceError(error);
          log?.(`${method} ${resource} ${grpc.status[status.code ?? grpc.status.UNKNOWN]}: ${status.details}`);
          ended?.();
          callback(status);
        },
      );
    };
  }

  // Each handler names its request type (protos.google.cloud.aiplatform.v1.I...Request);
  // the service definition decoded the message with that type, so this is the one place it is trusted.
  const bind = (handlers: Record<string, (ctx: SandboxContext, request: never, call: CallInfo) => ProtoObject | Promise<ProtoObject>>): grpc.UntypedServiceImplementation =>
    Object.fromEntries(Object.entries(handlers).map(([method, fn]) => [method, unary(method, (request, call) => fn(ctx, request as never, call))]));

  const server = new grpc.Server({
    // Larger than Vertex's 1.5 MB predict limit, so oversized requests reach
    // the handler and get Vertex's own message.
    'grpc.max_receive_message_length': 8 * 1024 * 1024,
  });
  server.addService(
    serviceDefinition(`${V1}.ModelService`),
    bind({
      UploadModel: models.uploadModel,
      GetModel: models.getModel,
      ListModels: models.listModels,
      ListModelVersions: models.listModelVersions,
      DeleteModel: models.deleteModel,
      DeleteModelVersion: models.deleteModelVersion,
      UpdateModel: models.updateModel,
      MergeVersionAliases: models.mergeVersionAliases,
      ImportModelEvaluation: evaluations.importModelEvaluation,
      GetModelEvaluation: evaluations.getModelEvaluation,
      ListModelEvaluations: evaluations.listModelEvaluations,
    }),
  );
  server.addService(
    serviceDefinition(`${V1}.EndpointService`),
    bind({
      CreateEndpoint: endpoints.createEndpoint,
      GetEndpoint: endpoints.getEndpoint,
      ListEndpoints: endpoints.listEndpoints,
      UpdateEndpoint: endpoints.updateEndpoint,
      DeleteEndpoint: endpoints.deleteEndpoint,
      DeployModel: deployments.deployModel,
      UndeployModel: deployments.undeployModel,
      MutateDeployedModel: deployments.mutateDeployedModel,
    }),
  );
  const jobs = new JobEngine({
    stateDir: options.stateDir,
    trainerPath: options.trainerPath,
    storageUrl: options.storageUrl,
    queueDelayMs: options.jobQueueDelayMs,
    log,
  });
  // One JobService: custom and tuning jobs (jobService.ts), batch prediction jobs (batchJobs.ts).
  server.addService(serviceDefinition(`${V1}.JobService`), {
    ...Object.fromEntries(Object.entries(JOB_SERVICE_HANDLERS).map(([method, fn]) => [method, unary(method, (request) => fn(jobs, request as never))])),
    ...bind({
      CreateBatchPredictionJob: batch.createBatchPredictionJob,
      GetBatchPredictionJob: batch.getBatchPredictionJob,
      ListBatchPredictionJobs: batch.listBatchPredictionJobs,
      CancelBatchPredictionJob: batch.cancelBatchPredictionJob,
    }),
  });
  server.addService(serviceDefinition(`${V1}.PredictionService`), bind({ Predict: (c, request: IPredictRequest, call) => predict(c, router, request, call.host) }));
  server.addService(
    serviceDefinition('google.longrunning.Operations'),
    bind({
      GetOperation: ops.getOperation,
      ListOperations: ops.listOperations,
      CancelOperation: ops.cancelOperation,
      DeleteOperation: ops.deleteOperation,
      WaitOperation: ops.waitOperation,
    }),
  );

  const host = options.host ?? '127.0.0.1';
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${host}:${options.port ?? 0}`, grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    );
  });
  ctx.operations.resumePending();
  ctx.batchRunner.resumePending();
  resumeJobs(jobs);

  return {
    address: `${host}:${port}`,
    host,
    port,
    faults,
    get revision(): number {
      return store.revision + jobs.file.revision;
    },
    close: async () => {
      ctx.operations.close();
      ctx.batchRunner.close();
      predictors.close();
      await jobs.close();
      await new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
        // Clients holding streams open must not keep the sandbox alive.
        setTimeout(() => server.forceShutdown(), 1000).unref();
      });
    },
  };
}

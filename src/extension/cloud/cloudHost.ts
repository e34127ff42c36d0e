// Entry of dist/cloud.js: the cloud layer (Vertex AI, Cloud Storage, gRPC,
// the Google libraries) in its own bundle, which the extension host loads
// with require() at the first cloud command or the first look at the Cloud
// section, never at activation. Everything here is re-exported as is; the
// extension imports only its types.
import { GoogleAuth } from 'google-auth-library';
import { CLOUD_PLATFORM_SCOPE, NO_CREDENTIALS_MESSAGE } from '../../cloud/auth';
import { CredentialsError, errorMessage, LOGIN_COMMAND } from '../../shared/errors';

export {
  CloudClients,
  CloudUserError,
  TrafficConflictError,
  OperationWaitStopped,
  createEndpoint,
  deleteEndpoint,
  deleteModel,
  deployModel,
  describeEndpoint,
  describeModel,
  listEndpoints,
  listModels,
  listModelVersions,
  addVersionAliases,
  removeVersionAliases,
  mutateDeployedModel,
  withEvaluations,
  loadPrices,
  billingFetch,
  createBatchPredictionJob,
  listBatchPredictionJobs,
  describeBatchPredictionJob,
  cancelBatchPredictionJob,
  readBatchPredictionResults,
  uploadInstancesFile,
  waitForBatchPredictionJob,
  readBatchResultsPage,
  predict,
  promoteCanary,
  pushModel,
  rollbackCanary,
  undeployModel,
  updateTrafficSplit,
  createCustomJob,
  createTuningJob,
  listCustomJobs,
  listTuningJobs,
  describeCustomJob,
  describeTuningJob,
  cancelCustomJob,
  cancelTuningJob,
  pushJobModel,
  MetricsTail,
  readJobRun,
} from '../../cloud';

export interface ProjectChoice {
  projectId: string;
  name: string;
}

/** Whether Google refused the credentials themselves (expired, revoked), not the request. */
function rejectsCredentials(error: unknown): boolean {
  const response = (error as { response?: { status?: number; data?: { error?: unknown } } } | null)?.response;
  return response?.status === 401 || response?.data?.error === 'invalid_grant';
}

/**
 * The projects the Application Default Credentials can see (Resource
 * Manager v1), active ones only, plus the credentials' default project.
 * A CredentialsError when there are none or Google rejects them.
 */
export async function listProjects(): Promise<{ projects: ProjectChoice[]; defaultProject?: string }> {
  const auth = new GoogleAuth({ scopes: [CLOUD_PLATFORM_SCOPE] });
  const client = await auth.getClient().catch((error: unknown) => {
    throw new CredentialsError(NO_CREDENTIALS_MESSAGE, errorMessage(error));
  });
  const defaultProject = await auth.getProjectId().catch(() => undefined);
  const projects: ProjectChoice[] = [];
  let pageToken: string | undefined;
  do {
    const url = `https://cloudresourcemanager.googleapis.com/v1/projects?filter=${encodeURIComponent('lifecycleState:ACTIVE')}${pageToken ? `&pageToken=${pageToken}` : ''}`;
    const response = await client.request<{ projects?: { projectId: string; name?: string }[]; nextPageToken?: string }>({ url }).catch((error: unknown) => {
      if (!rejectsCredentials(error)) throw error;
      throw new CredentialsError(`Google Cloud rejected the credentials while listing your projects: run \`${LOGIN_COMMAND}\` and retry`, errorMessage(error));
    });
    for (const p of response.data.projects ?? []) projects.push({ projectId: p.projectId, name: p.name ?? p.projectId });
    pageToken = response.data.nextPageToken;
  } while (pageToken && projects.length < 1000);
  return { projects, defaultProject: defaultProject ?? undefined };
}

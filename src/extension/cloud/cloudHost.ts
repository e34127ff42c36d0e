// Entry of dist/cloud.js: the cloud layer (Vertex AI, Cloud Storage, gRPC,
// the Google libraries) in its own bundle, which the extension host loads
// with require() at the first cloud command or the first look at the Cloud
// section, never at activation. Everything here is re-exported as is; the
// extension imports only its types.
import { GoogleAuth } from 'google-auth-library';

export {
  CloudClients,
  CloudUserError,
  NO_CREDENTIALS_MESSAGE,
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
  predict,
  promoteCanary,
  pushModel,
  rollbackCanary,
  undeployModel,
  updateTrafficSplit,
} from '../../cloud';

const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

export interface ProjectChoice {
  projectId: string;
  name: string;
}

/**
 * The projects the Application Default Credentials can see (Resource
 * Manager v1), active ones only, plus the credentials' default project.
 * Throws when there are no credentials.
 */
export async function listProjects(): Promise<{ projects: ProjectChoice[]; defaultProject?: string }> {
  const auth = new GoogleAuth({ scopes: [CLOUD_PLATFORM_SCOPE] });
  const client = await auth.getClient();
  const defaultProject = await auth.getProjectId().catch(() => undefined);
  const projects: ProjectChoice[] = [];
  let pageToken: string | undefined;
  do {
    const url = `https://cloudresourcemanager.googleapis.com/v1/projects?filter=${encodeURIComponent('lifecycleState:ACTIVE')}${pageToken ? `&pageToken=${pageToken}` : ''}`;
    const response = await client.request<{ projects?: { projectId: string; name?: string }[]; nextPageToken?: string }>({ url });
    for (const p of response.data.projects ?? []) projects.push({ projectId: p.projectId, name: p.name ?? p.projectId });
    pageToken = response.data.nextPageToken;
  } while (pageToken && projects.length < 1000);
  return { projects, defaultProject: defaultProject ?? undefined };
}

// Model Studio: Choose Cloud Target: the local sandbox, or a Google Cloud
// project (listed with the user's credentials, or typed: without credentials
// the list is empty but the project can still be entered) and region. The
// choice goes into the settings modelStudio.cloud.project and .region.
import * as vscode from 'vscode';
import { errorMessage, isCredentialsError, UserCancelledError, type CredentialsError } from '../../../shared/errors';
import type { CloudCommandContext } from '../cloudCommandContext';
import { ask, pick } from '../cloudUi';
import { showSignInPrompt } from '../signInPrompt';
import { COMMON_REGIONS, checkProjectId, checkRegion, DEFAULT_REGION, SANDBOX_TARGET, targetLabel } from '../target';

export async function chooseTarget(cloud: CloudCommandContext): Promise<void> {
  const { connection } = cloud;
  const current = connection.target;
  const choice = await pick(
    [
      { label: '$(vm) Local sandbox', description: current.kind === 'sandbox' ? 'current' : 'Vertex AI and Cloud Storage on this machine, started on demand', target: 'sandbox' as const },
      { label: '$(cloud) Google Cloud project…', description: current.kind === 'project' ? `current: ${targetLabel(current)}` : 'Vertex AI with your Application Default Credentials', target: 'project' as const },
    ],
    'Choose Cloud Target',
    'Where Push, Deploy and Predict go',
  );
  if (choice.target === 'sandbox') {
    await connection.setTarget(SANDBOX_TARGET);
    return;
  }
  const project = await chooseProject(cloud, current.kind === 'project' ? current.project : undefined);
  const regions = current.kind === 'project' ? [current.region, ...COMMON_REGIONS.filter((r) => r !== current.region)] : COMMON_REGIONS;
  const regionPick = await pick([...regions.map((r) => ({ label: r })), { label: '$(edit) Other region…' }], `Region of ${project}`, 'The Vertex AI region of your models and endpoints');
  const region = regionPick.label.startsWith('$(edit)') ? await ask({ title: 'Vertex AI region', value: DEFAULT_REGION, validateInput: checkRegion }) : regionPick.label;
  const target = { kind: 'project' as const, project, region };
  await connection.setTarget(target);
  try {
    await connection.clients({ start: false });
  } catch (error) {
    if (!isCredentialsError(error)) throw error;
    void showSignInPrompt(connection, error, `for ${targetLabel(target)}`);
  }
}

interface ProjectItem extends vscode.QuickPickItem {
  id?: string;
  action?: 'enter' | 'signIn';
}

async function chooseProject(cloud: CloudCommandContext, currentProject: string | undefined): Promise<string> {
  let listed: ProjectItem[] = [];
  let signIn: ProjectItem[] = [];
  let credentialsError: CredentialsError | undefined;
  let placeHolder = 'Your projects; or enter a project ID';
  try {
    const { projects, defaultProject } = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Listing your Google Cloud projects…' },
      () => cloud.connection.cloud().listProjects(),
    );
    listed = projects
      .sort((a, b) => Number(b.projectId === defaultProject) - Number(a.projectId === defaultProject) || a.projectId.localeCompare(b.projectId))
      .map((p) => ({ label: p.projectId, description: [p.name !== p.projectId ? p.name : '', p.projectId === defaultProject ? 'default' : ''].filter(Boolean).join(' · '), id: p.projectId }));
  } catch (error) {
    cloud.log.warn(`Could not list projects: ${errorMessage(error)}`);
    // Without credentials there is nothing to list, but the project ID can still be typed (sign in afterwards).
    if (isCredentialsError(error)) {
      credentialsError = error;
      placeHolder = 'Not signed in to Google Cloud: enter a project ID, or sign in to list your projects';
      signIn = [{ label: '$(key) Sign in to list your projects…', description: error.loginCommand, action: 'signIn' }];
      if (currentProject) listed = [{ label: currentProject, description: 'current', id: currentProject }];
    }
  }
  const chosen = await pick<ProjectItem>([...listed, { label: '$(edit) Enter a project ID…', action: 'enter' }, ...signIn], 'Google Cloud project', placeHolder);
  if (chosen.action === 'signIn' && credentialsError) {
    void showSignInPrompt(cloud.connection, credentialsError, 'to list your Google Cloud projects');
    throw new UserCancelledError();
  }
  return chosen.id ?? (await ask({ title: 'Google Cloud project ID', value: currentProject, placeHolder: 'my-project-123', prompt: 'The ID (not the name) of the project, as in the Cloud console', validateInput: checkProjectId }));
}

// Model Studio: Choose Cloud Target: the local sandbox, or a Google Cloud
// project (listed with the user's credentials, or typed) and region.
import * as vscode from 'vscode';
import { errorMessage, isCredentialsError, UserCancelledError } from '../../../shared/errors';
import type { CloudCommandContext } from '../cloudCommandContext';
import { ask, pick } from '../cloudUi';
import { showSignInPrompt } from '../signInPrompt';
import { COMMON_REGIONS, checkProjectId, checkRegion, SANDBOX_TARGET, targetLabel } from '../target';

export async function chooseTarget(cloud: CloudCommandContext): Promise<void> {
  const { connection } = cloud;
  const current = connection.target;
  const choice = await pick(
    [
      { label: '$(vm) Local sandbox', description: current.kind === 'sandbox' ? 'current' : 'Vertex AI and Cloud Storage on this machine, started on demand', target: 'sandbox' as const },
      { label: '$(cloud) Google Cloud project…', description: current.kind === 'project' ? `current: ${targetLabel(current)}` : 'Vertex AI with your Application Default Credentials', target: 'project' as const },
    ],
    'Choose Cloud Target',
  );
  if (choice.target === 'sandbox') {
    await connection.setTarget(SANDBOX_TARGET);
    return;
  }
  const project = await chooseProject(cloud, current.kind === 'project' ? current.project : undefined);
  const regions = current.kind === 'project' ? [current.region, ...COMMON_REGIONS.filter((r) => r !== current.region)] : COMMON_REGIONS;
  const regionPick = await pick([...regions.map((r) => ({ label: r })), { label: '$(edit) Other region…' }], `Region of ${project}`);
  const region = regionPick.label.startsWith('$(edit)') ? await ask({ title: 'Vertex AI region', value: 'us-central1', validateInput: checkRegion }) : regionPick.label;
  const target = { kind: 'project' as const, project, region };
  await connection.setTarget(target);
  try {
    await connection.clients({ start: false });
  } catch (error) {
    if (!isCredentialsError(error)) throw error;
    void showSignInPrompt(connection, error, `for ${targetLabel(target)}`);
  }
}

async function chooseProject(cloud: CloudCommandContext, currentProject: string | undefined): Promise<string> {
  let listed: { label: string; description?: string; id?: string }[] = [];
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
    if (isCredentialsError(error)) {
      void showSignInPrompt(cloud.connection, error, 'to list your Google Cloud projects');
      throw new UserCancelledError();
    }
  }
  const chosen = await pick([...listed, { label: '$(edit) Enter a project ID…' }], 'Google Cloud project', currentProject ? `current: ${currentProject}` : undefined);
  return chosen.id ?? (await ask({ title: 'Google Cloud project ID', value: currentProject, validateInput: checkProjectId }));
}

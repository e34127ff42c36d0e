// The cloud tests' shared start: the local sandbox in a folder, and the real
// @google-cloud/aiplatform and Storage clients connected to it.
import type { TestContext } from 'node:test';
import { CloudClients } from '../../src/cloud';
import { SANDBOX_PROJECT, SANDBOX_REGION, startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox';

export interface SandboxSession {
  sandbox: Sandbox;
  clients: CloudClients;
}

/** The real clients, connected to `sandbox` as the sandbox's own project and region. */
export function connectClients(sandbox: Sandbox): Promise<CloudClients> {
  return CloudClients.connect({
    project: SANDBOX_PROJECT,
    region: SANDBOX_REGION,
    apiEndpoint: sandbox.info.apiEndpoint,
    storageEndpoint: sandbox.info.storageEndpoint,
    insecure: true,
  });
}

/** Starts a sandbox with its state in `dataDir` and connects the clients; the caller closes both. */
export async function openSandbox(dataDir: string, options: Omit<SandboxOptions, 'dataDir'> = {}): Promise<SandboxSession> {
  const sandbox = await startSandbox({ dataDir, ...options });
  return { sandbox, clients: await connectClients(sandbox) };
}

/** As openSandbox, closed (the clients, then the sandbox) when test `t` ends. */
export async function sandboxForTest(t: TestContext, dataDir: string, options: Omit<SandboxOptions, 'dataDir'> = {}): Promise<SandboxSession> {
  const session = await openSandbox(dataDir, options);
  t.after(async () => {
    await session.clients.close();
    await session.sandbox.close();
  });
  return session;
}

/** The CLI flags that point `model-studio cloud ...` at `sandbox` (its project; the region left to the command). */
export function cliTarget(sandbox: Sandbox): string[] {
  return ['--project', SANDBOX_PROJECT, '--api-endpoint', sandbox.info.apiEndpoint, '--storage-endpoint', sandbox.info.storageEndpoint, '--insecure'];
}

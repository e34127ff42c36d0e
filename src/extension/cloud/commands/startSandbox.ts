// Model Studio: Start Local Sandbox: starts it (if it is not running) and shows what it holds.
import type { CloudCommandContext } from '../cloudCommandContext';

export async function startSandbox(cloud: CloudCommandContext): Promise<void> {
  await cloud.clients();
  cloud.changed();
}

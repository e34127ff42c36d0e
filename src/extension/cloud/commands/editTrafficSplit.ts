// Model Studio: Edit Traffic Split: opens the traffic editor for an endpoint with deployed models.
import type { CloudCommandContext } from '../cloudCommandContext';
import { endpointFrom } from '../pickers';
import { TrafficPanel } from '../trafficPanel';

export async function editTrafficSplit(cloud: CloudCommandContext, arg: unknown): Promise<void> {
  const clients = await cloud.clients();
  const endpoint = await endpointFrom(cloud, arg, clients, 'Edit the traffic split of which endpoint', (e) => e.deployedModels.length > 0);
  TrafficPanel.show(cloud.extension, { endpoint, connection: cloud.connection, clients, onApplied: () => cloud.tree.refresh(), log: cloud.log });
}

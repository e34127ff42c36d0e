// The frame of every cloud verb: connect to the target, do the work with an
// Output for its results, and close the clients whatever happens.
import { CloudClients } from '../../cloud';
import { Output } from './output';
import { resolveTarget, type CommonValues, type Target } from './target';

export async function withClients<T>(
  values: CommonValues,
  work: (clients: CloudClients, out: Output) => Promise<T>,
  /** When the verb resolved it already (to look at the sandbox). */
  target: Target = resolveTarget(values),
): Promise<T> {
  const clients = await CloudClients.connect(target.config);
  try {
    return await work(clients, new Output(values.json ?? false));
  } finally {
    await clients.close();
  }
}

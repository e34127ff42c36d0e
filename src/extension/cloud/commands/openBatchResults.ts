// Model Studio: Open Batch Prediction Results: the results viewer for a job
// (its row, or picked among the jobs that wrote results), read afresh so the
// counts and output folder are current.
import { BatchResultsPanel } from '../batchResultsPanel';
import type { CloudCommandContext } from '../cloudCommandContext';
import { batchJobFrom } from './cancelBatchPrediction';

export async function openBatchResults(cloud: CloudCommandContext, arg: unknown): Promise<void> {
  const chosen = await batchJobFrom(cloud, arg, 'Open the results of which batch prediction?', (j) => j.outputDirectory !== undefined, 'No batch prediction job has written results yet.');
  const clients = await cloud.clients();
  const job = await cloud.connection.cloud().describeBatchPredictionJob(clients, chosen.name);
  const model = cloud.tree.lastModels.find((m) => m.name === job.model);
  BatchResultsPanel.show(cloud.extension, {
    job,
    modelLabel: `${model?.displayName ?? job.model.split('/').pop() ?? job.model} v${job.modelVersionId}`,
    clients,
    connection: cloud.connection,
    log: cloud.log,
  });
}

// `cloud models upload --job JOB [--trial ID]`: a training job's model (a
// tuning job's best trial by default) goes to the Model Registry.
import { pushJobModel } from '../../cloud';
import { SANDBOX_SERVING_IMAGE } from '../../core/sandboxInfo';
import { UserError } from '../../shared/errors';
import { fields, withInterrupt } from './output';
import { resolveTarget, waitTimeoutMs, type CommonValues } from './target';
import { withClients } from './withClients';

export interface JobUploadValues extends CommonValues {
  job?: string;
  trial?: string;
  'display-name'?: string;
  'container-image-uri'?: string;
  'parent-model'?: string;
}

export async function uploadFromJob(values: JobUploadValues, usage: string): Promise<number> {
  if (!values.job) throw new UserError(`Missing --job JOB. Usage: ${usage}`);
  if (!values['display-name']) throw new UserError(`Missing --display-name NAME. Usage: ${usage}`);
  const target = resolveTarget(values);
  const imageUri = values['container-image-uri'] ?? process.env.MODEL_STUDIO_SERVING_IMAGE ?? (target.sandbox ? SANDBOX_SERVING_IMAGE : undefined);
  if (!imageUri) throw new UserError('Missing --container-image-uri: the serving image you pushed to Artifact Registry (see src/serving/README.md)');
  return withClients(
    values,
    async (clients, out) => {
      const result = await withInterrupt((signal) =>
        pushJobModel(clients, {
          job: values.job as string,
          trial: values.trial,
          displayName: values['display-name'] as string,
          imageUri,
          parentModel: values['parent-model'],
          wait: out.waitOptions('Registering the model', waitTimeoutMs(values.timeout), signal),
        }),
      );
      out.result(result, () =>
        fields([
          ['model', result.model.name],
          ['versionId', result.model.versionId],
          ['displayName', result.model.displayName],
          ['artifactUri', result.artifactUri],
          ['job', result.jobName],
          ['trial', result.trialId],
        ]),
      );
      return 0;
    },
    target,
  );
}

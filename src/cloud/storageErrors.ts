// Cloud Storage failures (HTTP status codes from @google-cloud/storage's
// ApiError) in words a person can act on.
import { CredentialsError, errorMessage, isUserError, LOGIN_COMMAND } from '../shared/errors';
import type { CloudConfig } from './config';
import { CloudError, CloudUserError, roleFor } from './errors';

export function explainStorageError(error: unknown, action: string, config: CloudConfig, permission = 'storage.objects.create'): Error {
  if (isUserError(error) || error instanceof CloudError) return error;
  const status = Number((error as { code?: unknown } | null)?.code);
  const text = errorMessage(error);
  switch (status) {
    case 401:
      return new CredentialsError(`Cloud Storage rejected the credentials while ${action}: run \`${LOGIN_COMMAND}\` and retry`, text);
    case 403:
      return new CloudUserError(
        `Permission denied by Cloud Storage while ${action} (${text}): grant your account ${roleFor(permission)} on the bucket or project ${config.project}`,
        'PERMISSION_DENIED',
      );
    case 404:
      return new CloudUserError(`Not found in Cloud Storage while ${action}: ${text}`, 'NOT_FOUND');
    case 409:
      return new CloudUserError(`Conflict in Cloud Storage while ${action}: ${text} (bucket names are global: pick another)`, 'ALREADY_EXISTS');
    case 429:
      return new CloudUserError(`Cloud Storage rate limit while ${action}: ${text}; wait a moment and retry`, 'RESOURCE_EXHAUSTED');
    default:
      if ((error as NodeJS.ErrnoException | null)?.code === 'ECONNREFUSED') {
        return new CloudError(`Could not reach Cloud Storage at ${config.storageEndpoint ?? 'storage.googleapis.com'} while ${action} (is the sandbox running? \`model-studio sandbox status\`)`, 'UNAVAILABLE');
      }
      return new CloudError(`Cloud Storage failed while ${action}: ${text}`, Number.isFinite(status) ? `HTTP ${status}` : 'UNKNOWN');
  }
}

// Credentials come only from Application Default Credentials, resolved by
// google-auth-library; nothing is stored or logged. Insecure mode sends none:
// a PassThroughClient, because with only plaintext channel credentials the
// library would still probe the GCE metadata server and pick up a
// developer's real credentials.
import { GoogleAuth, type GoogleAuthOptions } from 'google-gax';
import { PassThroughClient } from 'google-auth-library';
import { CredentialsError, LOGIN_COMMAND, errorMessage } from '../shared/errors';

export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

export const NO_CREDENTIALS_MESSAGE =
  `No Google Cloud credentials found: run \`${LOGIN_COMMAND}\` (or set GOOGLE_APPLICATION_CREDENTIALS to a service-account key file), or use the local sandbox with \`model-studio sandbox start\``;

/** A GoogleAuth that sends no credentials at all. */
export function anonymousAuth(): GoogleAuth {
  // google-gax carries its own google-auth-library major version, which does
  // not export PassThroughClient through gax; the top-level copy's client
  // works at run time (with insecure channel credentials it is only asked for
  // its universe domain), but its declared type differs.
  const client = new PassThroughClient() as unknown as GoogleAuthOptions['authClient'];
  return new GoogleAuth({ authClient: client });
}

/** Application Default Credentials, checked now so a missing login fails with the fix instead of deep inside a call. */
export async function applicationDefaultAuth(): Promise<GoogleAuth> {
  const auth = new GoogleAuth({ scopes: [CLOUD_PLATFORM_SCOPE] });
  try {
    await auth.getClient();
  } catch (error) {
    throw new CredentialsError(NO_CREDENTIALS_MESSAGE, errorMessage(error));
  }
  return auth;
}

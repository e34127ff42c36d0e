// Runs `work` as on a machine with no Application Default Credentials: no key
// file, an empty home and gcloud folder, and no GCE metadata server probe.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function withoutCredentials(work: () => Promise<void>): Promise<void> {
  const empty = mkdtempSync(join(tmpdir(), 'ms-no-adc-'));
  const keys = ['GOOGLE_APPLICATION_CREDENTIALS', 'HOME', 'CLOUDSDK_CONFIG', 'APPDATA', 'METADATA_SERVER_DETECTION'];
  const saved = Object.fromEntries(keys.map((key) => [key, process.env[key]]));
  delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
  process.env.HOME = empty;
  process.env.CLOUDSDK_CONFIG = join(empty, 'gcloud');
  process.env.APPDATA = empty;
  // Skip the GCE metadata server probe: this machine is not on Google Cloud.
  process.env.METADATA_SERVER_DETECTION = 'none';
  try {
    await work();
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    rmSync(empty, { recursive: true, force: true });
  }
}

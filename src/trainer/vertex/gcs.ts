// Cloud Storage as the trainer image sees it: gs:// folders downloaded and
// uploaded whole. In a Vertex AI container the client uses the job's service
// account (Application Default Credentials); the local sandbox sets
// STORAGE_EMULATOR_HOST and the client talks to it unauthenticated.
import { Storage } from '@google-cloud/storage';
import { mkdir, readdir } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { UserError } from '../../shared/errors';

export interface GsLocation {
  bucket: string;
  /** Object name, or a folder's prefix ending in "/" ("" for the whole bucket). */
  path: string;
}

export function parseGsUri(uri: string): GsLocation {
  const match = /^gs:\/\/([a-z0-9][a-z0-9._-]{1,221}[a-z0-9])(?:\/(.*))?$/.exec(uri.trim());
  if (!match) throw new UserError(`"${uri}" is not a Cloud Storage location: write it as gs://BUCKET/PATH`);
  return { bucket: match[1], path: match[2] ?? '' };
}

/** The folder at `uri`: its path ends with "/". */
export function gsFolder(uri: string): GsLocation {
  const location = parseGsUri(uri);
  return { bucket: location.bucket, path: location.path === '' || location.path.endsWith('/') ? location.path : `${location.path}/` };
}

export function gsUri(location: GsLocation): string {
  return `gs://${location.bucket}/${location.path}`;
}

export function trainerStorage(env: NodeJS.ProcessEnv = process.env): Storage {
  const emulator = env.STORAGE_EMULATOR_HOST;
  if (!emulator) return new Storage();
  return new Storage({ apiEndpoint: emulator.replace(/\/+$/, ''), projectId: env.CLOUD_ML_PROJECT_ID ?? 'local', useAuthWithCustomEndpoint: false });
}

/** Object names under a folder, relative to it. */
export async function listFolder(storage: Storage, folder: GsLocation): Promise<string[]> {
  const [files] = await storage.bucket(folder.bucket).getFiles({ prefix: folder.path });
  return files.map((f) => f.name.slice(folder.path.length)).filter((name) => name !== '' && !name.endsWith('/'));
}

/** Downloads every object under `folder` into `localDir`; returns their relative names. */
export async function downloadFolder(storage: Storage, folder: GsLocation, localDir: string): Promise<string[]> {
  const names = await listFolder(storage, folder);
  for (const name of names) {
    if (name.split('/').some((part) => part === '..' || part === '')) continue;
    const destination = join(localDir, ...name.split('/'));
    await mkdir(dirname(destination), { recursive: true });
    await storage.bucket(folder.bucket).file(folder.path + name).download({ destination });
  }
  return names;
}

/** The object's text, or undefined when there is none. */
export async function readObjectText(storage: Storage, location: GsLocation): Promise<string | undefined> {
  const file = storage.bucket(location.bucket).file(location.path);
  try {
    const [bytes] = await file.download();
    return bytes.toString('utf8');
  } catch (error) {
    if ((error as { code?: number }).code === 404) return undefined;
    throw error;
  }
}

export async function uploadFile(storage: Storage, localPath: string, location: GsLocation): Promise<void> {
  await storage.bucket(location.bucket).upload(localPath, { destination: location.path, resumable: false, validation: 'md5' });
}

async function localFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'));
}

/** Uploads every file of `localDir` under `folder`, keeping relative paths. */
export async function uploadFolder(storage: Storage, localDir: string, folder: GsLocation): Promise<string[]> {
  const names = await localFiles(localDir);
  for (const name of names) await uploadFile(storage, join(localDir, ...name.split('/')), { bucket: folder.bucket, path: folder.path + name });
  return names;
}

export async function deleteFolder(storage: Storage, folder: GsLocation): Promise<void> {
  for (const name of await listFolder(storage, folder)) {
    await storage.bucket(folder.bucket).file(folder.path + name).delete({ ignoreNotFound: true });
  }
}

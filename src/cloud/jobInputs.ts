// What a training job needs in the bucket before it starts: the spec, the
// user's model module (its own files, which the trainer transpiles as it does
// on the laptop) and the local data files it names, under
// gs://BUCKET/model-studio/inputs/<name>-<hash>/. The hash covers every byte,
// so the same spec and data land in the same folder and are not sent again;
// a changed file gets a new folder, and a job already queued keeps its own.
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Storage } from '@google-cloud/storage';
import type { DataSpec, TrainingSpec } from '../shared/spec';
import { UserError } from '../shared/errors';
import { JOB_INPUTS_PREFIX } from '../shared/vertexTraining';
import { moduleSourceFiles } from '../core/moduleImports';
import { loadSpec } from '../core/spec';
import type { CloudConfig } from './config';
import { explainStorageError } from './storageErrors';

export interface StagedFile {
  /** Object name under the inputs folder, e.g. "data/0-train.csv". */
  name: string;
  bytes: Buffer;
}

export interface StagedInputs {
  spec: TrainingSpec;
  files: StagedFile[];
  /** gs://BUCKET/model-studio/inputs/NAME-HASH/spec.train.json */
  specUri: string;
  folder: string;
}

export interface UploadedInputs extends StagedInputs {
  uploaded: string[];
  skipped: string[];
}

const SPEC_FILE = 'spec.train.json';
const MODULE_FOLDER = 'module';

async function filesUnder(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new UserError(`${path} does not exist: the spec names it as data; fix the path before training on Vertex AI`);
  if (info.isFile()) return [path];
  const entries = await readdir(path, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** Every local path the data spec names, each with a setter that points the spec at its copy. */
function dataPaths(data: DataSpec): { path: string; set(value: string): void }[] {
  const refs: { path: string; set(value: string): void }[] = [];
  const field = <T extends object, K extends keyof T>(owner: T | undefined, key: K): void => {
    if (owner && typeof owner[key] === 'string') refs.push({ path: owner[key] as string, set: (value) => ((owner as Record<K, unknown>)[key] = value) });
  };
  switch (data.type) {
    case 'mnist':
      // The container downloads MNIST itself; a laptop's cache folder means nothing there.
      delete data.cacheDir;
      break;
    case 'idx':
      field(data.train, 'images');
      field(data.train, 'labels');
      field(data.test, 'images');
      field(data.test, 'labels');
      break;
    case 'csv':
    case 'imageFolder':
      field(data, 'train');
      field(data, 'test');
      break;
    case 'npz':
      field(data, 'path');
      break;
    case 'npy':
      field(data.train, 'x');
      field(data.train, 'y');
      field(data.test, 'x');
      field(data.test, 'y');
      break;
  }
  return refs;
}

/** The folder that holds every one of `paths`. */
function commonFolder(paths: readonly string[]): string {
  let folder = dirname(paths[0]);
  while (!paths.every((p) => p.startsWith(folder + sep)) && dirname(folder) !== folder) folder = dirname(folder);
  return folder;
}

/**
 * The model module's own files under module/, laid out as on disk so its
 * relative imports still hold; the trainer transpiles them as it does locally.
 * Import errors show here, before anything is uploaded.
 */
async function moduleFiles(entry: string): Promise<{ files: StagedFile[]; entry: string }> {
  const paths = await moduleSourceFiles(entry);
  const root = commonFolder(paths);
  const name = (path: string): string => `${MODULE_FOLDER}/${relative(root, path).split(sep).join('/')}`;
  const files = await Promise.all(paths.map(async (path) => ({ name: name(path), bytes: await readFile(path) })));
  return { files, entry: name(entry) };
}

/** The spec as the job will read it (paths into the inputs folder) and the files to upload. */
export async function stageInputs(specPath: string, bucket: string): Promise<StagedInputs> {
  const original = await loadSpec(specPath);
  const spec = structuredClone(original);
  const base = dirname(resolve(specPath));
  const files: StagedFile[] = [];
  let index = 0;
  for (const ref of dataPaths(spec.data)) {
    const local = isAbsolute(ref.path) ? ref.path : resolve(base, ref.path);
    const prefix = `data/${index++}-${basename(local)}`;
    const found = await filesUnder(local);
    const single = found.length === 1 && found[0] === local;
    for (const file of found) {
      const name = single ? prefix : `${prefix}/${relative(local, file).split(sep).join('/')}`;
      files.push({ name, bytes: await readFile(file) });
    }
    ref.set(prefix);
  }
  if ('module' in spec.model) {
    const module = await moduleFiles(isAbsolute(spec.model.module) ? spec.model.module : resolve(base, spec.model.module));
    files.push(...module.files);
    spec.model = { ...spec.model, module: module.entry };
  }
  delete spec.$schema;
  files.push({ name: SPEC_FILE, bytes: Buffer.from(JSON.stringify(spec, null, 2)) });
  const hash = createHash('sha256');
  for (const file of files) hash.update(file.name).update('\0').update(createHash('sha256').update(file.bytes).digest());
  const slug = spec.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'spec';
  const folder = `${JOB_INPUTS_PREFIX}/${slug}-${hash.digest('hex').slice(0, 12)}/`;
  return { spec, files, folder, specUri: `gs://${bucket}/${folder}${SPEC_FILE}` };
}

/** Uploads the staged files, skipping each whose object already has the same MD5. */
export async function uploadInputs(storage: Storage, config: CloudConfig, bucket: string, staged: StagedInputs, signal?: AbortSignal): Promise<UploadedInputs> {
  const uploaded: string[] = [];
  const skipped: string[] = [];
  const target = storage.bucket(bucket);
  for (const file of staged.files) {
    signal?.throwIfAborted();
    const object = target.file(staged.folder + file.name);
    const md5 = createHash('md5').update(file.bytes).digest('base64');
    try {
      const [metadata] = await object.getMetadata().catch((error: { code?: number }) => {
        if (error.code === 404) return [undefined];
        throw error;
      });
      if (metadata?.md5Hash === md5) {
        skipped.push(file.name);
        continue;
      }
      await object.save(file.bytes, { resumable: false, validation: 'md5' });
      uploaded.push(file.name);
    } catch (error) {
      throw explainStorageError(error, `uploading ${file.name} to gs://${bucket}/${staged.folder}`, config, 'storage.objects.create');
    }
  }
  return { ...staged, uploaded, skipped };
}

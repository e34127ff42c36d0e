// Uploads model files to gs://BUCKET/PREFIX/ with the resumable protocol,
// reporting bytes as they go, and verifies each object's MD5 against the
// local file (the library also checks the hash the server computed).
import type { Storage } from '@google-cloud/storage';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { CloudConfig } from './config';
import { CloudError } from './errors';
import { abortError } from './retry';
import type { ModelFile } from './runModelFiles';
import { explainStorageError } from './storageErrors';

export interface UploadProgress {
  file: string;
  fileIndex: number;
  fileCount: number;
  /** Bytes sent so far over all files. */
  bytesDone: number;
  totalBytes: number;
}

export interface UploadedObject {
  name: string;
  bytes: number;
  md5: string;
}

async function md5Base64(path: string): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('base64');
}

function contentType(name: string): string {
  return name.endsWith('.json') ? 'application/json' : 'application/octet-stream';
}

export async function uploadFiles(
  storage: Storage,
  config: CloudConfig,
  target: { bucket: string; prefix: string },
  files: readonly ModelFile[],
  options: { onProgress?: (progress: UploadProgress) => void; signal?: AbortSignal } = {},
): Promise<UploadedObject[]> {
  const totalBytes = files.reduce((sum, f) => sum + f.bytes, 0);
  const bucket = storage.bucket(target.bucket);
  const uploaded: UploadedObject[] = [];
  let done = 0;
  for (const [index, file] of files.entries()) {
    if (options.signal?.aborted) throw abortError(options.signal);
    const destination = `${target.prefix}${file.name}`;
    const report = (sent: number): void =>
      options.onProgress?.({ file: file.name, fileIndex: index, fileCount: files.length, bytesDone: done + sent, totalBytes });
    report(0);
    const localMd5 = await md5Base64(file.path);
    let metadata: { md5Hash?: string; size?: string | number };
    try {
      const [, response] = await bucket.upload(file.path, {
        destination,
        resumable: true,
        validation: 'md5',
        metadata: { contentType: contentType(file.name) },
        onUploadProgress: (event: { bytesWritten?: number }) => report(Math.min(file.bytes, Number(event.bytesWritten ?? 0))),
      });
      metadata = (response ?? {}) as typeof metadata;
    } catch (error) {
      throw explainStorageError(error, `uploading ${file.name} to gs://${target.bucket}/${destination}`, config);
    }
    if (metadata.md5Hash !== localMd5) {
      throw new CloudError(
        `gs://${target.bucket}/${destination} has MD5 ${metadata.md5Hash ?? 'unknown'}, the local file ${localMd5}: the upload was corrupted; push again`,
        'DATA_LOSS',
      );
    }
    done += file.bytes;
    report(0);
    uploaded.push({ name: destination, bytes: file.bytes, md5: localMd5 });
  }
  return uploaded;
}

// uploadType=multipart: a multipart/related body with a JSON metadata part
// and a media part. The body is staged to a file first (it may be large), then
// the media bytes are located by reading only its head and tail.
import { open } from 'node:fs/promises';
import { badRequest } from './errors';

export interface MultipartLayout {
  metadata: unknown;
  mediaContentType?: string;
  /** Byte range of the media part in the staged file, end exclusive. */
  start: number;
  end: number;
}

export function boundaryOf(contentType: string | undefined): string {
  const match = /^multipart\/related\s*;.*\bboundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  if (!match) throw badRequest("uploadType=multipart needs Content-Type: multipart/related; boundary=...");
  return match[1] ?? match[2];
}

export async function locateParts(stagedFile: string, boundary: string, maxMetadataBytes: number): Promise<MultipartLayout> {
  const file = await open(stagedFile, 'r');
  try {
    const { size } = await file.stat();
    const headLength = Math.min(size, maxMetadataBytes + 4096);
    const head = Buffer.alloc(headLength);
    await file.read(head, 0, headLength, 0);
    const dash = `--${boundary}`;
    const first = head.indexOf(`${dash}\r\n`);
    if (first < 0) throw badRequest('Multipart body does not start with its boundary.');
    const metaHeadersEnd = head.indexOf('\r\n\r\n', first);
    const metaEnd = head.indexOf(`\r\n${dash}\r\n`, metaHeadersEnd);
    // The head holds part headers beside the metadata, so a found part can still be too large.
    if (metaHeadersEnd < 0 || metaEnd < 0 || metaEnd - (metaHeadersEnd + 4) > maxMetadataBytes) {
      throw badRequest(`Multipart metadata part is missing or larger than ${maxMetadataBytes} bytes.`);
    }
    const metadataText = head.subarray(metaHeadersEnd + 4, metaEnd).toString('utf8');
    let metadata: unknown;
    try {
      metadata = JSON.parse(metadataText);
    } catch {
      throw badRequest('Multipart metadata part is not valid JSON.');
    }
    const mediaHeadersStart = metaEnd + 2 + dash.length + 2;
    const mediaHeadersEnd = head.indexOf('\r\n\r\n', mediaHeadersStart);
    if (mediaHeadersEnd < 0) throw badRequest('Multipart media part has no headers.');
    const headers = head.subarray(mediaHeadersStart, mediaHeadersEnd).toString('utf8');
    const mediaContentType = /^content-type:\s*(.+)$/im.exec(headers)?.[1]?.trim();
    const start = mediaHeadersEnd + 4;

    const tailLength = Math.min(size - start, dash.length + 16);
    const tail = Buffer.alloc(tailLength);
    await file.read(tail, 0, tailLength, size - tailLength);
    const closing = tail.lastIndexOf(`\r\n${dash}--`);
    if (closing < 0) throw badRequest('Multipart body has no closing boundary.');
    return { metadata, mediaContentType, start, end: size - tailLength + closing };
  } finally {
    await file.close();
  }
}

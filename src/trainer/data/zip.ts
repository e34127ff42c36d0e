// A small zip reader for .npz files: the central directory lists the
// members; each is stored (method 0) or deflated (method 8). ZIP64 sizes
// and offsets are read from the extra field, as numpy writes them.
import { inflateRawSync } from 'node:zlib';
import { UserError } from '../../shared/errors';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

export interface ZipArchive {
  entries: Map<string, ZipEntry>;
  /** Unpacks one member. */
  read(name: string): Buffer;
}

const EOCD = 0x06054b50;
const EOCD64 = 0x06064b50;
const EOCD64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

export function openZip(bytes: Buffer, path: string): ZipArchive {
  const bad = (why: string): UserError => new UserError(`${path} is not a readable zip/.npz file (${why}); save it with numpy.savez`);
  // The end record sits in the last 22 bytes plus at most a 64 KiB comment.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (bytes.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw bad('no end-of-central-directory record');
  let count = bytes.readUInt16LE(eocd + 10);
  let dirOffset = bytes.readUInt32LE(eocd + 16);
  if (eocd >= 20 && bytes.readUInt32LE(eocd - 20) === EOCD64_LOCATOR) {
    const at = Number(bytes.readBigUInt64LE(eocd - 20 + 8));
    if (at + 56 > bytes.length || bytes.readUInt32LE(at) !== EOCD64) throw bad('broken ZIP64 end record');
    count = Number(bytes.readBigUInt64LE(at + 32));
    dirOffset = Number(bytes.readBigUInt64LE(at + 48));
  }

  const entries = new Map<string, ZipEntry>();
  let p = dirOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > bytes.length || bytes.readUInt32LE(p) !== CENTRAL) throw bad('broken central directory');
    const nameLen = bytes.readUInt16LE(p + 28);
    const extraLen = bytes.readUInt16LE(p + 30);
    const commentLen = bytes.readUInt16LE(p + 32);
    const entry: ZipEntry = {
      name: bytes.toString('utf8', p + 46, p + 46 + nameLen),
      method: bytes.readUInt16LE(p + 10),
      compressedSize: bytes.readUInt32LE(p + 20),
      size: bytes.readUInt32LE(p + 24),
      localHeaderOffset: bytes.readUInt32LE(p + 42),
    };
    readZip64Extra(bytes, p + 46 + nameLen, extraLen, entry);
    entries.set(entry.name, entry);
    p += 46 + nameLen + extraLen + commentLen;
  }

  return {
    entries,
    read(name: string): Buffer {
      const entry = entries.get(name);
      if (!entry) throw new UserError(`${path} has no member ${name}`);
      const local = entry.localHeaderOffset;
      if (local + 30 > bytes.length || bytes.readUInt32LE(local) !== LOCAL) throw bad(`broken header of ${name}`);
      const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
      const end = start + entry.compressedSize;
      if (end > bytes.length) throw bad(`${name} is truncated`);
      const packed = bytes.subarray(start, end);
      let data: Buffer;
      if (entry.method === 0) data = packed;
      else if (entry.method === 8) {
        try {
          data = inflateRawSync(packed);
        } catch (error) {
          throw bad(`${name} does not inflate: ${(error as Error).message}`);
        }
      } else throw bad(`${name} uses compression method ${entry.method}; only stored and deflated members are supported`);
      if (data.length !== entry.size) throw bad(`${name} unpacks to ${data.length} bytes, expected ${entry.size}`);
      return data;
    },
  };
}

/** ZIP64 extra field (id 1): 64-bit values replace the 32-bit ones that read 0xffffffff, in this order. */
function readZip64Extra(bytes: Buffer, start: number, length: number, entry: ZipEntry): void {
  let p = start;
  while (p + 4 <= start + length) {
    const id = bytes.readUInt16LE(p);
    const size = bytes.readUInt16LE(p + 2);
    if (id === 1) {
      let q = p + 4;
      const next = (): number => {
        const v = Number(bytes.readBigUInt64LE(q));
        q += 8;
        return v;
      };
      if (entry.size === 0xffffffff) entry.size = next();
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = next();
      if (entry.localHeaderOffset === 0xffffffff) entry.localHeaderOffset = next();
      return;
    }
    p += 4 + size;
  }
}

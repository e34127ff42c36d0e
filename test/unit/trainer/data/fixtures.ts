// Writers for the data files the loader tests use: IDX, .npy, .npz (zip),
// CSV, PNG and JPEG, all generated into a temporary folder per test.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { crc32, deflateRawSync, gzipSync } from 'node:zlib';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { isUserError } from '../../../../src/shared/errors';

export interface TempDir {
  dir: string;
  path(...parts: string[]): string;
  write(name: string, bytes: Uint8Array | string): string;
  remove(): void;
}

export function tempDir(prefix = 'ms-data-'): TempDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    path: (...parts) => join(dir, ...parts),
    write(name, bytes) {
      const file = join(dir, name);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, bytes);
      return file;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A temp dir for a test file, holding the dataset cache (XDG_CACHE_HOME) while its tests run; removed after them. */
export function tempDirWithCache(): TempDir {
  const tmp = tempDir();
  const cacheBefore = process.env.XDG_CACHE_HOME;
  before(() => (process.env.XDG_CACHE_HOME = tmp.path('cache')));
  after(() => {
    process.env.XDG_CACHE_HOME = cacheBefore;
    tmp.remove();
  });
  return tmp;
}

/** An IDX file of unsigned bytes with the given dims; gzipped when asked. */
export function idxBytes(dims: number[], values: Uint8Array, gzip = false): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = 0x08;
  header[3] = dims.length;
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  const bytes = Buffer.concat([header, values]);
  return gzip ? gzipSync(bytes) : bytes;
}

/** A .npy file (format version 1.0) holding `data` with numpy dtype `descr`. */
export function npyBytes(descr: string, shape: number[], data: ArrayBufferView, fortran = false): Buffer {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  // numpy pads the header with spaces so that the data starts on a 64-byte boundary.
  header += ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
  const prefix = Buffer.alloc(10);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(prefix);
  prefix.writeUInt16LE(header.length, 8);
  return Buffer.concat([prefix, Buffer.from(header, 'latin1'), Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
}

export interface ZipMember {
  name: string;
  data: Buffer;
  deflate?: boolean;
  /** Write the central directory's sizes as ZIP64 extra fields (and a ZIP64 end record), as big numpy archives do. */
  zip64?: boolean;
}

export function zipBytes(members: ZipMember[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const m of members) {
    const name = Buffer.from(m.name, 'utf8');
    const packed = m.deflate ? deflateRawSync(m.data) : m.data;
    const crc = crc32(m.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(m.deflate ? 8 : 0, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(m.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, packed);

    const extra = Buffer.alloc(m.zip64 ? 28 : 0);
    if (m.zip64) {
      extra.writeUInt16LE(1, 0);
      extra.writeUInt16LE(24, 2);
      extra.writeBigUInt64LE(BigInt(m.data.length), 4);
      extra.writeBigUInt64LE(BigInt(packed.length), 12);
      extra.writeBigUInt64LE(BigInt(offset), 20);
    }
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(45, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(m.deflate ? 8 : 0, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(m.zip64 ? 0xffffffff : packed.length, 20);
    central.writeUInt32LE(m.zip64 ? 0xffffffff : m.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(extra.length, 30);
    central.writeUInt32LE(m.zip64 ? 0xffffffff : offset, 42);
    centrals.push(central, name, extra);
    offset += 30 + name.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  // With ZIP64 members, a ZIP64 end record and its locator precede the end record, as Python's zipfile writes them.
  const zip64End: Buffer[] = [];
  if (members.some((m) => m.zip64)) {
    const record = Buffer.alloc(56);
    record.writeUInt32LE(0x06064b50, 0);
    record.writeBigUInt64LE(44n, 4);
    record.writeUInt16LE(45, 12);
    record.writeUInt16LE(45, 14);
    record.writeBigUInt64LE(BigInt(members.length), 24);
    record.writeBigUInt64LE(BigInt(members.length), 32);
    record.writeBigUInt64LE(BigInt(directory.length), 40);
    record.writeBigUInt64LE(BigInt(offset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(offset + directory.length), 8);
    locator.writeUInt32LE(1, 16);
    zip64End.push(record, locator);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, ...zip64End, end]);
}

/** A w x h RGBA picture filled with one colour. */
export function solid(width: number, height: number, rgb: [number, number, number]): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set([...rgb, 255], i * 4);
  return data;
}

export function pngBytes(width: number, height: number, rgba: Buffer, grey = false): Buffer {
  const png = new PNG({ width, height });
  rgba.copy(png.data);
  return PNG.sync.write(png, grey ? { colorType: 0 } : {});
}

export function jpegBytes(width: number, height: number, rgba: Buffer): Buffer {
  return jpeg.encode({ data: rgba, width, height }, 95).data;
}

/** MNIST-like npz (Keras member names) with `train` and `test` images whose pixel [0] is the label * 10. */
export function mnistLikeNpz(train: number, test: number): Buffer {
  const split = (n: number): { x: Uint8Array; y: Uint8Array } => {
    const x = new Uint8Array(n * 784);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = i % 10;
      x[i * 784] = y[i] * 10;
      x[i * 784 + 1] = 255;
    }
    return { x, y };
  };
  const a = split(train);
  const b = split(test);
  return zipBytes([
    { name: 'x_train.npy', data: npyBytes('|u1', [train, 28, 28], a.x), deflate: true },
    { name: 'y_train.npy', data: npyBytes('|u1', [train], a.y), deflate: true },
    { name: 'x_test.npy', data: npyBytes('|u1', [test, 28, 28], b.x), deflate: true },
    { name: 'y_test.npy', data: npyBytes('|u1', [test], b.y), deflate: true },
  ]);
}

/** Awaits a load that must fail with a one-line UserError; returns its message. */
export async function userError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isUserError(error), `expected a UserError, got ${String(error)}`);
    const message = (error as Error).message;
    assert.doesNotMatch(message, /\n/, 'a UserError message is one line');
    return message;
  }
  assert.fail('expected the load to fail');
}

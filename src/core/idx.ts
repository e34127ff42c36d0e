// IDX files (the original MNIST format): magic 00 00 <type> <ndims>, then
// ndims big-endian uint32 sizes, then the values. Only unsigned bytes (0x08),
// which is what image and label files use. Gzipped files are unpacked.
// The trainer's loaders and the prediction panel's test samples both read them.
import { UserError } from '../shared/errors';
import { gunzipIfNeeded, readDataFile } from './dataFiles';

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

const typeNames: Record<number, string> = { 0x09: 'signed byte', 0x0b: 'short', 0x0c: 'int', 0x0d: 'float', 0x0e: 'double' };

export function parseIdx(bytes: Uint8Array, path: string): IdxArray {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) {
    throw new UserError(`${path} is not an IDX file (it does not start with 00 00); point the spec at an IDX images or labels file`);
  }
  const type = bytes[2];
  if (type !== 0x08) {
    const name = typeNames[type] ?? `unknown type 0x${type.toString(16)}`;
    throw new UserError(`${path} holds IDX ${name} values; only unsigned bytes (type 0x08) are supported`);
  }
  const ndims = bytes[3];
  const headerSize = 4 + 4 * ndims;
  if (ndims === 0 || bytes.length < headerSize) throw new UserError(`${path}: IDX header is truncated; download the file again`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < ndims; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const expected = headerSize + dims.reduce((n, d) => n * d, 1);
  if (bytes.length < expected) {
    throw new UserError(`${path} is truncated: its header promises ${expected} bytes, the file has ${bytes.length}; download it again`);
  }
  return { dims, data: bytes.subarray(headerSize, expected) };
}

export function readIdx(path: string): IdxArray {
  return parseIdx(gunzipIfNeeded(readDataFile(path), path), path);
}

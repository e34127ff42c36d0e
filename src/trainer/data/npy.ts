// NumPy .npy arrays: "\x93NUMPY", version, a Python-dict header with descr,
// fortran_order and shape, then the raw values. Little-endian and
// single-byte dtypes only, C order.
import { UserError } from '../../shared/errors';
import type { NumericArray } from './convert';
import { product } from './convert';

export interface NpyArray {
  shape: number[];
  /** 'u' unsigned, 'i' signed, 'f' float, 'b' bool: integers and bools are class labels. */
  kind: 'u' | 'i' | 'f' | 'b';
  dtype: string;
  data: NumericArray;
}

type Ctor = { new (buffer: ArrayBufferLike, byteOffset: number, length: number): NumericArray; BYTES_PER_ELEMENT: number };

const dtypes: Record<string, { kind: NpyArray['kind']; ctor: Ctor | 'int64' | 'uint64' }> = {
  u1: { kind: 'u', ctor: Uint8Array },
  i1: { kind: 'i', ctor: Int8Array },
  b1: { kind: 'b', ctor: Uint8Array },
  u2: { kind: 'u', ctor: Uint16Array },
  i2: { kind: 'i', ctor: Int16Array },
  u4: { kind: 'u', ctor: Uint32Array },
  i4: { kind: 'i', ctor: Int32Array },
  f4: { kind: 'f', ctor: Float32Array },
  f8: { kind: 'f', ctor: Float64Array },
  i8: { kind: 'i', ctor: 'int64' },
  u8: { kind: 'u', ctor: 'uint64' },
};

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export function parseNpy(bytes: Uint8Array, name: string): NpyArray {
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC[i]) throw new UserError(`${name} is not a .npy file (no \\x93NUMPY magic); save it with numpy.save`);
  }
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 12) throw new UserError(`${name}: .npy header is truncated; save the file again`);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  const dataStart = headerStart + headerLen;
  if (bytes.length < dataStart) throw new UserError(`${name}: .npy header is truncated; save the file again`);
  const header = Buffer.from(bytes.buffer, bytes.byteOffset + headerStart, headerLen).toString('latin1');

  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new UserError(`${name}: cannot read the .npy header "${header.trim()}"; save the file with numpy.save`);
  }
  if (fortran === 'True') throw new UserError(`${name} is in Fortran order; save numpy.ascontiguousarray(x) instead`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new UserError(`${name}: bad shape (${shapeText}) in the .npy header`);

  const order = descr[0];
  const type = dtypes[descr.slice(1)];
  const single = descr.endsWith('1');
  if (!type || !(order === '<' || order === '|' || (single && order === '='))) {
    throw new UserError(
      `${name} has dtype '${descr}'; supported: little-endian uint8/int8/bool/(u)int16/(u)int32/int64/float32/float64 (use x.astype('<f4'))`,
    );
  }
  const length = product(shape);
  const size = type.ctor === 'int64' || type.ctor === 'uint64' ? 8 : type.ctor.BYTES_PER_ELEMENT;
  if (bytes.length < dataStart + length * size) {
    throw new UserError(`${name} is truncated: shape (${shapeText}) needs ${length * size} bytes of data, it has ${bytes.length - dataStart}`);
  }
  const raw = bytes.subarray(dataStart, dataStart + length * size);
  return { shape, kind: type.kind, dtype: descr, data: typedView(raw, type.ctor, length) };
}

function typedView(raw: Uint8Array, ctor: Ctor | 'int64' | 'uint64', length: number): NumericArray {
  // Typed views need an aligned offset; copy to a fresh buffer when not (e.g. a member inside a zip).
  const size = ctor === 'int64' || ctor === 'uint64' ? 8 : ctor.BYTES_PER_ELEMENT;
  // (new Uint8Array(raw) copies; Buffer#slice would not.)
  const aligned = raw.byteOffset % size === 0 ? raw : new Uint8Array(raw);
  if (ctor !== 'int64' && ctor !== 'uint64') return new ctor(aligned.buffer, aligned.byteOffset, length);
  // 64-bit integers: combine the two little-endian halves into a double (exact below 2^53).
  const halves = new Uint32Array(aligned.buffer, aligned.byteOffset, length * 2);
  const out = new Float64Array(length);
  const signed = ctor === 'int64';
  for (let i = 0; i < length; i++) {
    const hi = halves[2 * i + 1];
    out[i] = (signed ? hi | 0 : hi) * 4294967296 + halves[2 * i];
  }
  return out;
}

// tfjs-node's binding to TensorFlow's eager C API. It is internal to
// tfjs-node (not public API), so it is found defensively: every member we use
// must be there, and a tiny resource-variable update must give the right
// numbers, or the fast path is not used.
import type { Tf } from '../../../core/backend/types';
import { errorMessage } from '../../../shared/errors';

/** What executeOp returns for each output. */
export interface TensorMetadata {
  id: number;
  shape: number[];
  dtype: number;
}

export interface OpAttr {
  name: string;
  type: number;
  value: boolean | number | string | number[];
}

export interface NativeBinding {
  /** Shares the typed array's memory: do not write to it while the tensor lives. */
  createTensor(shape: number[], dtype: number, values: Float32Array | Int32Array): number;
  deleteTensor(id: number): void;
  tensorDataSync(id: number): Float32Array | Int32Array | Uint8Array;
  executeOp(name: string, attrs: OpAttr[], inputs: number[], numOutputs: number): TensorMetadata[];
  isUsingGpuDevice(): boolean;
  TF_FLOAT: number;
  TF_INT32: number;
  TF_RESOURCE: number;
  TF_ATTR_STRING: number;
  TF_ATTR_INT: number;
  TF_ATTR_BOOL: number;
  TF_ATTR_TYPE: number;
  TF_ATTR_SHAPE: number;
}

const FUNCTIONS = ['createTensor', 'deleteTensor', 'tensorDataSync', 'executeOp', 'isUsingGpuDevice'] as const;
const CONSTANTS = ['TF_FLOAT', 'TF_INT32', 'TF_RESOURCE', 'TF_ATTR_STRING', 'TF_ATTR_INT', 'TF_ATTR_BOOL', 'TF_ATTR_TYPE', 'TF_ATTR_SHAPE'] as const;

/** The binding of the active tfjs-node backend, or why it cannot be used. */
export function findBinding(tf: Tf): NativeBinding | { unavailable: string } {
  if (tf.getBackend() !== 'tensorflow') return { unavailable: `the backend is ${tf.getBackend()}, not native TensorFlow` };
  const binding = (tf.backend() as unknown as { binding?: Record<string, unknown> }).binding;
  if (binding === undefined || binding === null) return { unavailable: 'tfjs-node exposes no binding' };
  const missing = [
    ...FUNCTIONS.filter((name) => typeof binding[name] !== 'function'),
    ...CONSTANTS.filter((name) => typeof binding[name] !== 'number'),
  ];
  if (missing.length > 0) return { unavailable: `tfjs-node's binding lacks ${missing.join(', ')}` };
  const native = binding as unknown as NativeBinding;
  try {
    smokeTest(native);
  } catch (error) {
    return { unavailable: `tfjs-node's binding failed a smoke test (${errorMessage(error).split('\n')[0]})` };
  }
  return native;
}

/** A resource variable [1, 2] minus 0.5 * [2, 2] must read back [0, 1]. */
function smokeTest(b: NativeBinding): void {
  const type = (name: string, value: number): OpAttr => ({ name, type: b.TF_ATTR_TYPE, value });
  const [handle] = b.executeOp(
    'VarHandleOp',
    [
      { name: 'container', type: b.TF_ATTR_STRING, value: '' },
      { name: 'shared_name', type: b.TF_ATTR_STRING, value: `model_studio_smoke_${process.pid}` },
      type('dtype', b.TF_FLOAT),
      { name: 'shape', type: b.TF_ATTR_SHAPE, value: [2] },
    ],
    [],
    1,
  );
  const ids = [b.createTensor([2], b.TF_FLOAT, new Float32Array([1, 2])), b.createTensor([], b.TF_FLOAT, new Float32Array([0.5])), b.createTensor([2], b.TF_FLOAT, new Float32Array([2, 2]))];
  try {
    if (handle.dtype !== b.TF_RESOURCE) throw new Error(`VarHandleOp gave dtype ${handle.dtype}`);
    b.executeOp('AssignVariableOp', [type('dtype', b.TF_FLOAT)], [handle.id, ids[0]], 0);
    b.executeOp('ResourceApplyGradientDescent', [type('T', b.TF_FLOAT), { name: 'use_locking', type: b.TF_ATTR_BOOL, value: false }], [handle.id, ids[1], ids[2]], 0);
    const [read] = b.executeOp('ReadVariableOp', [type('dtype', b.TF_FLOAT)], [handle.id], 1);
    const values = Array.from(b.tensorDataSync(read.id));
    b.deleteTensor(read.id);
    if (values.join() !== '0,1') throw new Error(`the update gave [${values.join(', ')}], not [0, 1]`);
  } finally {
    b.executeOp('DestroyResourceOp', [{ name: 'ignore_lookup_error', type: b.TF_ATTR_BOOL, value: true }], [handle.id], 0);
    for (const id of [handle.id, ...ids]) b.deleteTensor(id);
  }
}

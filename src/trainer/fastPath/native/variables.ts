// TensorFlow resource variables: a weight (or an optimizer slot) lives in
// TensorFlow memory for the whole run and is updated in place by one op.
import type { NativeOps } from './ops';

let created = 0;

export class NativeVariable {
  readonly handle: number;

  constructor(
    private readonly ops: NativeOps,
    readonly shape: number[],
    values: Float32Array,
  ) {
    // A process-unique name: two runs in one process (the CLI in tests) must not share variables.
    const name = `model_studio_fast_${process.pid}_${created++}`;
    const b = ops.b;
    this.handle = b.executeOp(
      'VarHandleOp',
      [ops.string('container', ''), ops.string('shared_name', name), ops.type('dtype', b.TF_FLOAT), { name: 'shape', type: b.TF_ATTR_SHAPE, value: shape }],
      [],
      1,
    )[0].id;
    this.assign(values);
  }

  assign(values: Float32Array): void {
    const b = this.ops.b;
    // A copy: createTensor shares the array's memory and the caller may reuse it.
    const value = b.createTensor(this.shape, b.TF_FLOAT, Float32Array.from(values));
    try {
      b.executeOp('AssignVariableOp', [this.ops.type('dtype', b.TF_FLOAT)], [this.handle, value], 0);
    } finally {
      b.deleteTensor(value);
    }
  }

  /** The value for this step (deleted with the step's tensors). */
  read(): number {
    return this.ops.readVariable(this.handle);
  }

  /** The current values, copied out. */
  values(): Float32Array {
    const b = this.ops.b;
    const id = b.executeOp('ReadVariableOp', [this.ops.type('dtype', b.TF_FLOAT)], [this.handle], 1)[0].id;
    try {
      return Float32Array.from(b.tensorDataSync(id) as Float32Array);
    } finally {
      b.deleteTensor(id);
    }
  }

  destroy(): void {
    const b = this.ops.b;
    b.executeOp('DestroyResourceOp', [this.ops.bool('ignore_lookup_error', true)], [this.handle], 0);
    b.deleteTensor(this.handle);
  }
}

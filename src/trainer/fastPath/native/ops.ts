// The TensorFlow ops of one training step, straight through tfjs-node's
// binding: ~15 µs an op instead of ~50-200 µs through tfjs-core's engine.
// Every output of a step is recorded and deleted by release(); tensors that
// outlive a step (constants, variable handles) are made with keep().
import type { NativeBinding, OpAttr } from './binding';

export type Padding = 'VALID' | 'SAME';

export class NativeOps {
  private temps: number[] = [];
  private readonly kept: number[] = [];
  private readonly constants = new Map<string, number>();
  private readonly floatT: OpAttr[];
  private readonly readAttrs: OpAttr[];
  private readonly matMulAttrs: OpAttr[][];

  constructor(readonly b: NativeBinding) {
    this.floatT = [this.type('T', b.TF_FLOAT)];
    this.readAttrs = [this.type('dtype', b.TF_FLOAT)];
    this.matMulAttrs = [false, true].flatMap((a) => [false, true].map((t) => [...this.floatT, this.bool('adj_x', a), this.bool('adj_y', t)]));
  }

  type(name: string, value: number): OpAttr {
    return { name, type: this.b.TF_ATTR_TYPE, value };
  }

  bool(name: string, value: boolean): OpAttr {
    return { name, type: this.b.TF_ATTR_BOOL, value };
  }

  ints(name: string, value: number[]): OpAttr {
    return { name, type: this.b.TF_ATTR_INT, value };
  }

  string(name: string, value: string): OpAttr {
    return { name, type: this.b.TF_ATTR_STRING, value };
  }

  /** One op with one output, deleted at release(). */
  op(name: string, attrs: OpAttr[], inputs: number[]): number {
    const id = this.b.executeOp(name, attrs, inputs, 1)[0].id;
    this.temps.push(id);
    return id;
  }

  /** One op with several outputs, deleted at release(). */
  ops(name: string, attrs: OpAttr[], inputs: number[], count: number): number[] {
    const ids = this.b.executeOp(name, attrs, inputs, count).map((m) => m.id);
    this.temps.push(...ids);
    return ids;
  }

  /** An op with no outputs (variable updates). */
  run(name: string, attrs: OpAttr[], inputs: number[]): void {
    this.b.executeOp(name, attrs, inputs, 0);
  }

  /** A float32 tensor for this step; `values` must stay unchanged until release(). */
  float(shape: number[], values: Float32Array): number {
    const id = this.b.createTensor(shape, this.b.TF_FLOAT, values);
    this.temps.push(id);
    return id;
  }

  int(shape: number[], values: Int32Array): number {
    const id = this.b.createTensor(shape, this.b.TF_INT32, values);
    this.temps.push(id);
    return id;
  }

  /** A tensor that lives until dispose(). */
  keep(shape: number[], values: Float32Array | Int32Array): number {
    const id = this.b.createTensor(shape, values instanceof Int32Array ? this.b.TF_INT32 : this.b.TF_FLOAT, values);
    this.kept.push(id);
    return id;
  }

  /** A float32 scalar kept for the run (memoized: 1/batch, dropout scales). */
  scalar(value: number): number {
    return this.memo(`s${value}`, () => this.keep([], new Float32Array([value])));
  }

  /** An int32 shape tensor kept for the run (memoized per shape). */
  shape(dims: number[]): number {
    return this.memo(`[${dims.join()}]`, () => this.keep([dims.length], Int32Array.from(dims)));
  }

  private memo(key: string, make: () => number): number {
    let id = this.constants.get(key);
    if (id === undefined) this.constants.set(key, (id = make()));
    return id;
  }

  read(id: number): Float32Array {
    return this.b.tensorDataSync(id) as Float32Array;
  }

  readVariable(handle: number): number {
    return this.op('ReadVariableOp', this.readAttrs, [handle]);
  }

  /**
   * BatchMatMulV2, the kernel TF.js's own matMul runs: oneDNN's matmul
   * primitive on x86. Not MatMul, whose kernel there (oneDNN's sgemm)
   * corrupts the heap when a signal reaches the thread running it, as Node's
   * CPU profiler (--cpu-prof) does a thousand times a second
   * (test/native/fastPathSignals.test.ts). Without oneDNN both ops run Eigen's
   * contraction, which has the same fault, in TF.js's own path too.
   */
  matMul(a: number, b: number, transposeA = false, transposeB = false): number {
    return this.op('BatchMatMulV2', this.matMulAttrs[(transposeA ? 2 : 0) + (transposeB ? 1 : 0)], [a, b]);
  }

  /** Elementwise ops of one float input or two (Relu, Mul, ReluGrad, BiasAdd...). */
  unary(name: string, x: number): number {
    return this.op(name, this.floatT, [x]);
  }

  binary(name: string, a: number, b: number): number {
    return this.op(name, this.floatT, [a, b]);
  }

  reshape(x: number, shape: number): number {
    return this.op('Reshape', [...this.floatT, this.type('Tshape', this.b.TF_INT32)], [x, shape]);
  }

  /** Deletes this step's tensors except those in `except`, which stay for the next release(). */
  release(except: number[] = []): void {
    const keep = new Set(except);
    for (const id of this.temps) if (!keep.has(id)) this.b.deleteTensor(id);
    this.temps = this.temps.filter((id) => keep.has(id));
  }

  dispose(): void {
    this.release();
    for (const id of this.kept.splice(0)) this.b.deleteTensor(id);
    this.constants.clear();
  }
}

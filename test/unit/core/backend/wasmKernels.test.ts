// The gradient kernels Model Studio adds to the wasm backend, checked against
// the pure-JS backend's own kernels on random shapes, and a small CNN that
// trains on wasm (which, without them, throws "Kernel 'Conv2DBackpropFilter'
// not registered for backend 'wasm'").
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { NamedAttrMap, Tensor } from '@tensorflow/tfjs';
import { installWasmKernels, loadBackend, type Tf } from '../../../../src/core/backend/index';

let tf: Tf;

before(async () => {
  tf = (await loadBackend('wasm')).tf;
});

/** Deterministic values in [-1, 1). */
function randomValues(count: number, seed: number): Float32Array {
  let state = seed >>> 0 || 1;
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    values[i] = state / 2 ** 31 - 1;
  }
  return values;
}

type Shape4 = [number, number, number, number];

interface KernelCase {
  kernel: string;
  inputs: Record<string, Shape4>;
  attrs: NamedAttrMap;
}

/** Runs one kernel on a backend with the same input values; returns its output. */
async function runOn(backend: string, c: KernelCase): Promise<{ shape: number[]; values: Float32Array }> {
  await tf.setBackend(backend);
  let seed = 7;
  const inputs: Record<string, Tensor> = {};
  for (const [name, shape] of Object.entries(c.inputs)) {
    inputs[name] = tf.tensor4d(randomValues(shape.reduce((a, b) => a * b, 1), seed++), shape);
  }
  const out = tf.engine().runKernel(c.kernel, inputs, c.attrs) as Tensor;
  const values = (await out.data()) as Float32Array;
  const shape = out.shape;
  tf.dispose([out, ...Object.values(inputs)]);
  return { shape, values };
}

async function assertMatchesPureJs(c: KernelCase): Promise<void> {
  const expected = await runOn('cpu', c);
  const actual = await runOn('wasm', c);
  assert.deepEqual(actual.shape, expected.shape);
  let scale = 1;
  for (const v of expected.values) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  expected.values.forEach((v, i) => {
    worst = Math.max(worst, Math.abs(v - (actual.values[i] ?? NaN)));
  });
  assert.ok(worst <= 1e-4 * scale, `${c.kernel} ${JSON.stringify(c.attrs)}: max difference ${worst} (scale ${scale})`);
}

/** Output size of a convolution along one axis. */
function outSize(input: number, filter: number, stride: number, pad: 'same' | 'valid', dilation = 1): number {
  const effective = (filter - 1) * dilation + 1;
  return pad === 'same' ? Math.ceil(input / stride) : Math.ceil((input - effective + 1) / stride);
}

const geometries: Array<{ stride: number; pad: 'same' | 'valid'; n: number; h: number; w: number; fh: number; fw: number }> = [
  { stride: 1, pad: 'same', n: 2, h: 9, w: 7, fh: 3, fw: 3 },
  { stride: 1, pad: 'valid', n: 3, h: 8, w: 8, fh: 3, fw: 2 },
  { stride: 2, pad: 'same', n: 2, h: 9, w: 10, fh: 3, fw: 3 },
  { stride: 2, pad: 'valid', n: 2, h: 11, w: 8, fh: 2, fw: 3 },
  { stride: 2, pad: 'same', n: 1, h: 6, w: 6, fh: 5, fw: 5 },
];

void describe('wasm Conv2DBackpropFilter matches the pure-JS backend', () => {
  for (const g of geometries) {
    void test(`stride ${g.stride}, ${g.pad} padding, ${g.fh}x${g.fw} filter on ${g.h}x${g.w}`, async () => {
      const inC = 3;
      const outC = 4;
      const dy: Shape4 = [g.n, outSize(g.h, g.fh, g.stride, g.pad), outSize(g.w, g.fw, g.stride, g.pad), outC];
      await assertMatchesPureJs({
        kernel: 'Conv2DBackpropFilter',
        inputs: { x: [g.n, g.h, g.w, inC], dy },
        attrs: { strides: g.stride, pad: g.pad, dataFormat: 'NHWC', filterShape: [g.fh, g.fw, inC, outC] },
      });
    });
  }

  void test('explicit padding', async () => {
    // Rows: 7 + 1 + 2 - 3 + 1 = 8; columns: (6 + 0 + 1 - 3) / 2 + 1 = 3.
    await assertMatchesPureJs({
      kernel: 'Conv2DBackpropFilter',
      inputs: { x: [2, 7, 6, 2], dy: [2, 8, 3, 3] },
      attrs: {
        strides: [1, 2],
        pad: [
          [0, 0],
          [1, 2],
          [0, 1],
          [0, 0],
        ],
        dataFormat: 'NHWC',
        filterShape: [3, 3, 2, 3],
      },
    });
  });

  void test('one input channel, as the first layer of an MNIST CNN sees', async () => {
    await assertMatchesPureJs({
      kernel: 'Conv2DBackpropFilter',
      inputs: { x: [4, 28, 28, 1], dy: [4, 26, 26, 8] },
      attrs: { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape: [3, 3, 1, 8] },
    });
  });
});

void describe('wasm depthwise convolution gradients match the pure-JS backend', () => {
  for (const g of geometries) {
    for (const multiplier of [1, 2]) {
      const channels = 3;
      const dy: Shape4 = [g.n, outSize(g.h, g.fh, g.stride, g.pad), outSize(g.w, g.fw, g.stride, g.pad), channels * multiplier];
      const attrs = { strides: g.stride, pad: g.pad, dilations: 1 };
      const filterShape: Shape4 = [g.fh, g.fw, channels, multiplier];
      const name = `stride ${g.stride}, ${g.pad} padding, ${g.fh}x${g.fw}, multiplier ${multiplier}`;
      void test(`filter gradient: ${name}`, async () => {
        await assertMatchesPureJs({
          kernel: 'DepthwiseConv2dNativeBackpropFilter',
          inputs: { x: [g.n, g.h, g.w, channels], dy },
          attrs: { ...attrs, filterShape },
        });
      });
      void test(`input gradient: ${name}`, async () => {
        await assertMatchesPureJs({
          kernel: 'DepthwiseConv2dNativeBackpropInput',
          inputs: { dy, filter: filterShape },
          attrs: { ...attrs, inputShape: [g.n, g.h, g.w, channels] },
        });
      });
    }
  }

  // The pure-JS filter-gradient kernel ignores dilations (TF.js refuses
  // dilated depthwise gradients), so the reference is the same convolution
  // written as a 5x5 filter with zeros between the taps.
  for (const stride of [1, 2]) {
    void test(`dilation 2, stride ${stride}, equals a 5x5 filter with zeros between the 3x3 taps`, async () => {
      const xShape: Shape4 = [2, 9, 8, 2];
      const dyShape: Shape4 = [2, outSize(9, 3, stride, 'valid', 2), outSize(8, 3, stride, 'valid', 2), 4];
      const x = randomValues(2 * 9 * 8 * 2, 21);
      const dyValues = randomValues(dyShape.reduce((a, b) => a * b, 1), 22);
      const small = randomValues(3 * 3 * 2 * 2, 23);
      const wide = new Float32Array(5 * 5 * 2 * 2);
      for (let i = 0; i < small.length; i++) {
        const [kh, kw, rest] = [Math.floor(i / 12), Math.floor(i / 4) % 3, i % 4];
        wide[(kh * 2 * 5 + kw * 2) * 4 + rest] = small[i] ?? 0;
      }
      const run = async (backend: string, filter: Float32Array, size: number, dilations: number): Promise<Float32Array[]> => {
        await tf.setBackend(backend);
        return tf.tidy(() => {
          const attrs = { strides: stride, pad: 'valid', dilations };
          const dy = tf.tensor4d(dyValues, dyShape);
          const dw = tf.engine().runKernel(
            'DepthwiseConv2dNativeBackpropFilter',
            { x: tf.tensor4d(x, xShape), dy },
            { ...attrs, filterShape: [size, size, 2, 2] },
          ) as Tensor;
          const dx = tf.engine().runKernel(
            'DepthwiseConv2dNativeBackpropInput',
            { dy, filter: tf.tensor4d(filter, [size, size, 2, 2]) },
            { ...attrs, inputShape: xShape },
          ) as Tensor;
          return [dw.dataSync() as Float32Array, dx.dataSync() as Float32Array];
        });
      };
      const [dwDilated, dxDilated] = await run('wasm', small, 3, 2);
      const [dwWide, dxWide] = await run('cpu', wide, 5, 1);
      const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-4 * Math.max(1, Math.abs(b));
      dwDilated?.forEach((v, i) => {
        const [kh, kw, rest] = [Math.floor(i / 12), Math.floor(i / 4) % 3, i % 4];
        const expected = dwWide?.[(kh * 2 * 5 + kw * 2) * 4 + rest] ?? NaN;
        assert.ok(close(v, expected), `filter gradient ${i}: ${v} vs ${expected}`);
      });
      dxDilated?.forEach((v, i) => assert.ok(close(v, dxWide?.[i] ?? NaN), `input gradient ${i}: ${v} vs ${dxWide?.[i]}`));
    });
  }
});

void describe('wasm BatchMatMul with transposed operands (wrapped to use the fast untransposed product) matches the pure-JS backend', () => {
  const cases: Array<[number[], number[], boolean, boolean]> = [
    [[32, 40], [32, 24], true, false],
    [[32, 24], [40, 24], false, true],
    [[24, 32], [40, 24], true, true],
    [[3, 7, 5], [3, 7, 6], true, false],
    [[2, 4, 5], [1, 6, 5], false, true],
    [[6, 9], [9, 4], false, false],
  ];
  for (const [aShape, bShape, transposeA, transposeB] of cases) {
    void test(`[${aShape}]${transposeA ? 'ᵀ' : ''} · [${bShape}]${transposeB ? 'ᵀ' : ''}`, async () => {
      const product = async (backend: string): Promise<{ shape: number[]; values: Float32Array }> => {
        await tf.setBackend(backend);
        const a = tf.tensor(randomValues(aShape.reduce((x, y) => x * y, 1), 3), aShape);
        const b = tf.tensor(randomValues(bShape.reduce((x, y) => x * y, 1), 4), bShape);
        const out = tf.engine().runKernel('BatchMatMul', { a, b }, { transposeA, transposeB }) as Tensor;
        const result = { shape: out.shape, values: (await out.data()) as Float32Array };
        tf.dispose([a, b, out]);
        return result;
      };
      const expected = await product('cpu');
      const before = tf.memory().numTensors;
      const actual = await product('wasm');
      assert.equal(tf.memory().numTensors, before, 'the transposed copies are disposed');
      assert.deepEqual(actual.shape, expected.shape);
      expected.values.forEach((v, i) => assert.ok(Math.abs(v - actual.values[i]) < 1e-5, `element ${i}: ${actual.values[i]} vs ${v}`));
    });
  }
});

void describe('training conv nets on wasm', () => {
  void test('installing the kernels again changes nothing', () => {
    assert.deepEqual(installWasmKernels(tf), []);
  });

  void test('every kernel a conv2d/maxPool/batchNorm/dropout/dense step needs exists on wasm', async () => {
    await tf.setBackend('wasm');
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [12, 12, 1], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
        tf.layers.batchNormalization(),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.separableConv2d({ filters: 4, kernelSize: 3, strides: 2, depthMultiplier: 2, activation: 'relu' }),
        tf.layers.flatten(),
        tf.layers.dropout({ rate: 0.25 }),
        tf.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'sparseCategoricalCrossentropy' });
    const x = tf.tensor4d(randomValues(16 * 144, 3), [16, 12, 12, 1]);
    const y = tf.tensor1d(Array.from({ length: 16 }, (_, i) => i % 3));
    const history = await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    assert.ok(Number.isFinite(history.history.loss?.[0]));
    tf.dispose([x, y]);
    model.dispose();
  });

  void test('a small CNN trained on wasm lowers its loss and leaks no tensors', async () => {
    await tf.setBackend('wasm');
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [10, 10, 1], filters: 6, kernelSize: 3, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'sparseCategoricalCrossentropy' });
    // Class 1 images have a bright square in the top-left corner.
    const count = 64;
    const pixels = randomValues(count * 100, 11).map((v) => Math.abs(v) * 0.3);
    const labels: number[] = [];
    for (let i = 0; i < count; i++) {
      labels.push(i % 2);
      if (i % 2 === 1) for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) pixels[i * 100 + r * 10 + c] = 1;
    }
    const x = tf.tensor4d(pixels, [count, 10, 10, 1]);
    const y = tf.tensor1d(labels);
    const losses: number[] = [];
    let tensorsAfterFirstStep = 0;
    for (let step = 0; step < 12; step++) {
      losses.push((await model.trainOnBatch(x, y)) as number);
      if (step === 0) tensorsAfterFirstStep = tf.memory().numTensors;
    }
    assert.equal(tf.memory().numTensors, tensorsAfterFirstStep, 'tensors leaked per step');
    const first = losses[0] ?? NaN;
    const last = losses.at(-1) ?? NaN;
    assert.ok(last < first * 0.7, `loss ${first} -> ${last}`);
    tf.dispose([x, y]);
    model.dispose();
  });
});

// Backend selection order and forced choices. The native packages cannot be
// installed on every machine, so they come from an injected resolver whose
// "native" module is the bundled tfjs reporting a 'tensorflow' backend; the
// wasm and cpu backends are the real ones.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import * as realTf from '@tensorflow/tfjs';
import { isUserError } from '../../../../src/shared/errors';
import type { BackendChoice } from '../../../../src/shared/events';
import {
  INTRA_OP_THREADS_ENV,
  NATIVE_MISSING_MESSAGE,
  loadBackend,
  type LoadBackendOptions,
  type GpuInfo,
  type NativePackage,
  type NativeResolver,
  type Tf,
} from '../../../../src/core/backend/index';

const GPU_DIR = '/fake/node_modules/@tensorflow/tfjs-node-gpu';
const CPU_DIR = '/fake/node_modules/@tensorflow/tfjs-node';
const H100: GpuInfo = { name: 'NVIDIA H100 80GB HBM3', memoryMiB: 81559 };

interface FakeMachine {
  installed?: Partial<Record<NativePackage, string>>;
  gpu?: GpuInfo;
  /** Package folders whose load throws, as a broken libtensorflow would. */
  broken?: string[];
  /** What the loaded package's backend reports, as tfjs-node's does (its binding's TF_Version, isUsingGpuDevice). */
  reports?: { tfVersion: string; usingGpu: boolean };
}

/** A resolver for a machine described in the test; records what it loaded. */
function fakeResolver(machine: FakeMachine): NativeResolver & { loaded: string[]; askedDirs: string[][] } {
  const loaded: string[] = [];
  const askedDirs: string[][] = [];
  return {
    loaded,
    askedDirs,
    resolve(pkg, searchDirs) {
      askedDirs.push([...searchDirs]);
      return machine.installed?.[pkg];
    },
    detectGpu() {
      return machine.gpu;
    },
    load(packageDir): Tf {
      if (machine.broken?.includes(packageDir)) {
        throw new Error('libtensorflow.so.2: cannot open shared object file: No such file or directory');
      }
      loaded.push(packageDir);
      const reports = machine.reports;
      const backend = reports
        ? (): ReturnType<Tf['backend']> =>
            ({ binding: { TF_Version: reports.tfVersion }, isUsingGpuDevice: reports.usingGpu }) as unknown as ReturnType<Tf['backend']>
        : realTf.backend;
      return { ...realTf, backend, getBackend: () => 'tensorflow', ready: async () => {} };
    },
  };
}

/** loadBackend on a machine with eight cores and a clean environment, where TensorFlow keeps its default threads. */
function loadOnEightCores(choice: BackendChoice, options: LoadBackendOptions = {}): ReturnType<typeof loadBackend> {
  return loadBackend(choice, { threads: { env: {}, cores: 8 }, ...options });
}

async function userErrorOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isUserError(error), `expected a UserError, got ${String(error)}`);
    return error as Error;
  }
  assert.fail('expected loadBackend to fail');
}

void describe('auto picks the fastest backend the machine has', () => {
  void test('the GPU package when it resolves and a CUDA GPU is present, with GPU name and memory', async () => {
    const resolver = fakeResolver({ installed: { '@tensorflow/tfjs-node-gpu': GPU_DIR, '@tensorflow/tfjs-node': CPU_DIR }, gpu: H100 });
    const { info } = await loadOnEightCores('auto', { resolver, searchDirs: ['/ws'] });
    assert.equal(info.name, 'tensorflow-gpu');
    assert.equal(info.device, 'NVIDIA H100 80GB HBM3, 79.6 GiB');
    assert.equal(info.loadedFrom, GPU_DIR);
    assert.equal(info.version, realTf.version.tfjs);
    assert.deepEqual(resolver.loaded, [GPU_DIR]);
  });

  void test('tfjs-node when the GPU package is installed but there is no GPU, and says why', async () => {
    const logs: string[] = [];
    const resolver = fakeResolver({ installed: { '@tensorflow/tfjs-node-gpu': GPU_DIR, '@tensorflow/tfjs-node': CPU_DIR } });
    const { info } = await loadOnEightCores('auto', { resolver, searchDirs: ['/ws'], log: (m) => logs.push(m) });
    assert.equal(info.name, 'tensorflow');
    assert.equal(info.loadedFrom, CPU_DIR);
    assert.match(info.device, /\(\d+ cores?\)$/);
    assert.deepEqual(resolver.loaded, [CPU_DIR]);
    assert.ok(logs.some((m) => m.includes('no CUDA GPU')), logs.join('\n'));
  });

  void test('the device names the TensorFlow library version the native package reports', async () => {
    const resolver = fakeResolver({ installed: { '@tensorflow/tfjs-node': CPU_DIR }, reports: { tfVersion: '2.9.1', usingGpu: false } });
    const { info } = await loadOnEightCores('auto', { resolver, searchDirs: ['/ws'] });
    assert.match(info.device, /\(\d+ cores?\), TensorFlow 2\.9\.1$/);
  });

  void test('the GPU package on a GPU that TensorFlow cannot use is described as the CPU, and the log says why', async () => {
    const logs: string[] = [];
    const resolver = fakeResolver({ installed: { '@tensorflow/tfjs-node-gpu': GPU_DIR }, gpu: H100, reports: { tfVersion: '2.9.1', usingGpu: false } });
    const { info } = await loadOnEightCores('auto', { resolver, searchDirs: ['/ws'], log: (m) => logs.push(m) });
    assert.equal(info.name, 'tensorflow-gpu');
    assert.match(info.device, /\(\d+ cores?\), the GPU NVIDIA H100 80GB HBM3 unused, TensorFlow 2\.9\.1$/);
    assert.ok(logs.some((m) => m.includes('no usable CUDA device')), logs.join('\n'));
  });

  void test('the GPU package that TensorFlow runs on the GPU names the GPU and the library version', async () => {
    const resolver = fakeResolver({ installed: { '@tensorflow/tfjs-node-gpu': GPU_DIR }, gpu: H100, reports: { tfVersion: '2.9.1', usingGpu: true } });
    const { info } = await loadOnEightCores('auto', { resolver, searchDirs: ['/ws'] });
    assert.equal(info.device, 'NVIDIA H100 80GB HBM3, 79.6 GiB, TensorFlow 2.9.1');
  });

  void test('tfjs-node when only it is installed, even with a GPU', async () => {
    const resolver = fakeResolver({ installed: { '@tensorflow/tfjs-node': CPU_DIR }, gpu: H100 });
    const { info } = await loadOnEightCores('auto', { resolver, searchDirs: ['/ws'] });
    assert.equal(info.name, 'tensorflow');
    assert.deepEqual(resolver.loaded, [CPU_DIR]);
  });

  void test('tfjs-node when the GPU package fails to load', async () => {
    const logs: string[] = [];
    const resolver = fakeResolver({
      installed: { '@tensorflow/tfjs-node-gpu': GPU_DIR, '@tensorflow/tfjs-node': CPU_DIR },
      gpu: H100,
      broken: [GPU_DIR],
    });
    const { info } = await loadOnEightCores('auto', { resolver, searchDirs: ['/ws'], log: (m) => logs.push(m) });
    assert.equal(info.name, 'tensorflow');
    assert.ok(logs.some((m) => m.includes(GPU_DIR) && m.includes('libtensorflow')), logs.join('\n'));
  });

  void test('WebAssembly when no native package resolves', async () => {
    const { tf, info } = await loadOnEightCores('auto', { resolver: fakeResolver({ gpu: H100 }), searchDirs: ['/ws'] });
    assert.equal(info.name, 'wasm');
    assert.equal(tf.getBackend(), 'wasm');
    assert.match(info.device, /\(\d+ cores?\), WebAssembly/);
    assert.equal(info.loadedFrom, undefined);
  });

  void test('WebAssembly, with a log line, when the native package is installed but broken', async () => {
    const logs: string[] = [];
    const resolver = fakeResolver({ installed: { '@tensorflow/tfjs-node': CPU_DIR }, broken: [CPU_DIR] });
    const { info } = await loadOnEightCores('auto', { resolver, searchDirs: ['/ws'], log: (m) => logs.push(m) });
    assert.equal(info.name, 'wasm');
    assert.ok(logs.some((m) => m.includes('failed to load') && m.includes('using WebAssembly')), logs.join('\n'));
  });

  void test('pure JS, with a log line, when the WebAssembly binaries are missing', async () => {
    const logs: string[] = [];
    const empty = mkdtempSync(join(tmpdir(), 'ms-nowasm-'));
    after(() => rmSync(empty, { recursive: true, force: true }));
    const { tf, info } = await loadOnEightCores('auto', {
      resolver: fakeResolver({}),
      searchDirs: [],
      wasmFilesDir: empty,
      log: (m) => logs.push(m),
    });
    assert.equal(info.name, 'cpu');
    assert.equal(tf.getBackend(), 'cpu');
    assert.match(info.device, /pure JavaScript/);
    assert.ok(logs.some((m) => m.includes('WebAssembly backend could not start')), logs.join('\n'));
  });

  void test('passes the search dirs to the resolver in order', async () => {
    const resolver = fakeResolver({ installed: { '@tensorflow/tfjs-node': CPU_DIR } });
    await loadOnEightCores('auto', { resolver, searchDirs: ['/ws', '/ext', '/native'] });
    assert.deepEqual(resolver.askedDirs[0], ['/ws', '/ext', '/native']);
  });
});

void describe("native TensorFlow's threads per op", () => {
  const cpuOnly = (): ReturnType<typeof fakeResolver> => fakeResolver({ installed: { '@tensorflow/tfjs-node': CPU_DIR }, reports: { tfVersion: '2.21.0', usingGpu: false } });
  const SMALL = 36e6; // the example CNN's largest layer at batch 32
  const LARGE = 170e6;

  void test('a run of small layers on two cores runs each op on one thread, set before TensorFlow loads, and the device says so', async () => {
    const env: NodeJS.ProcessEnv = {};
    const resolver = cpuOnly();
    const load = resolver.load.bind(resolver);
    let atLoad: string | undefined;
    resolver.load = (dir): Tf => ((atLoad = env[INTRA_OP_THREADS_ENV]), load(dir));
    const { info } = await loadBackend('tensorflow', { resolver, searchDirs: ['/ws'], threads: { env, cores: 2, largestLayerFlops: SMALL } });
    assert.equal(atLoad, '1');
    assert.match(info.device, /\(\d+ cores?\), TensorFlow 2\.21\.0, 1 intra-op thread$/);
  });

  void test("keeps TensorFlow's default for a layer large enough to gain from the second core, a model not known before it is built, or more than two cores", async () => {
    for (const threads of [
      { cores: 2, largestLayerFlops: LARGE },
      { cores: 2, largestLayerFlops: undefined },
      { cores: 4, largestLayerFlops: SMALL },
    ]) {
      const env: NodeJS.ProcessEnv = {};
      const { info } = await loadBackend('tensorflow', { resolver: cpuOnly(), searchDirs: ['/ws'], threads: { env, ...threads } });
      assert.equal(env[INTRA_OP_THREADS_ENV], undefined, JSON.stringify(threads));
      assert.match(info.device, /TensorFlow 2\.21\.0$/);
    }
  });

  void test("keeps the user's own TF_NUM_INTRAOP_THREADS and names it", async () => {
    const env: NodeJS.ProcessEnv = { [INTRA_OP_THREADS_ENV]: '3' };
    const { info } = await loadBackend('tensorflow', { resolver: cpuOnly(), searchDirs: ['/ws'], threads: { env, cores: 2, largestLayerFlops: SMALL } });
    assert.equal(env[INTRA_OP_THREADS_ENV], '3');
    assert.match(info.device, /TensorFlow 2\.21\.0, 3 intra-op threads$/);
  });

  void test('sets nothing when no native package loads', async () => {
    const env: NodeJS.ProcessEnv = {};
    const { info } = await loadBackend('auto', { resolver: fakeResolver({}), searchDirs: ['/ws'], threads: { env, cores: 2, largestLayerFlops: SMALL } });
    assert.equal(info.name, 'wasm');
    assert.deepEqual(env, {});
  });
});

void describe('forced backends', () => {
  void test("'tensorflow' uses the GPU package when a GPU is present", async () => {
    const resolver = fakeResolver({ installed: { '@tensorflow/tfjs-node-gpu': GPU_DIR, '@tensorflow/tfjs-node': CPU_DIR }, gpu: H100 });
    const { info } = await loadOnEightCores('tensorflow', { resolver, searchDirs: ['/ws'] });
    assert.equal(info.name, 'tensorflow-gpu');
  });

  void test("'tensorflow' uses tfjs-node without a GPU", async () => {
    const resolver = fakeResolver({ installed: { '@tensorflow/tfjs-node': CPU_DIR } });
    const { info } = await loadOnEightCores('tensorflow', { resolver, searchDirs: ['/ws'] });
    assert.equal(info.name, 'tensorflow');
  });

  void test("'tensorflow' that is not installed is a one-line UserError that says how to install it", async () => {
    const error = await userErrorOf(loadOnEightCores('tensorflow', { resolver: fakeResolver({}), searchDirs: ['/ws'] }));
    assert.equal(error.message, NATIVE_MISSING_MESSAGE);
    assert.match(error.message, /npm install @tensorflow\/tfjs-node/);
    assert.match(error.message, /Install Native TensorFlow Backend/);
    assert.doesNotMatch(error.message, /\n/);
  });

  void test("'tensorflow' with only the GPU package and no GPU is the not-installed UserError", async () => {
    const resolver = fakeResolver({ installed: { '@tensorflow/tfjs-node-gpu': GPU_DIR } });
    const error = await userErrorOf(loadOnEightCores('tensorflow', { resolver, searchDirs: ['/ws'] }));
    assert.equal(error.message, NATIVE_MISSING_MESSAGE);
  });

  void test("'tensorflow' that fails to load names the package folder, the reason and the fix", async () => {
    const resolver = fakeResolver({ installed: { '@tensorflow/tfjs-node': CPU_DIR }, broken: [CPU_DIR] });
    const error = await userErrorOf(loadOnEightCores('tensorflow', { resolver, searchDirs: ['/ws'] }));
    assert.match(error.message, new RegExp(`${CPU_DIR}.*libtensorflow.*npm install @tensorflow/tfjs-node`));
    assert.doesNotMatch(error.message, /\n/);
  });

  void test("'wasm' starts the real WebAssembly backend with the conv gradient kernels installed", async () => {
    const { tf, info } = await loadOnEightCores('wasm', { resolver: fakeResolver({ installed: { '@tensorflow/tfjs-node': CPU_DIR } }) });
    assert.equal(info.name, 'wasm');
    assert.equal(tf.getBackend(), 'wasm');
    assert.ok(tf.getKernel('Conv2DBackpropFilter', 'wasm'));
    assert.deepEqual(Array.from(await tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).data()), [4, 6]);
  });

  void test("'wasm' without its binaries is a UserError that points to --backend cpu", async () => {
    const empty = mkdtempSync(join(tmpdir(), 'ms-nowasm-'));
    after(() => rmSync(empty, { recursive: true, force: true }));
    const error = await userErrorOf(loadOnEightCores('wasm', { wasmFilesDir: empty }));
    assert.match(error.message, /WebAssembly backend could not start.*--backend cpu/);
  });

  void test("'cpu' starts the real pure-JS backend even when a native one is installed", async () => {
    const resolver = fakeResolver({ installed: { '@tensorflow/tfjs-node': CPU_DIR } });
    const { tf, info } = await loadOnEightCores('cpu', { resolver });
    assert.equal(info.name, 'cpu');
    assert.equal(tf.getBackend(), 'cpu');
    assert.deepEqual(resolver.loaded, []);
  });
});

void describe('the real resolver', () => {
  const root = mkdtempSync(join(tmpdir(), 'ms-resolve-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  function fakePackage(dir: string, marker: string): string {
    const pkgDir = join(dir, 'node_modules', '@tensorflow', 'tfjs-node');
    mkdirSync(pkgDir, { recursive: true });
    writeFileSync(join(pkgDir, 'package.json'), JSON.stringify({ name: '@tensorflow/tfjs-node', main: 'index.js' }));
    writeFileSync(join(pkgDir, 'index.js'), `module.exports = { marker: ${JSON.stringify(marker)} };`);
    return pkgDir;
  }

  void test('resolves a package from the first search dir that has it, and loads it', async () => {
    const { defaultResolver } = await import('../../../../src/core/backend/index');
    const empty = join(root, 'empty');
    mkdirSync(empty);
    const workspace = join(root, 'workspace');
    const nativeDir = join(root, 'native');
    const inWorkspace = fakePackage(workspace, 'workspace');
    fakePackage(nativeDir, 'native');
    assert.equal(defaultResolver.resolve('@tensorflow/tfjs-node', [empty, workspace, nativeDir]), inWorkspace);
    assert.equal(defaultResolver.resolve('@tensorflow/tfjs-node-gpu', [empty, workspace, nativeDir]), undefined);
    const loaded = defaultResolver.load(inWorkspace) as unknown as { marker: string };
    assert.equal(loaded.marker, 'workspace');
  });
});

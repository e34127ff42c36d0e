// Device descriptions, GPU detection parsing and native search folders.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { cpuDescription, gpuDescription } from '../../../../src/core/backend/device';
import { NATIVE_DIR_ENV, defaultSearchDirs } from '../../../../src/core/backend/index';
import { parseNvidiaSmi, parseProcGpuInformation } from '../../../../src/core/backend/resolver';
import { REPO_ROOT } from '../../../helpers/repoRoot';

void describe('device descriptions', () => {
  void test('the CPU is its model and core count', () => {
    assert.match(cpuDescription(), /^\S.* \(\d+ cores?\)$/);
    assert.doesNotMatch(cpuDescription(), /\((R|TM)\)/);
  });

  void test('a GPU is its name and memory in GiB', () => {
    assert.equal(gpuDescription({ name: 'NVIDIA H100 80GB HBM3', memoryMiB: 81559 }), 'NVIDIA H100 80GB HBM3, 79.6 GiB');
    assert.equal(gpuDescription({ name: 'NVIDIA GPU' }), 'NVIDIA GPU');
  });
});

void describe('GPU detection output', () => {
  void test('nvidia-smi csv gives the first GPU', () => {
    assert.deepEqual(parseNvidiaSmi('NVIDIA H100 80GB HBM3, 81559\nNVIDIA H100 80GB HBM3, 81559\n'), {
      name: 'NVIDIA H100 80GB HBM3',
      memoryMiB: 81559,
    });
    assert.deepEqual(parseNvidiaSmi('Tesla T4, [N/A]\n'), { name: 'Tesla T4' });
    assert.equal(parseNvidiaSmi('\n'), undefined);
  });

  void test('the driver information file gives the model', () => {
    const text = 'Model: \t\t NVIDIA A100-SXM4-40GB\nIRQ:   \t\t 42\nGPU UUID: \t GPU-1234\n';
    assert.deepEqual(parseProcGpuInformation(text), { name: 'NVIDIA A100-SXM4-40GB' });
    assert.equal(parseProcGpuInformation('IRQ: 42\n'), undefined);
  });
});

void describe('native search folders', () => {
  void test('are the workspace, Model Studio itself, then the native install folder', () => {
    const dirs = defaultSearchDirs({ workspace: '/work/ws', nativeDir: '/data/native' });
    assert.equal(dirs[0], resolve('/work/ws'));
    assert.ok(dirs[1]?.endsWith(join('src', 'core', 'backend')), dirs[1]);
    assert.equal(dirs[2], resolve('/data/native'));
  });

  void test(`take the native install folder from $${NATIVE_DIR_ENV}`, () => {
    const saved = process.env[NATIVE_DIR_ENV];
    process.env[NATIVE_DIR_ENV] = '/opt/ms-native';
    try {
      assert.equal(defaultSearchDirs({ workspace: '/w' }).at(-1), resolve('/opt/ms-native'));
    } finally {
      if (saved === undefined) delete process.env[NATIVE_DIR_ENV];
      else process.env[NATIVE_DIR_ENV] = saved;
    }
  });
});

void describe('a WebAssembly binary that fails to initialise', () => {
  // Run in a child: a failed start leaves the wasm module unusable for the process.
  void test('falls back to pure JS in auto mode and is a UserError when forced', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ms-badwasm-'));
    try {
      for (const file of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
        writeFileSync(join(dir, file), 'not a wasm binary');
      }
      const script = `
        const { loadBackend } = require(${JSON.stringify(join(REPO_ROOT, 'src', 'core', 'backend', 'index.ts'))});
        (async () => {
          const logs = [];
          const auto = await loadBackend('auto', { searchDirs: [], wasmFilesDir: ${JSON.stringify(dir)}, log: (m) => logs.push(m) });
          let forced;
          try { await loadBackend('wasm', { wasmFilesDir: ${JSON.stringify(dir)} }); } catch (e) { forced = { name: e.name, message: e.message }; }
          console.log(JSON.stringify({ auto: auto.info.name, logs, forced }));
        })();`;
      const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', timeout: 60_000 });
      const last = child.stdout.trim().split('\n').at(-1) ?? '';
      const result = JSON.parse(last) as { auto: string; logs: string[]; forced?: { name: string; message: string } };
      assert.equal(result.auto, 'cpu');
      assert.ok(result.logs.some((m) => m.includes('WebAssembly backend could not start')), result.logs.join('\n'));
      assert.equal(result.forced?.name, 'UserError');
      assert.match(result.forced?.message ?? '', /--backend cpu/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

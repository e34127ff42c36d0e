// CUDA GPU detection per platform, with the platform, its environment, its
// programs and its files injected: Linux, Windows and macOS on one machine.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { detectCudaGpu, nodeGpuProbeHost, type GpuProbeHost } from '../../../../src/core/backend/gpu';

const SMI_OUTPUT = 'NVIDIA GeForce RTX 4090, 24564\n';

interface FakeMachine {
  platform: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  /** Programs that run and what they print. */
  programs?: Record<string, string>;
  files?: Record<string, string>;
  folders?: Record<string, string[]>;
}

function host(machine: FakeMachine): GpuProbeHost & { ran: string[] } {
  const ran: string[] = [];
  return {
    ran,
    platform: machine.platform,
    env: machine.env ?? {},
    run: async (file) => {
      ran.push(file);
      return machine.programs?.[file];
    },
    readText: async (file) => machine.files?.[file],
    list: async (folder) => machine.folders?.[folder],
  };
}

void describe('on Linux', () => {
  void test('nvidia-smi on PATH names the GPU and its memory', async () => {
    assert.deepEqual(await detectCudaGpu(host({ platform: 'linux', programs: { 'nvidia-smi': SMI_OUTPUT } })), { name: 'NVIDIA GeForce RTX 4090', memoryMiB: 24564 });
  });

  void test('without nvidia-smi the driver’s /proc files name the GPU', async () => {
    const machine = host({
      platform: 'linux',
      folders: { '/proc/driver/nvidia': ['gpus', 'version'], '/proc/driver/nvidia/gpus': ['0000:01:00.0'] },
      files: { '/proc/driver/nvidia/gpus/0000:01:00.0/information': 'Model: \t\t NVIDIA A100-SXM4-40GB\nIRQ: 42\n' },
    });
    assert.deepEqual(await detectCudaGpu(machine), { name: 'NVIDIA A100-SXM4-40GB' });
  });

  void test('a driver folder with no readable GPU is still an NVIDIA GPU; no driver at all is none', async () => {
    assert.deepEqual(await detectCudaGpu(host({ platform: 'linux', folders: { '/proc/driver/nvidia': ['version'] } })), { name: 'NVIDIA GPU' });
    assert.equal(await detectCudaGpu(host({ platform: 'linux' })), undefined);
  });
});

void describe('on Windows', () => {
  void test('nvidia-smi on PATH comes first and /proc is never read', async () => {
    const machine = host({ platform: 'win32', programs: { 'nvidia-smi.exe': SMI_OUTPUT }, folders: { '/proc/driver/nvidia': ['version'] } });
    assert.equal((await detectCudaGpu(machine))?.name, 'NVIDIA GeForce RTX 4090');
    assert.deepEqual(machine.ran, ['nvidia-smi.exe']);
  });

  void test('without it on PATH, the driver’s copy in System32 is found, whatever the case of SystemRoot', async () => {
    const machine = host({ platform: 'win32', env: { SYSTEMROOT: 'D:\\Win' }, programs: { 'D:\\Win\\System32\\nvidia-smi.exe': SMI_OUTPUT } });
    assert.equal((await detectCudaGpu(machine))?.name, 'NVIDIA GeForce RTX 4090');
  });

  void test('older drivers’ NVSMI folder under Program Files is tried last; no driver is no GPU', async () => {
    const nvsmi = 'C:\\Program Files\\NVIDIA Corporation\\NVSMI\\nvidia-smi.exe';
    const found = host({ platform: 'win32', env: { SystemRoot: 'C:\\Windows', ProgramW6432: 'C:\\Program Files', ProgramFiles: 'C:\\Program Files (x86)' }, programs: { [nvsmi]: SMI_OUTPUT } });
    assert.equal((await detectCudaGpu(found))?.name, 'NVIDIA GeForce RTX 4090');
    assert.deepEqual(found.ran, ['nvidia-smi.exe', 'C:\\Windows\\System32\\nvidia-smi.exe', nvsmi]);
    const none = host({ platform: 'win32', folders: { '/proc/driver/nvidia': ['version'] } });
    assert.equal(await detectCudaGpu(none), undefined);
  });
});

void describe('on macOS and elsewhere', () => {
  void test('there is no CUDA GPU, and nothing is run to find one', async () => {
    for (const platform of ['darwin', 'freebsd'] as const) {
      const machine = host({ platform, programs: { 'nvidia-smi': SMI_OUTPUT }, folders: { '/proc/driver/nvidia': ['version'] } });
      assert.equal(await detectCudaGpu(machine), undefined);
      assert.deepEqual(machine.ran, []);
    }
  });
});

void test('the real host answers on this machine without throwing, within nvidia-smi’s time limit', async () => {
  const started = Date.now();
  const gpu = await detectCudaGpu(nodeGpuProbeHost());
  assert.ok(gpu === undefined || gpu.name.length > 0);
  assert.ok(Date.now() - started < 16_000);
});

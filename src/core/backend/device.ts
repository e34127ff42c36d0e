// Human descriptions of where the math runs, for the run record and the UI.
import { cpus } from 'node:os';
import type { GpuInfo } from './resolver';

/** "Intel Xeon CPU @ 2.20GHz (2 cores)" */
export function cpuDescription(): string {
  const all = cpus();
  const model = (all[0]?.model ?? 'Unknown CPU')
    .replace(/\((R|TM|tm|r)\)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const count = Math.max(all.length, 1);
  return `${model} (${count} ${count === 1 ? 'core' : 'cores'})`;
}

/** "NVIDIA H100 80GB HBM3, 79.6 GiB" */
export function gpuDescription(gpu: GpuInfo): string {
  if (gpu.memoryMiB === undefined) return gpu.name;
  return `${gpu.name}, ${(gpu.memoryMiB / 1024).toFixed(1)} GiB`;
}

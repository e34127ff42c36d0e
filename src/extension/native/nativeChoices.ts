// What Install Native TensorFlow Backend offers, honest per platform: the
// GPU build only where CUDA exists (Linux, Windows), first when an NVIDIA
// GPU was found. Pure: tests give it any platform and GPU.
import { cudaPossible, type GpuInfo } from '../../core/backend/gpu';
import type { NativePackage } from './npmFailure';

export interface NativeChoice {
  label: string;
  description: NativePackage;
  detail: string;
  pkg: NativePackage;
}

export function nativeChoices(platform: NodeJS.Platform, gpu: GpuInfo | undefined): NativeChoice[] {
  const cpu: NativeChoice = {
    label: 'CPU',
    description: '@tensorflow/tfjs-node',
    detail: 'Native TensorFlow on all CPU cores, several times faster than WebAssembly',
    pkg: '@tensorflow/tfjs-node',
  };
  if (!cudaPossible(platform)) return [cpu];
  const cuda: NativeChoice = {
    label: 'GPU (CUDA)',
    description: '@tensorflow/tfjs-node-gpu',
    detail: gpu ? `${gpu.name} found; needs CUDA 11.2 and cuDNN 8.1` : 'No NVIDIA GPU found on this machine',
    pkg: '@tensorflow/tfjs-node-gpu',
  };
  return gpu ? [cuda, cpu] : [cpu, cuda];
}

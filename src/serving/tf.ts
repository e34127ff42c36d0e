// The TF.js namespace for serving, from the trainer's backend selection:
// `auto` takes native TensorFlow when @tensorflow/tfjs-node resolves (it does
// in the container image, from /app/node_modules), else WebAssembly, else JS.
import type { BackendChoice } from '../shared/events';
import { loadBackend, type LoadedBackend } from '../core/backend';

export async function loadServingTf(choice: BackendChoice = 'auto', log?: (line: string) => void): Promise<LoadedBackend> {
  return loadBackend(choice, { log });
}

// The TF.js namespace for serving. Stand-in until the trainer's loadBackend
// lands in src/trainer/backend: native TensorFlow when @tensorflow/tfjs-node
// resolves (it does in the container image), else the bundled WebAssembly backend.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';
import type { Tf } from '../trainer/backend/types';

export interface ServingTf {
  tf: Tf;
  backend: string;
}

export async function loadServingTf(): Promise<ServingTf> {
  const native = loadNative();
  if (native) return { tf: native, backend: 'tensorflow' };
  const tf = await import('@tensorflow/tfjs');
  tf.env().set('PROD', true);
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // Bundled (dist/serve.js), the .wasm files sit next to the bundle.
  if (existsSync(join(__dirname, 'tfjs-backend-wasm.wasm'))) wasm.setWasmPaths(__dirname + sep);
  if (!(await tf.setBackend('wasm'))) throw new Error('the WebAssembly backend failed to start');
  await tf.ready();
  return { tf, backend: 'wasm' };
}

function loadNative(): Tf | undefined {
  const name = '@tensorflow/tfjs-node';
  for (const base of [process.cwd(), __dirname]) {
    try {
      const tf = createRequire(join(base, 'noop.js'))(name) as Tf;
      return tf;
    } catch {
      // not installed here
    }
  }
  return undefined;
}

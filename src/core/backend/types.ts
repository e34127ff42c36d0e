// TF.js is loaded at run time: the bundled @tensorflow/tfjs for WebAssembly and
// pure JS, or a native package found on the machine. Native packages carry
// their own tfjs-core copy, so all trainer code uses the `tf` namespace
// returned here, never a static import of @tensorflow/tfjs.
import type * as tfjs from '@tensorflow/tfjs';
import type { BackendInfo } from '../../shared/events';

export type Tf = typeof tfjs;

export interface LoadedBackend {
  tf: Tf;
  info: BackendInfo;
}

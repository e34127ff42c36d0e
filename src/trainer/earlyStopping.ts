// Early stopping as Keras does it: stop when the monitored value has not
// improved by minDelta for `patience` epochs. Its state rides in checkpoints
// so a resumed run keeps counting.
import type { Logs } from '@tensorflow/tfjs';
import type { EarlyStoppingSpec } from '../shared/spec';

export class EarlyStopping {
  private readonly monitor: string;
  private readonly patience: number;
  private readonly minDelta: number;
  private readonly sign: 1 | -1;
  private best: number;
  private wait: number;

  constructor(spec: EarlyStoppingSpec, saved?: { best?: number; wait?: number }) {
    this.monitor = spec.monitor ?? 'val_loss';
    this.patience = spec.patience ?? 3;
    this.minDelta = Math.abs(spec.minDelta ?? 0);
    const mode = spec.mode ?? 'auto';
    // 'auto': accuracy-like values should rise, everything else fall.
    const maximize = mode === 'max' || (mode === 'auto' && /acc|precision|recall/.test(this.monitor));
    this.sign = maximize ? -1 : 1;
    this.best = saved?.best ?? Number.POSITIVE_INFINITY;
    this.wait = saved?.wait ?? 0;
  }

  /** Returns the reason to stop after this epoch, or undefined to go on. */
  update(epoch: number, logs: Logs): string | undefined {
    const value = logs[this.monitor];
    if (value === undefined) return undefined;
    const score = this.sign * value;
    if (score < this.best - this.minDelta) {
      this.best = score;
      this.wait = 0;
      return undefined;
    }
    this.wait++;
    if (this.wait < this.patience) return undefined;
    return `Early stopping after epoch ${epoch + 1}: ${this.monitor} did not improve for ${this.patience} epochs (best ${(this.sign * this.best).toPrecision(4)}).`;
  }

  state(): { best: number; wait: number } {
    return { best: this.best, wait: this.wait };
  }
}

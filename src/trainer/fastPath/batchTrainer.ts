// What the training loop calls for each batch. Two kinds: trainOnBatch
// (every model, every backend) and the native fast path (built-in layers on
// tfjs-node), which trains the same model to the same numbers in far fewer
// ops and hands its state back to the model on syncModel().
import type { LayersModel } from '@tensorflow/tfjs';
import type { Tf } from '../../core/backend/types';
import type { BatchMaker } from '../batches';
import type { FastPlan } from './plan';
import { writeTrainingState } from './modelState';
import type { NativeStepper } from './native/stepper';

export interface BatchTrainer {
  readonly kind: 'trainOnBatch' | 'native';
  /** Trains on samples order[start..end); returns the loss then the metrics, as trainOnBatch does. */
  trainBatch(order: Int32Array, start: number, end: number): Promise<number[]>;
  /** Brings the model's weights and optimizer state up to date; call before anything reads the model. */
  syncModel(): Promise<void>;
  dispose(): void;
}

export class TrainOnBatchTrainer implements BatchTrainer {
  readonly kind = 'trainOnBatch';

  constructor(
    private readonly tf: Tf,
    private readonly model: LayersModel,
    private readonly batches: BatchMaker,
  ) {}

  async trainBatch(order: Int32Array, start: number, end: number): Promise<number[]> {
    const [x, y] = this.batches.batch(order, start, end);
    try {
      const result = await this.model.trainOnBatch(x, y);
      return Array.isArray(result) ? result : [result];
    } finally {
      this.tf.dispose([x, y]);
    }
  }

  async syncModel(): Promise<void> {}

  dispose(): void {}
}

export class NativeTrainer implements BatchTrainer {
  readonly kind = 'native';
  /** True when the stepper has trained since the model was last written. */
  private ahead = false;

  constructor(
    private readonly tf: Tf,
    private readonly model: LayersModel,
    private readonly plan: FastPlan,
    private readonly stepper: NativeStepper,
    private readonly batches: BatchMaker,
  ) {}

  async trainBatch(order: Int32Array, start: number, end: number): Promise<number[]> {
    const { x, y, count } = this.batches.rows(order, start, end);
    this.ahead = true;
    return this.stepper.trainBatch(x, y, count);
  }

  async syncModel(): Promise<void> {
    if (!this.ahead) return;
    await writeTrainingState(this.tf, this.model, this.plan, this.stepper.state());
    this.ahead = false;
  }

  dispose(): void {
    this.stepper.dispose();
  }
}

// What the training loop calls for each batch. Two kinds: trainOnBatch
// (every model, every backend) and the native fast path (built-in layers on
// tfjs-node), which trains the same model to the same numbers in far fewer
// ops and hands its state back to the model on syncModel().
import type { LayersModel } from '@tensorflow/tfjs';
import type { Tf } from '../../core/backend/types';
import { batchTensors } from '../batches';
import type { BatchRows } from '../batchSource';
import type { FastPlan } from './plan';
import { writeTrainingState } from './modelState';
import type { NativeStepper } from './native/stepper';
import { DropoutSeeder } from '../dropoutSeed';

/** The shape of one sample and of one label (without the batch dimension). */
export interface DataShapes {
  sampleShape: number[];
  labelShape: number[];
}

export interface BatchTrainer {
  readonly kind: 'trainOnBatch' | 'native';
  /**
   * Trains on one batch's rows at global step `step` (the run's batches
   * before it), which with the run's seed fixes the dropout masks; returns
   * the loss then the metrics, as trainOnBatch does.
   */
  trainBatch(rows: BatchRows, step: number): Promise<number[]>;
  /** Brings the model's weights and optimizer state up to date; call before anything reads the model. */
  syncModel(): Promise<void>;
  dispose(): void;
}

export class TrainOnBatchTrainer implements BatchTrainer {
  readonly kind = 'trainOnBatch';
  private readonly dropout: DropoutSeeder;

  /** `seed`: the run's seed. */
  constructor(
    private readonly tf: Tf,
    private readonly model: LayersModel,
    private readonly shapes: DataShapes,
    seed: number,
  ) {
    this.dropout = new DropoutSeeder(model, seed);
  }

  async trainBatch(rows: BatchRows, step: number): Promise<number[]> {
    const [x, y] = batchTensors(this.tf, rows, this.shapes.sampleShape, this.shapes.labelShape);
    try {
      const result = await this.dropout.during(step, () => this.model.trainOnBatch(x, y));
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
  ) {}

  async trainBatch({ x, y, count }: BatchRows, step: number): Promise<number[]> {
    this.ahead = true;
    return this.stepper.trainBatch(x, y, count, step);
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

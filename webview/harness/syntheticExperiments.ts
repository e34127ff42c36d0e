// Synthetic experiment rows for the experiments view's benchmark and browser
// tests: a random search over the MNIST MLP's learning rate (log), width,
// dropout, batch size and activation, with results that depend on them
// smoothly plus noise, like a real sweep. Deterministic for a seed. No DOM.

import type { ExperimentRow, SweepSummary } from '../../src/shared/protocol/experiments';
import { seededRandom } from '../../src/shared/seededRandom';

export interface SyntheticExperimentsOptions {
  count: number;
  seed?: number;
  /** Rows are trials of this sweep. */
  sweepId?: string;
}

export const SYNTHETIC_SCALES: SweepSummary['scales'] = {
  'compile.optimizer.learningRate': 'log',
  'model.layers[1].units': 'linear',
  'model.layers[2].rate': 'linear',
  'fit.batchSize': 'linear',
  'model.layers[1].activation': 'linear',
};

export function syntheticSweep(id: string, rows: readonly ExperimentRow[]): SweepSummary {
  const best = rows.reduce<ExperimentRow | undefined>((b, row) => (row.status === 'completed' && (!b || row.metrics.val_acc > b.metrics.val_acc) ? row : b), undefined);
  return {
    id,
    name: 'mnist-mlp',
    status: 'running',
    metric: { name: 'val_acc', goal: 'maximize' },
    scales: SYNTHETIC_SCALES,
    plannedTrials: rows.length,
    best: best?.trial ? { trialId: best.trial.trialId, runId: best.id, value: best.metrics.val_acc } : undefined,
  };
}

export function syntheticExperiments(options: SyntheticExperimentsOptions): ExperimentRow[] {
  const random = seededRandom(options.seed ?? 11);
  const started = Date.UTC(2026, 11, 1, 9, 0, 0);
  return Array.from({ length: options.count }, (_, i) => {
    const learningRate = 10 ** (-4 + 2 * random());
    const units = 32 + Math.floor(random() * 225);
    const rate = Math.round(random() * 50) / 100;
    const batchSize = [32, 64, 128][Math.floor(random() * 3)];
    const activation = random() < 0.7 ? 'relu' : 'tanh';
    // Best near lr 2e-3, wider is better, too much dropout hurts, tanh a little worse.
    const quality = 0.985 - 0.012 * Math.log10(learningRate / 0.002) ** 2 - 6 / units - 0.04 * Math.max(0, rate - 0.3) - (activation === 'tanh' ? 0.006 : 0) - batchSize / 40_000;
    const valAcc = Math.min(0.995, quality + 0.004 * (random() - 0.5));
    const status = i % 97 === 5 ? 'failed' : i % 53 === 7 ? 'running' : 'completed';
    const epochs = 5;
    const row: ExperimentRow = {
      id: `mnist-mlp-20261201-${String(90000 + i).padStart(6, '0')}-${(i * 2654435761 >>> 0).toString(16).slice(0, 4)}`,
      name: 'mnist-mlp',
      status,
      createdAt: new Date(started + i * 60_000).toISOString(),
      epochs,
      epochsCompleted: status === 'completed' ? epochs : 2,
      durationMs: 20_000 + Math.round(random() * 40_000),
      params: {
        'compile.optimizer.learningRate': Number(learningRate.toPrecision(3)),
        'model.layers[1].units': units,
        'model.layers[2].rate': rate,
        'fit.batchSize': batchSize,
        'model.layers[1].activation': activation,
        'fit.epochs': epochs,
      },
      metrics:
        status === 'failed'
          ? {}
          : {
              loss: (1 - valAcc) * 2.2 + 0.01 * random(),
              acc: Math.min(1, valAcc + 0.006),
              val_loss: (1 - valAcc) * 2.6 + 0.01 * random(),
              val_acc: valAcc,
              best_val_acc: Math.min(0.996, valAcc + 0.002 * random()),
              ...(status === 'completed' ? { test_acc: valAcc - 0.003 * random() } : {}),
            },
    };
    if (options.sweepId) row.trial = { sweepId: options.sweepId, trialId: String(i + 1) };
    return row;
  });
}

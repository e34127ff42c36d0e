// Everything a run needs before its folder exists: the spec, the backend, the
// data and the model. A mistake found here leaves nothing on disk.
import { dirname, join, resolve } from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs';
import type { LoadedBackend } from '../core/backend/types';
import type { BackendChoice, DataSummary, RunRecord } from '../shared/events';
import type { TrainRequest } from '../shared/protocol/trainer';
import { DEFAULT_BATCH_SIZE, type TrainingSpec } from '../shared/spec';
import type { TrialInfo } from '../shared/sweep';
import { checkedTrialSpec } from '../core/sweep/applyTrial';
import type { TrainingData } from './data/types';
import { UserError } from '../shared/errors';
import { CHECKPOINTS_FOLDER, readRun, runDir } from '../core/runStore';
import { loadSpec } from '../core/spec';
import { applyRunOverrides, hasRunOverrides } from '../core/spec/overrides';
import { largestLayerFlops } from '../core/spec/layerCost';
import { checkModelAgainstData, checkSpecAgainstData } from './dataChecks';
import { loadBackend } from '../core/backend';
import { loadTrainingData } from './data';
import { buildModel } from './model';
import { latestCheckpoint, recoverRunFolder, type CheckpointState } from './run/checkpoints';
import { loadModelFromFolder } from '../core/modelFolder';

export interface PreparedRun {
  spec: TrainingSpec;
  specPath: string;
  backend: LoadedBackend;
  data: TrainingData;
  dataSummary: DataSummary;
  model: LayersModel;
  epochs: number;
  /** Set when continuing an earlier run. */
  resume?: { record: RunRecord; state: CheckpointState };
  /** Set when the run is a trial of a sweep: `spec` has its values. */
  trial?: TrialInfo;
}

export interface PrepareHooks {
  log(message: string): void;
  /** Aborted when the user asks to stop: loading (a download too) ends at the next step. */
  stop?: AbortSignal;
  onProgress?(message: string, done: number, total?: number): void;
  nativeSearchDirs?: string[];
}

export async function prepareRun(request: TrainRequest, hooks: PrepareHooks): Promise<PreparedRun> {
  const earlier = request.resume ? await resumableRun(request.runsDir, request.resume) : undefined;
  const specPath = resolve(earlier?.record.specPath ?? request.specPath);
  const overrides = { batchSize: request.batchSize, learningRate: request.learningRate };
  if (earlier && hasRunOverrides(overrides)) {
    throw new UserError(`Run '${earlier.record.id}' resumes with the batch size and learning rate it started with; train the spec again to change them.`);
  }
  // A resumed trial keeps the values it started with: its run.json spec has them.
  const trial = earlier ? earlier.record.trial : request.trial;
  const loaded = earlier?.record.spec ?? applyRunOverrides(await loadSpec(specPath), overrides);
  const spec = !earlier && trial ? checkedTrialSpec(loaded, trial.parameters, `${specPath} (trial ${trial.trialId})`) : loaded;
  const epochs = request.epochs ?? earlier?.record.epochs ?? spec.fit.epochs;
  if (!Number.isInteger(epochs) || epochs < 1) {
    throw new UserError(`Epochs must be a whole number of at least 1, not ${epochs}: fix --epochs or fit.epochs.`);
  }
  if (earlier && epochs <= earlier.state.epochsCompleted) {
    throw new UserError(
      `Run '${earlier.record.id}' already completed ${earlier.state.epochsCompleted} of ${epochs} epochs: pass --epochs with a larger number to train further.`,
    );
  }

  const stop = hooks.stop;
  stop?.throwIfAborted();
  const loadStart = Date.now();
  const data = await loadTrainingData(spec.data, { baseDir: dirname(specPath), onProgress: hooks.onProgress, log: hooks.log, signal: stop });
  const loadMs = Date.now() - loadStart;
  checkSpecAgainstData(spec, data);
  stop?.throwIfAborted();
  // After the data: TensorFlow's threads depend on the size of the model's layers on it.
  const backend = await loadBackend(request.backend ?? ('auto' satisfies BackendChoice), {
    searchDirs: hooks.nativeSearchDirs,
    log: hooks.log,
    threads: { largestLayerFlops: largestLayerFlops(spec, data.sampleShape, spec.fit.batchSize ?? DEFAULT_BATCH_SIZE) },
  });
  stop?.throwIfAborted();

  const model = earlier
    ? await loadModelFromFolder(backend.tf, earlier.checkpointDir)
    : await buildModel(backend.tf, spec, {
        sampleShape: data.sampleShape,
        numClasses: data.numClasses,
        baseDir: dirname(specPath),
        learningRateOverride: request.learningRate,
      });
  checkModelAgainstData(model, spec, data);
  return {
    spec,
    specPath,
    backend,
    data,
    dataSummary: summarize(spec, data, loadMs),
    model,
    epochs,
    resume: earlier && { record: earlier.record, state: earlier.state },
    trial,
  };
}

interface ResumableRun {
  record: RunRecord;
  state: CheckpointState;
  checkpointDir: string;
}

async function resumableRun(runsDir: string, runId: string): Promise<ResumableRun> {
  const record = await readRun(runsDir, runId);
  if (record.status === 'running') {
    throw new UserError(`Run '${runId}' is still training: stop it before resuming it.`);
  }
  // No trainer writes this folder now: finish or undo a save that a kill interrupted.
  const folder = runDir(runsDir, runId);
  await recoverRunFolder(folder);
  // The furthest complete checkpoint, which is the one run.json names unless a kill came between the two.
  const checkpoint = await latestCheckpoint(join(folder, CHECKPOINTS_FOLDER));
  if (!checkpoint) {
    throw new UserError(`Run '${runId}' has no checkpoint to resume from: train the spec again.`);
  }
  return { record, state: checkpoint.state, checkpointDir: checkpoint.dir };
}

function summarize(spec: TrainingSpec, data: TrainingData, loadMs: number): DataSummary {
  const validationCount = spec.fit.validationData === 'test'
    ? data.test?.count
    : spec.fit.validationSplit
      ? Math.floor(data.train.count * spec.fit.validationSplit)
      : undefined;
  return {
    sampleShape: data.sampleShape,
    numClasses: data.numClasses,
    classNames: data.classNames,
    train: { count: data.train.count - (spec.fit.validationData === 'test' ? 0 : (validationCount ?? 0)) },
    validation: validationCount ? { count: validationCount } : undefined,
    test: data.test ? { count: data.test.count } : undefined,
    kind: data.kind,
    loadMs,
  };
}

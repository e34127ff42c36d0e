// A run's trained model as push sees it: `.model-studio/runs/<id>/run.json`
// for the labels, and `model/` with model.json plus the weight files its
// manifest names.
import { readFile, stat } from 'node:fs/promises';
import { basename, join, normalize, sep } from 'node:path';
import type { Evaluation, RunRecord } from '../shared/events';
import { METRICS_FILE, parseEvents } from '../core/runStore';
import { UserError } from '../shared/errors';
import { testAccuracyOf } from '../shared/metrics';

export interface ModelFile {
  /** Absolute path on disk. */
  path: string;
  /** Path inside the model folder, with "/" separators. */
  name: string;
  bytes: number;
}

export interface RunModel {
  runId: string;
  runDir: string;
  record?: RunRecord;
  files: ModelFile[];
  testAccuracy?: number;
  /** The test-set evaluation the trainer wrote at the end (the last one in metrics.jsonl). */
  evaluation?: Evaluation;
}

async function lastEvaluation(runDir: string): Promise<Evaluation | undefined> {
  let text: string;
  try {
    text = await readFile(join(runDir, METRICS_FILE), 'utf8');
  } catch {
    return undefined;
  }
  const found = parseEvents(text).filter((e) => e.type === 'evaluation').at(-1);
  return found?.type === 'evaluation' ? { metrics: found.metrics, samples: found.samples, confusionMatrix: found.confusionMatrix } : undefined;
}

async function fileSize(path: string): Promise<number | undefined> {
  try {
    const info = await stat(path);
    return info.isFile() ? info.size : undefined;
  } catch {
    return undefined;
  }
}

export async function readRunModel(runDir: string): Promise<RunModel> {
  let record: RunRecord | undefined;
  try {
    record = JSON.parse(await readFile(join(runDir, 'run.json'), 'utf8')) as RunRecord;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new UserError(`${join(runDir, 'run.json')} is not valid JSON: the run record is damaged`);
    }
    throw new UserError(`${runDir} is not a run folder (it has no run.json): pass --run with a run ID from \`model-studio runs\` or a run folder`);
  }
  const modelDir = join(runDir, 'model');
  const modelJsonPath = join(modelDir, 'model.json');
  const modelJsonBytes = await fileSize(modelJsonPath);
  if (modelJsonBytes === undefined) {
    throw new UserError(`Run ${record.id ?? basename(runDir)} has no model/model.json (status: ${record.status ?? 'unknown'}): train it to the end, or resume it, before pushing`);
  }
  let manifest: { weightsManifest?: { paths?: unknown[] }[] };
  try {
    manifest = JSON.parse(await readFile(modelJsonPath, 'utf8')) as typeof manifest;
  } catch {
    throw new UserError(`${modelJsonPath} is not valid JSON: save the model again`);
  }
  const files: ModelFile[] = [{ path: modelJsonPath, name: 'model.json', bytes: modelJsonBytes }];
  for (const group of manifest.weightsManifest ?? []) {
    for (const entry of group.paths ?? []) {
      const relative = normalize(String(entry)).replace(/^(\.\/)+/, '');
      if (relative.startsWith('..') || relative.startsWith(sep)) {
        throw new UserError(`${modelJsonPath} names the weight file "${String(entry)}" outside the model folder: save the model again`);
      }
      const path = join(modelDir, relative);
      const bytes = await fileSize(path);
      if (bytes === undefined) throw new UserError(`${path} is missing although model.json lists it: save the model again`);
      files.push({ path, name: relative.split(sep).join('/'), bytes });
    }
  }
  return { runId: record.id ?? basename(runDir), runDir, record, files, testAccuracy: testAccuracyOf(record), evaluation: await lastEvaluation(runDir) };
}

// "Open as Spec": a sweep's best values written into a spec of their own,
// beside the swept spec (so its relative data and module paths still hold),
// without the search section: a spec to train (or push) the winner again. The
// swept spec's text is edited, so its layout stays as its author wrote it;
// only the searched values, the name and `search` change.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { applyEdits, modify, parse, type JSONPath } from 'jsonc-parser';
import { UserError } from '../../shared/errors';
import type { SweepRecord, TrialParameters } from '../../shared/sweep';
import { parseSpec } from '../spec';
import { parseSpecPath, valueAtPath } from '../spec/specPaths';

/** The swept spec's text with `parameters` written in, `search` removed and `name` set. */
export function specTextWithValues(text: string, parameters: TrialParameters, name: string): string {
  const indent = /\n([ \t]+)"/.exec(text)?.[1] ?? '  ';
  const format = { formattingOptions: { insertSpaces: !indent.includes('\t'), tabSize: indent.includes('\t') ? 1 : indent.length } };
  let out = text;
  const set = (path: JSONPath, value: unknown): void => {
    out = applyEdits(out, modify(out, path, value, format));
  };
  set(['search'], undefined);
  set(['name'], name);
  for (const [key, value] of Object.entries(parameters)) {
    const path = parseSpecPath(key);
    if (!path) throw new UserError(`'${key}' is not a path into the spec; write it like "model.layers[1].units"`);
    // A string on the way ("optimizer": "adam") becomes its object form, as trials apply it.
    for (let length = 1; length < path.length; length++) {
      const here = valueAtPath(parse(out), path.slice(0, length));
      if (typeof here === 'string' && typeof path[length] === 'string') set(path.slice(0, length), { type: here });
    }
    set(path, value);
  }
  return out;
}

/** Writes the best trial's spec beside the swept one ("mnist.best.train.json", or "mnist.best-2.train.json" when that exists); returns its path. */
export async function writeBestSpec(record: SweepRecord): Promise<string> {
  const best = record.trials.find((t) => t.trialId === record.best?.trialId);
  if (!best) throw new UserError(`Sweep '${record.id}' has no completed trial yet, so no best values to write.`);
  let text: string;
  try {
    text = await readFile(record.specPath, 'utf8');
  } catch {
    throw new UserError(`Cannot read the swept spec ${record.specPath}: restore it, or take the values from the best trial's run (${best.runId ?? 'its run.json'}).`);
  }
  const stem = basename(record.specPath).replace(/\.train\.json$/i, '').replace(/\.json$/i, '');
  const folder = dirname(record.specPath);
  let path = join(folder, `${stem}.best.train.json`);
  for (let n = 2; existsSync(path); n++) path = join(folder, `${stem}.best-${n}.train.json`);
  const written = specTextWithValues(text, best.parameters, `${record.name}-best`);
  // The spec as edited since the sweep may refuse the values: say so rather than write a broken spec.
  parseSpec(written, path);
  await writeFile(path, written);
  return path;
}

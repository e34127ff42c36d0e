// Reads a *.train.json: strict JSON, then the schema, then cross-field rules.
// Every failure is a UserError with one line that names the problem, where it
// is (JSON path, line, column) and the fix.
import { readFile } from 'node:fs/promises';
import { errorMessage, UserError } from '../../shared/errors';
import type { TrainingSpec } from '../../shared/spec';
import { rememberSource } from './jsonLocation';
import { EMPTY_SPEC_HINT, parseJsonTree } from './jsonSyntax';
import { findSpecProblem, problemLocation } from './specProblems';

/** Parses and validates spec text; `file` names it in messages. */
export function parseSpec(text: string, file: string): TrainingSpec {
  // A BOM is common from Windows editors and is not an error.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') throw new UserError(`${file} is empty: ${EMPTY_SPEC_HINT}`);
  const problem = findSpecProblem(body);
  if (problem) throw new UserError(`${file}: ${problem.message(problemLocation(body, problem))}`, problem.details);
  const spec = JSON.parse(body) as TrainingSpec;
  // Checks that run later (against the data) point into the text too.
  rememberSource(spec, { file, text: body, root: parseJsonTree(body, file) });
  return spec;
}

/** Reads and validates the spec file at `path`. */
export async function loadSpec(path: string): Promise<TrainingSpec> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`Training spec not found: ${path}; check the path (specs are *.train.json files)`);
    if (code === 'EISDIR') throw new UserError(`${path} is a folder; pass a *.train.json file`);
    throw new UserError(`Cannot read the training spec ${path}: ${errorMessage(error)}`);
  }
  return parseSpec(text, path);
}

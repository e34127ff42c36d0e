// Reads a *.train.json: strict JSON, then the schema, then cross-field rules.
// Every failure is a UserError with one line that names the problem, where it
// is (JSON path, line, column) and the fix.
import { readFile } from 'node:fs/promises';
import { errorMessage, UserError } from '../../shared/errors';
import type { TrainingSpec } from '../../shared/spec';
import { rememberSource } from './jsonLocation';
import { parseJsonTree } from './jsonSyntax';
import { validateAgainstSchema } from './schema';
import { firstSchemaMessage } from './schemaErrors';
import { checkSpecRules } from './semanticChecks';

/** Parses and validates spec text; `file` names it in messages. */
export function parseSpec(text: string, file: string): TrainingSpec {
  // A BOM is common from Windows editors and is not an error.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const root = parseJsonTree(body, file);
  // The tree has already proven the text valid; JSON.parse gives plain objects
  // (jsonc-parser's values have null prototypes).
  const value = parsePlain(body, file);
  const source = { file, text: body, root };
  const errors = validateAgainstSchema(value);
  if (errors.length > 0) {
    throw new UserError(`${file}: ${firstSchemaMessage(errors, value, source)}`, JSON.stringify(errors));
  }
  const spec = value as TrainingSpec;
  rememberSource(spec, source);
  checkSpecRules(spec, file);
  return spec;
}

function parsePlain(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UserError(`${file}: invalid JSON: ${errorMessage(error)}`);
  }
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

// The first thing the trainer would refuse in a spec's text, as data: strict
// JSON, then the schema, then the cross-field rules. parseSpec throws it as a
// one-line UserError; the editor marks it where it is, with the same words.
import { errorMessage } from '../../shared/errors';
import type { TrainingSpec } from '../../shared/spec';
import { lineAndColumn, spanOf, type PlacedProblem } from './jsonLocation';
import { EMPTY_SPEC_HINT, parseStrictJson } from './jsonSyntax';
import { validateAgainstSchema } from './schema';
import { firstSchemaProblem } from './schemaErrors';
import { firstRuleProblem } from './semanticChecks';

export interface SpecProblem {
  /** The span of the text to fix (offsets into the text as given, a byte-order mark included). */
  offset: number;
  length: number;
  /** The sentence, with `location` ("line 9, column 15") where the trainer prints it; without, for an editor that marks the place. */
  message(location?: string): string;
  /** For logs: ajv's raw errors when the schema failed. */
  details?: string;
}

/** What parseSpec would refuse in `text`, or undefined when the trainer accepts it. */
export function findSpecProblem(text: string): SpecProblem | undefined {
  // A BOM is common from Windows editors and is not an error.
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const body = text.slice(bom);
  if (body.trim() === '') return { offset: 0, length: 0, message: () => `The spec is empty: ${EMPTY_SPEC_HINT}` };
  const parsed = parseStrictJson(body);
  if ('error' in parsed) {
    const { offset, length, problem } = parsed.error;
    return { offset: bom + offset, length, message: (location) => `invalid JSON${location ? ` at ${location}` : ''}: ${problem}` };
  }
  let value: unknown;
  try {
    // The tree has proven the text valid; JSON.parse gives plain objects (jsonc-parser's have null prototypes).
    value = JSON.parse(body) as unknown;
  } catch (error) {
    return { offset: bom, length: 0, message: () => `invalid JSON: ${errorMessage(error)}` };
  }
  const placed = (problem: PlacedProblem, details?: string): SpecProblem => {
    const span = spanOf(parsed.root, problem.path, problem.atKey);
    return { offset: bom + span.offset, length: span.length, message: (location) => problem.render(location ? ` (${location})` : ''), details };
  };
  const errors = validateAgainstSchema(value);
  if (errors.length > 0) return placed(firstSchemaProblem(errors, value, parsed.root), JSON.stringify(errors));
  const rule = firstRuleProblem(value as TrainingSpec);
  return rule ? placed(rule) : undefined;
}

/** "line 9, column 15": where a problem starts, as the trainer names it. */
export function problemLocation(text: string, problem: SpecProblem): string {
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const { line, column } = lineAndColumn(text.slice(bom), problem.offset - bom);
  return `line ${line}, column ${column}`;
}

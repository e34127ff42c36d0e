// One table a noun (`model-studio cloud models`, `sandbox`, ...): each verb
// names its handler and its usage line, so the dispatch, the "use ..." list
// in the unknown-verb error and the help text all come from the same place.
import { UserError } from '../shared/errors';

export interface Verb {
  run: (argv: string[]) => Promise<number>;
  /** The verb's full usage line, as its own errors print it. */
  usage: string;
  /** A short explanation printed after the usage line in `cloud help` (never in errors). */
  note?: string;
}

export type VerbTable = Readonly<Record<string, Verb>>;

/** "a, b or c" */
export function orList(names: readonly string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

/** Runs `verb` from the noun's table; an unknown or missing verb is a user mistake that lists the known ones. */
export function runVerb(noun: string, verbs: VerbTable, verb: string | undefined, argv: string[]): Promise<number> {
  const found = verb === undefined || !Object.hasOwn(verbs, verb) ? undefined : verbs[verb];
  if (found) return found.run(argv);
  const names = Object.keys(verbs);
  // A noun with one verb has one usage line worth showing in full.
  const usage = names.length === 1 ? `. Usage: ${verbs[names[0]].usage}` : '';
  throw new UserError(`Unknown ${noun} command '${verb ?? ''}': use ${orList(names)}${usage}`);
}

/** The table's usage lines, each once (verbs may share one), in table order. */
export function usageLines(verbs: VerbTable): string[] {
  return [...new Set(Object.values(verbs).map((v) => v.usage))];
}

/** Like usageLines, each line with the note of the first verb that gives one. */
export function usageEntries(verbs: VerbTable): { usage: string; note?: string }[] {
  return usageLines(verbs).map((usage) => ({ usage, note: Object.values(verbs).find((v) => v.usage === usage && v.note)?.note }));
}

/** A help entry: the wrapped usage line, then its note in parentheses (on the last line when it fits, else below). */
export function helpEntry(line: string, note?: string, width = 100, indent = ' '.repeat(22)): string {
  const wrapped = wrapUsage(line, width, indent);
  if (!note) return wrapped;
  const lastLine = wrapped.slice(wrapped.lastIndexOf('\n') + 1);
  return lastLine.length + 3 + note.length + 2 <= width ? `${wrapped}   (${note})` : `${wrapped}\n${indent}(${note})`;
}

/** Breaks a long usage line before its options (never inside one), indenting the lines after the first. */
export function wrapUsage(line: string, width = 100, indent = ' '.repeat(22)): string {
  const lines: string[] = [];
  let current = '';
  for (const piece of optionPieces(line)) {
    if (current && current.length + 1 + piece.length > width) {
      lines.push(current);
      current = indent + piece;
    } else {
      current = current ? `${current} ${piece}` : piece;
    }
  }
  lines.push(current);
  return lines.join('\n');
}

/** "x --a A [--b [--c]]" -> ["x", "--a A", "[--b [--c]]"]: the places a usage line may break. */
function optionPieces(line: string): string[] {
  const pieces: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '[' || line[i] === '(') depth++;
    else if (line[i] === ']' || line[i] === ')') depth--;
    else if (line[i] === ' ' && depth === 0 && i > start && /[[(-]/.test(line[i + 1] ?? '')) {
      pieces.push(line.slice(start, i));
      start = i + 1;
    }
  }
  pieces.push(line.slice(start));
  return pieces;
}

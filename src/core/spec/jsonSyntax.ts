// Reads the spec text (or another JSON file a user writes, such as a
// prediction request) as strict JSON and turns the first syntax error into one
// line with line, column and what to type instead.
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { UserError } from '../../shared/errors';
import { lineAndColumn } from './jsonLocation';

export const EMPTY_SPEC_HINT = 'write a training spec (a JSON object with name, data, model, compile and fit)';

/** What the file holds, for the messages. */
export interface JsonDocumentKind {
  /** "the spec": in "after the end of the spec". */
  noun: string;
  /** What an empty file should contain. */
  whenEmpty: string;
  /** Added to a syntax error: the shape the file should have. */
  shape?: string;
}

const SPEC_DOCUMENT: JsonDocumentKind = { noun: 'the spec', whenEmpty: EMPTY_SPEC_HINT };

/** The first syntax error of strict JSON (no comments, no trailing commas): where, how long, and what to type instead. */
export interface SyntaxProblem {
  offset: number;
  length: number;
  problem: string;
}

/** Parses strict JSON: the tree, or the first syntax error. Text that is only blank is for the caller to name. */
export function parseStrictJson(text: string, noun = SPEC_DOCUMENT.noun): { root: Node } | { error: SyntaxProblem } {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length === 0 && root) return { root };
  const first = errors[0];
  if (!first) return { error: { offset: 0, length: 0, problem: 'expected a JSON object' } };
  const { offset, problem } = describeSyntaxError(text, printParseErrorCode(first.error), first.offset, first.length, noun);
  return { error: { offset, length: offset === first.offset ? first.length : 1, problem } };
}

/** Parses strict JSON (no comments, no trailing commas); throws a UserError on the first error. */
export function parseJsonTree(text: string, file: string, kind: JsonDocumentKind = SPEC_DOCUMENT): Node {
  if (text.trim() === '') throw new UserError(`${file} is empty: ${kind.whenEmpty}`);
  const parsed = parseStrictJson(text, kind.noun);
  if ('root' in parsed) return parsed.root;
  const { line, column } = lineAndColumn(text, parsed.error.offset);
  throw new UserError(`${file}: invalid JSON at line ${line}, column ${column}: ${parsed.error.problem}${kind.shape ? ` (${kind.shape})` : ''}`);
}

/** Offset of the last non-blank character before `offset`, or -1. */
function previousCharOffset(text: string, offset: number): number {
  let i = offset - 1;
  while (i >= 0 && /\s/.test(text[i])) i--;
  return i;
}

// jsonc-parser's ParseErrorCode is a const enum, which isolatedModules cannot
// read, so errors are matched by their printed names.
function describeSyntaxError(text: string, code: string, offset: number, length: number, noun: string): { offset: number; problem: string } {
  const found = text.slice(offset, offset + Math.max(length, 1));
  const atEnd = offset >= text.length;
  switch (code) {
    case 'PropertyNameExpected':
    case 'ValueExpected': {
      const before = previousCharOffset(text, offset);
      if ((found === '}' || found === ']') && before >= 0 && text[before] === ',') {
        return { offset: before, problem: `trailing comma before '${found}'; remove this comma (JSON allows no comma after the last item)` };
      }
      if (atEnd) return { offset, problem: 'the file ends too early; close every open { and [' };
      if (code === 'PropertyNameExpected') {
        return { offset, problem: `expected a property name in double quotes, found '${found}'` };
      }
      return { offset, problem: `expected a value, found '${found}'; a value is a number, a "string", true, false, null, an object or an array` };
    }
    case 'InvalidSymbol': {
      if (found.startsWith("'")) return { offset, problem: `single-quoted string ${found}; JSON strings use double quotes: "${found.slice(1, -1)}"` };
      if (/^[A-Za-z_$][\w$]*$/.test(found) && text.slice(offset + found.length).trimStart().startsWith(':')) {
        return { offset, problem: `property name ${found} needs double quotes: "${found}"` };
      }
      return { offset, problem: `unexpected '${found}'; a value is a number, a "string", true, false, null, an object or an array` };
    }
    case 'InvalidCommentToken':
    case 'UnexpectedEndOfComment':
      return { offset, problem: 'comments are not allowed in JSON; remove it (put notes in "description")' };
    case 'CommaExpected': {
      const before = previousCharOffset(text, offset);
      return { offset: before + 1, problem: `missing comma before '${found}'; add ',' between items` };
    }
    case 'ColonExpected':
      return { offset, problem: `expected ':' after the property name, found '${found}'` };
    case 'CloseBraceExpected':
      return { offset, problem: atEnd ? "missing '}' at the end; close the object" : `expected ',' or '}', found '${found}'` };
    case 'CloseBracketExpected':
      return { offset, problem: atEnd ? "missing ']' at the end; close the array" : `expected ',' or ']', found '${found}'` };
    case 'EndOfFileExpected':
      return { offset, problem: `unexpected '${found}' after the end of ${noun}; remove it (${noun} is one JSON object)` };
    case 'UnexpectedEndOfString':
      return { offset, problem: 'unterminated string; add the closing "' };
    case 'UnexpectedEndOfNumber':
    case 'InvalidNumberFormat':
      return { offset, problem: `invalid number '${found}'; write numbers like 3, 0.5 or 1e-3` };
    case 'InvalidUnicode':
    case 'InvalidEscapeCharacter':
      return { offset, problem: `invalid escape '${found}' in a string; use \\\\ for a backslash` };
    case 'InvalidCharacter':
      return { offset, problem: 'invalid character in a string; control characters must be escaped (\\n, \\t)' };
    default:
      return { offset, problem: `unexpected '${found}'` };
  }
}

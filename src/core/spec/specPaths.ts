// Paths into a spec written the way validation errors print them
// ("model.layers[1].units", "compile.optimizer.learningRate"): the keys of a
// search's parameters. Parsing, reading and setting them.
import type { JsonPath } from './jsonLocation';

const SEGMENT = /^(?:\.?([A-Za-z_$][\w$]*)|\[(\d+)\])/;

/** The segments of `text`, or undefined when it is not a path (no leading dot, names and [N] only). */
export function parseSpecPath(text: string): JsonPath | undefined {
  const path: JsonPath = [];
  let rest = text;
  while (rest.length > 0) {
    const match = SEGMENT.exec(rest);
    // The first segment is a name without a dot; every later name needs one.
    if (!match || (path.length === 0 && (match[1] === undefined || rest.startsWith('.')))) return undefined;
    if (path.length > 0 && match[1] !== undefined && !rest.startsWith('.')) return undefined;
    path.push(match[1] ?? Number(match[2]));
    rest = rest.slice(match[0].length);
  }
  return path.length > 0 ? path : undefined;
}

type Container = Record<string | number, unknown>;

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null;
}

/** The value at `path`, or undefined when any part of it is missing. */
export function valueAtPath(root: unknown, path: JsonPath): unknown {
  let node = root;
  for (const segment of path) {
    if (!isContainer(node)) return undefined;
    node = node[segment];
  }
  return node;
}

/**
 * Sets the value at `path` in `root` (changed in place). A string on the way
 * becomes its object form: `"optimizer": "adam"` turns into
 * `{ "type": "adam" }` so that `compile.optimizer.learningRate` can be set.
 */
export function setAtPath(root: Container, path: JsonPath, value: unknown): void {
  let node: Container = root;
  for (const [index, segment] of path.slice(0, -1).entries()) {
    let next = node[segment];
    if (typeof next === 'string' && typeof path[index + 1] === 'string') {
      next = { type: next };
      node[segment] = next;
    }
    if (!isContainer(next)) throw new Error(`no ${String(segment)} to set ${path.join('.')} in`);
    node = next;
  }
  node[path[path.length - 1]] = value;
}

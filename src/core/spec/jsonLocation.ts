// Maps JSON paths (model.layers[1].type) to line and column in the spec text,
// so every message can point at the spot to fix. Parsed specs remember their
// source, so checks that run later (against the data) can point too.
import { findNodeAtLocation, type Node } from 'jsonc-parser';

export type JsonPath = (string | number)[];

export interface SpecSource {
  file: string;
  text: string;
  root: Node;
}

const sources = new WeakMap<object, SpecSource>();

export function rememberSource(spec: object, source: SpecSource): void {
  sources.set(spec, source);
}

export function sourceOf(spec: object): SpecSource | undefined {
  return sources.get(spec);
}

/** `model.layers[1].type` */
export function formatPath(path: JsonPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += /^[A-Za-z_$][\w$]*$/.test(segment) ? (out ? `.${segment}` : segment) : `[${JSON.stringify(segment)}]`;
  }
  return out || '(top level)';
}

/** Splits an ajv instancePath (`/model/layers/1/type`) into segments. */
export function pathFromPointer(pointer: string): JsonPath {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** A problem at a place in the spec; `render` puts " (line 9, column 15)", or "", where the place goes. */
export interface PlacedProblem {
  path: JsonPath;
  /** Point at the property name rather than its value (unknown fields). */
  atKey: boolean;
  render: (where: string) => string;
}

/**
 * The node at `path`, or its key when `key` is set (for unknown fields the key
 * is what to fix). Falls back to the nearest existing parent.
 */
function nodeAt(root: Node, path: JsonPath, key: boolean): Node {
  for (let length = path.length; length >= 0; length--) {
    const node = findNodeAtLocation(root, path.slice(0, length));
    if (!node) continue;
    const property = node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
    return key && length === path.length && property ? property : node;
  }
  return root;
}

/** Offset of the value at `path`, or of its key when `key` is set. */
export function offsetOf(root: Node, path: JsonPath, key = false): number {
  return nodeAt(root, path, key).offset;
}

/**
 * The span to mark for the value (or key) at `path`: starts where offsetOf
 * points; an object or array is marked by its opening bracket only.
 */
export function spanOf(root: Node, path: JsonPath, key = false): { offset: number; length: number } {
  const node = nodeAt(root, path, key);
  return { offset: node.offset, length: node.type === 'object' || node.type === 'array' ? 1 : node.length };
}

/** "line 9, column 15" for the value (or key) at `path`. */
export function describeLocation(source: SpecSource, path: JsonPath, key = false): string {
  const { line, column } = lineAndColumn(source.text, offsetOf(source.root, path, key));
  return `line ${line}, column ${column}`;
}

/** " (line 9, column 15)" when the spec's source is known, else "". */
export function locationSuffix(spec: object, path: JsonPath, key = false): string {
  const source = sourceOf(spec);
  return source ? ` (${describeLocation(source, path, key)})` : '';
}

// Finds the schema of the value a path names in a spec, following the spec's
// own choices through the unions (a dense layer's fields, the optimizer's
// object form), so a search parameter can be checked against what that field
// accepts.
import type { JsonPath } from './jsonLocation';
import { resolveRef, specSchema, type SchemaNode } from './schema';
import { valueAtPath } from './specPaths';

export type SchemaLookup =
  | { found: SchemaNode }
  /** `at` names a field the object there does not have; `fields` are the ones it has. */
  | { unknownField: string; at: JsonPath; fields: string[] }
  /** The spec has nothing at `at` (an index past the end, an absent section) to descend into. */
  | { missing: JsonPath; length?: number };

function branchesOf(node: SchemaNode): SchemaNode[] {
  const resolved = resolveRef(node);
  return Array.isArray(resolved.oneOf) ? (resolved.oneOf as SchemaNode[]).map(resolveRef) : [resolved];
}

/** The branch of a union the spec's value takes, given that the path goes on into it by `next`. */
function branchFor(node: SchemaNode, value: unknown, next: string | number): SchemaNode | undefined {
  const wanted = typeof next === 'number' ? 'array' : 'object';
  const candidates = branchesOf(node).filter((b) => b.type === wanted);
  if (candidates.length <= 1 || typeof value !== 'object' || value === null) return candidates[0];
  const fields = value as Record<string, unknown>;
  const tagged = candidates.find((b) => (b.properties as Record<string, SchemaNode> | undefined)?.type?.const === fields.type);
  if (tagged) return tagged;
  return candidates.find((b) => ((b.required as string[] | undefined) ?? []).every((r) => r in fields)) ?? candidates[0];
}

/** The schema of the value at `path` in `spec`; every part of the path but the last must exist in the spec. */
export function schemaAt(spec: unknown, path: JsonPath): SchemaLookup {
  let node: SchemaNode = specSchema();
  for (const [index, segment] of path.entries()) {
    const here = path.slice(0, index);
    const value = valueAtPath(spec, here);
    // A string optimizer ("adam") stands for its object form, which the path may go into.
    if (index > 0 && (value === undefined || value === null || (typeof value !== 'object' && typeof segment === 'number'))) {
      return { missing: here };
    }
    const branch = branchFor(node, value, segment);
    if (!branch) return { missing: here };
    if (typeof segment === 'number') {
      const length = Array.isArray(value) ? value.length : 0;
      if (segment >= length) return { missing: [...here, segment], length };
      node = branch.items as SchemaNode;
      continue;
    }
    const properties = (branch.properties ?? {}) as Record<string, SchemaNode>;
    if (!Object.hasOwn(properties, segment)) {
      return { unknownField: segment, at: here, fields: Object.keys(properties).filter((f) => f !== '$schema') };
    }
    node = properties[segment];
  }
  return { found: node };
}

/** The scalar kinds a field accepts, over every branch of its union: numbers (whole or not), names (maybe from a list), booleans. */
export interface ScalarKinds {
  /** Numeric branches; `integer` when every one of them wants whole numbers. */
  numbers: SchemaNode[];
  integer: boolean;
  strings: SchemaNode[];
  boolean: boolean;
  /** Objects or arrays only: nothing a parameter can set. */
  composite: boolean;
}

export function scalarKinds(node: SchemaNode): ScalarKinds {
  const branches = branchesOf(node);
  const numbers = branches.filter((b) => b.type === 'number' || b.type === 'integer');
  const strings = branches.filter((b) => b.type === 'string' || typeof b.const === 'string');
  const boolean = branches.some((b) => b.type === 'boolean');
  return {
    numbers,
    integer: numbers.length > 0 && numbers.every((b) => b.type === 'integer'),
    strings,
    boolean,
    composite: numbers.length === 0 && strings.length === 0 && !boolean,
  };
}

/** Whether `value` passes one of the numeric branches' bounds (and wholeness). */
export function numberFits(kinds: ScalarKinds, value: number): boolean {
  return kinds.numbers.some((b) => {
    if (b.type === 'integer' && !Number.isInteger(value)) return false;
    if (Array.isArray(b.enum) && !(b.enum as unknown[]).includes(value)) return false;
    if (typeof b.minimum === 'number' && value < b.minimum) return false;
    if (typeof b.exclusiveMinimum === 'number' && value <= b.exclusiveMinimum) return false;
    if (typeof b.maximum === 'number' && value > b.maximum) return false;
    if (typeof b.exclusiveMaximum === 'number' && value >= b.exclusiveMaximum) return false;
    return true;
  });
}

/** The names a string field allows, when it has a list (activations, optimizers); undefined for free text. */
export function allowedNames(kinds: ScalarKinds): string[] | undefined {
  const names: string[] = [];
  for (const b of kinds.strings) {
    if (typeof b.const === 'string') names.push(b.const);
    else if (Array.isArray(b.enum)) names.push(...(b.enum as string[]));
    else return undefined;
  }
  return names;
}

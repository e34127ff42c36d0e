// Turns ajv's errors into the one line a person needs: what is wrong, where
// (JSON path, line and column) and what to write instead. oneOf unions
// (layers, data sets, model forms) are resolved to the branch the user meant
// first, so a dense layer with a typo gets dense's fields suggested, not
// conv2d's.
import type { ErrorObject } from 'ajv';
import type { Node } from 'jsonc-parser';
import { formatPath, offsetOf, pathFromPointer, type JsonPath, type PlacedProblem } from './jsonLocation';
import { resolveRef, specSchema, validateAgainstBranch, type SchemaNode } from './schema';
import { nearestName, suggestion } from './suggest';

export interface SchemaProblem extends PlacedProblem {
  /** Lower is shown first: typos explain most follow-on errors. */
  rank: number;
}

/** The single most useful problem of a spec that failed the schema: the lowest rank, then the first in the text. */
export function firstSchemaProblem(errors: ErrorObject[], value: unknown, root: Node): PlacedProblem {
  const problems = explainErrors(errors, value, []);
  if (problems.length === 0) return { path: [], atKey: false, render: () => 'the spec does not match the schema' };
  const placed = problems.map((problem) => ({ problem, offset: offsetOf(root, problem.path, problem.atKey) }));
  placed.sort((a, b) => a.problem.rank - b.problem.rank || a.offset - b.offset);
  return placed[0].problem;
}

function valueAt(root: unknown, path: JsonPath): unknown {
  let node = root;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

function isUnder(path: string, parent: string): boolean {
  return path === parent || path.startsWith(`${parent}/`);
}

function explainErrors(errors: ErrorObject[], root: unknown, base: JsonPath): SchemaProblem[] {
  // Only the outermost oneOf at each place is resolved here; the chosen branch
  // is validated again, which handles the unions nested inside it.
  const unions = errors.filter((e) => e.keyword === 'oneOf');
  const outer = unions.filter((u) => !unions.some((o) => o !== u && isUnder(u.instancePath, o.instancePath) && o.instancePath !== u.instancePath));
  const seen = new Set<string>();
  const problems: SchemaProblem[] = [];
  for (const error of errors) {
    const union = outer.find((u) => isUnder(error.instancePath, u.instancePath));
    if (union) {
      if (error === union && !seen.has(union.instancePath)) {
        seen.add(union.instancePath);
        problems.push(...explainUnion(union, root, [...base, ...pathFromPointer(union.instancePath)]));
      }
      continue;
    }
    const problem = explainError(error, [...base, ...pathFromPointer(error.instancePath)]);
    if (problem) problems.push(problem);
  }
  return problems;
}

/** The `type` constant of a branch (layers and data sets), if it has one. */
function discriminator(branch: SchemaNode): string | undefined {
  const properties = resolveRef(branch).properties as Record<string, SchemaNode> | undefined;
  const tag: unknown = properties?.type?.const;
  return typeof tag === 'string' ? tag : undefined;
}

function branchJsonType(branch: SchemaNode): string | undefined {
  const type: unknown = resolveRef(branch).type;
  return typeof type === 'string' ? type : undefined;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeFits(expected: string | undefined, value: unknown): boolean {
  const actual = jsonType(value);
  return expected === undefined || expected === actual || (expected === 'number' && actual === 'integer');
}

function explainUnion(union: ErrorObject, root: unknown, path: JsonPath): SchemaProblem[] {
  const branches = union.schema as SchemaNode[];
  const value = valueAt(root, path);
  const tags = branches.map(discriminator);
  const tagged = tags.every((tag) => tag !== undefined);
  let candidates = branches.filter((branch) => typeFits(branchJsonType(branch), value));
  if (candidates.length === 0) {
    const kinds = [...new Set(branches.map((b) => branchJsonType(b) ?? 'value'))];
    return [typeProblem(path, kinds, value)];
  }
  if (tagged && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const tag = (value as Record<string, unknown>).type;
    const names = tags as string[];
    const noun = unionNoun(path);
    if (tag === undefined) {
      return [{ path, atKey: false, rank: 2, render: (where) => `${formatPath(path)}${where} has no "type"; add "type": one of ${names.join(', ')}` }];
    }
    candidates = candidates.filter((branch) => discriminator(branch) === tag);
    if (candidates.length === 0) {
      const shown = typeof tag === 'string' ? `'${tag}'` : JSON.stringify(tag);
      const hint = typeof tag === 'string' ? suggestion(tag, names, `${noun}s`) : `valid ${noun}s: ${names.join(', ')}`;
      return [{ path: [...path, 'type'], atKey: false, rank: 0, render: (where) => `Unknown ${noun} ${shown} at ${formatPath([...path, 'type'])}${where}; ${hint}` }];
    }
  }
  // Among branches of the right kind, the one with the fewest errors at this
  // level is the one meant ({ module } versus { layers }); errors deeper down
  // only break ties, since one bad layer yields an error per layer type.
  const scored = candidates.map((branch) => {
    const errors = validateAgainstBranch(branch, value);
    const atRoot = errors.filter((e) => e.instancePath === '');
    return { branch, errors, atRoot, score: atRoot.length * 10 + (errors.length > atRoot.length ? 1 : 0) };
  });
  const bestScore = Math.min(...scored.map((s) => s.score));
  const best = scored.filter((s) => s.score === bestScore);
  const onlyMissing = best.every((s) => s.errors.length === 1 && s.atRoot[0]?.keyword === 'required');
  if (best.length > 1 && onlyMissing) {
    // `"model": {}`: any branch would do, so name each one's required field.
    const options = describeOptions(best.map((s) => ({ field: String(s.atRoot[0].params.missingProperty), branch: s.branch })));
    return [{ path, atKey: false, rank: 2, render: (where) => `${formatPath(path)}${where} is empty; add ${options}` }];
  }
  return explainErrors(best[0].errors, root, path);
}

/** `"layers" (a sequential model built from ...) or "module" (your own ...)` from each branch's first sentence. */
function describeOptions(options: { field: string; branch: SchemaNode }[]): string {
  return options
    .map(({ field, branch }) => {
      const sentence = String(resolveRef(branch).description ?? '').split(/\.\s|:\s/)[0].replace(/\.$/, '');
      return sentence ? `"${field}" (${sentence.charAt(0).toLowerCase()}${sentence.slice(1)})` : `"${field}"`;
    })
    .join(' or ');
}

function unionNoun(path: JsonPath): string {
  if (path[0] === 'search' && path[1] === 'parameters') return 'parameter type';
  if (path.includes('layers')) return 'layer type';
  if (path[0] === 'data' && path.length === 1) return 'data type';
  return 'type';
}

/** What an enum or const value names, for "Unknown loss 'x'". */
function valueNoun(path: JsonPath): string {
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  if (typeof last === 'number' && parent === 'metrics') return 'metric';
  if (last === 'type' && parent === 'optimizer') return 'optimizer';
  if (last === 'optimizer') return 'optimizer';
  if (last === 'loss') return 'loss';
  if (last === 'activation') return 'activation';
  if (last === 'kernelInitializer') return 'initializer';
  return 'value';
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return `the string "${value}"`;
  if (Array.isArray(value)) return `an array`;
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

const typeNames: Record<string, string> = {
  integer: 'a whole number',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'an object { ... }',
  array: 'an array [ ... ]',
  null: 'null',
  value: 'a value',
};

function typeProblem(path: JsonPath, expected: string[], value: unknown): SchemaProblem {
  const wanted = expected.map((t) => typeNames[t] ?? t).join(' or ');
  let fix = '';
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)) && expected.some((t) => t === 'number' || t === 'integer')) {
    fix = '; remove the quotes';
  } else if (typeof value === 'number' && !Number.isInteger(value) && expected.includes('integer')) {
    fix = `; use a whole number such as ${Math.max(1, Math.round(value))}`;
  }
  const label = path.length === 0 ? 'The spec' : formatPath(path);
  return { path, atKey: false, rank: 1, render: (where) => `${label}${path.length === 0 ? '' : where} must be ${wanted}, not ${describeValue(value)}${fix}` };
}

/** "epochs >= 1 (a whole number)", "0 <= rate < 1" from a schema's bounds. */
export function describeRange(schema: SchemaNode, name: string): string {
  const low = typeof schema.minimum === 'number' ? `${schema.minimum} <= ` : typeof schema.exclusiveMinimum === 'number' ? `${schema.exclusiveMinimum} < ` : '';
  const high = typeof schema.maximum === 'number' ? ` <= ${schema.maximum}` : typeof schema.exclusiveMaximum === 'number' ? ` < ${schema.exclusiveMaximum}` : '';
  const integer = schema.type === 'integer' ? ' (a whole number)' : '';
  if (low && !high) {
    // "epochs >= 1" reads better than "1 <= epochs".
    const bound = low.replace(' <= ', '').replace(' < ', '');
    return `${name} ${low.endsWith('<= ') ? '>=' : '>'} ${bound}${integer}`;
  }
  return `${low}${name}${high}${integer}`;
}

/** A short description of what to write for a property: for "add \"units\": ...". */
function expectedValue(schema: SchemaNode | undefined, name: string): string {
  if (!schema) return '...';
  const node = resolveRef(schema);
  const required = Array.isArray(node.required) ? (node.required as string[]) : [];
  if (node.type === 'object' && required.length > 0) return `{ ${required.map((r) => `"${r}": ...`).join(', ')} }`;
  if (typeof node.const === 'string') return `"${node.const}"`;
  if (Array.isArray(node.enum)) return `one of ${node.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  if (node.type === 'integer' || node.type === 'number') return `${typeNames[node.type]} (${describeRange(node, name).replace(' (a whole number)', '')})`;
  if (Array.isArray(node.oneOf)) return (node.oneOf as SchemaNode[]).map((b) => expectedValue(b, name)).join(' or ');
  return typeNames[String(node.type)] ?? '...';
}

function propertyNames(schema: SchemaNode | undefined): string[] {
  const properties = schema?.properties as Record<string, SchemaNode> | undefined;
  return properties ? Object.keys(properties) : [];
}

function objectLabel(path: JsonPath, schema: SchemaNode | undefined): string {
  const tag = discriminator(schema ?? {});
  const label = path.length === 0 ? 'The spec' : formatPath(path);
  return tag && path.includes('layers') ? `${label} (a ${tag} layer)` : label;
}

/** For an unknown top-level field that belongs in a section: 'epochs' -> fit. */
function sectionOf(name: string): string | undefined {
  const definitions = specSchema().definitions as Record<string, SchemaNode>;
  for (const section of ['fit', 'compile', 'earlyStopping', 'checkpoints', 'evaluate', 'search']) {
    const fields = propertyNames(definitions[section]);
    if (fields.includes(name)) return section;
    const near = nearestName(name, fields);
    if (near && near.toLowerCase().replace(/_/g, '') === name.toLowerCase().replace(/_/g, '')) return section;
  }
  return undefined;
}

function explainError(error: ErrorObject, path: JsonPath): SchemaProblem {
  const schema = error.parentSchema;
  const params = error.params as Record<string, unknown>;
  const value = error.data;
  const name = String(path[path.length - 1] ?? 'value');
  switch (error.keyword) {
    case 'additionalProperties': {
      const field = String(params.additionalProperty);
      const fieldPath = [...path, field];
      const allowed = propertyNames(schema).filter((p) => p !== '$schema');
      const section = path.length === 0 ? sectionOf(field) : undefined;
      const near = nearestName(field, allowed);
      const owner = objectLabel(path, schema);
      const hint = near
        ? `did you mean '${near}'?`
        : section
          ? `'${field}' belongs in "${section}": move it there`
          : `${owner} takes: ${allowed.join(', ')}`;
      return { path: fieldPath, atKey: true, rank: 0, render: (where) => `Unknown field '${field}' at ${formatPath(fieldPath)}${where}; ${hint}` };
    }
    case 'required': {
      const field = String(params.missingProperty);
      const properties = schema?.properties as Record<string, SchemaNode> | undefined;
      const owner = objectLabel(path, schema);
      return {
        path,
        atKey: false,
        rank: 2,
        render: (where) => `${owner}${path.length === 0 ? '' : where} is missing "${field}"; add "${field}": ${expectedValue(properties?.[field], field)}`,
      };
    }
    case 'type': {
      const expected = Array.isArray(error.schema) ? (error.schema as string[]) : [String(error.schema)];
      return typeProblem(path, expected, value);
    }
    case 'const':
    case 'enum': {
      const allowed = (error.keyword === 'const' ? [error.schema] : (error.schema as unknown[])) ?? [];
      const noun = valueNoun(path);
      if (typeof value === 'string' && allowed.every((a) => typeof a === 'string')) {
        const hint = suggestion(value, allowed as string[], `${noun}s`);
        return { path, atKey: false, rank: 0, render: (where) => `Unknown ${noun} '${value}' at ${formatPath(path)}${where}; ${hint}` };
      }
      const list = allowed.map((a) => JSON.stringify(a)).join(', ');
      return { path, atKey: false, rank: 1, render: (where) => `Invalid value ${JSON.stringify(value)} for ${formatPath(path)}${where}; allowed: ${list}` };
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const label = typeof path[path.length - 1] === 'number' ? `each value of ${formatPath(path.slice(0, -1))}` : name;
      const range = describeRange(schema ?? {}, typeof path[path.length - 1] === 'number' ? 'value' : name);
      return {
        path,
        atKey: false,
        rank: 3,
        render: (where) => `Invalid value ${JSON.stringify(value)} for ${formatPath(path)}${where}; allowed: ${label === name ? '' : `${label}: `}${range}`,
      };
    }
    case 'minItems':
    case 'maxItems': {
      const count = Array.isArray(value) ? value.length : 0;
      const min = typeof schema?.minItems === 'number' ? schema.minItems : undefined;
      const max = typeof schema?.maxItems === 'number' ? schema.maxItems : undefined;
      const wanted = min !== undefined && min === max ? `exactly ${min}` : min !== undefined && error.keyword === 'minItems' ? `at least ${min}` : `at most ${max}`;
      const what = name === 'layers' ? 'layer' : 'item';
      return {
        path,
        atKey: false,
        rank: 3,
        render: (where) => `${formatPath(path)}${where} has ${count} ${what}${count === 1 ? '' : 's'}; it needs ${wanted}`,
      };
    }
    case 'minLength':
      return { path, atKey: false, rank: 3, render: (where) => `${formatPath(path)}${where} is empty; write a value` };
    case 'maxLength':
      return { path, atKey: false, rank: 3, render: (where) => `${formatPath(path)}${where} is ${JSON.stringify(value)}; it must be at most ${String(schema?.maxLength)} character(s)` };
    case 'pattern':
      return { path, atKey: false, rank: 3, render: (where) => `${formatPath(path)}${where} is ${JSON.stringify(value)}; ${patternHint(name)}` };
    case 'uniqueItems': {
      const list = Array.isArray(value) ? value : [];
      const duplicate = list[Number(params.j)];
      return { path, atKey: false, rank: 3, render: (where) => `${formatPath(path)}${where} lists ${JSON.stringify(duplicate)} twice; remove the duplicate` };
    }
    default:
      return { path, atKey: false, rank: 4, render: (where) => `${formatPath(path)}${where} ${error.message ?? 'is invalid'}` };
  }
}

function patternHint(name: string): string {
  switch (name) {
    case 'module':
      return 'it must name a .ts, .mts, .cts, .js, .mjs or .cjs file';
    case 'export':
      return 'it must be the name of an exported function, e.g. "buildModel"';
    case 'sha256':
      return 'it must be 64 hexadecimal digits';
    case 'url':
      return 'it must start with http:// or https://';
    case 'name':
      return 'TF.js layer names use letters, digits, - . _ and /, starting with a letter or digit';
    default:
      return 'it has the wrong form';
  }
}

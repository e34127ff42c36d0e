// The JSON schema (for editors and validation) and the TrainingSpec types
// (for the code) must describe the same shape. Both are reduced to one
// normal form here, the types through the TypeScript compiler, and compared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import ts from 'typescript';
import { specSchema } from '../../../../src/core/spec';
import type { SchemaNode } from '../../../../src/core/spec/schema';
import { REPO_ROOT } from '../../../helpers/repoRoot';

type Shape =
  | 'string'
  | 'number'
  | 'boolean'
  | { enum: (string | number)[] }
  | { array: Shape }
  | { tuple: Shape[] }
  | { object: Record<string, { optional: boolean; shape: Shape }> }
  | { map: Shape }
  | { union: Shape[] };

/** JSON with sorted keys: a stable order for union members whatever the property order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Orders union members and splits objects whose `type` is an enum, so both sides compare. */
function normalUnion(members: Shape[]): Shape {
  const literals: (string | number)[] = [];
  const rest: Shape[] = [];
  for (const member of members.flatMap((m) => (typeof m === 'object' && 'union' in m ? m.union : [m]))) {
    if (typeof member === 'object' && 'enum' in member) literals.push(...member.enum);
    else if (typeof member === 'object' && 'object' in member && typeof member.object.type?.shape === 'object' && 'enum' in member.object.type.shape) {
      const tags = member.object.type.shape.enum;
      for (const tag of tags) rest.push({ object: { ...member.object, type: { optional: member.object.type.optional, shape: { enum: [tag] } } } });
    } else rest.push(member);
  }
  const all: Shape[] = [...(literals.length ? [{ enum: [...literals].sort() }] : []), ...rest];
  all.sort((a, b) => canonical(a).localeCompare(canonical(b)));
  return all.length === 1 ? all[0] : { union: all };
}

function fromType(checker: ts.TypeChecker, type: ts.Type, seen: Set<ts.Type>): Shape {
  if (type.isUnion()) {
    const members = type.types.filter((t) => !(t.flags & ts.TypeFlags.Undefined));
    if (members.every((t) => t.flags & ts.TypeFlags.BooleanLiteral)) return 'boolean';
    return normalUnion(members.map((t) => fromType(checker, t, seen)));
  }
  if (type.isStringLiteral() || type.isNumberLiteral()) return { enum: [type.value] };
  if (type.flags & ts.TypeFlags.String) return 'string';
  if (type.flags & ts.TypeFlags.Number) return 'number';
  if (type.flags & ts.TypeFlags.Boolean) return 'boolean';
  if (checker.isTupleType(type)) return { tuple: checker.getTypeArguments(type as ts.TypeReference).map((t) => fromType(checker, t, seen)) };
  if (checker.isArrayType(type)) return { array: fromType(checker, checker.getTypeArguments(type as ts.TypeReference)[0], seen) };
  assert.ok(!seen.has(type), 'recursive spec types are not expected');
  // Record<string, T>: a map, which the schema writes as additionalProperties.
  const values = checker.getIndexInfoOfType(type, ts.IndexKind.String)?.type;
  if (values && checker.getPropertiesOfType(type).length === 0) return { map: fromType(checker, values, new Set(seen).add(type)) };
  const object: Record<string, { optional: boolean; shape: Shape }> = {};
  const inner = new Set(seen).add(type);
  for (const property of checker.getPropertiesOfType(type)) {
    object[property.name] = {
      optional: (property.flags & ts.SymbolFlags.Optional) !== 0,
      shape: fromType(checker, checker.getTypeOfSymbol(property), inner),
    };
  }
  return { object };
}

function fromSchema(root: SchemaNode, node: SchemaNode): Shape {
  if (typeof node.$ref === 'string') {
    const name = node.$ref.replace('#/definitions/', '');
    return fromSchema(root, (root.definitions as Record<string, SchemaNode>)[name]);
  }
  if (Array.isArray(node.oneOf)) return normalUnion((node.oneOf as SchemaNode[]).map((b) => fromSchema(root, b)));
  if (node.const !== undefined) return { enum: [node.const as string] };
  if (Array.isArray(node.enum)) return { enum: [...(node.enum as (string | number)[])].sort() };
  switch (node.type) {
    case 'string':
      return 'string';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array': {
      const item = fromSchema(root, node.items as SchemaNode);
      if (typeof node.minItems === 'number' && node.minItems === node.maxItems) return { tuple: Array.from({ length: node.minItems }, () => item) };
      return { array: item };
    }
    case 'object': {
      if (typeof node.additionalProperties === 'object' && node.properties === undefined) {
        return { map: fromSchema(root, node.additionalProperties as SchemaNode) };
      }
      assert.equal(node.additionalProperties, false, `every schema object must set additionalProperties: false (${JSON.stringify(Object.keys(node.properties as object))})`);
      const required = new Set((node.required as string[] | undefined) ?? []);
      const object: Record<string, { optional: boolean; shape: Shape }> = {};
      for (const [name, property] of Object.entries(node.properties as Record<string, SchemaNode>)) {
        object[name] = { optional: !required.has(name), shape: fromSchema(root, property) };
      }
      return { object };
    }
    default:
      throw new Error(`schema node without a type: ${JSON.stringify(node).slice(0, 120)}`);
  }
}

/** The first place two shapes differ, as a readable path, or undefined. */
function firstDifference(schema: unknown, types: unknown, path: string): string | undefined {
  if (canonical(schema) === canonical(types)) return undefined;
  if (typeof schema !== 'object' || typeof types !== 'object' || schema === null || types === null) {
    return `${path}: schema says ${JSON.stringify(schema)}, types say ${JSON.stringify(types)}`;
  }
  const a = schema as Record<string, unknown>;
  const b = types as Record<string, unknown>;
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (!(key in a)) return `${path}.${key}: only in the types`;
    if (!(key in b)) return `${path}.${key}: only in the schema`;
    const inner = firstDifference(a[key], b[key], `${path}.${key}`);
    if (inner) return inner;
  }
  return `${path}: differs`;
}

test('the JSON schema describes exactly the TrainingSpec type', () => {
  const file = join(REPO_ROOT, 'src/shared/spec.ts');
  const program = ts.createProgram([file], { strict: true, noEmit: true, types: [], target: ts.ScriptTarget.ES2022 });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  assert.ok(source);
  const declaration = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'TrainingSpec');
  assert.ok(declaration);
  const fromTypes = fromType(checker, checker.getTypeAtLocation(declaration.name), new Set());
  const schema = specSchema();
  const difference = firstDifference(fromSchema(schema, schema), fromTypes, 'TrainingSpec');
  assert.equal(difference, undefined, difference);
});

test('the schema is draft-07 with descriptions on every top-level section', () => {
  const schema = specSchema();
  assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
  const definitions = schema.definitions as Record<string, SchemaNode>;
  for (const section of ['data', 'model', 'compile', 'fit', 'earlyStopping', 'checkpoints', 'evaluate', 'layer', 'search']) {
    assert.ok(typeof definitions[section].description === 'string', `${section} has no description`);
  }
});

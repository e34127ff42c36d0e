// The schema's "type" completions for layers and data sets (definitions.layer
// and definitions.data, allOf[0].properties.type.defaultSnippets): one per
// kind, listed before the union's branches so VS Code offers every kind, and
// each inserts the fields its kind requires. test/e2e/specCompletion.test.ts
// asks VS Code's JSON language server for the same completions.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSpec, specSchema } from '../../../../src/core/spec';
import type { SchemaNode } from '../../../../src/core/spec/schema';
import { baseSpec } from './helpers';

const definitions = specSchema().definitions as Record<string, SchemaNode>;

interface TypeSnippet {
  label: string;
  bodyText: string;
}

function typeSnippets(union: string): TypeSnippet[] {
  const typeSchema = ((definitions[union].allOf as SchemaNode[])[0].properties as Record<string, SchemaNode>).type;
  return typeSchema.defaultSnippets as TypeSnippet[];
}

function branches(union: string): { type: string; required: string[] }[] {
  return (definitions[union].oneOf as SchemaNode[]).map((ref) => {
    const branch = definitions[String(ref.$ref).replace('#/definitions/', '')];
    return { type: String((branch.properties as Record<string, SchemaNode>).type.const), required: branch.required as string[] };
  });
}

/** `"type": <snippet with every placeholder at its default>` inside an object. */
function objectFrom(snippet: TypeSnippet): unknown {
  const text = snippet.bodyText.replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\d+/g, '');
  return JSON.parse(`{ "type": ${text} }`) as unknown;
}

describe('type snippets in the spec schema', () => {
  for (const union of ['layer', 'data']) {
    it(`${union}: one snippet per kind, labelled like VS Code labels the kind's constant`, () => {
      assert.deepEqual(
        typeSnippets(union).map((s) => s.label),
        branches(union).map((b) => JSON.stringify(b.type)),
      );
    });

    it(`${union}: each snippet writes its kind with every required field, and the spec validates`, () => {
      for (const [index, snippet] of typeSnippets(union).entries()) {
        const { type, required } = branches(union)[index];
        const value = objectFrom(snippet) as Record<string, unknown>;
        assert.equal(value.type, type);
        for (const field of required) assert.ok(field in value, `${type} lacks "${field}": ${snippet.bodyText}`);
        const spec = baseSpec() as unknown as { data: unknown; model: { layers: unknown[] } };
        if (union === 'data') spec.data = value;
        else spec.model.layers.push(value);
        assert.doesNotThrow(() => parseSpec(JSON.stringify(spec, null, 2), `${type}.train.json`));
      }
    });
  }
});

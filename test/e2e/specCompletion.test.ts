// Completion in a *.train.json as VS Code computes it: the JSON language
// server that VS Code ships (through code-server, installed on demand) reads
// schemas/train-spec.schema.json. Completing a layer's or a data set's "type"
// offers every kind, and the one picked comes with the fields it requires, so
// the spec the trainer then reads is complete.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureCodeServer } from '../../scripts/e2e/installCodeServer.mjs';
import { parseSpec } from '../../src/core/spec';
import type { SchemaNode } from '../../src/core/spec/schema';
import { repoRoot } from './environment';
import { JsonLanguageServer, type CompletionItem } from './jsonLanguageServer';

const schemaPath = join(repoRoot, 'schemas', 'train-spec.schema.json');
const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as SchemaNode;
const definitions = schema.definitions as Record<string, SchemaNode>;

/** Each branch of a union (`layer`, `data`) as its "type" constant and its other required fields. */
function kinds(union: string): { type: string; required: string[] }[] {
  return (definitions[union].oneOf as SchemaNode[]).map((ref) => {
    const branch = definitions[String(ref.$ref).replace('#/definitions/', '')];
    const type = String((branch.properties as Record<string, SchemaNode>).type.const);
    return { type, required: (branch.required as string[]).filter((field) => field !== 'type') };
  });
}

/** The text a snippet leaves once every placeholder keeps its default. */
function expandSnippet(snippet: string): string {
  return snippet.replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\d+/g, '');
}

function insertText(item: CompletionItem): string {
  return item.textEdit?.newText ?? item.insertText ?? item.label;
}

/** The MNIST example without its repo-relative $schema (the server gets the schema from the association). */
const example = readFileSync(join(repoRoot, 'examples', 'mnist', 'mnist.train.json'), 'utf8').replace(/^\s*"\$schema":[^\n]*\n/m, '');

/** The example with `"type": ""` (or `"type": ` when `quoted` is false) as a new last layer; the caret goes at `|`. */
function withNewLayer(quoted: boolean): { text: string; offset: number } {
  const marked = example.replace('{ "type": "dense", "units": 10, "activation": "softmax" }', `$&,\n      { "type": ${quoted ? '"|"' : '|'} }`);
  assert.notEqual(marked, example, 'the example has the softmax layer this test appends after');
  return { text: marked.replace('|', ''), offset: marked.indexOf('|') };
}

function withDataType(): { text: string; offset: number } {
  const marked = example.replace('"type": "mnist"', '"type": "|"');
  return { text: marked.replace('|', ''), offset: marked.indexOf('|') };
}

/** Applies the picked item over the string being completed (or at the caret) and validates the spec as the trainer does. */
function applyAndParse(text: string, offset: number, item: CompletionItem, quoted: boolean): void {
  const start = quoted ? offset - 1 : offset;
  const end = quoted ? offset + 1 : offset;
  const completed = text.slice(0, start) + expandSnippet(insertText(item)) + text.slice(end);
  assert.doesNotThrow(() => parseSpec(completed, 'completed.train.json'), `after picking ${item.label}:\n${completed}`);
}

describe('completion of "type" in a training spec (VS Code’s JSON language server)', { timeout: 5 * 60_000 }, () => {
  let server: JsonLanguageServer | undefined;

  before(async () => {
    await ensureCodeServer({ log: (line) => process.stderr.write(line) });
    server = await JsonLanguageServer.start(schemaPath);
  });

  after(() => server?.stop());

  for (const quoted of [true, false]) {
    it(`offers all 12 layer types at ${quoted ? '"type": "|"' : '"type": |'}, each inserting its required fields`, async () => {
      assert.ok(server);
      const { text, offset } = withNewLayer(quoted);
      const items = await server.complete(text, offset);
      const layers = kinds('layer');
      assert.equal(layers.length, 12);
      assert.deepEqual(items.map((i) => i.label).sort(), layers.map((l) => JSON.stringify(l.type)).sort());
      for (const layer of layers) {
        const item = items.find((i) => i.label === JSON.stringify(layer.type));
        assert.ok(item, `${layer.type} is offered`);
        for (const field of layer.required) assert.match(insertText(item), new RegExp(`"${field}": `), `${layer.type} inserts "${field}"`);
        applyAndParse(text, offset, item, quoted);
      }
    });
  }

  it('offers all 6 data set types at "type": "|", each inserting its required fields', async () => {
    assert.ok(server);
    const { text, offset } = withDataType();
    const items = await server.complete(text, offset);
    const types = kinds('data');
    assert.deepEqual(items.map((i) => i.label).sort(), types.map((t) => JSON.stringify(t.type)).sort());
    for (const kind of types) {
      const item = items.find((i) => i.label === JSON.stringify(kind.type));
      assert.ok(item);
      for (const field of kind.required) assert.match(insertText(item), new RegExp(`"${field}": `), `${kind.type} inserts "${field}"`);
      applyAndParse(text, offset, item, true);
    }
  });
});

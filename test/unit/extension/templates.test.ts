// Create Training Spec writes specs that the trainer's own schema accepts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv';
import { SPEC_TEMPLATES, specFileText, validateSpecName } from '../../../src/extension/specs/templates';

const schema = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'schemas', 'train-spec.schema.json'), 'utf8')) as object;

describe('spec templates', () => {
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  for (const template of SPEC_TEMPLATES) {
    it(`"${template.label}" is valid against schemas/train-spec.schema.json`, () => {
      const text = specFileText(template.build('my-model'));
      const parsed: unknown = JSON.parse(text);
      assert.ok(validate(parsed), JSON.stringify(validate.errors));
      assert.equal((parsed as { name: string }).name, 'my-model');
    });
  }

  it('writes one layer a line so the model reads like a list', () => {
    const text = specFileText(SPEC_TEMPLATES[0].build('m'));
    assert.match(text, /\n {6}\{ "type": "flatten", "inputShape": \[28, 28\] \},\n/);
    assert.match(text, /\n {6}\{ "type": "dense", "units": 10, "activation": "softmax" \}\n {4}\]/);
  });

  it('accepts file-safe names only', () => {
    assert.equal(validateSpecName('mnist-mlp_2'), undefined);
    assert.match(validateSpecName('') ?? '', /Give the spec a name/);
    assert.match(validateSpecName('../evil') ?? '', /letters, digits/);
    assert.match(validateSpecName('a b') ?? '', /letters, digits/);
  });
});

// findSpecProblem is what the editor marks: the problem parseSpec (the
// trainer) refuses, the same sentence, starting where the message says.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findSpecProblem, parseSpec, problemLocation } from '../../../../src/core/spec';
import { isUserError } from '../../../../src/shared/errors';
import { baseSpec } from './helpers';

function trainerMessage(text: string): string {
  try {
    parseSpec(text, 'spec.train.json');
  } catch (error) {
    assert.ok(isUserError(error));
    return error.message;
  }
  assert.fail('parseSpec accepted the spec');
}

/** The problem, the trainer's message, and the text the problem's span covers. */
function check(text: string): { editor: string; trainer: string; marked: string; location: string } {
  const problem = findSpecProblem(text);
  assert.ok(problem, 'a problem is found');
  const location = problemLocation(text, problem);
  const trainer = trainerMessage(text);
  assert.equal(trainer, `spec.train.json: ${problem.message(location)}`, 'the trainer says the same sentence');
  return { editor: problem.message(), trainer, marked: text.slice(problem.offset, problem.offset + problem.length), location };
}

const spec = (): string => JSON.stringify(baseSpec(), null, 2);

describe('findSpecProblem', () => {
  it('marks a misspelled field at its name, with the trainer’s "did you mean"', () => {
    const { editor, marked, location, trainer } = check(spec().replace('"units": 128', '"unitz": 128'));
    assert.equal(marked, '"unitz"');
    assert.equal(editor, "Unknown field 'unitz' at model.layers[1].unitz; did you mean 'units'?");
    assert.match(trainer, new RegExp(`\\(${location}\\); did you mean 'units'\\?$`));
  });

  it('marks an unknown layer type at its value', () => {
    const { editor, marked } = check(spec().replace('"type": "dropout"', '"type": "dropuot"'));
    assert.equal(marked, '"dropuot"');
    assert.equal(editor, "Unknown layer type 'dropuot' at model.layers[2].type; did you mean 'dropout'?");
  });

  it('marks an object that lacks a field by its opening brace', () => {
    const text = spec().replace('"rate": 0.2', '"seed": 1');
    const { editor, marked } = check(text);
    assert.equal(marked, '{');
    assert.match(editor, /^model\.layers\[2\] \(a dropout layer\) is missing "rate"; add "rate": /);
  });

  it('marks a JSON syntax error where it is, without line and column in the editor’s sentence', () => {
    const text = spec().replace('"epochs": 5,', '"epochs": 5,,');
    const { editor, trainer, location } = check(text);
    assert.match(editor, /^invalid JSON: /);
    assert.match(trainer, new RegExp(`invalid JSON at ${location}: `));
  });

  it('marks a rule the schema cannot express (inputShape on a later layer) at the field', () => {
    const withShape = baseSpec();
    const layers = (withShape.model as unknown as { layers: Record<string, unknown>[] }).layers;
    layers[1].inputShape = [784];
    const { editor, marked } = check(JSON.stringify(withShape, null, 2));
    assert.equal(marked, '"inputShape"');
    assert.equal(editor, 'model.layers[1].inputShape is only allowed on the first layer; remove it');
  });

  it('finds nothing in a spec the trainer accepts', () => {
    assert.equal(findSpecProblem(spec()), undefined);
    assert.doesNotThrow(() => parseSpec(spec(), 'spec.train.json'));
  });

  it('says an empty text is empty', () => {
    assert.match(findSpecProblem('  \n')?.message() ?? '', /^The spec is empty: write a training spec/);
  });

  it('counts offsets in the text as given, a byte-order mark included', () => {
    const text = '\ufeff' + spec().replace('"units": 128', '"unitz": 128');
    const problem = findSpecProblem(text);
    assert.ok(problem);
    assert.equal(text.slice(problem.offset, problem.offset + problem.length), '"unitz"');
    assert.equal(trainerMessage(text), `spec.train.json: ${problem.message(problemLocation(text, problem))}`);
  });
});

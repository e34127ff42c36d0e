import { test } from 'node:test';
import assert from 'node:assert/strict';
import { orList, runVerb, usageLines, wrapUsage, type VerbTable } from '../../../src/cli/verbs';
import { isUserError } from '../../../src/shared/errors';

const ran: string[] = [];
const verb = (name: string, usage: string): VerbTable[string] => ({
  run: async (argv) => {
    ran.push(`${name} ${argv.join(' ')}`);
    return 7;
  },
  usage,
});
const jobs: VerbTable = { list: verb('list', 'jobs list'), describe: verb('describe', 'jobs describe|cancel JOB'), cancel: verb('cancel', 'jobs describe|cancel JOB') };

test('a known verb runs its handler with the remaining arguments and returns its exit code', async () => {
  ran.length = 0;
  assert.equal(await runVerb('jobs', jobs, 'describe', ['j1', '--json']), 7);
  assert.deepEqual(ran, ['describe j1 --json']);
});

test('an unknown or missing verb is a user mistake that lists every verb in the table', () => {
  const expected = "Unknown jobs command 'bogus': use list, describe or cancel";
  assert.throws(() => runVerb('jobs', jobs, 'bogus', []), (error) => isUserError(error) && error.message === expected);
  assert.throws(() => runVerb('jobs', jobs, undefined, []), /Unknown jobs command '': use list, describe or cancel$/);
  // Names an object inherits are not verbs.
  assert.throws(() => runVerb('jobs', jobs, 'toString', []), /Unknown jobs command 'toString'/);
});

test('a noun with a single verb shows its usage line in the error', () => {
  assert.throws(() => runVerb('machine-types', { list: verb('list', 'machine-types list [--json]') }, 'x', []), {
    message: "Unknown machine-types command 'x': use list. Usage: machine-types list [--json]",
  });
});

test('usage lines come in table order, a line shared by several verbs once', () => {
  assert.deepEqual(usageLines(jobs), ['jobs list', 'jobs describe|cancel JOB']);
});

test('lists read as prose', () => {
  assert.equal(orList(['a']), 'a');
  assert.equal(orList(['a', 'b']), 'a or b');
  assert.equal(orList(['a', 'b', 'c']), 'a, b or c');
});

test('long usage lines break before an option, never inside brackets or between a flag and its value', () => {
  const line = '  cloud x create --display-name NAME [--bucket gs://B[/P]] (--run RUN | --job JOB [--trial ID]) [--a [--b B]] --spot';
  const wrapped = wrapUsage(line, 40, '    ');
  assert.equal(wrapped.replace(/\n {4}/g, ' '), line, 'only line breaks and the indent are added');
  const lines = wrapped.split('\n');
  assert.deepEqual(lines.slice(1).map((l) => l.trim().split(' ')[0]), ['[--bucket', '(--run', '[--a']);
  assert.equal(wrapUsage('  cloud models list', 40), '  cloud models list');
});

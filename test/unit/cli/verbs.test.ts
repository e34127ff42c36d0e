import { test } from 'node:test';
import assert from 'node:assert/strict';
import { helpEntry, orList, runVerb, usageEntries, usageLines, wrapUsage, type VerbTable } from '../../../src/cli/verbs';
import { cloudHelpText } from '../../../src/cli/cloud/index';
import { machineTypeVerbs } from '../../../src/cli/cloud/prices';
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

test("a verb's note comes after its usage line: on the same line when it fits, else on its own indented line", () => {
  const noted: VerbTable = { ...jobs, describe: { ...jobs.describe, note: 'by ID' }, cancel: { ...jobs.cancel, note: 'ignored: the line has a note' } };
  assert.deepEqual(usageEntries(noted), [{ usage: 'jobs list', note: undefined }, { usage: 'jobs describe|cancel JOB', note: 'by ID' }]);
  assert.equal(helpEntry('  jobs list'), '  jobs list');
  assert.equal(helpEntry('  jobs describe|cancel JOB', 'by ID', 40), '  jobs describe|cancel JOB   (by ID)');
  assert.equal(helpEntry('  jobs describe|cancel JOB', 'a note too long for this line', 40, '    '), '  jobs describe|cancel JOB\n    (a note too long for this line)');
});

test('cloud help explains machine-types list and models upload --job, and usage errors do not', () => {
  const help = cloudHelpText();
  assert.match(help, /^ {2}cloud machine-types list {3}\(prediction prices for the region, from the Cloud Billing Catalog\)$/m);
  const upload = help.slice(help.indexOf('  cloud models upload'), help.indexOf('  cloud models list'));
  assert.match(upload, /\(--job: a training job's model; a tuning job's best trial unless --trial ID\)\n$/);
  assert.ok(help.split('\n').every((line) => line.length <= 100), 'help lines fit 100 columns');
  assert.throws(() => runVerb('machine-types', machineTypeVerbs, 'x', []), (error) => error instanceof Error && error.message.includes('Usage: model-studio cloud machine-types list') && !error.message.includes('Billing'));
});

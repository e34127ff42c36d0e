// Shared by the spec tests: a valid base spec and assertions on one-line UserErrors.
import assert from 'node:assert/strict';
import { isUserError } from '../../../../src/shared/errors';
import type { TrainingSpec } from '../../../../src/shared/spec';
import { parseSpec } from '../../../../src/core/spec';
import { mnistMlpModel } from '../../../../src/shared/mnistMlp';

export function baseSpec(): TrainingSpec {
  return {
    name: 'test',
    data: { type: 'mnist' },
    ...mnistMlpModel(),
    fit: { epochs: 5, batchSize: 32 },
  };
}

/** Runs `fn`, expects a UserError with a one-line message containing every part; returns the message. */
export function userErrorOf(fn: () => unknown, ...parts: (string | RegExp)[]): string {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught !== undefined, `expected a UserError containing ${parts.join(' | ')}, but nothing was thrown`);
  assert.ok(isUserError(caught), `expected a UserError, got ${String(caught)}`);
  const message = caught.message;
  assert.ok(!message.includes('\n'), `message has a line break: ${JSON.stringify(message)}`);
  for (const part of parts) {
    if (typeof part === 'string') assert.ok(message.includes(part), `message lacks ${JSON.stringify(part)}: ${message}`);
    else assert.match(message, part);
  }
  return message;
}

export type Edit = (spec: Record<string, unknown>) => void;

type Container = Record<string | number, unknown>;

function walk(spec: Record<string, unknown>, path: string): { parent: Container; key: string | number } {
  const keys = path.match(/[^.[\]]+/g) ?? [];
  let node = spec as Container;
  for (const key of keys.slice(0, -1)) node = node[/^\d+$/.test(key) ? Number(key) : key] as Container;
  const last = keys[keys.length - 1];
  return { parent: node, key: /^\d+$/.test(last) ? Number(last) : last };
}

/** `set('model.layers[1].type', 'dence')` */
export function set(path: string, value: unknown): Edit {
  return (spec) => {
    const { parent, key } = walk(spec, path);
    parent[key] = value;
  };
}

/** `unset('fit.epochs')` */
export function unset(path: string): Edit {
  return (spec) => {
    const { parent, key } = walk(spec, path);
    if (Array.isArray(parent) && typeof key === 'number') parent.splice(key, 1);
    else delete parent[key];
  };
}

/** Parses the base spec after `edits`, pretty-printed, and expects a one-line UserError. */
export function specErrorOf(edits: Edit | Edit[], ...parts: (string | RegExp)[]): string {
  const spec = baseSpec() as unknown as Record<string, unknown>;
  for (const edit of Array.isArray(edits) ? edits : [edits]) edit(spec);
  return userErrorOf(() => parseSpec(JSON.stringify(spec, null, 2), 'bad.train.json'), ...parts);
}

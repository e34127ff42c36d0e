// Flag parsing for every command: node's parseArgs, with its errors turned
// into one-line UserErrors that name the command's usage.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../shared/errors';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseCommandArgs<T extends Options>(
  argv: string[],
  options: T,
  usage: string,
): ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>> {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0].replace(/\. To specify.*$/, '') : String(error);
    throw new UserError(`${message}. Usage: ${usage}`);
  }
}

export function positiveInteger(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UserError(`${flag} must be a whole number of at least 1, not '${value}'.`);
  return n;
}

export function positiveNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new UserError(`${flag} must be a number above 0, not '${value}'.`);
  return n;
}

export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UserError(`${flag} must be one of ${allowed.join(', ')}, not '${value}'.`);
  }
  return value as T;
}

// Run-time checks for messages that cross a process boundary (trainer <->
// host, host <-> webview, the CLI's stdout -> host). A peer's message is data
// until it passes its guard: each receiver checks every field it uses (type,
// range, length) before it relies on the static type. Small composable guards
// keep each protocol's check next to its types. No Node built-ins: the
// webviews use these too.

/** A run-time check that narrows `unknown` to T. */
export type Guard<T> = (value: unknown) => value is T;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isBoolean(value: unknown): value is boolean {
  return typeof value === 'boolean';
}

/** A number that is neither NaN nor infinite. */
export function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** A finite number in [min, max]. */
export function numberIn(min: number, max: number): Guard<number> {
  return (value: unknown): value is number => isFiniteNumber(value) && value >= min && value <= max;
}

/** A whole number in [min, max]. */
export function integerIn(min: number, max: number): Guard<number> {
  return (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max;
}

/** A string of at most `maxLength` characters (and at least `minLength`). */
export function boundedString(maxLength: number, minLength = 0): Guard<string> {
  return (value: unknown): value is string => typeof value === 'string' && value.length >= minLength && value.length <= maxLength;
}

/** A string of at most `maxLength` characters that matches `pattern` (anchor it). */
export function matching(pattern: RegExp, maxLength: number): Guard<string> {
  return (value: unknown): value is string => typeof value === 'string' && value.length <= maxLength && pattern.test(value);
}

/** One of a few strings; with one value, a message's `type` tag. */
export function oneOf<const T extends readonly string[]>(values: T): Guard<T[number]> {
  return (value: unknown): value is T[number] => typeof value === 'string' && values.includes(value);
}

/** The field may be absent; when present it must pass `guard`. */
export function optional<T>(guard: Guard<T>): Guard<T | undefined> {
  return (value: unknown): value is T | undefined => value === undefined || guard(value);
}

/** An array of `min`..`max` items (both inclusive), each passing `item`. */
export function arrayOf<T>(item: Guard<T>, bounds: { min?: number; max: number }): Guard<T[]> {
  const min = bounds.min ?? 0;
  return (value: unknown): value is T[] => {
    if (!Array.isArray(value) || value.length < min || value.length > bounds.max) return false;
    for (const each of value) if (!item(each)) return false;
    return true;
  };
}

/** A plain object used as a map: at most `maxKeys` keys, each key and value checked. */
export function recordOf<K extends string, V>(key: Guard<K>, item: Guard<V>, maxKeys: number): Guard<Record<K, V>> {
  return (value: unknown): value is Record<K, V> => {
    if (!isRecord(value)) return false;
    const keys = Object.keys(value);
    if (keys.length > maxKeys) return false;
    for (const k of keys) if (!key(k) || !item(value[k])) return false;
    return true;
  };
}

/**
 * An object whose every field passes its guard. The shape must name every
 * field of T (optional ones with `optional(...)`), so a field added to a
 * message type does not compile until its check is written. Extra fields are
 * ignored: no receiver reads them.
 */
export function objectOf<T>(shape: { [K in keyof T]-?: Guard<T[K]> }): Guard<T> {
  // Two flat arrays: dashboards restore hundreds of thousands of events through this loop.
  const names = Object.keys(shape);
  const guards = Object.values(shape) as Guard<unknown>[];
  return (value: unknown): value is T => {
    if (!isRecord(value)) return false;
    for (let i = 0; i < names.length; i++) if (!guards[i](value[names[i]])) return false;
    return true;
  };
}

/** A union tagged by `type`: the guard of the message's own type decides. */
export function byType<T extends { type: string }>(guards: { [K in T['type']]: Guard<Extract<T, { type: K }>> }): Guard<T> {
  const table: Record<string, Guard<T>> = guards;
  return (value: unknown): value is T =>
    isRecord(value) && typeof value.type === 'string' && Object.hasOwn(table, value.type) && table[value.type](value);
}

/** The guards of a message's fields other than its `type` tag: every field named, as objectOf wants. */
export type FieldGuards<M> = { [K in Exclude<keyof M, 'type'>]-?: Guard<M[K]> };

/** A message tagged `type` whose other fields pass `fields`. */
export function messageOf<M extends { type: string }>(type: M['type'], fields: FieldGuards<M>): Guard<M> {
  return objectOf<M>({ type: oneOf([type]), ...fields } as { [K in keyof M]-?: Guard<M[K]> });
}

/**
 * A protocol's messages, tagged by `type`: each given by its fields (its key
 * is its tag) or, for a message shared between protocols (ready, reply), by
 * its own guard. The protocol files state only their messages' shapes.
 */
export function messagesOf<T extends { type: string }>(messages: {
  [K in T['type']]: Guard<Extract<T, { type: K }>> | FieldGuards<Extract<T, { type: K }>>;
}): Guard<T> {
  const guards: Record<string, Guard<T>> = {};
  for (const [type, entry] of Object.entries<Guard<T> | FieldGuards<T>>(messages)) {
    guards[type] = typeof entry === 'function' ? entry : messageOf<T>(type, entry);
  }
  return byType<T>(guards as Parameters<typeof byType<T>>[0]);
}

/** A message of one type with no other fields (ready, reload, stop). */
export function tagOnly<const Type extends string>(type: Type): Guard<{ type: Type }> {
  return messageOf<{ type: Type }>(type, {});
}

// ---- conventions every panel shares -----------------------------------------

/** Request ids: non-negative whole numbers that the requesting side counts up. */
export function isRequestId(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** The webview's script is listening: the host may post. Sent again after every reload. */
export interface ReadyMessage {
  type: 'ready';
}

/** Error texts for people: long enough for a validation report, bounded against a runaway peer. */
export const MAX_MESSAGE_TEXT = 64 * 1024;

/** The answer to a webview request (a message with a requestId). */
export interface ReplyMessage {
  type: 'reply';
  requestId: number;
  /** Set when the request failed, in words for people. */
  error?: string;
}

export const isReadyMessage: Guard<ReadyMessage> = tagOnly('ready');

export const isReplyMessage: Guard<ReplyMessage> = messageOf<ReplyMessage>('reply', {
  requestId: isRequestId,
  error: optional(boundedString(MAX_MESSAGE_TEXT)),
});

/** Run ids are folder names: no path separators, no dot-dot, bounded length. */
export function isRunId(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/.test(value) && !value.includes('..');
}

/** A short, single-line excerpt of a rejected message for a log line. */
export function describeForLog(value: unknown, maxLength = 200): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > maxLength ? `${text.slice(0, maxLength)}…` : text;
}

// Model Registry version aliases: names such as `champion` that point at one
// version of a model (`models/M@champion`). Vertex AI's rule for a name, and
// the `-name` form that MergeVersionAliases reads as "remove".

/** Vertex AI's pattern for an alias (the `-` of a removal is not part of it). */
export const ALIAS_PATTERN = /^[a-z][a-zA-Z0-9-]{0,126}[a-z0-9]$/;
export const ALIAS_RULE = '[a-z][a-zA-Z0-9-]{0,126}[a-z0-9]: 2-128 characters, starting with a lowercase letter, ending with a lowercase letter or digit';

/** The alias every model's default version holds; it moves, it is never removed. */
export const DEFAULT_ALIAS = 'default';

/** Why `alias` is not a valid alias name, or undefined when it is. */
export function aliasProblem(alias: string): string | undefined {
  if (ALIAS_PATTERN.test(alias)) return undefined;
  return `Version alias "${alias}" is not valid: an alias must match ${ALIAS_RULE}.`;
}

/** "a, b ,c" as a list of names (empty entries dropped). */
export function parseAliasList(text: string): string[] {
  return text
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
}

/** Aliases after MergeVersionAliases: `-x` removes x, an alias both added and removed cancels out. */
export function mergeAliases(current: readonly string[], changes: readonly string[]): string[] {
  const added = changes.filter((c) => !c.startsWith('-'));
  const removed = changes.filter((c) => c.startsWith('-')).map((c) => c.slice(1));
  const next = current.filter((a) => !removed.includes(a) || added.includes(a));
  for (const alias of added) if (!removed.includes(alias) && !next.includes(alias)) next.push(alias);
  return next;
}

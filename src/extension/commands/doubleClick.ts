// A double click on a tree action or a button runs its command twice within a
// few hundred milliseconds with the same arguments: the second call is a
// slip, not a request. Only that is ignored here; a later click, or one on
// another resource, runs, and the resource locks (resourceLocks.ts) decide
// whether the work can start. No vscode import, so tests can drive it.

export const DOUBLE_CLICK_MS = 500;

/** A stable text for a command's arguments (tree nodes, URIs, ids); cyclic ones fall back to their types. */
export function argumentsKey(args: readonly unknown[]): string {
  try {
    return JSON.stringify(args) ?? '';
  } catch {
    return args.map((a) => typeof a).join(',');
  }
}

export class DoubleClickGuard {
  private running = new Map<string, number>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly windowMs = DOUBLE_CLICK_MS,
  ) {}

  /**
   * Records a call; undefined when it repeats a call with the same key that
   * started less than the window ago and still runs (ignore it). Otherwise a
   * function to call when this call ends.
   */
  start(key: string): (() => void) | undefined {
    const previous = this.running.get(key);
    const at = this.now();
    if (previous !== undefined && at - previous < this.windowMs) return undefined;
    this.running.set(key, at);
    return () => {
      if (this.running.get(key) === at) this.running.delete(key);
    };
  }
}

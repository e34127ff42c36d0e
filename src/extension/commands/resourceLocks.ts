// Locks per resource (a run, a model, an endpoint), not per command: pushing
// two runs at once is fine, pushing the same run twice is not. A command that
// finds its resource held learns who holds it, what it is doing ("pushing
// mnist-mlp"), how far it got ("(2/3) Registering model…"), and when it ends.
// No vscode import: the commands show the message (cloudCommandContext.ts).

export interface LockHolder {
  /** What the holder does, to follow "Already …": "pushing mnist-mlp to Local sandbox". */
  readonly activity: string;
  /** Its latest progress message, if it reported one. */
  readonly state: string | undefined;
  /** Resolves when the holder releases its lease. */
  readonly finished: Promise<void>;
}

export interface Lease extends LockHolder {
  /** Progress for anyone who finds the resource held. */
  report(state: string): void;
  /** Frees the keys; idempotent. */
  release(): void;
}

/** The resource is held; `holder` says by what. */
export class ResourceBusy extends Error {
  override readonly name = 'ResourceBusy';
  constructor(readonly holder: LockHolder) {
    super(busyMessage(holder));
  }
}

export const lockKey = {
  run: (runId: string): string => `run:${runId}`,
  /** A model by its resource name (projects/…/models/ID), not its display name. */
  model: (modelName: string): string => `model:${modelName.replace(/@.*$/, '')}`,
  endpoint: (endpointName: string): string => `endpoint:${endpointName}`,
};

/** "Already pushing mnist-mlp to Local sandbox: (2/3) Registering model…" */
export function busyMessage(holder: LockHolder): string {
  return `Already ${holder.activity}${holder.state ? `: ${holder.state}` : ' (waiting for your answers)'}.`;
}

export class ResourceLocks {
  private readonly held = new Map<string, Lease>();

  /** The lease that holds any of `keys`, if one does. */
  holderOf(keys: readonly string[]): LockHolder | undefined {
    for (const key of keys) {
      const lease = this.held.get(key);
      if (lease) return lease;
    }
    return undefined;
  }

  /** Every lease held now, oldest first. */
  get holders(): LockHolder[] {
    return [...new Set(this.held.values())];
  }

  /** Takes all of `keys` for `activity`, or none: throws ResourceBusy when one is held. */
  acquire(keys: readonly string[], activity: string): Lease {
    const busy = this.holderOf(keys);
    if (busy) throw new ResourceBusy(busy);
    let release: () => void = () => undefined;
    const finished = new Promise<void>((done) => (release = done));
    let state: string | undefined;
    let released = false;
    const lease: Lease = {
      activity,
      get state() {
        return state;
      },
      finished,
      report: (text) => (state = text),
      release: () => {
        if (released) return;
        released = true;
        for (const key of keys) if (this.held.get(key) === lease) this.held.delete(key);
        release();
      },
    };
    for (const key of keys) this.held.set(key, lease);
    return lease;
  }
}

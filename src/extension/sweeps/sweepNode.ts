// Commands on a sweep's row (or a trial's) in the Model Explorer get the tree
// node itself as their argument: `{ kind: 'sweep', entry }`. No vscode, so the
// commands' argument handling is testable.
import { isRecord } from '../../shared/protocol/guards';

/** The sweep id a Model Explorer sweep or trial node stands for; undefined for anything else. */
export function sweepIdOfNode(arg: unknown): string | undefined {
  if (!isRecord(arg) || (arg.kind !== 'sweep' && arg.kind !== 'trial')) return undefined;
  const record = isRecord(arg.entry) ? arg.entry.record : undefined;
  return isRecord(record) && typeof record.id === 'string' ? record.id : undefined;
}

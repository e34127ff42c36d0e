// Console output for cloud commands: results on stdout (a table, a block of
// fields, or one JSON document with --json), progress on stderr so that
// stdout stays machine-readable, and Ctrl-C that stops waiting.
import type { OperationUpdate, WaitOptions } from '../../cloud';

export class Output {
  private lastProgress = '';

  constructor(
    readonly json: boolean,
    private readonly out: NodeJS.WritableStream = process.stdout,
    private readonly err: NodeJS.WritableStream = process.stderr,
  ) {}

  /** The command's result: `value` as JSON, or the human form. */
  result(value: unknown, human: () => string): void {
    this.out.write(this.json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
  }

  /** A progress line on stderr (quiet with --json); repeated lines are dropped. */
  progress(line: string): void {
    if (this.json || line === this.lastProgress) return;
    this.lastProgress = line;
    this.err.write(`${line}\n`);
  }

  /** WaitOptions that report operation progress and stop on Ctrl-C. */
  waitOptions(label: string, timeoutMs: number, signal: AbortSignal): WaitOptions {
    return {
      timeoutMs,
      signal,
      onProgress: (update: OperationUpdate) => this.progress(operationLine(label, update)),
    };
  }
}

function operationLine(label: string, update: OperationUpdate): string {
  const seconds = Math.round(update.elapsedMs / 1000);
  const stage = update.stage ? ` · ${update.stage.toLowerCase().replace(/_/g, ' ')}` : '';
  return `${label}${stage}${update.done ? ' · done' : ''} (${seconds} s)`;
}

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const format = (cells: string[]): string => cells.map((c, i) => (c ?? '').padEnd(widths[i])).join('  ').trimEnd();
  return [format(header), ...rows.map(format)].join('\n');
}

/** "key: value" lines, skipping empty values. */
export function fields(entries: [string, string | number | undefined][]): string {
  return entries
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([key, value]) => `${key}: ${String(value)}`)
    .join('\n');
}

/** An AbortSignal that fires on the first Ctrl-C while `work` runs. */
export async function withInterrupt<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    return await work(controller.signal);
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

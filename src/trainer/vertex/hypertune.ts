// The tuning metric, reported the way the cloudml-hypertune library does, so
// Vertex AI's tuning service reads it: JSON lines in $CLOUD_ML_HP_METRIC_FILE
// (default /tmp/hypertune/output.metrics), keys sorted, values as strings but
// the timestamp, the whole file rewritten at each report with the last 100.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DEFAULT_HP_METRIC_FILE, ENV, HP_METRIC_ENTRIES } from '../../shared/vertexTraining';

type Entry = Record<string, string | number>;

/** One line as json.dumps(entry, sort_keys=True) writes it. */
export function hypertuneLine(entry: Entry): string {
  const sorted = Object.keys(entry)
    .sort()
    .map((key) => `${JSON.stringify(key)}: ${JSON.stringify(entry[key])}`);
  return `{${sorted.join(', ')}}`;
}

export class HypertuneReporter {
  private readonly entries: Entry[] = [];

  constructor(
    readonly file: string,
    private readonly trialId: string,
  ) {}

  static fromEnv(env: NodeJS.ProcessEnv = process.env): HypertuneReporter {
    return new HypertuneReporter(env[ENV.metricFile] || DEFAULT_HP_METRIC_FILE, env[ENV.trialId] ?? '0');
  }

  report(tag: string, value: number, globalStep: number): void {
    this.entries.push({ timestamp: Date.now() / 1000, trial: this.trialId, [tag]: String(value), global_step: String(Math.trunc(globalStep)) });
    if (this.entries.length > HP_METRIC_ENTRIES) this.entries.splice(0, this.entries.length - HP_METRIC_ENTRIES);
    mkdirSync(dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, this.entries.map((e) => hypertuneLine(e) + '\n').join(''));
    renameSync(temp, this.file);
  }
}

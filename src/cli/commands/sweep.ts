// `model-studio sweep SPEC [--parallel N] [--max-trials N] [--backend B] [--json]`
// and `model-studio sweep --resume SWEEP`: the spec's search as trials, each
// an ordinary run in its own trainer process. A line per trial event (one
// JSON event a line with --json). Ctrl+C stops every trial (each saves like a
// stopped run) and records the sweep as stopped; a second Ctrl+C ends the
// trainers at once.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BACKEND_CHOICES } from '../../shared/events';
import { UserError } from '../../shared/errors';
import type { SweepEvent, SweepRecord } from '../../shared/sweep';
import { formatMetricValue } from '../../shared/sweepSummary';
import { oneOf, parseCommandArgs, positiveInteger } from '../../core/commandArgs';
import { runsDirFor } from '../../core/runStore';
import { describeParameters } from '../../core/sweep/applyTrial';
import { SweepRunner } from '../../core/sweep/sweepRunner';
import { sweepsDirFor } from '../../core/sweep/sweepStore';

const USAGE = `model-studio sweep SPEC [--parallel N] [--max-trials N] [--backend ${BACKEND_CHOICES.join('|')}] [--json] [--runs-dir DIR] [--sweeps-dir DIR]  |  model-studio sweep --resume SWEEP [--parallel N]`;

/** The trainer bundle beside this one (dist/cli.js -> dist/trainer.js), or the repository's when run from source. */
export function trainerBundle(): string {
  const candidates = [join(__dirname, 'trainer.js'), resolve(__dirname, '..', '..', '..', 'dist', 'trainer.js')];
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error(`the trainer bundle is missing (looked for ${candidates.join(', ')}): run \`npm run build\``);
  return found;
}

export async function sweepCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      parallel: { type: 'string' },
      'max-trials': { type: 'string' },
      backend: { type: 'string' },
      json: { type: 'boolean' },
      resume: { type: 'string' },
      'runs-dir': { type: 'string' },
      'sweeps-dir': { type: 'string' },
    },
    USAGE,
  );
  if (positionals.length > 1) throw new UserError(`Expected one spec file, got ${positionals.length}. Usage: ${USAGE}`);
  if (positionals[0] && values.resume) throw new UserError(`Pass a spec to start a sweep or --resume SWEEP to finish one, not both. Usage: ${USAGE}`);
  if (!positionals[0] && !values.resume) throw new UserError(`Missing the spec file. Usage: ${USAGE}`);

  const json = values.json === true;
  const printer = json ? (event: SweepEvent) => process.stdout.write(JSON.stringify(event) + '\n') : progressPrinter();
  const runner = await SweepRunner.create({
    specPath: positionals[0] ? resolve(positionals[0]) : undefined,
    runsDir: values['runs-dir'] ? resolve(values['runs-dir']) : runsDirFor(process.cwd()),
    sweepsDir: values['sweeps-dir'] ? resolve(values['sweeps-dir']) : sweepsDirFor(process.cwd()),
    trainerPath: trainerBundle(),
    cwd: process.cwd(),
    env: process.env,
    backend: oneOf(values.backend, BACKEND_CHOICES, '--backend'),
    parallel: positiveInteger(values.parallel, '--parallel'),
    maxTrials: positiveInteger(values['max-trials'], '--max-trials'),
    resume: values.resume,
    onEvent: printer,
  });
  if (!json) process.stdout.write(`${startLine(runner)}\n`);

  let interrupts = 0;
  const onSignal = (): void => {
    interrupts++;
    if (interrupts === 1) {
      runner.stop();
      if (!json) process.stderr.write('\nStopping every trial (Ctrl+C again to end them at once)…\n');
      return;
    }
    runner.kill();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const record = await runner.run();
    if (!json) process.stdout.write(`${endLine(record)}\n`);
    if (record.status === 'failed') {
      const reason = record.reason ?? 'The sweep failed.';
      // A mistake in the spec or its data, which every trial would repeat: one line, exit 2.
      if (runner.failedOnUserError) throw new UserError(reason);
      process.stderr.write(`${reason}\n`);
      return 1;
    }
    // Stopped by the user is a success, as with `train`; trials that crashed on their own are not.
    if (record.status === 'stopped' && !runner.stopping) {
      process.stderr.write(`${record.reason ?? 'Some trials did not finish.'}\n`);
      return 1;
    }
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function startLine(runner: SweepRunner): string {
  const record = runner.current;
  const { search } = record;
  const algorithm = search.algorithm === 'grid' ? 'grid' : `random, seed ${record.seed ?? '?'}`;
  const verb = runner.resumed ? 'Resuming sweep' : 'Sweep';
  const left = runner.resumed ? `, ${record.trials.filter((t) => t.status === 'pending').length} to train` : '';
  return `${verb} ${record.id}: ${record.trials.length} trials (${algorithm})${left}, ${runner.parallel} at a time (${runner.parallelWhy}); ${search.metric.goal} ${search.metric.name}`;
}

function endLine(record: SweepRecord): string {
  const counts = new Map<string, number>();
  for (const trial of record.trials) counts.set(trial.status, (counts.get(trial.status) ?? 0) + 1);
  const summary = [...counts.entries()].map(([status, n]) => `${n} ${status}`).join(', ');
  const bestTrial = record.trials.find((t) => t.trialId === record.best?.trialId);
  const best = record.best && bestTrial
    ? `; best: trial ${record.best.trialId} · ${record.search.metric.name} ${formatMetricValue(record.best.value)} · ${describeParameters(bestTrial.parameters)} · run ${record.best.runId ?? '?'}`
    : '';
  const resume = record.status === 'stopped' || record.status === 'crashed' ? `. Resume it with \`model-studio sweep --resume ${record.id}\`` : '';
  return `Sweep ${record.status}: ${summary}${best}${resume}`;
}

/** One line per trial event: started (with its values), each epoch, how it ended. */
function progressPrinter(): (event: SweepEvent) => void {
  let metric = '';
  return (event) => {
    const write = (line: string): boolean => process.stdout.write(`${line}\n`);
    switch (event.type) {
      case 'sweepStarted':
        metric = event.metric.name;
        return;
      case 'trialStarted':
        write(`trial ${event.trialId} · ${event.resumed ? 'resumed' : 'started'} run ${event.runId} · ${describeParameters(event.parameters)}`);
        return;
      case 'trialEpoch':
        write(`trial ${event.trialId} · epoch ${event.epoch + 1}/${event.epochs}${event.value !== undefined ? ` · ${metric} ${formatMetricValue(event.value)}` : ''}`);
        return;
      case 'trialFinished': {
        const value = event.value !== undefined ? ` · ${metric} ${formatMetricValue(event.value)}` : '';
        const reason = event.reason && event.status !== 'completed' ? ` · ${event.reason}` : '';
        write(`trial ${event.trialId} · ${event.status}${value}${event.best ? ' · best so far' : ''}${reason}`);
        return;
      }
      case 'sweepFinished':
        return;
    }
  };
}

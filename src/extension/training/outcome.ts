// The sentence a notification says when a run ends, and which buttons it
// offers. Pure: the notifier shows it, tests read it.
import { formatDuration } from '../../shared/progress';
import { accuracyOf } from '../../shared/metrics';
import type { LiveRun } from './liveRun';
import type { TrainerResult } from '../../core/trainerProcess';

export type OutcomeAction = 'Open Dashboard' | 'Resume' | 'Show Log' | 'Open Spec';

export interface OutcomeMessage {
  severity: 'info' | 'warning' | 'error';
  text: string;
  actions: OutcomeAction[];
}

export interface OutcomeContext {
  /** The dashboard is on screen showing this run: no button to open it. */
  dashboardShowsRun?: boolean;
}

export function outcomeMessage(live: LiveRun, result: TrainerResult, context: OutcomeContext = {}): OutcomeMessage {
  const message = describeOutcome(live, result);
  return context.dashboardShowsRun ? { ...message, actions: message.actions.filter((a) => a !== 'Open Dashboard') } : message;
}

/** Where the trainer's message points in the spec ("line 11, column 26", 1-based), when it names a place. */
export function specPositionIn(reason: string | undefined): { line: number; column: number } | undefined {
  const found = /\bline (\d+), column (\d+)/.exec(reason ?? '');
  return found ? { line: Number(found[1]), column: Number(found[2]) } : undefined;
}

function describeOutcome(live: LiveRun, result: TrainerResult): OutcomeMessage {
  const name = live.name;
  const finished = result.finished;
  const epochs = live.epochs ?? finished?.epochsCompleted;
  if (result.status === 'completed') {
    const test = accuracyOf(live.testMetrics ?? finished?.testMetrics);
    const val = accuracyOf(finished?.finalMetrics, 'val_');
    const score = test !== undefined ? `test accuracy ${test.toFixed(4)}` : val !== undefined ? `validation accuracy ${val.toFixed(4)}` : undefined;
    const time = finished ? ` in ${formatDuration(finished.durationMs / 1000)}` : '';
    return {
      severity: 'info',
      text: `${name} finished${time}${score ? `: ${score}` : ''}.`,
      actions: ['Open Dashboard'],
    };
  }
  if (result.status === 'stopped') {
    const done = finished?.epochsCompleted ?? 0;
    const canResume = done < (epochs ?? Number.POSITIVE_INFINITY);
    return {
      severity: 'info',
      text: `${name} stopped after ${done} of ${epochs ?? '?'} epochs${canResume ? '; Resume continues from its checkpoint' : ''}.`,
      actions: canResume && result.runId ? ['Resume', 'Open Dashboard'] : ['Open Dashboard'],
    };
  }
  if (result.userError) {
    return { severity: 'error', text: `${name}: ${result.reason ?? 'the spec could not be trained'}`, actions: ['Open Spec', 'Show Log'] };
  }
  return {
    severity: 'error',
    text: `${name} failed: ${result.reason ?? 'the trainer stopped unexpectedly'}`,
    actions: result.runId ? ['Show Log', 'Open Dashboard'] : ['Show Log'],
  };
}

// Messages between the extension host and a trainer child process (Node IPC).
// The host sends one 'train', then at most one 'stop'; the trainer answers
// with its events (batchEnd coalesced to ~20 a second) or one 'error' when it
// fails before or outside a run (bad spec, missing data). Exit code: 0
// completed or stopped, 2 user error, 1 internal failure. Each side checks
// what it receives with the guards below.

import { BACKEND_CHOICES, type BackendChoice, type TrainerEvent } from '../events';
import type { TrialInfo } from '../sweep';
import { boundedString, integerIn, isBoolean, isRunId, MAX_MESSAGE_TEXT, messageOf, messagesOf, numberIn, objectOf, oneOf, optional, type Guard } from './guards';
import { isTrainerEvent, isTrialInfo } from './runEvents';

/** What to train: the trainer's one request, from the extension (IPC) or the CLI (in-process). */
export interface TrainRequest {
  specPath: string;
  /** Workspace folder that holds `.model-studio/runs`. */
  runsDir: string;
  epochs?: number;
  backend?: BackendChoice;
  /** fit.batchSize for this run, over the spec's (recorded in the run's spec). */
  batchSize?: number;
  /** The optimizer's learning rate for this run, over the spec's (recorded in the run's spec). */
  learningRate?: number;
  /** Run id to resume from its last checkpoint. */
  resume?: string;
  /**
   * Train the spec as a trial of a sweep: its parameter values are applied to
   * the spec, and run.json records the trial. Ignored with `resume` (the run
   * keeps the values it started with).
   */
  trial?: TrialInfo;
}

export interface TrainMessage {
  type: 'train';
  request: TrainRequest;
}

/** Finish the current batch, save, exit. */
export interface StopMessage {
  type: 'stop';
  /** Why, for run.json (a sweep's median rule); default "Stopped by the user." */
  reason?: string;
}

export type HostToTrainerMessage = TrainMessage | StopMessage;

/** The trainer failed before or outside a run; `userError`: the message is for the user, no stack. */
export interface TrainerErrorMessage {
  type: 'error';
  message: string;
  userError: boolean;
}

export type TrainerToHostMessage = TrainerEvent | TrainerErrorMessage;

/** The most epochs one request may ask for (Train With… offers up to 99,999). */
export const MAX_EPOCHS = 1_000_000;
/** The largest batch one request may ask for (Train With… offers up to 999,999). */
export const MAX_BATCH_SIZE = 1_000_000;
const MAX_PATH = 4096;

export const isTrainRequest: Guard<TrainRequest> = objectOf<TrainRequest>({
  specPath: boundedString(MAX_PATH, 1),
  runsDir: boundedString(MAX_PATH, 1),
  epochs: optional(integerIn(1, MAX_EPOCHS)),
  backend: optional(oneOf(BACKEND_CHOICES)),
  batchSize: optional(integerIn(1, MAX_BATCH_SIZE)),
  // Above 0: the trainer names the mistake in words; this only keeps nonsense off the channel.
  learningRate: optional(numberIn(Number.MIN_VALUE, Number.MAX_VALUE)),
  resume: optional(isRunId),
  trial: optional(isTrialInfo),
});

export const isHostToTrainerMessage: Guard<HostToTrainerMessage> = messagesOf<HostToTrainerMessage>({
  train: { request: isTrainRequest },
  stop: { reason: optional(boundedString(MAX_MESSAGE_TEXT)) },
});

const isTrainerError: Guard<TrainerErrorMessage> = messageOf<TrainerErrorMessage>('error', {
  message: boundedString(MAX_MESSAGE_TEXT),
  userError: isBoolean,
});

export function isTrainerToHostMessage(value: unknown): value is TrainerToHostMessage {
  return isTrainerEvent(value) || isTrainerError(value);
}

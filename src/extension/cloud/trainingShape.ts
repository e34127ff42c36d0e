// The Training Jobs part of the Vertex AI tree as plain data (no vscode):
// custom and tuning jobs with their state, elapsed time, machine and cost so
// far; a tuning job's trials with their values, measurement and the best.
import type { CustomJobSummary, TuningJobSummary, TuningTrialSummary } from '../../cloud';
import { estimatedUsdPerHour, TRAINING_MACHINES, type TrainingPriceTable } from '../../shared/vertexTraining';
// Type-only: cloudShape composes this file's views into the tree's.
import type { CloudItemView } from './cloudShape';

export type TrainingJob = CustomJobSummary | TuningJobSummary;

export type TrainingNode =
  | { type: 'trainingJobs' }
  | { type: 'trainingJob'; job: TrainingJob }
  | { type: 'trial'; job: TuningJobSummary; trial: TuningTrialSummary };

/** Whether a job may still change (not succeeded, failed, cancelled or expired). */
export function isActiveJob(job: TrainingJob): boolean {
  return !['succeeded', 'failed', 'cancelled', 'expired'].includes(job.state);
}

export function trainingNodeId(node: TrainingNode): string {
  switch (node.type) {
    case 'trainingJobs':
      return 'cloud:trainingJobs';
    case 'trainingJob':
      return `cloud:trainingJob:${node.job.id}`;
    case 'trial':
      return `cloud:trial:${node.job.id}:${node.trial.id}`;
  }
}

/** Newest first; an empty list says how to start one. */
export function trainingJobNodes(jobs: readonly TrainingJob[]): TrainingNode[] {
  return [...jobs].sort((a, b) => (b.createTime ?? '').localeCompare(a.createTime ?? '')).map((job) => ({ type: 'trainingJob', job }));
}

export function trialNodes(job: TuningJobSummary): TrainingNode[] {
  return job.trials.map((trial) => ({ type: 'trial', job, trial }));
}

export function formatElapsed(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function formatUsd(usd: number | undefined): string | undefined {
  if (usd === undefined) return undefined;
  return usd < 0.01 ? '<$0.01' : `$${usd.toFixed(2)}`;
}

const STATE_ICONS: Record<string, { id: string; color?: string }> = {
  queued: { id: 'clock' },
  pending: { id: 'clock' },
  running: { id: 'loading~spin' },
  cancelling: { id: 'loading~spin' },
  succeeded: { id: 'pass', color: 'charts.green' },
  failed: { id: 'error', color: 'errorForeground' },
  cancelled: { id: 'circle-slash' },
};

function machineText(job: TrainingJob): string {
  const m = job.machine;
  return `${m.machineType}${m.acceleratorType ? ` + ${m.acceleratorCount}× ${m.acceleratorType.replace(/^NVIDIA_(TESLA_)?/, '')}` : ''}${m.spot ? ' (Spot)' : ''}`;
}

export function trainingItemView(node: TrainingNode): CloudItemView {
  const id = trainingNodeId(node);
  switch (node.type) {
    case 'trainingJobs':
      return { id, label: 'Training Jobs', icon: { id: 'rocket' }, contextValue: 'cloudTrainingJobs', collapsible: 'collapsed' };
    case 'trainingJob': {
      const job = node.job;
      const active = isActiveJob(job);
      const tuning = job.kind === 'tuning';
      const best = tuning && job.best ? `best ${job.metric.name}=${job.best.value.toFixed(4)} (trial ${job.best.trialId})` : undefined;
      const cost = formatUsd(job.estimatedCostUsd);
      return {
        id,
        label: job.displayName || job.id,
        description: [job.state, formatElapsed(job.elapsedMs), machineText(job), cost ? `${cost.startsWith('<') ? '' : '~'}${cost} so far` : undefined, tuning ? `${job.trials.length}/${job.maxTrialCount} trials` : undefined, best]
          .filter(Boolean)
          .join(' · '),
        tooltip: [
          `**${job.displayName}** ${tuning ? 'tuning job' : 'custom job'} \`${job.id}\``,
          `State: ${job.state}${job.error ? ` — ${job.error}` : ''}`,
          `Machine: ${machineText(job)}`,
          cost ? `Estimated cost so far: ${cost} (${job.priceSource}; Vertex AI bills what it bills)` : '',
          `Outputs: \`${job.outputDir}\``,
        ]
          .filter(Boolean)
          .join('  \n'),
        icon: STATE_ICONS[job.state] ?? { id: 'question' },
        contextValue: ['cloudTrainingJob', tuning ? 'tuning' : 'custom', active ? 'active' : '', job.state === 'succeeded' || (tuning && job.best) ? 'hasModel' : ''].filter(Boolean).join(' '),
        collapsible: tuning ? 'collapsed' : 'none',
        command: tuning ? undefined : { command: 'modelStudio.openJobDashboard', title: 'Open Dashboard', withNode: true },
      };
    }
    case 'trial': {
      const { job, trial } = node;
      const isBest = job.best?.trialId === trial.id;
      const values = Object.entries(trial.parameters).map(([k, v]) => `${k}=${typeof v === 'number' ? Number(v.toPrecision(4)) : v}`);
      return {
        id,
        label: `trial ${trial.id}`,
        description: [trial.state, trial.value === undefined ? undefined : `${job.metric.name}=${trial.value.toFixed(4)}`, isBest ? '★ best' : undefined, values.join(' ')].filter(Boolean).join(' · '),
        tooltip: [`Trial ${trial.id} of \`${job.displayName}\``, values.join('  \n'), trial.reason ?? '', `Outputs: \`${trial.outputDir}\``].filter(Boolean).join('  \n'),
        icon: isBest ? { id: 'star-full', color: 'charts.yellow' } : (STATE_ICONS[trial.state === 'active' ? 'running' : trial.state === 'infeasible' ? 'failed' : trial.state] ?? { id: 'circle-outline' }),
        contextValue: ['cloudTrial', trial.state === 'succeeded' ? 'hasModel' : ''].filter(Boolean).join(' '),
        collapsible: 'none',
        command: { command: 'modelStudio.openJobDashboard', title: 'Open Dashboard', withNode: true },
      };
    }
  }
}

function perHour(usd: number | undefined): string {
  return usd === undefined ? 'no list price' : `~$${usd.toFixed(2)}/h`;
}

/** A machine picker's rows: the price an hour of one replica, GPUs priced separately. */
export function trainingMachineChoices(prices: TrainingPriceTable): { label: string; description: string; machineType: string }[] {
  return TRAINING_MACHINES.map((m) => ({
    label: m.machineType,
    description: `${m.vcpus} vCPU · ${m.memoryGb} GB · ${perHour(estimatedUsdPerHour(m.machineType, undefined, { prices }))}`,
    machineType: m.machineType,
  }));
}

export function acceleratorChoices(machineType: string, prices: TrainingPriceTable): { label: string; description: string; accelerator?: { type: string; count: number } }[] {
  const machine = TRAINING_MACHINES.find((m) => m.machineType === machineType);
  return [
    { label: 'No accelerator', description: `${perHour(estimatedUsdPerHour(machineType, undefined, { prices }))} in all` },
    ...(machine?.accelerators ?? []).map((type) => {
      const gpu = prices.accelerators[type];
      return {
        label: type,
        description: `${gpu === undefined ? 'no GPU list price' : `+$${gpu.toFixed(2)}/h`} · ${perHour(estimatedUsdPerHour(machineType, { type, count: 1 }, { prices }))} in all`,
        accelerator: { type, count: 1 },
      };
    }),
  ];
}

// Estimated hourly cost of deployed models from the small price table in
// data/machine-prices.json (us-central1 list prices, with their date and
// source). Only hints for people: Vertex AI bills what it bills.
import priceTable from '../../../data/machine-prices.json';

export interface MachinePrice {
  machineType: string;
  vcpus: number;
  memoryGb: number;
  usdPerHour: number;
  spotUsdPerHour?: number;
}

export interface PriceTable {
  region: string;
  date: string;
  source: string;
  note: string;
  machines: MachinePrice[];
  /** 'catalog': read from the Cloud Billing Catalog for the region; otherwise the bundled table. */
  kind?: 'catalog' | 'bundled';
  /** USD per GPU hour by accelerator type. */
  accelerators?: Record<string, number>;
  /** Custom-training prices (their own SKUs), when read from the catalog. */
  training?: { machines: MachinePrice[]; accelerators: Record<string, number> };
}

/** The bundled table: the offline fallback. */
export const PRICES: PriceTable = { ...priceTable, kind: 'bundled' };

let active: PriceTable = PRICES;

/** The prices shown now: the target region's from the Billing Catalog once read, else the bundled table. */
export function activePrices(): PriceTable {
  return active;
}

export function usePrices(table: PriceTable): void {
  active = table;
}

/** What a deployment can cost: at least `minPerHour` (min replicas always run), at most `maxPerHour`. */
export interface CostEstimate {
  minPerHour: number;
  maxPerHour: number;
  /** Machine types the table does not know (their cost is left out). */
  unknown: string[];
}

export interface Deployment {
  machineType?: string;
  minReplicaCount?: number;
  maxReplicaCount?: number;
  acceleratorType?: string;
  acceleratorCount?: number;
  spot?: boolean;
}

export function machinePrice(machineType: string | undefined, table: PriceTable = activePrices()): MachinePrice | undefined {
  return machineType ? table.machines.find((m) => m.machineType === machineType) : undefined;
}

export function deploymentCost(deployment: Deployment, table: PriceTable = activePrices()): CostEstimate {
  const price = machinePrice(deployment.machineType, table);
  if (!price) return { minPerHour: 0, maxPerHour: 0, unknown: [deployment.machineType ?? 'unknown machine type'] };
  const min = Math.max(1, deployment.minReplicaCount ?? 1);
  const max = Math.max(min, deployment.maxReplicaCount ?? min);
  const machine = deployment.spot && price.spotUsdPerHour !== undefined ? price.spotUsdPerHour : price.usdPerHour;
  const gpu = deployment.acceleratorType ? table.accelerators?.[deployment.acceleratorType] : 0;
  const unknown = gpu === undefined ? [deployment.acceleratorType as string] : [];
  const replica = machine + (gpu ?? 0) * (deployment.acceleratorCount ?? 1);
  return { minPerHour: replica * min, maxPerHour: replica * max, unknown };
}

/** The sum over an endpoint's deployed models. */
export function totalCost(deployments: readonly Deployment[], table: PriceTable = activePrices()): CostEstimate {
  return deployments
    .map((d) => deploymentCost(d, table))
    .reduce<CostEstimate>(
      (sum, c) => ({ minPerHour: sum.minPerHour + c.minPerHour, maxPerHour: sum.maxPerHour + c.maxPerHour, unknown: [...sum.unknown, ...c.unknown] }),
      { minPerHour: 0, maxPerHour: 0, unknown: [] },
    );
}

export function formatUsd(amount: number): string {
  if (amount === 0) return '$0';
  if (amount < 1) return `$${amount.toFixed(2)}`;
  return amount < 100 ? `$${amount.toFixed(2)}` : `$${Math.round(amount).toLocaleString('en-US')}`;
}

/** "~$0.22/h", "~$0.22–0.66/h" when autoscaling can add replicas, "" when nothing is known. */
export function formatHourly(cost: CostEstimate): string {
  if (cost.maxPerHour === 0) return '';
  if (Math.abs(cost.maxPerHour - cost.minPerHour) < 1e-9) return `~${formatUsd(cost.minPerHour)}/h`;
  return `~${formatUsd(cost.minPerHour)}–${formatUsd(cost.maxPerHour).slice(1)}/h`;
}

/** About 730 hours a month, as Google's calculator counts. */
export const HOURS_PER_MONTH = 730;

/** Markdown lines for a tooltip: the hourly and monthly estimate, and where the numbers come from. */
export function costTooltip(cost: CostEstimate, what: string, table: PriceTable = activePrices()): string {
  const lines: string[] = [];
  if (cost.maxPerHour > 0) {
    lines.push(`Estimated cost of ${what}: ${formatHourly(cost)} (~${formatUsd(cost.minPerHour * HOURS_PER_MONTH)}/month at the minimum replicas), billed while deployed even when idle.`);
  }
  if (cost.unknown.length > 0) lines.push(`No price known for ${[...new Set(cost.unknown)].join(', ')}.`);
  lines.push(
    table.kind === 'catalog'
      ? `_Estimate from ${table.region} list prices read from the Cloud Billing Catalog on ${table.date.slice(0, 10)}_`
      : `_Estimate from the bundled ${table.region} list prices of ${table.date} (data/machine-prices.json, the offline fallback${table.note.startsWith('Bundled') ? `: ${table.note}` : ''}); see ${table.source.split(' ')[0]}_`,
  );
  return lines.join('  \n');
}

export interface MachineChoice {
  machineType: string;
  label: string;
  description: string;
}

/** Quick-pick rows: "n1-standard-4", "4 vCPU · 15 GB · ~$0.22/h". The default comes first. */
export function machineChoices(defaultType: string, table: PriceTable = activePrices()): MachineChoice[] {
  const rows = table.machines.map((m) => ({
    machineType: m.machineType,
    label: m.machineType,
    description: `${m.vcpus} vCPU · ${m.memoryGb} GB · ~${formatUsd(m.usdPerHour)}/h${m.machineType === defaultType ? ' · default' : ''}`,
  }));
  return [...rows.filter((r) => r.machineType === defaultType), ...rows.filter((r) => r.machineType !== defaultType)];
}

/** Idle this long, a deployment gets a reminder that it still bills. */
export const IDLE_REMINDER_MS = 60 * 60_000;

/**
 * The reminder for a deployment that served no prediction (that this editor
 * saw) for a while, or undefined. `since` is the last prediction or the deploy time.
 */
export function idleReminder(sinceIso: string | undefined, now: number, cost: CostEstimate): string | undefined {
  if (!sinceIso) return undefined;
  const idleMs = now - new Date(sinceIso).getTime();
  if (!Number.isFinite(idleMs) || idleMs < IDLE_REMINDER_MS) return undefined;
  const hours = Math.floor(idleMs / 3_600_000);
  const price = cost.maxPerHour > 0 ? ` (${formatHourly(cost)})` : '';
  return `No predictions for ${hours} h, but it still bills${price}: undeploy it if nobody uses it.`;
}

// Prediction prices for the CLI, as the editor gets them: the target
// region's list prices from the Cloud Billing Catalog with the user's
// credentials (the sandbox serves a compatible catalog), cached a week per
// region; the bundled us-central1 table only as the labelled offline
// fallback. `model-studio cloud machine-types list` shows them; deploy-model
// prints its estimate from them; custom-jobs and hp-tuning-jobs list and
// describe estimate costs with their training part.
import { homedir } from 'node:os';
import { join } from 'node:path';
import priceTable from '../../../data/machine-prices.json';
import { billingFetch, loadPrices, type CloudClients, type CloudConfig, type LivePriceTable } from '../../cloud';
import { trainingPricesOf } from '../../shared/vertexTraining';
import { UserError } from '../../shared/errors';
import { parseCommandArgs } from '../../core/commandArgs';
import { table } from './output';
import { COMMON_OPTIONS, COMMON_USAGE, resolveTarget } from './target';
import { Output } from './output';
import type { VerbTable } from '../verbs';

const USAGE = `model-studio cloud machine-types list ${COMMON_USAGE}`;

/** A real project's prices are cached beside the sandbox's folder; a compatible server's (the sandbox) never are. */
function cacheFile(config: CloudConfig): string | undefined {
  return config.insecure ? undefined : join(homedir(), '.model-studio', 'prices.json');
}

export async function cliPrices(config: CloudConfig): Promise<LivePriceTable> {
  return loadPrices({ region: config.region, fetch: billingFetch(config), cacheFile: cacheFile(config), bundled: priceTable });
}

/** `act` with the clients' job cost estimates priced from the region's catalog (or the labelled fallback). */
export function withTrainingPrices<A extends unknown[], R>(act: (clients: CloudClients, ...args: A) => Promise<R>): (clients: CloudClients, ...args: A) => Promise<R> {
  return async (clients, ...args) => {
    clients.trainingPrices = trainingPricesOf(await cliPrices(clients.config));
    return act(clients, ...args);
  };
}

/** Where the prices come from, in one line: the catalog with its date, or the fallback and why. */
export function priceSource(prices: LivePriceTable): string {
  return prices.kind === 'catalog' ? `${prices.region} list prices from the Cloud Billing Catalog, read ${prices.date.slice(0, 10)}` : `offline fallback: ${prices.note.replace(/\.$/, '')}`;
}

function usd(amount: number): string {
  return `$${amount.toFixed(amount < 1 ? 4 : 2)}`;
}

export interface DeploymentShape {
  machineType: string;
  minReplicaCount?: number;
  maxReplicaCount?: number;
  acceleratorType?: string;
  acceleratorCount?: number;
  spot?: boolean;
}

/** "Estimated cost: ~$0.2276/h (1 replica) to ~$0.6828/h (3), billed while deployed; <source>", or why there is none. */
export function deploymentEstimate(prices: LivePriceTable, d: DeploymentShape): string {
  const machine = prices.machines.find((m) => m.machineType === d.machineType);
  if (!machine) return `No price known for ${d.machineType} (${priceSource(prices)}).`;
  const base = d.spot && machine.spotUsdPerHour !== undefined ? machine.spotUsdPerHour : machine.usdPerHour;
  const gpu = d.acceleratorType ? prices.accelerators[d.acceleratorType] : 0;
  if (gpu === undefined) return `No price known for ${d.acceleratorType} (${priceSource(prices)}).`;
  const replica = base + gpu * (d.acceleratorCount ?? 1);
  const min = Math.max(1, d.minReplicaCount ?? 1);
  const max = Math.max(min, d.maxReplicaCount ?? min);
  const range = max > min ? `~${usd(replica * min)}/h (${min} replica${min === 1 ? '' : 's'}) to ~${usd(replica * max)}/h (${max})` : `~${usd(replica * min)}/h (${min} replica${min === 1 ? '' : 's'})`;
  return `Estimated cost: ${range}, billed while deployed; ${priceSource(prices)}.`;
}

export const machineTypeVerbs: VerbTable = { list: { run: listMachineTypes, usage: USAGE, note: 'prediction prices for the region, from the Cloud Billing Catalog' } };

async function listMachineTypes(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { ...COMMON_OPTIONS }, USAGE);
  if (positionals.length > 0) throw new UserError(`machine-types list takes no arguments. Usage: ${USAGE}`);
  // Prices need no Vertex AI clients: only the target's region and how to reach the catalog.
  const { config } = resolveTarget(values);
  const prices = await cliPrices(config);
  const out = new Output(values.json ?? false);
  out.result(prices, () =>
    [
      table(
        ['MACHINE_TYPE', 'VCPUS', 'MEMORY_GB', 'USD_PER_HOUR', 'SPOT_USD_PER_HOUR'],
        prices.machines.map((m) => [m.machineType, String(m.vcpus), String(m.memoryGb), usd(m.usdPerHour), m.spotUsdPerHour === undefined ? '' : usd(m.spotUsdPerHour)]),
      ),
      ...Object.entries(prices.accelerators).map(([type, price]) => `${type}: +${usd(price)}/h per GPU`),
      `Prices: ${priceSource(prices)}.`,
    ].join('\n'),
  );
  return 0;
}

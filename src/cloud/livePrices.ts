// Prediction and custom-training prices for the chosen region from the Cloud
// Billing Catalog API (Vertex AI's SKUs, prediction and training each their
// own: per vCPU hour and GiB hour of each machine series, per GPU hour, on
// demand and Spot), cached with their date. When the catalog cannot be read,
// the bundled us-central1 tables are the fallback, and the result says so.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { GoogleAuth } from 'google-auth-library';
import { MACHINE_TYPES, machineType } from '../shared/machineTypes';
import { BUNDLED_TRAINING_PRICES, TRAINING_MACHINES } from '../shared/vertexTraining';
import { errorMessage } from '../shared/errors';
import type { CloudConfig } from './config';

export const VERTEX_BILLING_SERVICE = 'C7E2-9256-1C43';
const BILLING_API = 'https://cloudbilling.googleapis.com';
const MAX_PAGES = 50;
const CACHE_DAYS = 7;

export interface PricedMachine {
  machineType: string;
  vcpus: number;
  memoryGb: number;
  usdPerHour: number;
  spotUsdPerHour?: number;
}

export interface LivePriceTable {
  region: string;
  /** When the prices were read (ISO), or the bundled table's date. */
  date: string;
  source: string;
  /** 'catalog': read for this region; 'bundled': the offline fallback. */
  kind: 'catalog' | 'bundled';
  note: string;
  machines: PricedMachine[];
  /** USD per GPU hour by accelerator type (NVIDIA_TESLA_T4, ...). */
  accelerators: Record<string, number>;
  /** The same for custom training (its own SKUs): the catalog's, or the bundled training table in the fallback. */
  training: { machines: PricedMachine[]; accelerators: Record<string, number> };
}

interface Sku {
  description?: string;
  category?: { usageType?: string };
  serviceRegions?: string[];
  pricingInfo?: { pricingExpression?: { usageUnit?: string; tieredRates?: { startUsageAmount?: number; unitPrice?: { units?: string; nanos?: number } }[] } }[];
}

/** GETs a Billing API path and returns its JSON. */
export type BillingFetch = (path: string) => Promise<unknown>;

function hourly(sku: Sku): number | undefined {
  const expression = sku.pricingInfo?.[0]?.pricingExpression;
  if (expression?.usageUnit !== 'h') return undefined;
  const rate = expression.tieredRates?.find((r) => (r.startUsageAmount ?? 0) === 0) ?? expression.tieredRates?.[0];
  if (!rate?.unitPrice) return undefined;
  return Number(rate.unitPrice.units ?? 0) + Number(rate.unitPrice.nanos ?? 0) / 1e9;
}

type Use = 'prediction' | 'training';
const USES: Record<Use, string> = { prediction: 'Online\\/Batch Prediction', training: 'Training' };

/** Per-unit prices of one use: "n1 Core", "n1 Ram spot", and GPUs by type. */
function unitPrices(skus: readonly Sku[], region: string, use: Use): { unit: Record<string, number>; accelerators: Record<string, number> } {
  const unit: Record<string, number> = {};
  const accelerators: Record<string, number> = {};
  const cpuPattern = new RegExp(`${USES[use]} (?:on )?(N1|N2|E2|C2|G2) .*Instance (Core|Ram)`);
  const gpuPattern = new RegExp(`${USES[use]} (?:on |with )?NVIDIA (Tesla )?([A-Z0-9]+) GPU`);
  for (const sku of skus) {
    if (!sku.serviceRegions?.includes(region)) continue;
    const price = hourly(sku);
    const text = sku.description ?? '';
    if (price === undefined) continue;
    const spot = sku.category?.usageType === 'Preemptible';
    const cpu = cpuPattern.exec(text);
    if (cpu) unit[`${cpu[1].toLowerCase()} ${cpu[2]}${spot ? ' spot' : ''}`] = price;
    const gpu = gpuPattern.exec(text);
    if (gpu && !spot) accelerators[`NVIDIA_${gpu[1] ? 'TESLA_' : ''}${gpu[2]}`] = price;
  }
  return { unit, accelerators };
}

/** Each named machine priced from its series' vCPU and GiB prices; machines without both are left out. */
function pricedMachines(names: readonly string[], unit: Record<string, number>): PricedMachine[] {
  const machines: PricedMachine[] = [];
  for (const name of names) {
    const machine = machineType(name);
    if (!machine) continue;
    const core = unit[`${machine.series} Core`];
    const ram = unit[`${machine.series} Ram`];
    if (core === undefined || ram === undefined) continue;
    const spotCore = unit[`${machine.series} Core spot`];
    const spotRam = unit[`${machine.series} Ram spot`];
    machines.push({
      machineType: name,
      vcpus: machine.vcpus,
      memoryGb: machine.memoryGb,
      usdPerHour: round(machine.vcpus * core + machine.memoryGb * ram),
      ...(spotCore !== undefined && spotRam !== undefined ? { spotUsdPerHour: round(machine.vcpus * spotCore + machine.memoryGb * spotRam) } : {}),
    });
  }
  return machines;
}

/** Machine and GPU prices of one region from Vertex AI's SKUs, for prediction and for custom training. */
export function pricesFromSkus(skus: readonly Sku[], region: string, date: string): LivePriceTable {
  const prediction = unitPrices(skus, region, 'prediction');
  const training = unitPrices(skus, region, 'training');
  return {
    region,
    date,
    source: `Cloud Billing Catalog API, Vertex AI SKUs (${VERTEX_BILLING_SERVICE}) for ${region}`,
    kind: 'catalog',
    note: `List prices for ${region} read from the Cloud Billing Catalog on ${date.slice(0, 10)}; your bill may differ (discounts, taxes).`,
    machines: pricedMachines(MACHINE_TYPES, prediction.unit),
    accelerators: prediction.accelerators,
    training: { machines: pricedMachines(TRAINING_MACHINES.map((m) => m.machineType), training.unit), accelerators: training.accelerators },
  };
}

function round(usd: number): number {
  return Math.round(usd * 10_000) / 10_000;
}

/** Every SKU of the Vertex AI service, page by page. */
export async function fetchVertexSkus(get: BillingFetch): Promise<Sku[]> {
  const skus: Sku[] = [];
  let token = '';
  for (let page = 0; page < MAX_PAGES; page++) {
    const body = (await get(`/v1/services/${VERTEX_BILLING_SERVICE}/skus?currencyCode=USD${token ? `&pageToken=${encodeURIComponent(token)}` : ''}`)) as { skus?: Sku[]; nextPageToken?: string };
    skus.push(...(body.skus ?? []));
    token = body.nextPageToken ?? '';
    if (!token) return skus;
  }
  return skus;
}

/** Reads the catalog with Application Default Credentials, or from a compatible server (the sandbox) in insecure mode. */
export function billingFetch(config: CloudConfig): BillingFetch {
  if (config.insecure) {
    const base = (config.storageEndpoint ?? '').replace(/\/+$/, '');
    return async (path) => {
      const response = await fetch(`${base}${path}`);
      if (!response.ok) throw new Error(`the Billing Catalog answered HTTP ${response.status}`);
      return response.json();
    };
  }
  const auth = new GoogleAuth({ scopes: ['https://www.googleapis.com/auth/cloud-platform'] });
  return async (path) => (await (await auth.getClient()).request({ url: `${BILLING_API}${path}` })).data;
}

export interface LoadPricesOptions {
  region: string;
  fetch: BillingFetch;
  /** JSON file for the last catalog answer per region. */
  cacheFile?: string;
  /** The offline fallback (the bundled table). */
  bundled: Omit<LivePriceTable, 'kind' | 'accelerators' | 'training'> & { accelerators?: Record<string, number> };
  now?: number;
}

async function readCache(file: string | undefined, region: string, now: number): Promise<LivePriceTable | undefined> {
  if (!file) return undefined;
  try {
    const cached = JSON.parse(await readFile(file, 'utf8')) as Record<string, LivePriceTable>;
    const table = cached[region];
    // A table cached before training prices were read is read again.
    if (table && table.kind === 'catalog' && table.training && now - Date.parse(table.date) < CACHE_DAYS * 86_400_000) return table;
  } catch {
    // no cache yet, or a damaged one: read the catalog again
  }
  return undefined;
}

async function writeCache(file: string | undefined, table: LivePriceTable): Promise<void> {
  if (!file) return;
  let cached: Record<string, LivePriceTable> = {};
  try {
    cached = JSON.parse(await readFile(file, 'utf8')) as Record<string, LivePriceTable>;
  } catch {
    // start a new cache
  }
  cached[table.region] = table;
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(cached, null, 1));
}

function bundledTraining(): LivePriceTable['training'] {
  const machines = TRAINING_MACHINES.map(({ machineType, vcpus, memoryGb, usdPerHour }) => ({ machineType, vcpus, memoryGb, usdPerHour }));
  return { machines, accelerators: { ...BUNDLED_TRAINING_PRICES.accelerators } };
}

/** Prices for the region: cached (under a week old), else read from the catalog, else the bundled table with the reason. */
export async function loadPrices(options: LoadPricesOptions): Promise<LivePriceTable> {
  const now = options.now ?? Date.now();
  const cached = await readCache(options.cacheFile, options.region, now);
  if (cached) return cached;
  let reason: string;
  try {
    const table = pricesFromSkus(await fetchVertexSkus(options.fetch), options.region, new Date(now).toISOString());
    if (table.machines.length > 0) {
      await writeCache(options.cacheFile, table).catch(() => undefined);
      return table;
    }
    reason = `it lists no prediction prices for ${options.region}`;
  } catch (error) {
    reason = errorMessage(error);
  }
  const bundled = options.bundled;
  return {
    ...bundled,
    accelerators: bundled.accelerators ?? {},
    training: bundledTraining(),
    kind: 'bundled',
    note: `Bundled ${bundled.region} prices from ${bundled.date}, applied to ${options.region}: the Cloud Billing Catalog could not be read (${reason}).`,
  };
}

// Facts of training on Vertex AI (design.md, "Training on Vertex AI") that the
// trainer image, the cloud layer, the sandbox and the editor all rely on:
// where a job's outputs go, the environment variables, how a search
// parameter is named on the command line, and the machines with their prices.

/** The image the sandbox accepts for custom and tuning jobs (it runs the trainer bundle locally). */
export const SANDBOX_TRAINER_IMAGE = 'model-studio/trainer:local';

/** Files the trainer writes under the job's (or trial's) base output directory while it trains. */
export const JOB_RUN_FILE = 'run.json';
export const JOB_METRICS_FILE = 'metrics.jsonl';
/** Where `custom-jobs create` uploads the spec and the files it names, under the bucket. */
export const JOB_INPUTS_PREFIX = 'model-studio/inputs';
export const JOB_OUTPUTS_PREFIX = 'model-studio/jobs';

/** Environment variables Vertex AI sets in a training container. */
export const ENV = {
  modelDir: 'AIP_MODEL_DIR',
  checkpointDir: 'AIP_CHECKPOINT_DIR',
  tensorboardDir: 'AIP_TENSORBOARD_LOG_DIR',
  trialId: 'CLOUD_ML_TRIAL_ID',
  jobId: 'CLOUD_ML_JOB_ID',
  metricFile: 'CLOUD_ML_HP_METRIC_FILE',
} as const;

/** Where cloudml-hypertune writes the tuning metric when CLOUD_ML_HP_METRIC_FILE is unset. */
export const DEFAULT_HP_METRIC_FILE = '/tmp/hypertune/output.metrics';
/** cloudml-hypertune keeps this many reports in the file. */
export const HP_METRIC_ENTRIES = 100;

/**
 * A search parameter's id in the StudySpec and on the trial's command line
 * (`--<id>=<value>`): the spec path with every run of other characters as "_",
 * e.g. "model.layers[1].units" -> "model_layers_1_units". The trainer maps it
 * back through the spec's own search section.
 */
export function parameterIdOf(path: string): string {
  return path.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

/** Custom-training machine types offered in pickers, with vCPUs and the bundled on-demand price in us-central1 (USD an hour): the fallback when the Billing Catalog is not read. */
export interface TrainingMachine {
  machineType: string;
  vcpus: number;
  memoryGb: number;
  usdPerHour: number;
  accelerators: readonly string[];
}

export const TRAINING_MACHINES: readonly TrainingMachine[] = [
  { machineType: 'n1-standard-4', vcpus: 4, memoryGb: 15, usdPerHour: 0.219, accelerators: ['NVIDIA_TESLA_T4', 'NVIDIA_TESLA_V100', 'NVIDIA_TESLA_P100'] },
  { machineType: 'n1-standard-8', vcpus: 8, memoryGb: 30, usdPerHour: 0.437, accelerators: ['NVIDIA_TESLA_T4', 'NVIDIA_TESLA_V100', 'NVIDIA_TESLA_P100'] },
  { machineType: 'n1-standard-16', vcpus: 16, memoryGb: 60, usdPerHour: 0.875, accelerators: ['NVIDIA_TESLA_T4', 'NVIDIA_TESLA_V100', 'NVIDIA_TESLA_P100'] },
  { machineType: 'n1-highmem-8', vcpus: 8, memoryGb: 52, usdPerHour: 0.545, accelerators: ['NVIDIA_TESLA_T4', 'NVIDIA_TESLA_V100'] },
  { machineType: 'e2-standard-4', vcpus: 4, memoryGb: 16, usdPerHour: 0.155, accelerators: [] },
  { machineType: 'e2-standard-8', vcpus: 8, memoryGb: 32, usdPerHour: 0.309, accelerators: [] },
  { machineType: 'n2-standard-8', vcpus: 8, memoryGb: 32, usdPerHour: 0.448, accelerators: [] },
  { machineType: 'g2-standard-8', vcpus: 8, memoryGb: 32, usdPerHour: 1.0, accelerators: ['NVIDIA_L4'] },
];

/** On-demand accelerator prices in us-central1 (USD an hour, each). */
export const ACCELERATOR_USD_PER_HOUR: Readonly<Record<string, number>> = {
  NVIDIA_TESLA_T4: 0.403,
  NVIDIA_TESLA_V100: 2.852,
  NVIDIA_TESLA_P100: 1.679,
  NVIDIA_L4: 0.644,
};

/** Spot VMs cost about this fraction of on-demand (used where no Spot price is known). */
export const SPOT_DISCOUNT = 0.4;

/** Training prices of one region: the Billing Catalog's, or the bundled table above as the offline fallback. */
export interface TrainingPriceTable {
  /** 'catalog': read for `region` on `date`; 'bundled': the tables above (us-central1, from memory). */
  kind: 'catalog' | 'bundled';
  region: string;
  date: string;
  machines: readonly { machineType: string; usdPerHour: number; spotUsdPerHour?: number }[];
  /** USD per accelerator hour, on demand. */
  accelerators: Readonly<Record<string, number>>;
}

export const BUNDLED_TRAINING_PRICES: TrainingPriceTable = { kind: 'bundled', region: 'us-central1', date: '2024-12', machines: TRAINING_MACHINES, accelerators: ACCELERATOR_USD_PER_HOUR };

/** The training part of a price table as the catalog loader returns it: the catalog's when it has training prices, else the bundled fallback. */
export function trainingPricesOf(table: { kind?: string; region: string; date: string; training?: { machines: TrainingPriceTable['machines']; accelerators: Record<string, number> } } | undefined): TrainingPriceTable {
  if (table?.kind !== 'catalog' || !table.training || table.training.machines.length === 0) return BUNDLED_TRAINING_PRICES;
  return { kind: 'catalog', region: table.region, date: table.date, machines: table.training.machines, accelerators: table.training.accelerators };
}

/** Where training prices come from, in words: the catalog with its date, or the labelled fallback. */
export function trainingPriceSource(prices: TrainingPriceTable): string {
  return prices.kind === 'catalog'
    ? `${prices.region} training list prices from the Cloud Billing Catalog, read ${prices.date.slice(0, 10)}`
    : `bundled ${prices.region} training list prices of ${prices.date} (the offline fallback, not read from the Cloud Billing Catalog)`;
}

/** The estimated price an hour (all replicas); undefined for a machine the prices lack. */
export function estimatedUsdPerHour(
  machineType: string,
  accelerator?: { type: string; count: number },
  options: { replicas?: number; spot?: boolean; prices?: TrainingPriceTable } = {},
): number | undefined {
  const prices = options.prices ?? BUNDLED_TRAINING_PRICES;
  const machine = prices.machines.find((m) => m.machineType === machineType);
  if (!machine) return undefined;
  const gpus = accelerator && accelerator.count > 0 ? (prices.accelerators[accelerator.type] ?? 0) * accelerator.count : 0;
  const perReplica = options.spot ? (machine.spotUsdPerHour ?? machine.usdPerHour * SPOT_DISCOUNT) + gpus * SPOT_DISCOUNT : machine.usdPerHour + gpus;
  return perReplica * (options.replicas ?? 1);
}

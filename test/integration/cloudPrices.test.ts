// Live prices: the Cloud Billing Catalog's Vertex AI SKUs (served by the
// sandbox in Google's shape, paged) become per-machine prices for the region,
// on demand and Spot, with GPU prices; cached with their date; the bundled
// table is the fallback and says why.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeFileSync, mkdirSync } from 'node:fs';
import { billingFetch, loadPrices } from '../../src/cloud';
import { BUNDLED_TRAINING_PRICES, estimatedUsdPerHour, trainingPricesOf } from '../../src/shared/vertexTraining';
import { SANDBOX_PROJECT, SANDBOX_REGION, startSandbox } from '../../src/sandbox';
import bundledTable from '../../data/machine-prices.json';
import { tempDir } from '../helpers/cleanup';

const bundled = { ...bundledTable, kind: 'bundled' as const, accelerators: {} };

test('prices for a region come from the Billing Catalog, are cached with their date, and fall back to the bundled table with the reason', async (t) => {
  const root = tempDir('ms-cloud-prices-');
  const sandbox = await startSandbox({ dataDir: join(root, 'sandbox') });
  t.after(() => sandbox.close());
  const fetch = billingFetch({ project: SANDBOX_PROJECT, region: SANDBOX_REGION, apiEndpoint: sandbox.info.apiEndpoint, storageEndpoint: sandbox.info.storageEndpoint, insecure: true });
  const cacheFile = join(root, 'cache', 'prices.json');
  const now = Date.parse('2026-12-02T03:00:00Z');

  const live = await loadPrices({ region: 'us-central1', fetch, cacheFile, bundled, now });
  assert.equal(live.kind, 'catalog');
  assert.equal(live.date, '2026-12-02T03:00:00.000Z');
  assert.match(live.note, /^List prices for us-central1 read from the Cloud Billing Catalog on 2026-12-02/);
  const n1 = live.machines.find((m) => m.machineType === 'n1-standard-4');
  // 4 vCPUs x 0.0379 + 15 GiB x 0.0051; Spot 4 x 0.0114 + 15 x 0.0015.
  assert.deepEqual(n1, { machineType: 'n1-standard-4', vcpus: 4, memoryGb: 15, usdPerHour: 0.2281, spotUsdPerHour: 0.0681 });
  assert.equal(live.machines.find((m) => m.machineType === 'e2-standard-4')?.usdPerHour, 0.1548);
  assert.equal(live.machines.some((m) => m.machineType.startsWith('n2-')), false, 'no SKU, no price');
  assert.deepEqual(live.accelerators, { NVIDIA_TESLA_T4: 0.4025, NVIDIA_TESLA_V100: 2.852 });
  // Custom training from its own SKUs: 4 x 0.0365 + 15 x 0.0062; Spot 4 x 0.011 + 15 x 0.0019 (the bundled table says 0.219).
  assert.deepEqual(live.training.machines.find((m) => m.machineType === 'n1-standard-4'), { machineType: 'n1-standard-4', vcpus: 4, memoryGb: 15, usdPerHour: 0.239, spotUsdPerHour: 0.0725 });
  assert.equal(live.training.machines.find((m) => m.machineType === 'e2-standard-4')?.usdPerHour, 0.1648);
  assert.deepEqual(live.training.accelerators, { NVIDIA_TESLA_T4: 0.435, NVIDIA_TESLA_V100: 2.98 });
  const training = trainingPricesOf(live);
  assert.equal(training.kind, 'catalog');
  assert.equal(estimatedUsdPerHour('n1-standard-4', { type: 'NVIDIA_TESLA_T4', count: 2 }, { prices: training, replicas: 2 }), 2 * (0.239 + 2 * 0.435));

  // Cached: a day later the catalog is not asked again.
  const failing = async (): Promise<never> => {
    throw new Error('ENOTFOUND cloudbilling.googleapis.com');
  };
  assert.deepEqual(await loadPrices({ region: 'us-central1', fetch: failing, cacheFile, bundled, now: now + 86_400_000 }), live);
  // After a week the cache is stale: with no catalog, the bundled table says why.
  const stale = await loadPrices({ region: 'us-central1', fetch: failing, cacheFile, bundled, now: now + 8 * 86_400_000 });
  assert.equal(stale.kind, 'bundled');
  assert.equal(trainingPricesOf(stale), BUNDLED_TRAINING_PRICES, 'training falls back to the bundled table too');
  assert.equal(stale.note, `Bundled us-central1 prices from ${bundledTable.date}, applied to us-central1: the Cloud Billing Catalog could not be read (ENOTFOUND cloudbilling.googleapis.com).`);
  // A region the catalog has no prediction SKUs for.
  const elsewhere = await loadPrices({ region: 'europe-west4', fetch, cacheFile, bundled, now });
  assert.equal(elsewhere.kind, 'bundled');
  assert.match(elsewhere.note, /applied to europe-west4: the Cloud Billing Catalog could not be read \(it lists no prediction prices for europe-west4\)/);

  // A cache written before training prices were read is read again, so training gets the catalog's too.
  const oldCache = join(root, 'old', 'prices.json');
  mkdirSync(join(root, 'old'));
  const { training: _dropped, ...withoutTraining } = live;
  writeFileSync(oldCache, JSON.stringify({ 'us-central1': withoutTraining }));
  const reread = await loadPrices({ region: 'us-central1', fetch, cacheFile: oldCache, bundled, now: now + 3_600_000 });
  assert.equal(reread.date, new Date(now + 3_600_000).toISOString());
  assert.equal(reread.training.machines.length > 0, true);

  // The sandbox's catalog refuses what the real one would.
  const bad = await globalThis.fetch(`${sandbox.info.storageEndpoint}/v1/services/6F81-5844-456A/skus`);
  assert.equal(bad.status, 404);
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  deploymentCost,
  formatHourly,
  idleReminder,
  machineChoices,
  machinePrice,
  PRICES,
  totalCost,
  costTooltip,
  activePrices,
  usePrices,
  type PriceTable,
} from '../../../../src/extension/cloud/prices';

describe('machine price table', () => {
  it('has the issue’s machine types with vCPU, memory and a price, and says where the prices come from', () => {
    for (const type of ['n1-standard-2', 'n1-standard-4', 'n1-standard-8', 'n1-standard-16', 'n1-highmem-2', 'n1-highmem-4', 'e2-standard-2', 'e2-standard-4']) {
      const price = machinePrice(type);
      assert.ok(price, type);
      assert.ok(price.vcpus > 0 && price.memoryGb > 0 && price.usdPerHour > 0, type);
    }
    assert.match(PRICES.date, /^\d{4}-\d{2}/);
    assert.match(PRICES.source, /cloud\.google\.com\/vertex-ai\/pricing/);
    assert.match(PRICES.note, /estimate/i);
  });

  it('prices more vCPUs higher within a family', () => {
    const n1 = ['n1-standard-2', 'n1-standard-4', 'n1-standard-8', 'n1-standard-16'].map((t) => machinePrice(t)?.usdPerHour ?? 0);
    assert.deepEqual([...n1].sort((a, b) => a - b), n1);
  });
});

describe('cost estimates', () => {
  it('multiplies the hourly price by the minimum and maximum replicas', () => {
    const cost = deploymentCost({ machineType: 'n1-standard-4', minReplicaCount: 1, maxReplicaCount: 3 });
    assert.equal(cost.minPerHour, 0.219);
    assert.ok(Math.abs(cost.maxPerHour - 0.657) < 1e-9);
    assert.equal(formatHourly(cost), '~$0.22–0.66/h');
    assert.equal(formatHourly(deploymentCost({ machineType: 'n1-standard-4', minReplicaCount: 2, maxReplicaCount: 2 })), '~$0.44/h');
  });

  it('sums an endpoint’s deployments and names unknown machine types instead of guessing', () => {
    const total = totalCost([{ machineType: 'n1-standard-4' }, { machineType: 'e2-standard-2' }, { machineType: 'a2-highgpu-1g' }]);
    assert.ok(Math.abs(total.minPerHour - (0.219 + 0.0771)) < 1e-9);
    assert.deepEqual(total.unknown, ['a2-highgpu-1g']);
    assert.match(costTooltip(total, 'its 3 deployed models'), /~\$0\.30\/h.*billed while deployed even when idle[\s\S]*No price known for a2-highgpu-1g[\s\S]*us-central1 list prices of 2024-12/);
  });

  it('shows nothing for a deployment without a known price', () => {
    assert.equal(formatHourly(deploymentCost({})), '');
  });

  it('lists machine types for the quick pick with the default first and its vCPU, memory and cost', () => {
    const choices = machineChoices('n1-standard-4');
    assert.equal(choices[0].label, 'n1-standard-4');
    assert.equal(choices[0].description, '4 vCPU · 15 GB · ~$0.22/h · default');
    assert.equal(choices.length, PRICES.machines.length);
  });

  it('reminds that an idle deployment still bills only after an hour without predictions', () => {
    const cost = deploymentCost({ machineType: 'n1-standard-4' });
    const now = Date.parse('2026-11-27T12:00:00Z');
    assert.equal(idleReminder('2026-11-27T11:30:00Z', now, cost), undefined);
    assert.equal(idleReminder('2026-11-27T09:00:00Z', now, cost), 'No predictions for 3 h, but it still bills (~$0.22/h): undeploy it if nobody uses it.');
    assert.equal(idleReminder(undefined, now, cost), undefined);
  });
});

describe('live prices', () => {
  const catalog: PriceTable = {
    region: 'europe-west4',
    date: '2026-12-02T03:00:00.000Z',
    source: 'Cloud Billing Catalog API',
    note: 'List prices for europe-west4',
    kind: 'catalog',
    machines: [{ machineType: 'n1-standard-4', vcpus: 4, memoryGb: 15, usdPerHour: 0.25, spotUsdPerHour: 0.08 }],
    accelerators: { NVIDIA_TESLA_T4: 0.4 },
  };

  it('adds GPUs per replica and uses the Spot price for Spot deployments', () => {
    const gpu = deploymentCost({ machineType: 'n1-standard-4', acceleratorType: 'NVIDIA_TESLA_T4', acceleratorCount: 2, minReplicaCount: 1, maxReplicaCount: 3 }, catalog);
    assert.ok(Math.abs(gpu.minPerHour - 1.05) < 1e-9 && Math.abs(gpu.maxPerHour - 3.15) < 1e-9, JSON.stringify(gpu));
    assert.equal(deploymentCost({ machineType: 'n1-standard-4', spot: true }, catalog).minPerHour, 0.08);
    assert.deepEqual(deploymentCost({ machineType: 'n1-standard-4', acceleratorType: 'NVIDIA_L4' }, catalog).unknown, ['NVIDIA_L4']);
  });

  it('says where a price comes from: the Billing Catalog for the region, or the bundled table as the fallback', () => {
    assert.match(costTooltip(deploymentCost({ machineType: 'n1-standard-4' }, catalog), 'x', catalog), /_Estimate from europe-west4 list prices read from the Cloud Billing Catalog on 2026-12-02_/);
    const fallback: PriceTable = { ...PRICES, note: 'Bundled us-central1 prices from 2024-12, applied to europe-west4: the Cloud Billing Catalog could not be read (offline).' };
    assert.match(costTooltip(deploymentCost({ machineType: 'n1-standard-4' }, fallback), 'x', fallback), /bundled us-central1 list prices of 2024-12 \(data\/machine-prices\.json, the offline fallback: Bundled .*could not be read \(offline\)\.\)/);
  });

  it('switches what every estimate uses when the catalog answer arrives', () => {
    try {
      usePrices(catalog);
      assert.equal(activePrices(), catalog);
      assert.equal(deploymentCost({ machineType: 'n1-standard-4' }).minPerHour, 0.25);
    } finally {
      usePrices(PRICES);
    }
  });
});

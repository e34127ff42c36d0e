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

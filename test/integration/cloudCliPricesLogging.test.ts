// The CLI's prices and request-response logging, as a user runs them against
// the sandbox (its Vertex AI and its Billing Catalog answer): machine-types
// list and deploy-model's estimate use the region's catalog prices, and say
// so; a region the catalog does not price falls back to the bundled table,
// labelled as the offline fallback; `endpoints update` turns logging on,
// changes its rate keeping its table, and turns it off, as gcloud's flags do;
// bad flags are one-line errors with exit 2.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { createEndpoint, describeEndpoint, pushModel } from '../../src/cloud';
import { SANDBOX_PROJECT, SANDBOX_SERVING_IMAGE } from '../../src/sandbox';
import { loadServingTf } from '../../src/serving';
import { jsonOutput, runCli, type CliResult } from '../helpers/cli';
import { tempDir } from '../helpers/cleanup';
import { trainMnistRun } from './cloudFixtures';
import { cliTarget, sandboxForTest } from './sandboxClients';

test('CLI prices come from the Billing Catalog for the region, the bundled table only as the labelled fallback; deploy-model prints its estimate', async (t) => {
  const workspace = tempDir('ms-cli-prices-');
  const { sandbox, clients } = await sandboxForTest(t, join(workspace, 'sandbox'), { operationDelayMs: 20 });
  const target = cliTarget(sandbox);

  const listed = jsonOutput<{ kind: string; region: string; machines: { machineType: string; usdPerHour: number; spotUsdPerHour?: number }[]; accelerators: Record<string, number> }>(
    await runCli(['cloud', 'machine-types', 'list', ...target, '--region', 'us-central1', '--json'], workspace),
  );
  assert.equal(listed.kind, 'catalog');
  // 4 vCPU x $0.0379 + 15 GiB x $0.0051 from the catalog, not the bundled table's $0.219.
  assert.deepEqual(listed.machines.find((m) => m.machineType === 'n1-standard-4'), { machineType: 'n1-standard-4', vcpus: 4, memoryGb: 15, usdPerHour: 0.2281, spotUsdPerHour: 0.0681 });
  assert.equal(listed.accelerators.NVIDIA_TESLA_T4, 0.4025);
  const text = await runCli(['cloud', 'machine-types', 'list', ...target, '--region', 'us-central1'], workspace);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^MACHINE_TYPE\s+VCPUS\s+MEMORY_GB\s+USD_PER_HOUR\s+SPOT_USD_PER_HOUR$/m);
  assert.match(text.stdout, /^n1-standard-4\s+4\s+15\s+\$0\.2281\s+\$0\.0681$/m);
  assert.match(text.stdout, /^Prices: us-central1 list prices from the Cloud Billing Catalog, read \d{4}-\d\d-\d\d\.$/m);

  // A region the catalog has no prices for: the bundled table, said to be the offline fallback and why.
  const fallback = await runCli(['cloud', 'machine-types', 'list', ...target, '--region', 'europe-west4'], workspace);
  assert.equal(fallback.code, 0, fallback.stderr);
  assert.match(fallback.stdout, /^n1-standard-4\s+4\s+15\s+\$0\.2190/m);
  assert.match(fallback.stdout, /^Prices: offline fallback: Bundled us-central1 prices from 2024-12, applied to europe-west4: the Cloud Billing Catalog could not be read \(it lists no prediction prices for europe-west4\)\.$/m);
  // No catalog at all (nothing listens there): the same fallback, with the reason.
  const offline = await runCli(['cloud', 'machine-types', 'list', '--project', SANDBOX_PROJECT, '--api-endpoint', sandbox.info.apiEndpoint, '--storage-endpoint', 'http://127.0.0.1:9', '--insecure'], workspace);
  assert.equal(offline.code, 0, offline.stderr);
  assert.match(offline.stdout, /^Prices: offline fallback: Bundled us-central1 prices from 2024-12, applied to us-central1: the Cloud Billing Catalog could not be read \(.+\)\.$/m);

  const { tf } = await loadServingTf();
  const run0 = await trainMnistRun(tf, join(workspace, 'runs'), { runId: 'run-price', seed: 5, samples: 100, epochs: 1 });
  const { model } = await pushModel(clients, { runDir: run0.runDir, bucket: 'gs://ms-prices', createBucket: true, displayName: 'mnist', imageUri: SANDBOX_SERVING_IMAGE, wait: { initialPollMs: 20 } });
  const endpoint = await createEndpoint(clients, { displayName: 'priced' }, { initialPollMs: 20 });
  const deployed = await runCli(
    ['cloud', 'endpoints', 'deploy-model', endpoint.id, '--model', model.id, '--display-name', 'mnist', '--machine-type', 'n1-standard-4', '--accelerator', 'type=nvidia-tesla-t4,count=1', '--min-replica-count', '1', '--max-replica-count', '3', ...target],
    workspace,
  );
  assert.equal(deployed.code, 0, deployed.stderr);
  assert.match(deployed.stderr, /^Estimated cost: ~\$0\.6306\/h \(1 replica\) to ~\$1\.89\/h \(3\), billed while deployed; us-central1 list prices from the Cloud Billing Catalog, read \d{4}-\d\d-\d\d\.$/m);
});

test('endpoints update changes request-response logging as gcloud’s flags do, keeping what a flag leaves out', async (t) => {
  const workspace = tempDir('ms-cli-logging-');
  const { sandbox, clients } = await sandboxForTest(t, join(workspace, 'sandbox'), { operationDelayMs: 20 });
  const endpoint = await createEndpoint(clients, { displayName: 'logged' }, { initialPollMs: 20 });
  const update = (...flags: string[]): Promise<CliResult> => runCli(['cloud', 'endpoints', 'update', endpoint.id, ...flags, ...cliTarget(sandbox)], workspace);

  const on = jsonOutput<{ logging: unknown }>(await update('--request-response-logging-rate', '0.5', '--request-response-logging-table', 'bq://my-project.ds.requests', '--json'));
  assert.deepEqual(on.logging, { enabled: true, samplingRate: 0.5, table: 'bq://my-project.ds.requests' });
  // The rate alone keeps the table.
  const rate = await update('--request-response-logging-rate', '0.25');
  assert.equal(rate.code, 0, rate.stderr);
  assert.match(rate.stdout, new RegExp(`^Updated request-response logging of ${endpoint.id}: on, rate 0\\.25, bq://my-project\\.ds\\.requests\\.$`, 'm'));
  assert.deepEqual((await describeEndpoint(clients, endpoint.id)).logging, { enabled: true, samplingRate: 0.25, table: 'bq://my-project.ds.requests' });
  const off = await update('--disable-request-response-logging');
  assert.equal(off.code, 0, off.stderr);
  assert.match(off.stdout, /request-response logging of \d+: off \(table bq:\/\/my-project\.ds\.requests kept\)\./);
  assert.equal((await describeEndpoint(clients, endpoint.id)).logging?.enabled, false);

  // Mistakes: one line naming the flag and the fix, exit 2.
  for (const [flags, message] of [
    [['--request-response-logging-rate', '2'], /^--request-response-logging-rate must be a fraction of requests from 0 to 1 \(e\.g\. 0\.1\), not "2"$/],
    [['--request-response-logging-rate', 'half'], /not "half"$/],
    [['--disable-request-response-logging', '--request-response-logging-rate', '0.1'], /^--disable-request-response-logging turns logging off: give it alone/],
    [['--request-response-logging-table', 'proj.ds.t'], /^"proj\.ds\.t" is not a BigQuery table: use bq:\/\/PROJECT\.DATASET\.TABLE/],
    [[], /^Nothing to update: give --traffic-split ID=N,ID=N or a request-response logging flag\./],
  ] as const) {
    const result = await update(...flags);
    assert.equal(result.code, 2, `${flags.join(' ')}: ${result.stderr}`);
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    assert.match(result.stderr.trim(), message);
  }
});

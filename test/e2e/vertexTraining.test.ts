// Train on Vertex AI in a real VS Code (code-server + headless Chromium)
// against the local sandbox: start the sandbox from the Vertex AI view, send
// the MNIST example spec (a small subset, five epochs) as a custom job
// through the pickers, watch the job in Training Jobs go from queued to
// running to succeeded, open its dashboard while it trains and see the batch
// counter and the curves grow from the job's metrics.jsonl, then push the
// job's model, deploy it to a new endpoint and predict real test digits.
// Screenshots go to test/e2e/screenshots/vertex-training-*.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import type { Browser, Frame } from 'playwright-core';
import { chartCard, dashboardHeader, type DashboardHeader } from './dashboard';
import { chromiumPath, endSession, screenshotDir, startSession, type E2eSession } from './environment';
import { predictTestDigits, startSandboxFromWelcome } from './vertexView';
import { launchBrowser, stepsWithScreenshots, waitFor, Workbench } from './workbench';

const EPOCHS = 5;
const TRAIN_IMAGES = 6000;
const BATCHES_PER_EPOCH = Math.ceil(TRAIN_IMAGES / 32);

describe('Train on Vertex AI from the editor, against the local sandbox', { timeout: 20 * 60_000 }, () => {
  let session: E2eSession | undefined;
  let browser: Browser | undefined;
  let wb!: Workbench;
  /** The job's display name, e.g. mnist-mlp-202612020615. */
  let jobName = '';
  let endpointName = '';

  before(async () => {
    session = await startSession({
      subset: { train: TRAIN_IMAGES, test: 500 },
      epochs: EPOCHS,
      // The Vertex AI view asks the sandbox every 2 s whether anything changed.
      settings: { 'modelStudio.openDashboardOnTrain': false, 'modelStudio.cloud.pollSeconds': 2 },
    });
    browser = await launchBrowser(chromiumPath);
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    wb = new Workbench(page, screenshotDir);
    await wb.open(session.server.url);
  });

  after(async () => {
    // What the job's trainer said, for a failure's reader.
    const logs = session ? join(session.sandboxDir, 'vertex', 'job-logs') : '';
    if (logs && existsSync(logs)) for (const name of readdirSync(logs)) console.log(`${name} (end):\n${readFileSync(join(logs, name), 'utf8').split('\n').slice(-15).join('\n')}`);
    try {
      await browser?.close();
    } finally {
      await endSession(session);
    }
  });

  const step = stepsWithScreenshots('vertex-training', () => wb);

  /** The job's row in Training Jobs, once it matches `description` (after the name). */
  const jobRow = (description: string, timeoutMs = 60_000): Promise<string> => wb.waitForSideBarRow(new RegExp(`^${jobName}\\s*${description}`), timeoutMs);

  /** Batches trained so far by the dashboard's Epoch and Batch facts ("2/3", "57/188"); undefined when it shows none. */
  const batchesSeen = (header: DashboardHeader): number | undefined => {
    const epoch = /^(\d+)\//.exec(header.facts.Epoch ?? '')?.[1];
    const batch = /^([\d,]+)\//.exec(header.facts.Batch ?? '')?.[1];
    if (epoch === undefined || batch === undefined) return undefined;
    return (Number(epoch) - 1) * BATCHES_PER_EPOCH + Number(batch.replace(/,/g, ''));
  };

  step('starts the local sandbox from the Vertex AI view; Training Jobs is empty', async () => {
    await wb.openActivity('Model Studio');
    await wb.widenSideBar(560);
    await startSandboxFromWelcome(wb);
    await wb.expandTreeRow(/^Training Jobs/);
    await wb.waitForSideBarRow(/^No training jobs yet/);
  });

  step('Train on Vertex AI sends the MNIST spec as a custom job through the spec, machine and accelerator pickers, each priced', async () => {
    await wb.runCommand('Model Studio: Train on Vertex AI');
    await wb.answerQuickInput('mnist.train.json', { title: 'Train which spec', firstRow: 'mnist.train.json' });
    // The machine, then the accelerator: the estimated price an hour on each row.
    await waitFor('the machine picker', async () => ((await wb.quickInputTitle()) ?? '').includes('Machine for mnist-mlp'), 30_000);
    const machine = await waitFor('n1-standard-4 first', async () => {
      const text = await wb.page.locator('.quick-input-list .monaco-list-row').first().innerText();
      return text.includes('n1-standard-4') ? text.replace(/\s+/g, ' ') : undefined;
    }, 15_000);
    assert.match(machine, /n1-standard-4\s*4 vCPU · 15 GB · ~\$0\.\d\d\/h/);
    await wb.answerQuickInput(undefined, { title: 'Machine for mnist-mlp', firstRow: 'n1-standard-4' });
    await waitFor('the accelerator picker', async () => ((await wb.quickInputTitle()) ?? '').includes('Accelerator on n1-standard-4'), 15_000);
    const gpus = (await wb.page.locator('.quick-input-list .monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
    assert.ok(gpus.some((t) => /NVIDIA_TESLA_T4\s*\+\$\d+\.\d\d\/h · ~\$\d+\.\d\d\/h in all/.test(t)), `a priced T4 row: ${gpus.join(' | ')}`);
    await wb.answerQuickInput(undefined, { title: 'Accelerator on n1-standard-4', firstRow: 'No accelerator' });
    // The sandbox needs no bucket question: the job is created after the upload.
    const note = await wb.waitForNotification(/Created custom job mnist-mlp-\d{12} \(\d+\) on Local sandbox: it is queued\./, 120_000);
    assert.match(note, /Open Dashboard/);
    jobName = /custom job (mnist-mlp-\d{12})/.exec(note)?.[1] ?? '';
    await wb.screenshot('vertex-training-1-created');
    await wb.clearNotifications();
  });

  step('the job shows in Training Jobs as running, its elapsed time moving on, with its machine and cost so far', async () => {
    await wb.openActivity('Model Studio');
    const row = (await jobRow('running · ', 120_000)).replace(/\n/g, ' ');
    assert.match(row, /running · (\d+s|\d+m \d\ds) · n1-standard-4( · (<\$0\.01|~\$\d+\.\d\d) so far)?$/);
    // The view lists a running job again as it polls: its elapsed time moves on.
    const elapsed = /running · (\d+s|\d+m \d\ds) /.exec(row)?.[1];
    await wb.waitForSideBarRow(new RegExp(`^${jobName}\\s*running · (?!${elapsed} )`), 30_000);
  });

  step("Open Dashboard on the running job: the batch counter and the curves grow from the job's metrics.jsonl while it trains", async () => {
    const dashboardTab = wb.page.locator('.tabs-container .tab', { hasText: 'Dashboard: mnist-mlp' });
    // The row's own command opens the dashboard; the row re-renders when the view refreshes, so click until it opens.
    await waitFor(
      "the job's dashboard, opened from its row",
      async () => {
        if ((await dashboardTab.count()) === 0) await wb.page.locator('.sidebar .monaco-list-row', { hasText: jobName }).first().click({ timeout: 5_000 });
        return waitFor('its tab', async () => (await dashboardTab.count()) > 0, 20_000).catch(() => false);
      },
      90_000,
      500,
    );
    const frame: Frame = await wb.webviewFrame('.chart-card[data-metric=loss]', 60_000);
    // Live: two readings while the job still trains, the second further on (the trainer copies metrics.jsonl up every 2 s).
    const first = await waitFor(
      'the dashboard to show the running job with a batch counter',
      async () => {
        const header = await dashboardHeader(frame);
        if (header.status === 'completed') throw new Error('the job had finished before its dashboard showed it running');
        const seen = batchesSeen(header);
        return header.status === 'running' && seen !== undefined ? { header, seen } : undefined;
      },
      90_000,
      250,
    );
    assert.match(first.header.facts.Batch, new RegExp(`/${BATCHES_PER_EPOCH}$`), 'batches of the 6,000-image subset');
    const firstChart = await chartCard(frame, 'loss');
    assert.ok(firstChart?.kinds.includes('batch') && firstChart.points > 0, `a per-batch loss curve while the job runs: ${JSON.stringify(firstChart)}`);
    await wb.screenshot('vertex-training-2-dashboard-live');
    const later = await waitFor(
      'the batch counter to move on while the job runs',
      async () => {
        const header = await dashboardHeader(frame);
        const seen = batchesSeen(header);
        if (header.status !== 'running') throw new Error(`the job's dashboard says ${header.status} before its counter moved past ${first.header.facts.Batch} of epoch ${first.header.facts.Epoch}`);
        return seen !== undefined && seen > first.seen ? { header, seen } : undefined;
      },
      60_000,
      250,
    );
    console.log(`live: batch ${first.header.facts.Batch} of epoch ${first.header.facts.Epoch}, then ${later.header.facts.Batch} of ${later.header.facts.Epoch}`);
    // The loss curve: per batch, then an epoch's average once an epoch ends, while the job still runs.
    const withEpoch = await waitFor(
      'an epoch line in the loss chart while the job runs',
      async () => {
        const [header, chart] = [await dashboardHeader(frame), await chartCard(frame, 'loss')];
        if (header.status !== 'running') throw new Error(`the job's dashboard says ${header.status} before an epoch line showed`);
        return chart?.kinds.includes('epoch') ? chart : undefined;
      },
      180_000,
      250,
    );
    assert.ok(withEpoch.kinds.includes('batch'), `a per-batch line: ${withEpoch.kinds.join(', ')}`);
    assert.ok(withEpoch.kinds.includes('val'), `a validation line after the first epoch: ${withEpoch.kinds.join(', ')}`);
    await wb.screenshot('vertex-training-3-dashboard-epoch');
    // The end: completed, evaluated on the test set, and the job succeeded in the tree.
    const end = await waitFor('the dashboard to show the completed run with its test accuracy', async () => {
      const header = await dashboardHeader(frame);
      return header.status === 'completed' && /^\d/.test(header.tiles.test_acc ?? '') ? header : undefined;
    }, 240_000, 500);
    assert.equal(end.facts.Epoch, `${EPOCHS}/${EPOCHS}`, 'every epoch of the job');
    await wb.screenshot('vertex-training-4-dashboard-completed');
  });

  step('the job ends succeeded in Training Jobs', async () => {
    await wb.focusWorkbench();
    await jobRow('succeeded · ', 60_000);
  });

  step("Push Model on the job registers its model; Deploy to Endpoint puts it on a new endpoint", async () => {
    await wb.clearNotifications();
    await wb.treeRowAction(new RegExp(`^${jobName}`), 'Push Model');
    const pushed = await wb.waitForNotification(/Pushed mnist-mlp v1\./, 120_000);
    assert.match(pushed, /Deploy to Endpoint/);
    await wb.page.locator('.notifications-toasts .notification-toast .monaco-button', { hasText: 'Deploy to Endpoint' }).first().click();
    await wb.answerQuickInput(undefined, { title: 'Deploy mnist-mlp v1 to which endpoint', firstRow: 'New endpoint', timeoutMs: 30_000 });
    await wb.answerQuickInput(undefined, { title: 'Name of the new endpoint' });
    await wb.answerQuickInput(undefined, { title: 'Machine type for mnist-mlp v1', firstRow: 'n1-standard-4' });
    await wb.answerQuickInput(undefined, { title: 'Minimum replicas' });
    await wb.answerQuickInput(undefined, { title: 'Maximum replicas' });
    const deployed = await wb.waitForNotification(/Deployed mnist-mlp v1 to (\S+) with 100% of the traffic/, 120_000);
    endpointName = /to (\S+) with/.exec(deployed)?.[1] ?? '';
    await wb.clearNotifications();
    await wb.openActivity('Model Studio');
    await wb.waitForSideBarRow(/^mnist-mlp v1\s*100% · ready/, 60_000);
  });

  step("predicts real test digits with the job's model in the prediction panel", async () => {
    await wb.treeRowAction(new RegExp(`^${endpointName}`), 'Predict');
    const frame = await wb.webviewFrame('button[data-action=samples]', 30_000);
    assert.match(await frame.locator('[data-deployed]').innerText(), /^Deployed: mnist-mlp v1 100%$/);
    const correct = await predictTestDigits(frame);
    console.log(`test samples: ${correct}/8 predicted correctly by the job's model`);
    // Five epochs on 6,000 images: ~0.94 test accuracy; 5 or more of 8 right in over 99% of trainings.
    assert.ok(correct >= 5, `at least 5 of 8 test digits right, got ${correct}`);
    assert.match(await frame.locator('[data-status]').innerText(), /answered by mnist-mlp v1 .* · \d\/8 correct/);
    await wb.screenshot('vertex-training-5-prediction');
  });
});

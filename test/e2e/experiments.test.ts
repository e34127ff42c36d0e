// The experiments view in a real VS Code (code-server in headless Chromium):
// three tiny MNIST runs with different batch sizes, trained with the CLI
// beforehand, then the view from the palette: a row per run with the
// differing column, a filter, a star that survives the page reloading, a
// run trained meanwhile appearing live, and two runs overlaid in the dashboard. Screenshots go to test/e2e/screenshots/.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Frame } from 'playwright-core';
import { runCli } from '../helpers/cli';
import { chromiumPath, endSession, screenshotDir, startSession, type E2eSession } from './environment';
import { launchBrowser, waitFor, Workbench } from './workbench';

const BATCH_SIZES = [16, 32, 64];

describe('The experiments view in a real VS Code', { timeout: 15 * 60_000 }, () => {
  let session: E2eSession | undefined;
  let browser: Browser | undefined;
  let wb!: Workbench;
  let frame!: Frame;

  before(async () => {
    session = await startSession({ subset: { train: 1000, test: 300 }, epochs: 1 });
    const spec = JSON.parse(readFileSync(join(session.workspace, 'mnist.train.json'), 'utf8')) as { fit: { batchSize: number } };
    for (const batchSize of BATCH_SIZES) {
      spec.fit.batchSize = batchSize;
      const file = `mnist-bs${batchSize}.train.json`;
      writeFileSync(join(session.workspace, file), JSON.stringify(spec, null, 2));
      const result = await runCli(['train', file, '--backend', 'wasm'], session.workspace);
      assert.equal(result.code, 0, `training ${file} failed: ${result.stderr}`);
    }
    browser = await launchBrowser(chromiumPath);
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    wb = new Workbench(page, screenshotDir);
    await wb.open(session.server.url);
  });

  after(async () => {
    try {
      await browser?.close();
    } finally {
      await endSession(session);
    }
  });

  /** A test step that leaves a picture of the workbench when it fails. */
  const step = (name: string, body: () => Promise<void>): void => {
    it(name, async () => {
      try {
        await body();
      } catch (error) {
        if (wb) await wb.screenshot(`failed-experiments-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 50)}`).catch(() => undefined);
        throw error;
      }
    });
  };

  const shown = async (): Promise<number> => Number(await frame.locator('#summary').getAttribute('data-shown'));
  const rowIds = async (): Promise<string[]> => frame.locator('tr.run-row').evaluateAll((rows) => rows.map((r) => (r as unknown as { dataset: { runId: string } }).dataset.runId));
  const starOf = (runId: string): ReturnType<Frame['locator']> => frame.locator(`tr.run-row[data-run-id="${runId}"] [data-action=star]`);

  step('the Model Explorer offers Open Experiments; the palette opens it with a row per run and the differing column', async () => {
    await wb.openActivity('Model Studio');
    await waitFor('the Open Experiments button in the view title', async () => (await wb.page.locator('.sidebar [aria-label*="Open Experiments"]').count()) > 0, 30_000);
    await wb.runCommand('Model Studio: Open Experiments');
    frame = await wb.webviewFrame('tr.run-row', 60_000);
    await waitFor('a row per run', async () => (await rowIds()).length === BATCH_SIZES.length, 30_000);
    assert.equal(await shown(), BATCH_SIZES.length);
    const columns = await frame.locator('tr.names th[data-column]').evaluateAll((ths) => ths.map((th) => th.getAttribute('data-column')));
    assert.ok(columns.includes('fit.batchSize'), `columns: ${columns.join(', ')}`);
    assert.ok(!columns.includes('model.layers[1].units'), 'a setting every run shares is no column');
    for (const metric of ['loss', 'val_acc', 'test_acc']) assert.ok(columns.includes(metric), `${metric} in ${columns.join(', ')}`);
    const batchIndex = columns.indexOf('fit.batchSize') + 2;
    const sizes = await frame.locator(`tr.run-row td:nth-child(${batchIndex + 1})`).allInnerTexts();
    assert.deepEqual(sizes.map(Number).sort((a, b) => a - b), BATCH_SIZES);
    assert.ok(await frame.locator('.best [data-action=push-best]').count(), 'the best run is offered for a push');
    await wb.waitForSideBarRow(/mnist-mlp/, 30_000);
    await wb.screenshot('experiments-1-table');
  });

  step('a range typed in the batch-size column filters the rows', async () => {
    await frame.locator('input.column-filter[data-column-id="param:fit.batchSize"]').fill('>=32');
    await waitFor('two rows left', async () => (await shown()) === 2, 10_000);
    const sizes = await frame.locator('tr.run-row').evaluateAll((rows) => rows.length);
    assert.equal(sizes, 2);
    await frame.locator('input.column-filter[data-column-id="param:fit.batchSize"]').fill('');
    await waitFor('every row back', async () => (await shown()) === BATCH_SIZES.length, 10_000);
  });

  step('a star is kept by the extension: it is still there when the view is opened again', async () => {
    const [first] = await rowIds();
    await starOf(first).click();
    await waitFor('the star drawn filled', async () => (await starOf(first).getAttribute('aria-pressed')) === 'true', 10_000);
    // Another editor hides the view (its page is unloaded); opening it again reloads it from the extension.
    await wb.openFile('mnist.train.json');
    await wb.runCommand('Model Studio: Open Experiments');
    frame = await wb.webviewFrame('tr.run-row', 30_000);
    await waitFor('the star after the reload', async () => (await starOf(first).getAttribute('aria-pressed').catch(() => null)) === 'true', 30_000);
  });

  step('a run trained while the view is open appears in it', async () => {
    assert.ok(session);
    const result = await runCli(['train', 'mnist-bs64.train.json', '--backend', 'wasm'], session.workspace);
    assert.equal(result.code, 0, result.stderr);
    await waitFor('a fourth row', async () => (await rowIds()).length === BATCH_SIZES.length + 1, 30_000);
    await waitFor('the new run completed', async () => (await frame.locator('tr.run-row .status').allInnerTexts()).every((s) => /completed/i.test(s)), 30_000);
  });

  step('two selected runs open overlaid in the dashboard', async () => {
    const [a, b] = await rowIds();
    await frame.locator(`tr.run-row[data-run-id="${a}"] input.select-run`).click();
    await frame.locator(`tr.run-row[data-run-id="${b}"] input.select-run`).click();
    await waitFor('two selected', async () => (await frame.locator('#summary').getAttribute('data-selected')) === '2', 10_000);
    await frame.locator('vscode-button[data-action=compare]').click();
    await waitFor('a dashboard titled "Compare 2 runs"', async () => (await wb.page.locator('.tabs-container .tab', { hasText: 'Compare 2 runs' }).count()) > 0, 30_000);
    const dashboard = await wb.webviewFrame('.runs-table', 30_000);
    const compared = await dashboard.locator('.runs-table tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-run-id')));
    assert.deepEqual([...compared].sort(), [a, b].sort());
    await wb.screenshot('experiments-2-compared');
  });
});

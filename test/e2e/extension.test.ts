// The packaged extension in a real VS Code (code-server 4.100.3 = VS Code
// 1.100.3) in headless Chromium: open the MNIST example, train from the
// command palette, watch the status bar and the dashboard, find the finished
// run in the tree, stop a second run, train the spec whose model is a
// TypeScript module, and the spec editor, walkthrough and terminal a new user
// meets. Screenshots go to test/e2e/screenshots/.
// Nothing is skipped: if code-server or Chromium cannot be installed, it fails with the reason.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { parseEvents } from '../../src/core/runStore';
import { hasExited } from '../../src/core/sandboxInfo';
import type { BatchEndEvent, RunRecord } from '../../src/shared/events';
import { clickInDashboard, dashboardHeader } from './dashboard';
import { activationLines, chromiumPath, endSession, screenshotDir, startSession, type E2eSession } from './environment';
import { launchBrowser, waitFor, Workbench } from './workbench';

const EPOCHS = 2;

describe('Model Studio in a real VS Code', { timeout: 15 * 60_000 }, () => {
  let session: E2eSession | undefined;
  let browser: Browser | undefined;
  let wb!: Workbench;

  before(async () => {
    session = await startSession({ subset: { train: 6000, test: 1000 }, epochs: EPOCHS });
    console.log(`VSIX: ${(session.vsixBytes / 1024 / 1024).toFixed(2)} MB; code-server at ${session.server.url}`);
    browser = await launchBrowser(chromiumPath);
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    wb = new Workbench(page, screenshotDir);
    await wb.open(session.server.url);
  });

  /** A test step that leaves a picture of the workbench when it fails. */
  const step = (name: string, body: () => Promise<void>): void => {
    it(name, async () => {
      try {
        await body();
      } catch (error) {
        if (wb) await wb.screenshot(`failed-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`).catch(() => undefined);
        throw error;
      }
    });
  };

  after(async () => {
    try {
      await browser?.close();
    } finally {
      await endSession(session);
    }
  });

  /** The side bar's width in a fresh window, before the test widens it for its pictures. */
  let defaultSideBarWidth = 0;

  step('opens the Model Explorer with welcome content and a Train CodeLens on the spec', async () => {
    await wb.openActivity('Model Studio');
    defaultSideBarWidth = (await wb.page.locator('.part.sidebar').boundingBox())?.width ?? 0;
    await wb.widenSideBar(440);
    await waitFor('the Model Explorer view', async () => (await wb.sideBarText()).toUpperCase().includes('MODEL EXPLORER'));
    const welcome = await waitFor('welcome content offering to train', async () => {
      const text = await wb.sideBarText();
      return text.includes('Train Model') ? text : undefined;
    });
    assert.match(welcome, /No runs yet/);
    await wb.openFile('mnist.train.json');
    const lens = await waitFor('the ▶ Train CodeLens', async () => {
      const texts = await wb.page.locator('.codelens-decoration').allInnerTexts();
      return texts.find((t) => t.includes('Train'));
    });
    assert.match(lens, /▶ Train/);
    await wb.screenshot('1-welcome-and-spec');
  });

  step('trains from the command palette and shows epoch progress in the status bar', async () => {
    await wb.runCommand('Model Studio: Train Model');
    const status = await wb.waitForStatusBar(new RegExp(`mnist-mlp · epoch [12]/${EPOCHS} · \\d+% · loss \\d+\\.\\d{3} · \\d+:\\d{2} left`), 90_000);
    assert.ok(status.length < 80, `status bar text stays short: ${status}`);
    await wb.screenshot('2-training-status-bar');
  });

  step('draws live charts with real values in the dashboard webview', async () => {
    const frame = await wb.webviewFrame('.chart-card[data-metric=loss]', 60_000);
    const drawn = await waitFor(
      'the loss chart to draw points',
      async () => {
        const card = frame.locator('.chart-card[data-metric=loss]').first();
        const points = Number(await card.getAttribute('data-points'));
        const last = Number(await card.getAttribute('data-last'));
        return points > 0 && Number.isFinite(last) && last > 0 ? { points, last } : undefined;
      },
      60_000,
    );
    assert.ok(drawn.last < 10, `a plausible cross-entropy loss, got ${drawn.last}`);
    assert.match(await frame.locator('body').innerText(), /mnist-mlp/);
    // A picture with some curve in it: wait until the run is half way (or done).
    await wb.waitForStatusBar(/epoch 2\/2|epoch 1\/2 · [5-9]\d%|test acc/, 60_000);
    await wb.screenshot('3-dashboard-live');
  });

  let testAccuracy = 0;

  step('announces the finished run and lists it in the tree with its test accuracy', async () => {
    const note = await wb.waitForNotification(/mnist-mlp finished.*test accuracy 0\.\d{4}/, 180_000);
    assert.doesNotMatch(note, /Open Dashboard/, 'no button to open the dashboard that is on screen showing this run');
    testAccuracy = Number(/test accuracy (0\.\d{4})/.exec(note)?.[1]);
    assert.ok(testAccuracy > 0.8, `test accuracy ${testAccuracy} on a 6,000-image subset should exceed 0.8`);
    await wb.openActivity('Model Studio');
    const row = await wb.waitForSideBarRow(/test acc 0\.\d{4}/, 30_000);
    assert.match(row, new RegExp(`test acc ${testAccuracy.toFixed(4)}`));
    await wb.waitForStatusBar(/mnist-mlp · test acc 0\.\d{4}/, 10_000);
    // The dashboard shows the evaluation of the same run.
    const frame = await wb.webviewFrame('.tile[data-metric=test_acc]', 30_000);
    assert.equal(await frame.locator('vscode-badge[data-status]').first().getAttribute('data-status'), 'completed');
    await frame.locator('.confusion').first().scrollIntoViewIfNeeded().catch(() => undefined);
    await wb.screenshot('4-finished-explorer-and-dashboard');
  });

  step('evaluates the saved model again from the palette with the same test accuracy', async () => {
    await wb.clearNotifications();
    await wb.runCommand('Model Studio: Evaluate Model');
    await wb.answerQuickInput(undefined, { title: 'Evaluate which run', firstRow: 'mnist-mlp' });
    const note = await wb.waitForNotification(/mnist-mlp: test acc 0\.\d{4} on 1,000 test samples/, 120_000);
    assert.match(note, new RegExp(`test acc ${testAccuracy.toFixed(4)}`));
  });

  /** The run that the next steps stop, resume and stop again. */
  let secondRunId = '';

  step('trains a second run with Train With… (its own batch size and learning rate): its dashboard shows its own epoch averages and no earlier test results; stopped from the palette, it offers Resume', async () => {
    await wb.clearNotifications();
    await wb.runCommand('Model Studio: Train Model With…');
    // The dashboard is the active editor now, so the command asks which spec: each by its name, with its path.
    await waitFor('the spec picker', async () => (await wb.quickInputTitle())?.includes('Train which spec'));
    // (The list fills in as the specs are read: poll until it shows them, then compare.)
    // Label and description only (the row's own text also carries its aria and icon parts), read in one pass so a
    // list that re-renders between reads cannot leave a locator waiting on a row that is gone.
    const rowTexts = async (): Promise<string[]> =>
      (
        await wb.page.locator('.quick-input-list .monaco-list-row').evaluateAll((rows: { querySelector(selector: string): { textContent: string | null } | null }[]) =>
          rows.map((row) => `${row.querySelector('.label-name')?.textContent ?? ''} ${row.querySelector('.label-description')?.textContent ?? ''}`.replace(/\s+/g, ' ').trim()),
        )
      ).sort();
    const expected = ['mnist-cnn mnist-cnn.train.json', 'mnist-custom mnist-custom.train.json', 'mnist-mlp mnist.train.json', 'mnist-sweep mnist-sweep.train.json'];
    await waitFor('the four specs by name and path', async () => JSON.stringify(await rowTexts()) === JSON.stringify(expected), 30_000).catch(() => undefined);
    assert.deepEqual(await rowTexts(), expected);
    await wb.answerQuickInput('mnist-mlp', { firstRow: 'mnist.train.json' });
    await wb.answerQuickInput('40', { title: 'epochs' });
    await wb.answerQuickInput('64', { title: 'batch size' });
    await wb.answerQuickInput('0.0005', { title: 'learning rate' });
    await wb.answerQuickInput(undefined, { title: 'backend', firstRow: 'auto' });
    // Past the first epoch, so the resume below continues mid-run with a step count that is not the first epoch's.
    await wb.waitForStatusBar(/mnist-mlp · epoch ([2-9]|[1-4]\d)\/40 · \d+%/, 120_000);

    // The dashboard now shows the new run, and none of the first run's test results.
    const frame = await wb.webviewFrame('vscode-button[data-action=stop]', 30_000);
    const live = await waitFor('the dashboard to show the new run training', async () => {
      const header = await dashboardHeader(frame);
      return header.status === 'running' && header.facts.Batch ? header : undefined;
    }, 30_000);
    assert.equal(await frame.locator('[data-section=evaluation]').count(), 0, 'no "Test set" of the first run while the second trains');
    assert.deepEqual(Object.keys(live.tiles).filter((name) => name.startsWith('test_')), [], 'no test tiles either');
    secondRunId = live.runId;

    // The tiles show the loss averaged over the epoch so far (as Keras does), computed here from metrics.jsonl.
    assert.ok(session);
    const metricsFile = join(session.workspace, '.model-studio', 'runs', secondRunId, 'metrics.jsonl');
    const header = await dashboardHeader(frame);
    const epoch = Number(/^(\d+)\//.exec(header.facts.Epoch)?.[1]) - 1;
    const batch = Number(/^([\d,]+)\//.exec(header.facts.Batch)?.[1].replace(/,/g, '')) - 1;
    const batches = parseEvents(readFileSync(metricsFile, 'utf8')).filter((e): e is BatchEndEvent => e.type === 'batchEnd' && e.epoch === epoch && e.batch <= batch);
    assert.equal(batches.length, batch + 1, `metrics.jsonl holds batches 1..${batch + 1} of epoch ${epoch + 1}`);
    // 6,000 images in batches of 64 (chosen above): all but an epoch's last batch are full.
    const sizes = batches.map((b) => (b.batch === b.batchesPerEpoch - 1 ? 6000 - 64 * b.batch : 64));
    const average = batches.reduce((sum, b, i) => sum + b.loss * sizes[i], 0) / sizes.reduce((a, b) => a + b, 0);
    const tileLoss = Number(header.tiles.loss);
    assert.ok(Math.abs(tileLoss - average) <= 6e-4 * average, `loss tile ${header.tiles.loss} = the average of epoch ${epoch + 1}'s ${batch + 1} batches so far (${average.toFixed(5)}), not the last batch's ${batches.at(-1)?.loss.toFixed(5)}`);
    // The status bar shows the same number (3 decimals there, 4 significant digits on the tile).
    await waitFor('the status bar and the loss tile to agree', async () => {
      const bar = (await wb.statusBarTexts()).map((t) => /mnist-mlp · epoch \d+\/40 · \d+% · loss (\d+\.\d{3})/.exec(t)?.[1]).find(Boolean);
      const tile = (await dashboardHeader(frame)).tiles.loss;
      return bar !== undefined && tile !== undefined && Number(tile).toFixed(3) === bar;
    }, 20_000, 50);
    await wb.screenshot('5a-second-run-live');

    await wb.runCommand('Model Studio: Stop Training');
    const note = await wb.waitForNotification(/mnist-mlp stopped after \d+ of 40 epochs; Resume continues from its checkpoint/, 60_000);
    assert.match(note, /Resume/);
    await waitFor('the dashboard to show the run as stopped', async () => (await dashboardHeader(frame)).status === 'stopped', 30_000);
    assert.equal(await frame.locator('[data-section=evaluation]').count(), 0, 'nor after it is stopped');
    // The stopped run's dashboard offers Resume.
    await waitFor('an enabled Resume button on the dashboard', async () => (await frame.locator('vscode-button[data-action=resume]:not([disabled])').count()) === 1, 30_000);
    await wb.openActivity('Model Studio');
    await wb.waitForSideBarRow(/stopped · \d+\/40 epochs/, 30_000);
    // The run trained with the chosen values, and its run.json says so.
    assert.ok(session);
    const runsDir = join(session.workspace, '.model-studio', 'runs');
    const records = readdirSync(runsDir)
      .filter((id) => existsSync(join(runsDir, id, 'run.json')))
      .map((id) => JSON.parse(readFileSync(join(runsDir, id, 'run.json'), 'utf8')) as RunRecord);
    const stopped = records.find((r) => r.epochs === 40);
    assert.ok(stopped, `a 40-epoch run among ${records.map((r) => r.id).join(', ')}`);
    assert.equal(stopped.spec.fit.batchSize, 64);
    assert.deepEqual(stopped.spec.compile.optimizer, { type: 'adam', learningRate: 0.0005 });
    await wb.screenshot('5-stopped-run');
  });

  step('resumes the stopped run from the dashboard’s Resume button and stops it with its Stop button', async () => {
    await wb.clearNotifications();
    const frame = await wb.webviewFrame('vscode-button[data-action=resume]', 30_000);
    await clickInDashboard(frame, 'vscode-button[data-action=resume]');
    await wb.waitForStatusBar(/mnist-mlp · epoch \d+\/40 · \d+%/, 90_000);
    await wb.webviewFrame('vscode-button[data-action=stop]', 30_000);
    // The same run goes on, and Resume waits while it trains.
    await waitFor('the dashboard to show the resumed run training', async () => {
      const header = await dashboardHeader(frame);
      return header.runId === secondRunId && header.status === 'running';
    }, 30_000);
    assert.equal(await frame.locator('vscode-button[data-action=resume][disabled]').count(), 1, 'Resume is disabled while the run trains');
    await waitFor('the dashboard to show the run as running', async () => (await frame.locator('vscode-badge[data-status]').first().getAttribute('data-status')) === 'running', 30_000);
    // The dashboard follows the resumed run live: its batch counter moves, and its epoch is the status bar's.
    const fact = async (label: string): Promise<string | undefined> => (await frame.locator(`[data-fact=${label}]`).first().textContent({ timeout: 1_000 }).catch(() => null)) ?? undefined;
    const firstBatch = await waitFor('the dashboard’s batch counter', () => fact('Batch'), 30_000);
    await waitFor('the batch counter to move on', async () => ((await fact('Batch')) ?? firstBatch) !== firstBatch, 30_000);
    await waitFor('the dashboard to show the status bar’s epoch', async () => {
      const barEpoch = (await wb.statusBarTexts()).map((t) => /mnist-mlp · epoch (\d+)\/40/.exec(t)?.[1]).find(Boolean);
      return barEpoch !== undefined && (await fact('Epoch')) === `${barEpoch}/40`;
    }, 30_000);
    // The header re-renders with every event, so click through the page rather than a located handle.
    await clickInDashboard(frame, 'vscode-button[data-action=stop]');
    await wb.waitForNotification(/mnist-mlp stopped after \d+ of 40 epochs/, 60_000);
    await waitFor('the dashboard to show the run as stopped', async () => (await frame.locator('vscode-badge[data-status]').first().getAttribute('data-status')) === 'stopped', 30_000);
    await wb.waitForSideBarRow(/stopped · \d+\/40 epochs/, 30_000);
    const runRows = (await wb.sideBarRows()).filter((r) => /^(Today|[A-Z][a-z]{2} \d+) \d/.test(r));
    assert.equal(runRows.length, 2, `resuming continues the same run instead of adding one: ${runRows.join(' | ')}`);
  });

  step('shows each tree row’s essential words (result or state) at the default side bar width', async () => {
    assert.ok(defaultSideBarWidth > 0);
    await wb.openActivity('Model Studio');
    await wb.setSideBarWidth(defaultSideBarWidth);
    await wb.waitForSideBarRow(/stopped · \d+\/40/, 15_000);
    await wb.page.waitForTimeout(500); // the tree lays out after the resize
    // For each row of Runs and Local Models: is the description's headline inside the visible label?
    const rows = await wb.page.evaluate(() => {
      interface Box {
        right: number;
      }
      interface El {
        innerText: string;
        textContent: string | null;
        firstChild: unknown;
        querySelector(selector: string): El | null;
        getBoundingClientRect(): Box;
      }
      const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): Iterable<El>; createRange(): { setStart(n: unknown, o: number): void; setEnd(n: unknown, o: number): void; getBoundingClientRect(): Box } } }).document;
      const result: { row: string; headline: string; visible: boolean }[] = [];
      for (const row of doc.querySelectorAll('.sidebar .monaco-list-row')) {
        const text = row.innerText.replace(/\s+/g, ' ').trim();
        if (text.startsWith('Cloud')) break;
        const description = row.querySelector('.label-description');
        const container = row.querySelector('.monaco-icon-label-container');
        const words = description?.textContent ?? '';
        if (!description || !container || !words) continue;
        // A run's state when it has one (stopped, failed, epoch 3/5 …), else its result.
        const state = /^(?:stopped|crashed|failed|running|waiting|loading|evaluating|stopping|epoch)\b/.exec(words)?.[0];
        const headline = state ?? /(?:best )?(?:test |val )?acc \d\.\d{4}/.exec(words)?.[0] ?? words.split(' ')[0];
        const start = words.indexOf(headline);
        const range = doc.createRange();
        range.setStart(description.firstChild, start);
        range.setEnd(description.firstChild, start + headline.length);
        result.push({ row: text, headline, visible: range.getBoundingClientRect().right <= container.getBoundingClientRect().right + 0.5 });
      }
      return result;
    });
    await wb.screenshot('5b-tree-default-width');
    assert.ok(rows.filter((r) => /acc 0\.\d{4}/.test(r.headline)).length >= 3, `rows with an accuracy: ${JSON.stringify(rows)}`);
    const cut = rows.filter((r) => !r.visible);
    assert.deepEqual(cut, [], `at ${defaultSideBarWidth} px these rows cut their headline: ${JSON.stringify(cut)}`);
    await wb.setSideBarWidth(440);
  });

  step('compares the two runs in one dashboard', async () => {
    await wb.runCommand('Model Studio: Compare Runs');
    const widget = wb.page.locator('.quick-input-widget');
    await widget.waitFor({ state: 'visible', timeout: 10_000 });
    const rows = wb.page.locator('.quick-input-list .monaco-list-row');
    await waitFor('two runs to pick from', async () => (await rows.count()) === 2, 10_000);
    // In a multi-select pick, clicking a row ticks it.
    await rows.nth(0).click();
    await rows.nth(1).click();
    await waitFor('both runs ticked', async () => /2 Selected/.test(await widget.innerText()), 10_000);
    await wb.page.keyboard.press('Enter');
    await waitFor('a dashboard titled "Compare 2 runs"', async () => (await wb.page.locator('.tabs-container .tab', { hasText: 'Compare 2 runs' }).count()) > 0, 30_000);
    const frame = await wb.webviewFrame('.runs-table', 30_000);
    // Both runs are mnist-mlp: legends, table and test results name each by its start time.
    const read = async (selector: string): Promise<string[]> => frame.locator(selector).allTextContents();
    const legends = await waitFor('two legend entries', async () => {
      const names = await read('.chart-card[data-metric=loss] .legend-run-name');
      return names.length === 2 ? names : undefined;
    }, 30_000);
    assert.notEqual(legends[0], legends[1], `the legends tell the runs apart: ${legends.join(' | ')}`);
    for (const legend of legends) assert.match(legend, /^mnist-mlp · Today \d\d:\d\d:\d\d/);
    assert.deepEqual(await read('.runs-table .run-name'), legends, 'the table names them as the legends do');
    // Each run's test results, side by side, under the same names: the first run's matrix, the stopped run's "not evaluated".
    const columns = frame.locator('[data-section=evaluation] .evaluation-column');
    assert.equal(await columns.count(), 2);
    assert.deepEqual(await read('[data-section=evaluation] .evaluation-run'), legends);
    const matrices = [await columns.nth(0).locator('.confusion').count(), await columns.nth(1).locator('.confusion').count()];
    assert.deepEqual([...matrices].sort(), [0, 1], `one confusion matrix, in the evaluated run's column: ${matrices}`);
    const summaries = await read('[data-section=evaluation] .evaluation-summary');
    assert.ok(summaries.some((text) => /^1,000 samples · .*acc \d/.test(text)), `the first run's test accuracy: ${summaries.join(' | ')}`);
    assert.ok(summaries.some((text) => /^Not evaluated: the run was stopped before the test set/.test(text)), `the stopped run says why it has none: ${summaries.join(' | ')}`);
    const boxes = [await columns.nth(0).boundingBox(), await columns.nth(1).boundingBox()];
    assert.ok(boxes[0] && boxes[1] && Math.abs(boxes[0].y - boxes[1].y) < 2 && boxes[1].x > boxes[0].x, 'side by side');
    await wb.screenshot('6-compare-runs');
    await frame.locator('[data-section=evaluation]').scrollIntoViewIfNeeded();
    await wb.screenshot('6b-compare-test-sets');
  });

  step('trains mnist-custom.train.json, whose model is a TypeScript module, from the installed VSIX', async () => {
    // The VSIX carries no node_modules: the module is transpiled by the TypeScript the package ships.
    await wb.clearNotifications();
    await wb.openFile('mnist-custom.train.json');
    await wb.runCommand('Model Studio: Train Model');
    const note = await wb.waitForNotification(/mnist-custom (finished|failed|stopped)/, 180_000);
    assert.match(note, /mnist-custom finished.*test accuracy 0\.\d{4}/, `the custom-module run did not finish: ${note}`);
    await wb.openActivity('Model Studio');
    await wb.waitForSideBarRow(/mnist-custom/, 30_000);
    await wb.screenshot('6b-custom-module-trained');
  });

  step('installs the native TensorFlow backend, or says clearly why it cannot (offline), with the log one click away', async () => {
    await wb.clearNotifications();
    await wb.runCommand('Model Studio: Install Native TensorFlow Backend');
    await wb.answerQuickInput(undefined, { title: 'Install Native TensorFlow Backend', firstRow: 'CPU' });
    // These machines reach the npm registry but not Google storage, where tfjs-node's install script fetches libtensorflow.
    const note = await wb.waitForNotification(/@tensorflow\/tfjs-node is installed|Could not download @tensorflow\/tfjs-node: this machine cannot reach [\w.-]+/, 300_000);
    if (note.includes('Could not download')) {
      await wb.screenshot('7-native-backend-offline');
      await wb.page.locator('.notifications-toasts .notification-toast .monaco-button', { hasText: 'Show Log' }).first().click();
      // Monaco draws spaces as no-break spaces and wraps long lines: compare with whitespace collapsed.
      const panelText = async (): Promise<string> => (await wb.page.locator('.part.panel').innerText()).replace(/\s+/g, ' ');
      await waitFor('the Model Studio log with the reason', async () => /Could not download @tensorflow\/ ?tfjs-node/.test(await panelText()), 15_000);
    }
  });

  step('says the folder already has the MNIST example instead of creating a second copy, and opens it', async () => {
    assert.ok(session);
    await wb.clearNotifications();
    await wb.openFile('README.md');
    await wb.runCommand('Model Studio: Create MNIST Example');
    const note = await wb.waitForNotification(/This folder already has the MNIST example: mnist\.train\.json\./, 30_000);
    await wb.page.locator('.notifications-toasts .notification-toast .monaco-button', { hasText: 'Open It' }).first().click();
    await waitFor('mnist.train.json as the active editor', async () => (await wb.page.locator('.tabs-container .tab.active').first().innerText()).startsWith('mnist.train.json'), 15_000);
    assert.match(note, /Open It/);
    assert.equal(existsSync(join(session.workspace, 'mnist')), false, 'no nested mnist/ copy');
  });

  step('marks what the trainer refuses as an error with its suggestion, and Open Spec goes to the place the failure names', async () => {
    assert.ok(session);
    const text = readFileSync(join(session.workspace, 'mnist.train.json'), 'utf8').replace('"name": "mnist-mlp"', '"name": "broken-spec"').replace('"units": 128', '"unitz": 128');
    writeFileSync(join(session.workspace, 'broken.train.json'), text);
    await wb.clearNotifications();
    await wb.openFile('broken.train.json');
    await wb.runCommand('View: Focus Problems (Errors, Warnings, Infos)');
    const problem = await waitFor('Model Studio’s error in the Problems view', async () =>
      (await wb.problems()).find((p) => p.text.includes("Unknown field 'unitz' at model.layers[1].unitz; did you mean 'units'?")),
    30_000);
    assert.ok(problem.error, `an error, not a warning: ${problem.text}`);
    assert.match(problem.text, /Model Studio/);
    const [, line, column] = /\[Ln (\d+), Col (\d+)\]/.exec(problem.text) ?? [];
    assert.ok(line && column, problem.text);
    await wb.screenshot('9-broken-spec-problems');
    // Training refuses it with the same sentence at the same place. (The cursor goes to the top first,
    // so Open Spec has somewhere to move it from; not later: the palette's Escape would hide the toast.)
    await wb.goToLine(1, 1);
    await wb.runCommand('Model Studio: Train Model');
    const note = await wb.waitForNotification(/broken-spec: .*unitz/, 60_000);
    assert.match(note, new RegExp(`Unknown field 'unitz' at model\\.layers\\[1\\]\\.unitz \\(line ${line}, column ${column}\\); did you mean 'units'\\?`));
    assert.match(note, /Show Log/);
    await wb.page.locator('.notifications-toasts .notification-toast .monaco-button', { hasText: 'Open Spec' }).first().click();
    await wb.waitForStatusBar(new RegExp(`^Ln ${line}, Col ${column}\\b`), 10_000);
    await wb.screenshot('9-broken-spec');
  });

  step('completes a layer’s "type" with all 12 layer types, inserting the fields the type requires', async () => {
    assert.ok(session);
    const marked = readFileSync(join(session.workspace, 'mnist.train.json'), 'utf8')
      .replace('"name": "mnist-mlp"', '"name": "completion"')
      .replace('{ "type": "dense", "units": 10, "activation": "softmax" }', '$&,\n      { "type": "|" }');
    assert.ok(marked.includes('|'), 'the example has the softmax layer this step appends after');
    const before = marked.slice(0, marked.indexOf('|'));
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    const file = join(session.workspace, 'completion.train.json');
    writeFileSync(file, marked.replace('|', ''));
    await wb.openFile('completion.train.json');
    // Ctrl+Space in the editor, focused by a click and put back at the place. (Trigger Suggest from the palette
    // showed no widget at all at this point of the suite, every try, though it works in a fresh window.)
    // A file opened a moment ago may not have its schema yet: ask again until the widget lists the types.
    const rows = wb.page.locator('.suggest-widget.visible .monaco-list-row');
    let attempt = 0;
    await waitFor('the layer types in the suggest widget', async () => {
      attempt++;
      await wb.page.keyboard.press('Escape');
      await wb.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
      await wb.goToLine(line, column);
      await wb.page.keyboard.press('Control+Space');
      const shown = await rows.first().waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false);
      if (!shown) {
        const widget = await wb.page.locator('.suggest-widget').evaluateAll((all: { className: string; innerText: string }[]) => all.map((e) => `${e.className}: ${e.innerText.slice(0, 200)}`));
        console.log(`suggest attempt ${attempt}: nothing listed; widgets ${JSON.stringify(widget)}`);
      }
      return shown;
    }, 90_000, 0);
    const offered = Number(await rows.first().getAttribute('aria-setsize'));
    await wb.screenshot('11-layer-type-completion');
    assert.equal(offered, 12, 'every layer type is offered');
    // Picking "dense" writes its required units (and an activation) too.
    await wb.page.keyboard.type('dense');
    await waitFor('"dense" on top', async () => (await rows.first().innerText()).includes('"dense"'), 10_000);
    await wb.page.keyboard.press('Enter');
    await wb.page.keyboard.press('Escape');
    await wb.runCommand('File: Save');
    await waitFor('the completed layer on disk', async () => readFileSync(file, 'utf8').includes('{ "type": "dense", "units": 128, "activation": "relu" }'), 10_000);
  });

  step('the walkthrough shows its whole title, sample JSON that fits, and a Vertex AI step', async () => {
    // In the window a user starts with: the side bar at its default width (an earlier step widened it for its screenshots).
    await wb.openActivity('Model Studio');
    await wb.setSideBarWidth(defaultSideBarWidth);
    await wb.runCommand('Model Studio: Get Started');
    const title = wb.page.locator('h2.category-title[x-category-title-for$="modelStudio.firstRun"]');
    await title.waitFor({ state: 'visible', timeout: 30_000 });
    const description = wb.page.locator('.category-description[x-category-description-for$="modelStudio.firstRun"]').last();
    for (const [name, element] of [['title', title], ['description', description]] as const) {
      const size = await element.evaluate((e: { scrollHeight: number; clientHeight: number; scrollWidth: number; clientWidth: number }) => [e.scrollHeight, e.clientHeight, e.scrollWidth, e.clientWidth]);
      assert.ok(size[0] <= size[1] + 1 && size[2] <= size[3] + 1, `the walkthrough's ${name} is cut off: ${JSON.stringify(size)} (${await element.innerText()})`);
    }
    const steps = (await wb.page.locator('.step-title').allInnerTexts()).map((t) => t.trim());
    assert.ok(steps.includes('Ship it to Vertex AI'), `steps: ${steps.join(' | ')}`);
    const media = await wb.webviewFrame('pre:has-text("sparseCategoricalCrossentropy")', 30_000);
    const pres = await media.locator('pre').evaluateAll((all: { scrollWidth: number; clientWidth: number }[]) => all.map((p) => [p.scrollWidth, p.clientWidth]));
    for (const [scroll, client] of pres) assert.ok(scroll <= client, `the sample JSON scrolls sideways: ${scroll} > ${client} px (side bar ${defaultSideBarWidth} px)`);
    await wb.screenshot('12-walkthrough');
  });

  step('runs the README’s model-studio command in the workspace terminal', async () => {
    assert.ok(session);
    const readme = readFileSync(join(session.workspace, 'README.md'), 'utf8');
    // Written for the person with this folder open: the ▶ Train CodeLens before any terminal command,
    // and the specs it trains named by paths relative to this folder.
    assert.ok(readme.includes('**▶ Train**') && readme.indexOf('**▶ Train**') < readme.indexOf('```sh'), 'the README starts with the ▶ Train CodeLens');
    const specs = [...readme.matchAll(/^model-studio train (\S+)/gm)].map((m) => m[1]);
    assert.ok(specs.length >= 3, `the README trains the example's specs: ${specs.join(', ')}`);
    for (const spec of specs) assert.ok(existsSync(join(session.workspace, spec)), `${spec} from the README is in the opened folder`);
    const command = /^model-studio runs\b[^#\n]*/m.exec(readme)?.[0].trim();
    assert.ok(command, 'the README lists the runs with model-studio');
    const out = join(session.workspace, 'terminal-runs.txt');
    await wb.runCommand('Terminal: Create New Terminal');
    await wb.page.locator('.terminal-wrapper .xterm').first().waitFor({ state: 'visible', timeout: 30_000 });
    await wb.page.waitForTimeout(1500); // the shell's prompt
    await wb.page.keyboard.type(`${command} > terminal-runs.txt 2>&1`);
    await wb.page.keyboard.press('Enter');
    const listed = await waitFor('the runs listed by model-studio in the terminal', async () => {
      const text = existsSync(out) ? readFileSync(out, 'utf8') : '';
      return /mnist-mlp-\d{8}/.test(text) ? text : undefined;
    }, 60_000);
    assert.doesNotMatch(listed, /command not found/);
    await wb.screenshot('13-terminal');
  });

  step('restores the dashboard from the run folders after a window reload', async () => {
    await wb.runCommand('Developer: Reload Window');
    await wb.page.waitForTimeout(1000);
    await wb.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    const tab = wb.page.locator('.tabs-container .tab', { hasText: /Compare 2 runs|Dashboard/ }).first();
    await tab.waitFor({ state: 'visible', timeout: 60_000 });
    await tab.click();
    const frame = await wb.webviewFrame('.chart-card[data-metric=loss]', 60_000);
    await waitFor(
      'restored charts with points',
      async () => Number(await frame.locator('.chart-card[data-metric=loss]').first().getAttribute('data-points')) > 0,
      30_000,
    );
    await wb.screenshot('8-restored-after-reload');
  });

  step('a window reload ends the training it was running: deactivate stops the trainer, no process is left behind', async () => {
    assert.ok(session);
    await wb.clearNotifications();
    await wb.runCommand('Model Studio: Train Model With…');
    await waitFor('the spec picker', async () => (await wb.quickInputTitle())?.includes('Train which spec'), 30_000);
    await wb.answerQuickInput('mnist-mlp', { firstRow: 'mnist.train.json' });
    await wb.answerQuickInput('40', { title: 'epochs' });
    await wb.answerQuickInput('32', { title: 'batch size' });
    await wb.answerQuickInput('0.001', { title: 'learning rate' });
    await wb.answerQuickInput(undefined, { title: 'backend', firstRow: 'auto' });
    await wb.waitForStatusBar(/mnist-mlp · epoch \d+\/40 · \d+%/, 120_000);
    const runsDir = join(session.workspace, '.model-studio', 'runs');
    const running = (): RunRecord | undefined =>
      readdirSync(runsDir)
        .filter((id) => existsSync(join(runsDir, id, 'run.json')))
        .map((id) => JSON.parse(readFileSync(join(runsDir, id, 'run.json'), 'utf8')) as RunRecord)
        .find((r) => r.status === 'running' && r.epochs === 40);
    const run = await waitFor('the running run in its folder', async () => running(), 30_000);
    assert.equal(hasExited(run.pid), false, `trainer ${run.pid} runs`);

    // Reloading ends this window's extension host, as closing the window does: deactivate() must end its trainers.
    await wb.runCommand('Developer: Reload Window');
    await waitFor(`trainer ${run.pid} to exit`, async () => hasExited(run.pid), 30_000, 200);
    await wb.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    const after = JSON.parse(readFileSync(join(runsDir, run.id, 'run.json'), 'utf8')) as RunRecord;
    console.log(`# after the reload: trainer ${run.pid} exited, run ${run.id} is ${after.status}`);
    // Stopped in time it saved its checkpoint and reads as stopped (resumable); killed after the grace period it reads as crashed, never as running.
    assert.ok(after.status === 'stopped' || after.status === 'running', `run.json says ${after.status}`);
  });

  it('activates without loading TF.js or the Google libraries (every window load printed)', () => {
    assert.ok(session);
    const loads = activationLines(session.userDataDir);
    assert.ok(loads.length > 0, 'the log has no "Model Studio activated in" line');
    for (const load of loads) console.log(load.line);
    // A regression bound, not the speed goal (about 100 ms on a quiet machine, printed above):
    // loading TF.js or the cloud bundle at activation costs seconds, a busy shared machine only tens of ms.
    const best = Math.min(...loads.map((l) => l.ms));
    assert.ok(best <= 1000, `activation took at best ${best} ms: something heavy is loaded at activation`);
  });
});

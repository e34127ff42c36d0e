// The real experiments bundle in headless Chromium, under the extension's
// CSP, driven through a fake VS Code host (webview/harness/experimentsHost.ts).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { EXPERIMENTS, openPage, type HarnessPage } from '../dashboard/harnessPage';
import { browserTestSkip } from '../../../../scripts/browser.mjs';

const skip = browserTestSkip();
let h: HarnessPage;

before(async () => {
  if (!skip) h = await openPage(EXPERIMENTS, { width: 1300, height: 1000 });
});

after(async () => {
  await h?.close();
});

const shown = (): Promise<number> => h.evaluate<number>('Number(document.querySelector("#summary").dataset.shown)');
const rowIds = (): Promise<string[]> => h.evaluate<string[]>('[...document.querySelectorAll("tr.run-row")].map((r) => r.dataset.runId)');
const cellOf = (column: string): string => `[...document.querySelector("tr.names").children].findIndex((th) => th.dataset.column === ${JSON.stringify(column)})`;
const columnTexts = (column: string): Promise<string[]> => h.evaluate<string[]>(`(() => { const i = ${cellOf(column)}; return [...document.querySelectorAll("tr.run-row")].map((r) => r.children[i].textContent); })()`);
const posted = <T>(type: string): Promise<T[]> => h.evaluate<T[]>(`harness.posted.filter((m) => m.type === ${JSON.stringify(type)})`);

async function show(count: number, options = '{ sweepId: "mnist-sweep" }'): Promise<void> {
  await h.evaluate(`harness.showRows(${count}, ${options}); harness.renderNow();`);
  await h.page.evaluate('document.querySelector(".table-wrap").scrollTop = 0');
}

test('the view loads under the CSP: no violations, no errors, no network, and says ready', { skip }, async () => {
  assert.deepEqual(await h.evaluate<string[]>('harness.violations'), []);
  assert.deepEqual(h.problems, []);
  assert.deepEqual(await h.evaluate<unknown[]>('harness.posted'), [{ type: 'ready' }]);
});

test('a sweep’s runs: one column per differing parameter and per result, the best trial offered', { skip }, async () => {
  await show(40);
  const columns = await h.evaluate<string[]>('[...document.querySelectorAll("tr.names th[data-column]")].map((th) => th.dataset.column)');
  for (const name of ['run', 'status', 'trial', 'compile.optimizer.learningRate', 'model.layers[1].units', 'fit.batchSize', 'model.layers[1].activation', 'val_acc', 'best_val_acc', 'test_acc']) assert.ok(columns.includes(name), `${name} in ${columns.join(', ')}`);
  assert.ok(!columns.includes('fit.epochs'), 'the same in every run: no column');
  assert.equal(await shown(), 40);
  assert.match(await h.evaluate<string>('document.querySelector(".title h1").textContent'), /Sweep: mnist-mlp/);
  const best = await h.evaluate<string>('document.querySelector(".best").dataset.runId');
  assert.ok(best);
  assert.equal(await h.evaluate(`document.querySelector('tr.run-row[data-run-id="${best}"] .tag-best')?.textContent`), 'best');
  assert.deepEqual(await h.evaluate<string[]>('harness.violations'), []);
});

test('thousands of runs: only the rows in view are in the DOM, and scrolling brings the others', { skip }, async () => {
  await show(3000, '{}');
  assert.equal(await shown(), 3000);
  const rendered = (await rowIds()).length;
  assert.ok(rendered > 10 && rendered < 60, `${rendered} rows in the DOM`);
  await h.page.evaluate('const w = document.querySelector(".table-wrap"); w.scrollTop = w.scrollHeight;');
  // Newest first: the oldest run is last.
  await h.waitFor('[...document.querySelectorAll("tr.run-row")].at(-1)?.dataset.runId.includes("-090000-")');
  assert.ok((await rowIds()).length < 60);
});

test('sorting by a header: best first on a result, then the other way', { skip }, async () => {
  await show(60);
  await h.page.click('tr.names th[data-column="val_acc"]');
  await h.page.evaluate('harness.renderNow()');
  const descending = (await columnTexts('val_acc')).map((t) => parseFloat(t));
  assert.deepEqual(descending, [...descending].sort((a, b) => b - a));
  await h.page.click('tr.names th[data-column="val_acc"]');
  await h.page.evaluate('harness.renderNow()');
  const ascending = (await columnTexts('val_acc')).filter((t) => t !== '–').map((t) => parseFloat(t));
  assert.deepEqual(ascending, [...ascending].sort((a, b) => a - b));
  assert.equal(await h.evaluate('document.querySelector("th[data-column=val_acc]").getAttribute("aria-sort")'), 'ascending');
});

test('filters: free text, a range typed in a column header, combined; Clear Filters brings all back', { skip }, async () => {
  await show(200);
  await h.page.locator('#filter input').fill('tanh');
  await h.waitFor('Number(document.querySelector("#summary").dataset.shown) < 200');
  const tanh = await shown();
  assert.ok(tanh > 10, `${tanh} tanh runs`);
  assert.ok((await columnTexts('model.layers[1].activation')).every((t) => t === 'tanh'));
  await h.page.locator('input.column-filter[data-column-id="param:fit.batchSize"]').fill('>=64');
  await h.waitFor(`Number(document.querySelector("#summary").dataset.shown) < ${tanh}`);
  assert.ok((await columnTexts('fit.batchSize')).every((t) => Number(t) >= 64));
  await h.page.click('[data-action=clear-filters]');
  await h.waitFor('Number(document.querySelector("#summary").dataset.shown) === 200');
  assert.equal(await h.evaluate('document.querySelector(\'input.column-filter[data-column-id="param:fit.batchSize"]\').value'), '');
});

test('brushing an axis of the parallel coordinates filters the table; a click on the axis clears it', { skip }, async () => {
  await show(200);
  const canvas = h.page.locator('.plot-box.parallel canvas');
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  assert.ok(box);
  // The first axis (the learning rate) sits 36 px in; drag over its upper half.
  const x = box.x + 36;
  await h.page.mouse.move(x, box.y + 40);
  await h.page.mouse.down();
  await h.page.mouse.move(x, box.y + 100, { steps: 4 });
  await h.page.mouse.up();
  await h.waitFor('Number(document.querySelector("#summary").dataset.shown) < 200');
  const brushed = await shown();
  assert.ok(brushed > 0, `${brushed} runs in the brush`);
  assert.ok(await h.evaluate('!document.querySelector("[data-action=clear-brushes]").hidden'));
  // A second brush on the batch-size axis narrows it further (brushes combine).
  const axes = await h.evaluate<number>('Number(document.querySelector(".plot-box.parallel").dataset.axes)');
  const span = box.width - 36 - 72;
  const batchX = box.x + 36 + (3 * span) / (axes - 1);
  await h.page.mouse.move(batchX, box.y + 30);
  await h.page.mouse.down();
  await h.page.mouse.move(batchX, box.y + 60, { steps: 3 });
  await h.page.mouse.up();
  await h.waitFor(`Number(document.querySelector("#summary").dataset.shown) < ${brushed}`);
  assert.ok((await columnTexts('fit.batchSize')).every((t) => t === '128'), 'only the top of the batch-size axis');
  // Clicking the first axis clears its brush only.
  await h.page.mouse.click(x, box.y + 150);
  await h.waitFor(`Number(document.querySelector("#summary").dataset.shown) > ${brushed}`);
  await h.page.click('[data-action=clear-brushes]');
  await h.waitFor('Number(document.querySelector("#summary").dataset.shown) === 200');
});

test('a star is kept by the host and drawn filled', { skip }, async () => {
  await show(20);
  const [first] = await rowIds();
  await h.page.click(`tr.run-row[data-run-id="${first}"] [data-action=star]`);
  await h.waitFor(`document.querySelector('tr.run-row[data-run-id="${first}"] [data-action=star]').getAttribute('aria-pressed') === 'true'`);
  const star = (await posted<{ runId: string; starred: boolean }>('star')).at(-1);
  assert.equal(star?.runId, first);
  assert.equal(star?.starred, true);
});

test('selecting two runs and Compare asks the host to overlay them in the dashboard', { skip }, async () => {
  await show(20);
  const [a, b] = await rowIds();
  await h.page.click(`tr.run-row[data-run-id="${a}"] input.select-run`);
  await h.page.click(`tr.run-row[data-run-id="${b}"] input.select-run`);
  await h.waitFor('document.querySelector("#summary").dataset.selected === "2"');
  assert.match(await h.evaluate<string>('document.querySelector("[data-action=compare]").textContent'), /Compare 2 in Dashboard/);
  await h.page.click('[data-action=compare]');
  await h.waitFor('harness.posted.some((m) => m.type === "openRuns")');
  const [request] = await posted<{ runIds: string[] }>('openRuns');
  assert.deepEqual(request.runIds, [a, b]);
});

test('a pinned baseline stays on top whatever the sort', { skip }, async () => {
  await show(30);
  const ids = await rowIds();
  const pick = ids[5];
  await h.page.click(`tr.run-row[data-run-id="${pick}"] input.select-run`);
  await h.page.click('[data-action=pin-baseline]');
  await h.waitFor(`document.querySelector("tr.run-row")?.dataset.runId === ${JSON.stringify(pick)}`);
  assert.ok(await h.evaluate(`document.querySelector('tr.run-row[data-run-id="${pick}"] .tag-baseline')`));
  await h.page.click('tr.names th[data-column="model.layers[1].units"]');
  await h.page.evaluate('harness.renderNow()');
  assert.equal((await rowIds())[0], pick);
  await h.page.click('[data-action=unpin-baseline]');
  await h.waitFor(`document.querySelector("tr.run-row")?.dataset.runId !== ${JSON.stringify(pick)}`);
});

test('Export CSV sends the shown rows in table order, RFC 4180 quoted', { skip }, async () => {
  await show(25);
  await h.page.locator('#filter input').fill('relu');
  await h.waitFor('Number(document.querySelector("#summary").dataset.shown) < 25');
  const count = await shown();
  await h.page.click('[data-action=export]');
  await h.waitFor('harness.posted.some((m) => m.type === "exportCsv")');
  const [request] = await posted<{ csv: string; fileName: string }>('exportCsv');
  const lines = request.csv.split('\r\n');
  assert.equal(lines.at(-1), '', 'ends with CRLF');
  assert.equal(lines.length - 2, count);
  assert.match(lines[0], /^run,id,status,trial,compile\.optimizer\.learningRate,.*,val_acc,/);
  assert.ok(lines.slice(1, -1).every((line) => line.includes(',relu,')));
  assert.match(request.fileName, /^sweep-mnist-mlp-\d{8}-\d{4}\.csv$/);
  await h.page.locator('#filter input').fill('');
});

test('the best trial: Push to Vertex AI and Open as Spec send its run id, and the buttons wait for the reply', { skip }, async () => {
  await show(30);
  const best = await h.evaluate<string>('document.querySelector(".best").dataset.runId');
  await h.evaluate('harness.replyDelayMs = 800');
  await h.page.click('[data-action=push-best]');
  await h.waitFor('document.querySelector("[data-action=push-best]").textContent === "Working…"');
  await h.waitFor('document.querySelector("[data-action=push-best]").textContent === "Push to Vertex AI"', 5000);
  await h.evaluate('harness.replyDelayMs = 30');
  await h.page.click('[data-action=open-as-spec]');
  await h.waitFor('harness.posted.some((m) => m.type === "openAsSpec")');
  assert.equal((await posted<{ runId: string }>('pushRun')).at(-1)?.runId, best);
  assert.equal((await posted<{ runId: string }>('openAsSpec')).at(-1)?.runId, best);
  // A failure is shown on the page.
  await h.evaluate('harness.failNext = "Run x is not in the runs folder any more."');
  await h.page.click('[data-action=open-as-spec]');
  await h.waitFor('document.querySelector("#notice")?.textContent.includes("not in the runs folder")');
});

test('the scatter plots every shown run with a metric, on a log axis for the learning rate; a click selects', { skip }, async () => {
  await show(100);
  await h.page.evaluate('harness.renderNow()');
  const points = await h.evaluate<number>('Number(document.querySelector(".plot-box.scatter").dataset.points)');
  assert.ok(points > 90 && points <= 100, `${points} points (failed runs have no metric)`);
  assert.equal(await h.evaluate('document.querySelector("#log-x").checked'), true);
  await h.page.locator('#filter input').fill('tanh');
  await h.waitFor(`Number(document.querySelector(".plot-box.scatter").dataset.points) < ${points}`);
  await h.page.locator('#filter input').fill('');
});

test('the parallel coordinates draw a line per shown run (through the metric where it has one) and both plots mark the best', { skip }, async () => {
  // Few enough that the table renders every row (it renders only those in view).
  await show(15);
  await h.page.evaluate('harness.renderNow()');
  assert.equal((await rowIds()).length, 15);
  const plot = (name: string, key: string): Promise<string | undefined> => h.evaluate<string | undefined>(`document.querySelector(".plot-box.${name}").dataset.${key}`);
  const withMetric = await h.evaluate<number>(`(() => { const i = ${cellOf('val_acc')}; return [...document.querySelectorAll("tr.run-row")].filter((r) => r.children[i].textContent !== '–').length; })()`);
  assert.equal(Number(await plot('parallel', 'lines')), 15);
  assert.equal(Number(await plot('parallel', 'measured')), withMetric, 'the runs with the metric reach its axis');
  const best = await h.evaluate<string>('document.querySelector(".best").dataset.runId');
  assert.equal(await plot('parallel', 'best'), best);
  assert.equal(await plot('scatter', 'best'), best);
  await h.page.locator('#filter input').fill('tanh');
  await h.waitFor('Number(document.querySelector(".plot-box.parallel").dataset.lines) < 15');
  await h.page.locator('#filter input').fill('');
  await h.waitFor('Number(document.querySelector(".plot-box.parallel").dataset.lines) === 15');
});

test('past 1,000 shown runs the parallel coordinates draw an even sample and say so; the table rows stay the same elements while a filter changes what they show', { skip }, async () => {
  await show(2000, '{}');
  const plot = (key: string): Promise<number> => h.evaluate<number>(`Number(document.querySelector(".plot-box.parallel").dataset.${key})`);
  assert.equal(await plot('lines'), 2000);
  assert.ok(Math.abs((await plot('drawn')) - 1000) <= 8, `${await plot('drawn')} lines drawn (one sample per colour step)`);
  await h.evaluate('window.firstRowElement = document.querySelector("tr.run-row")');
  const before = await rowIds();
  await h.page.locator('#filter input').fill('tanh');
  await h.waitFor(`document.querySelector("tr.run-row")?.dataset.runId !== ${JSON.stringify(before[0])}`);
  assert.equal(await h.evaluate('document.querySelector("tr.run-row") === window.firstRowElement'), true, 'the same row element shows another run');
  const lines = await plot('lines');
  assert.ok(lines < 1000, `${lines} tanh runs`);
  assert.equal(await plot('drawn'), lines, 'few enough: every line drawn');
  await h.page.locator('#filter input').fill('');
  await h.waitFor(`document.querySelector("tr.run-row")?.dataset.runId === ${JSON.stringify(before[0])}`);
  assert.deepEqual(await rowIds(), before);
});

test('live updates: a changed row is redrawn, a new one added, a removed one gone', { skip }, async () => {
  await show(10, '{}');
  const [first, second] = await rowIds();
  await h.evaluate(`(() => {
    const row = { id: ${JSON.stringify(first)}, name: 'renamed-run', status: 'completed', createdAt: '2026-12-09T00:00:00.000Z', epochs: 5, epochsCompleted: 5, params: { 'fit.batchSize': 512 }, metrics: { val_acc: 0.5 } };
    harness.deliver({ type: 'update', upsert: [row], remove: [${JSON.stringify(second)}] });
    harness.renderNow();
  })()`);
  assert.equal(await shown(), 9);
  assert.equal(await h.evaluate(`document.querySelector('tr.run-row[data-run-id="${first}"] .run-name').textContent`), 'renamed-run');
  assert.equal(await h.evaluate(`document.querySelector('tr.run-row[data-run-id="${second}"]')`), null);
});

test('switching to the light theme redraws without errors', { skip }, async () => {
  await show(50);
  await h.evaluate('harness.setTheme("light")');
  await h.page.waitForTimeout(100);
  await h.evaluate('harness.setTheme("dark")');
  assert.deepEqual(await h.evaluate<string[]>('harness.violations'), []);
  assert.deepEqual(h.problems, []);
});

// The real dashboard bundle in headless Chromium, under the extension's CSP,
// driven through a fake VS Code host (webview/harness/fakeHost.ts).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { browserTestSkip } from '../../../../scripts/browser.mjs';
import { openHarness, type HarnessPage } from './harnessPage';
import type { BatchEndEvent, EpochEndEvent, RunFinishedEvent } from '../../../../src/shared/events';
import { formatMetric } from '../../../../webview/dashboard/format';
import { syntheticRun } from '../../../../webview/harness/syntheticRun';

// Skipped only in a file run by hand without a browser; on CI and in `npm test` it fails saying how to get one.
const skip = browserTestSkip();
let h: HarnessPage;

before(async () => {
  if (!skip) h = await openHarness({ width: 1200, height: 900 });
});

after(async () => {
  await h?.close();
});

test('the dashboard loads under the CSP: no violations, no errors, no network, and says ready', { skip }, async () => {
  assert.deepEqual(await h.evaluate<string[]>('harness.violations'), []);
  assert.deepEqual(h.problems, []);
  assert.deepEqual(await h.evaluate<unknown[]>('harness.posted'), [{ type: 'ready' }]);
});

test('a finished run shows its charts with real values, test metrics, confusion matrix and example images', { skip }, async () => {
  const pixels = Buffer.alloc(784, 128).toString('base64');
  await h.evaluate(`harness.showRuns([{ runId: 'mnist-a', seed: 2, batchesPerEpoch: 300 }], [{ label: 4, index: 12, base64: ${JSON.stringify(pixels)} }]); harness.renderNow();`);
  const charts = await h.evaluate<{ metric: string; points: number; last: number }[]>(
    `[...document.querySelectorAll('.chart-card')].map((c) => ({ metric: c.dataset.metric, points: Number(c.dataset.points), last: Number(c.dataset.last) }))`,
  );
  assert.deepEqual(charts.map((c) => c.metric), ['loss', 'acc']);
  for (const chart of charts) {
    assert.ok(chart.points > 10, `${chart.metric}: ${chart.points} points drawn`);
    assert.ok(chart.last > 0 && chart.last < 1, `${chart.metric}: last value ${chart.last}`);
  }
  assert.equal(await h.evaluate('document.querySelectorAll(".chart-card canvas").length > 0'), true);
  assert.equal(await h.evaluate('document.querySelector("vscode-badge[data-status]").dataset.status'), 'completed');
  assert.match(await h.evaluate<string>('document.querySelector(".tile[data-metric=test_acc] .tile-value").textContent'), /^9\d\.\d\d%$/);
  assert.equal(await h.evaluate('document.querySelectorAll(".confusion tbody tr").length'), 10);
  const image = await h.evaluate<{ src: string; width: number }>('(() => { const img = document.querySelector(".example img"); return { src: img.src.slice(0, 22), width: img.naturalWidth }; })()');
  assert.deepEqual(image, { src: 'data:image/png;base64,', width: 28 });
  assert.equal(await h.evaluate('document.querySelector("[data-action=stop]")'), null, 'no Stop button on a finished run');
  assert.deepEqual(await h.evaluate<string[]>('harness.violations'), []);
});

test('a finished run offers Push to Vertex AI: clicking sends pushRun and the button waits for the reply', { skip }, async () => {
  await h.evaluate(`harness.showRuns([{ runId: 'mnist-push', seed: 3, batchesPerEpoch: 100 }]); harness.renderNow();`);
  assert.equal(await h.evaluate('document.querySelector("vscode-badge[data-status]").dataset.status'), 'completed');
  assert.equal(await h.evaluate('document.querySelector("[data-action=push]")?.textContent'), 'Push to Vertex AI');
  await h.evaluate('harness.replyDelayMs = 1500');
  await h.page.click('[data-action=push]');
  await h.waitFor('document.querySelector("[data-action=push]")?.textContent === "Pushing…"');
  const push = await h.evaluate<{ type: string; runId: string; requestId: number }>('harness.posted.find((m) => m.type === "pushRun")');
  assert.equal(push.runId, 'mnist-push');
  assert.equal(typeof push.requestId, 'number');
  await h.waitFor('document.querySelector("[data-action=push]")?.textContent === "Push to Vertex AI" && !document.querySelector("[data-action=push]").hasAttribute("disabled")');
  await h.evaluate('harness.replyDelayMs = 50');
  assert.deepEqual(await h.evaluate<string[]>('harness.violations'), []);
});

test('live events extend the charts of a running run; Stop sends a request and waits for the reply', { skip }, async () => {
  await h.evaluate(`harness.showRuns([{ runId: 'mnist-live', seed: 4, batchesPerEpoch: 300, batches: 450 }]); harness.renderNow();`);
  const before = await h.evaluate<number>('Number(document.querySelector(".chart-card[data-metric=loss]").dataset.points)');
  await h.evaluate('harness.measureLiveUpdate("mnist-live", 3, 40)');
  const facts = await h.evaluate<string>('document.querySelector("[data-fact=Batch]").textContent');
  assert.equal(facts, '270/300', 'batch 150 of epoch 2, then 120 live batches');
  const afterPoints = await h.evaluate<number>('Number(document.querySelector(".chart-card[data-metric=loss]").dataset.points)');
  assert.ok(afterPoints > before, `${before} -> ${afterPoints} points`);
  assert.equal(await h.evaluate('document.querySelector("[data-action=push]")'), null, 'no Push button while the run trains: it has no model yet');

  // A slow reply keeps the busy state on screen long enough to see on a loaded machine.
  await h.evaluate('harness.replyDelayMs = 1500');
  await h.page.click('[data-action=stop]');
  await h.waitFor('document.querySelector("[data-action=stop]")?.textContent === "Stopping…"');
  const stop = await h.evaluate<{ type: string; runId: string; requestId: number }>('harness.posted.find((m) => m.type === "stop")');
  assert.equal(stop.runId, 'mnist-live');
  assert.equal(typeof stop.requestId, 'number');
  // The fake host replies; the button comes back.
  await h.waitFor('document.querySelector("[data-action=stop]")?.textContent.includes("Stop") && !document.querySelector("[data-action=stop]").hasAttribute("disabled")');
});

test('several runs are overlaid in one chart per metric with a row per run', { skip }, async () => {
  await h.evaluate(`harness.showRuns([{ runId: 'a', seed: 1, batchesPerEpoch: 200 }, { runId: 'b', name: 'mnist-wide', seed: 2, batchesPerEpoch: 200, difficulty: 0.7 }, { runId: 'c', name: 'mnist-sgd', seed: 3, batchesPerEpoch: 200, batches: 500, difficulty: 1.6 }]); harness.renderNow();`);
  assert.equal(await h.evaluate('document.querySelectorAll(".runs-table tbody tr").length'), 3);
  assert.equal(await h.evaluate('document.querySelectorAll(".chart-card").length'), 2);
  assert.equal(await h.evaluate('document.querySelectorAll(".chart-card[data-metric=loss] .legend-run").length'), 3);
  const colours = await h.evaluate<string[]>('[...document.querySelectorAll(".chart-card[data-metric=loss] .legend-run .swatch-batch")].map((s) => getComputedStyle(s).borderTopColor)');
  assert.equal(new Set(colours).size, 3, `distinct colours: ${colours.join(', ')}`);
  assert.deepEqual(await h.evaluate<string[]>('harness.violations'), []);
});

test('picking a second run in the dashboard asks the host to compare both', { skip }, async () => {
  await h.evaluate(`harness.deliver({ type: 'init', runs: [{ runId: 'pick-a', events: [] }], available: [{ id: 'pick-a', name: 'first', status: 'completed', createdAt: '' }, { id: 'pick-b', name: 'second', status: 'completed', createdAt: '' }] })`);
  await h.page.click('vscode-multi-select#compare');
  await h.page.click('vscode-multi-select#compare li.option:nth-child(2)');
  await h.waitFor('harness.posted.some((m) => m.type === "selectRuns")');
  const request = await h.evaluate<{ runIds: string[] }>('harness.posted.find((m) => m.type === "selectRuns")');
  assert.deepEqual(request.runIds, ['pick-a', 'pick-b']);
  await h.page.keyboard.press('Escape');
});

test('switching to the light theme re-reads the chart colours from the theme variables', { skip }, async () => {
  await h.evaluate(`harness.showRuns([{ runId: 'theme', seed: 1, batchesPerEpoch: 100 }]); harness.renderNow();`);
  const swatch = 'getComputedStyle(document.querySelector(".chart-card .swatch-batch")).borderTopColor';
  const dark = await h.evaluate<string>(swatch);
  await h.evaluate('harness.setTheme("light")');
  await h.waitFor(`${swatch} !== ${JSON.stringify(dark)}`);
  assert.equal(await h.evaluate(swatch), 'rgb(26, 133, 255)', '--vscode-charts-blue of Light Modern');
  await h.evaluate('harness.setTheme("dark")');
});

test('the view state saved for the serializer names the shown runs', { skip }, async () => {
  await h.evaluate(`harness.showRuns([{ runId: 'saved-1', batchesPerEpoch: 10 }, { runId: 'saved-2', batchesPerEpoch: 10 }]);`);
  const state = await h.evaluate<{ runIds: string[] }>('acquireVsCodeApi().getState()');
  assert.deepEqual(state.runIds, ['saved-1', 'saved-2']);
});

/** The text of each metric tile, by metric name. */
async function tiles(): Promise<Record<string, { value: string; hint: string }>> {
  return h.evaluate(`Object.fromEntries([...document.querySelectorAll('.tile')].map((t) => [t.dataset.metric, { value: t.querySelector('.tile-value').textContent, hint: t.title }]))`);
}

test('a new run shows no test results of the run shown before it, while it trains and after it is stopped', { skip }, async () => {
  await h.evaluate(`harness.showRuns([{ runId: 'run-one', seed: 2, batchesPerEpoch: 100 }]); harness.renderNow();`);
  assert.equal(await h.evaluate('document.querySelectorAll("[data-section=evaluation] .confusion").length'), 1, 'run one shows its own evaluation');
  // Run two starts while the dashboard shows run one: the host sends an init with run two only.
  await h.evaluate(`harness.showRuns([{ runId: 'run-two', seed: 3, batchesPerEpoch: 100, batches: 40 }]); harness.renderNow();`);
  assert.equal(await h.evaluate('document.querySelector("[data-run-id]")?.dataset.runId'), 'run-two');
  assert.equal(await h.evaluate('document.querySelector("[data-section=evaluation]")'), null, 'no "Test set" while run two trains');
  assert.equal(await h.evaluate('document.querySelector(".tile[data-metric^=test_]")'), null);
  const stopped: RunFinishedEvent = { type: 'runFinished', runId: 'run-two', time: Date.UTC(2026, 10, 27, 10), status: 'stopped', epochsCompleted: 0, finalMetrics: {}, durationMs: 1000 };
  await h.evaluate(`harness.deliver({ type: 'events', events: [${JSON.stringify(stopped)}] }); harness.renderNow();`);
  assert.equal(await h.evaluate('document.querySelector("vscode-badge[data-status]").dataset.status'), 'stopped');
  assert.equal(await h.evaluate('document.querySelector("[data-section=evaluation]")'), null, 'nor after it is stopped');
  assert.equal(await h.evaluate('document.querySelector(".tile[data-metric^=test_]")'), null);
});

test('the metric tiles show the average over the epoch so far while it runs, then the finished epoch’s values', { skip }, async () => {
  // Batch 150 of epoch 2: the tiles read what the trainer averaged, not the last batch.
  const options = { runId: 'tiles-live', seed: 6, batchesPerEpoch: 300, batches: 450 };
  const live = syntheticRun(options).events.filter((e): e is BatchEndEvent => e.type === 'batchEnd').at(-1) as BatchEndEvent;
  assert.ok(live.epochAverage);
  await h.evaluate(`harness.showRuns([${JSON.stringify(options)}]); harness.renderNow();`);
  let shown = await tiles();
  assert.equal(shown.loss.value, formatMetric('loss', live.epochAverage.loss));
  assert.notEqual(shown.loss.value, formatMetric('loss', live.loss), 'not the last batch’s own loss');
  assert.equal(shown.acc.value, formatMetric('acc', live.epochAverage.acc));
  assert.match(shown.loss.hint, /average over epoch 2 so far/);

  // Epoch 2 ends: its own values, until a batch of epoch 3 arrives.
  const epochEnd: EpochEndEvent = { type: 'epochEnd', runId: 'tiles-live', time: live.time + 1, epoch: 1, epochs: 5, metrics: { loss: 0.1234, acc: 0.9612, val_loss: 0.1111, val_acc: 0.9655 }, durationMs: 4000, samplesPerSecond: 2400 };
  await h.evaluate(`harness.deliver({ type: 'events', events: [${JSON.stringify(epochEnd)}] }); harness.renderNow();`);
  shown = await tiles();
  assert.deepEqual([shown.loss.value, shown.acc.value, shown.val_acc.value], ['0.1234', '96.12%', '96.55%']);
  assert.match(shown.loss.hint, /epoch 2$/);
  const next: BatchEndEvent = { ...live, time: live.time + 2, epoch: 2, batch: 0, step: 601, loss: 0.02, metrics: { acc: 1 }, epochAverage: { loss: 0.02, acc: 1 } };
  await h.evaluate(`harness.deliver({ type: 'events', events: [${JSON.stringify(next)}] }); harness.renderNow();`);
  assert.equal((await tiles()).loss.value, '0.02');
});

test('a stopped run offers Resume: clicking sends resumeRun and waits; disabled while training and without a checkpoint', { skip }, async () => {
  // Stopped in epoch 2, with the checkpoint of epoch 1.
  await h.evaluate(`harness.showRuns([{ runId: 'resume-me', seed: 7, batchesPerEpoch: 100, batches: 150 }]); harness.renderNow();`);
  const resume = 'document.querySelector("[data-action=resume]")';
  assert.equal(await h.evaluate(`${resume}.hasAttribute("disabled")`), true, 'disabled while the run trains');
  const stopped: RunFinishedEvent = { type: 'runFinished', runId: 'resume-me', time: Date.UTC(2026, 10, 27, 10), status: 'stopped', epochsCompleted: 1, finalMetrics: {}, durationMs: 1000 };
  await h.evaluate(`harness.deliver({ type: 'events', events: [${JSON.stringify(stopped)}] }); harness.renderNow();`);
  assert.equal(await h.evaluate(`${resume}.hasAttribute("disabled")`), false);
  assert.equal(await h.evaluate(`${resume}.textContent`), '▶ Resume');
  await h.evaluate('harness.replyDelayMs = 1500');
  await h.page.click('[data-action=resume]');
  await h.waitFor(`${resume}?.textContent === "Resuming…" && ${resume}.hasAttribute("disabled")`);
  const request = await h.evaluate<{ runId: string; requestId: number }>('harness.posted.find((m) => m.type === "resumeRun")');
  assert.equal(request.runId, 'resume-me');
  assert.equal(typeof request.requestId, 'number');
  await h.waitFor(`${resume}?.textContent === "▶ Resume"`);
  await h.evaluate('harness.replyDelayMs = 50');

  // Stopped before its first checkpoint: nothing to resume from.
  await h.evaluate(`harness.showRuns([{ runId: 'too-early', seed: 8, batchesPerEpoch: 100, batches: 30 }]); harness.deliver({ type: 'events', events: [${JSON.stringify({ ...stopped, runId: 'too-early', epochsCompleted: 0 })}] }); harness.renderNow();`);
  assert.equal(await h.evaluate(`${resume}.hasAttribute("disabled")`), true);
  assert.match(await h.evaluate<string>(`${resume}.title`), /no.*checkpoint|before it saved a checkpoint/i);
  // A completed run has nothing to resume.
  await h.evaluate(`harness.showRuns([{ runId: 'all-done', seed: 9, batchesPerEpoch: 50 }]); harness.renderNow();`);
  assert.equal(await h.evaluate(resume), null);
});

test('compared runs of one spec are named by start time in legends and table, with their test results side by side', { skip }, async () => {
  const morning = Date.UTC(2026, 10, 27, 9, 30, 0);
  const noon = Date.UTC(2026, 10, 27, 12, 5, 0);
  await h.evaluate(`harness.showRuns([{ runId: 'mnist-mlp-a', seed: 1, batchesPerEpoch: 100, startTime: ${morning} }, { runId: 'mnist-mlp-b', seed: 2, batchesPerEpoch: 100, difficulty: 1.4, startTime: ${noon} }]); harness.renderNow();`);
  const legends = await h.evaluate<string[]>('[...document.querySelectorAll(".chart-card[data-metric=loss] .legend-run-name")].map((e) => e.textContent)');
  assert.equal(legends.length, 2);
  assert.notEqual(legends[0], legends[1], `legends tell the runs apart: ${legends.join(' | ')}`);
  for (const legend of legends) assert.match(legend, /^mnist-mlp · (Today |[A-Z][a-z]{2} \d+ (\d{4} )?)\d\d:\d\d/);
  const rows = await h.evaluate<string[]>('[...document.querySelectorAll(".runs-table .run-name")].map((e) => e.textContent)');
  assert.deepEqual(rows, legends, 'the table names them as the legends do');
  const columns = await h.evaluate<{ runId: string; title: string; matrices: number; top: number; left: number }[]>(
    `[...document.querySelectorAll("[data-section=evaluation] .evaluation-column")].map((c) => ({ runId: c.dataset.runId, title: c.querySelector("h3").textContent, matrices: c.querySelectorAll(".confusion").length, top: c.getBoundingClientRect().top, left: c.getBoundingClientRect().left }))`,
  );
  assert.deepEqual(columns.map((c) => [c.runId, c.title, c.matrices]), [['mnist-mlp-a', legends[0], 1], ['mnist-mlp-b', legends[1], 1]]);
  assert.equal(columns[0].top, columns[1].top, 'side by side at 1200 px');
  assert.ok(columns[1].left > columns[0].left);
  // Each column shows its own run's numbers.
  const accuracies = await h.evaluate<string[]>('[...document.querySelectorAll(".evaluation-column .evaluation-summary")].map((e) => e.textContent)');
  assert.notEqual(accuracies[0], accuracies[1]);

  // Same name and same minute: the run id tells them apart.
  await h.evaluate(`harness.showRuns([{ runId: 'twin-a', batchesPerEpoch: 20, startTime: ${morning} }, { runId: 'twin-b', batchesPerEpoch: 20, startTime: ${morning} }]); harness.renderNow();`);
  const twins = await h.evaluate<string[]>('[...document.querySelectorAll(".chart-card[data-metric=loss] .legend-run-name")].map((e) => e.textContent)');
  assert.equal(twins.length, 2);
  assert.match(twins[0], /twin-a$/);
  assert.match(twins[1], /twin-b$/);
  assert.deepEqual(await h.evaluate<string[]>('harness.violations'), []);
});

test('twenty runs compared: each keeps its own colour, the legend lists one value per run, the x axis fits the data', { skip }, async () => {
  const runs = Array.from({ length: 20 }, (_, i) => ({ runId: `many-${i}`, name: `trial-${i}`, seed: i + 1, epochs: i === 0 ? 40 : 3, batchesPerEpoch: 40, batches: i === 0 ? 10 : undefined, difficulty: 0.6 + i * 0.05 }));
  await h.evaluate(`harness.showRuns(${JSON.stringify(runs)}); harness.renderNow();`);
  assert.equal(await h.evaluate('document.querySelectorAll(".runs-table tbody tr").length'), 20);
  const entries = await h.evaluate<{ id: string; colour: string; value: string }[]>(
    '[...document.querySelectorAll(".chart-card[data-metric=loss] .legend-compact")].map((e) => ({ id: e.dataset.runId, colour: getComputedStyle(e.querySelector(".swatch")).borderTopColor, value: e.querySelector(".legend-value").textContent }))',
  );
  assert.equal(entries.length, 20);
  assert.equal(new Set(entries.map((e) => e.colour)).size, 20, `distinct colours: ${entries.map((e) => e.colour).join(', ')}`);
  for (const entry of entries) assert.match(entry.value, /^\d/, `${entry.id} shows a value`);
  // The run planned for 40 epochs and stopped early does not stretch the axis: it ends at the others' 3 epochs.
  assert.equal(await h.evaluate('document.querySelector(".chart-card[data-metric=loss]").dataset.xMax'), '3');
  assert.deepEqual(await h.evaluate<string[]>('harness.violations'), []);
});

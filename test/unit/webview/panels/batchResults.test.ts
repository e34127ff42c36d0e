// The batch prediction results viewer, its real bundle in headless Chromium
// under the extension's CSP, with a fake VS Code host: it asks for one page at
// a time, draws MNIST instances as digits beside their predicted class, says
// why a result failed, moves between pages, and ignores malformed messages.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { BatchToWebview } from '../../../../src/shared/protocol/batchResults';
import { browserTestSkip } from '../../../../scripts/browser.mjs';
import { openPanel, type PanelPage } from './panelPage';

const skip = browserTestSkip();

describe('the batch results viewer', { skip }, () => {
  let panel: PanelPage;
  const init: BatchToWebview = { type: 'init', jobName: 'digits', summary: 'mnist-mlp v2 · n1-standard-4 · succeeded · 99 predictions · 1 failed', total: 100, pageSize: 48, outputDirectory: 'gs://b/out/prediction-mnist-2026' };
  const posted = async (): Promise<{ type: string; offset?: number }[]> => (await panel.page.evaluate('panelHost.posted')) as { type: string; offset?: number }[];
  const deliver = async (message: unknown): Promise<void> => {
    await panel.page.evaluate(`panelHost.deliver(${JSON.stringify(message)})`);
  };
  // A "1": one bright column.
  const one = Array.from({ length: 784 }, (_, i) => (i % 28 === 14 && i > 100 && i < 700 ? 1 : 0));

  before(async () => {
    panel = await openPanel('batchResults', { width: 900, height: 700 }, [init]);
    await panel.page.locator('[data-summary]').waitFor();
  });

  after(async () => {
    await panel?.close();
  });

  it('asks for the first page only, then shows each result beside its input', async () => {
    assert.deepEqual((await posted()).filter((m) => m.type === 'page'), [{ type: 'page', offset: 0 }]);
    await deliver({
      type: 'page',
      offset: 0,
      more: true,
      rows: [
        { index: 0, pixels: one, top: [{ cls: 1, p: 0.97 }, { cls: 7, p: 0.02 }] },
        { index: 1, instance: '{"text":"hello"}', top: [], raw: '{"score":0.4}' },
        { index: 2, instance: '[1,2]', top: [], error: 'Instance has 2 values, the model takes 784' },
      ],
    });
    const cards = panel.page.locator('.result');
    assert.equal(await cards.count(), 3);
    assert.equal(await cards.nth(0).getAttribute('data-predicted'), '1');
    assert.match(await cards.nth(0).innerText(), /^#1\s+1\s+97\.0%\s+7 2\.0%$/);
    const lit = await cards.nth(0).locator('canvas[data-digit]').evaluate((element) => {
      const canvas = element as unknown as { getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null };
      const data = canvas.getContext('2d')?.getImageData(0, 0, 28, 28).data ?? new Uint8ClampedArray();
      let n = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i] > 128) n++;
      return n;
    });
    assert.equal(lit, one.filter((v) => v > 0).length, 'the digit drawn is the instance');
    assert.match(await cards.nth(1).innerText(), /\{"text":"hello"\}[\s\S]*\{"score":0\.4\}/);
    assert.match(await cards.nth(2).innerText(), /the model takes 784/);
    assert.equal(await cards.nth(2).getAttribute('class'), 'result failed');
    assert.equal(await panel.page.locator('[data-range]').innerText(), 'Results 1–3 of 100');
    assert.equal(await panel.page.locator('vscode-button[data-action=prev]').getAttribute('disabled'), '');
    assert.equal(await panel.page.locator('vscode-button[data-action=next]').getAttribute('disabled'), null);
  });

  it('moves to the next page on Next, and ignores a page that fails the protocol', async () => {
    await panel.page.locator('vscode-button[data-action=next]').click();
    assert.deepEqual((await posted()).filter((m) => m.type === 'page').at(-1), { type: 'page', offset: 48 });
    // Not a 28x28 image: the guard drops the message, the page stays as it was.
    await deliver({ type: 'page', offset: 48, more: false, rows: [{ index: 48, pixels: [1, 2, 3], top: [] }] });
    assert.equal(await panel.page.locator('.result').count(), 3);
    assert.ok(panel.problems.some((p) => /ignored a malformed message/.test(p)), panel.problems.join('\n'));
    await deliver({ type: 'page', offset: 48, more: false, rows: [{ index: 48, pixels: one, top: [{ cls: 1, p: 0.9 }] }] });
    assert.equal(await panel.page.locator('.result').count(), 1);
    assert.equal(await panel.page.locator('[data-range]').innerText(), 'Results 49–49 of 100');
    assert.equal(await panel.page.locator('vscode-button[data-action=next]').getAttribute('disabled'), '');
    assert.equal(await panel.page.locator('vscode-button[data-action=prev]').getAttribute('disabled'), null);
    assert.deepEqual(await panel.page.evaluate('panelHost.violations'), [], 'nothing the CSP refused');
    assert.deepEqual(panel.problems.filter((p) => !/ignored a malformed message/.test(p)), []);
  });
});

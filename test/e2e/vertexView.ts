// Steps in the Vertex AI view that several suites walk: its welcome (the
// local sandbox stopped) and the prediction panel's MNIST test digits.
import assert from 'node:assert/strict';
import type { Frame, Locator } from 'playwright-core';
import { waitFor, type Workbench } from './workbench';

/** The Vertex AI view's welcome (shown while the local sandbox is stopped). */
export function vertexWelcome(wb: Workbench): Locator {
  return wb.viewPane('Vertex AI').locator('.welcome-view-content');
}

/** Starts the local sandbox with the welcome's button and waits for its row. */
export async function startSandboxFromWelcome(wb: Workbench): Promise<string> {
  await vertexWelcome(wb).waitFor({ state: 'visible', timeout: 30_000 });
  await vertexWelcome(wb).locator('.monaco-button', { hasText: 'Start Local Sandbox' }).click();
  return wb.waitForSideBarRow(/^Local sandbox\s*running · port \d+/, 60_000);
}

/**
 * Clicks the prediction panel's test-samples button and waits for its eight
 * cards; each must name a digit. Returns how many match their labels.
 */
export async function predictTestDigits(frame: Frame): Promise<number> {
  await waitFor('the samples button to be enabled', async () => !(await frame.locator('button[data-action=samples]').isDisabled()), 15_000);
  await frame.locator('button[data-action=samples]').click();
  const cards = await waitFor(
    'eight prediction cards',
    async () => {
      const list = frame.locator('.result');
      return (await list.count()) === 8 ? list : undefined;
    },
    60_000,
  );
  let correct = 0;
  for (let i = 0; i < 8; i++) {
    const card = cards.nth(i);
    const predicted = await card.getAttribute('data-predicted');
    const label = await card.getAttribute('data-label');
    assert.match(predicted ?? '', /^\d$/);
    if (predicted === label) correct++;
  }
  return correct;
}

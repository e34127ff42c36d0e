// Driving a VS Code workbench (code-server) in headless Chromium: the
// command palette, the status bar, notifications, views and webview frames.
// Every wait polls the real DOM with a deadline and says what it waited for.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { chromium, type Browser, type Frame, type Locator, type Page } from 'playwright-core';
import { requireBrowser } from '../../scripts/browser.mjs';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Launches the browser at `executablePath`; without one, fails saying how to get one. */
export async function launchBrowser(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath: executablePath || requireBrowser(), args: CHROMIUM_ARGS, headless: true });
}

/** Polls `probe` until it returns something other than undefined/false, or fails naming `what`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 30_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
}

/**
 * A suite's test steps (node:test `it`): a step that fails leaves a picture of
 * the workbench named `failed-<prefix>-<step>` before it throws.
 */
export function stepsWithScreenshots(prefix: string, workbench: () => Workbench | undefined): (name: string, body: () => Promise<void>) => void {
  return (name, body) => {
    it(name, async () => {
      try {
        await body();
      } catch (error) {
        await workbench()?.screenshot(`failed-${prefix}-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 50)}`).catch(() => undefined);
        throw error;
      }
    });
  };
}

export class Workbench {
  constructor(
    readonly page: Page,
    private readonly screenshotDir: string,
  ) {
    mkdirSync(screenshotDir, { recursive: true });
  }

  async open(url: string): Promise<void> {
    await this.page.goto(url, { waitUntil: 'domcontentloaded' });
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await this.page.locator('.statusbar').waitFor({ timeout: 60_000 });
  }

  async screenshot(name: string): Promise<string> {
    const path = join(this.screenshotDir, `${name}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  /** Runs a command from the palette by its full title, e.g. "Model Studio: Train Model". */
  async runCommand(title: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget input');
    // Under load the palette sometimes opens a beat late or half-closed: open it again rather than fail.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.page.keyboard.press('Escape');
        await this.page.keyboard.press('F1');
        await input.waitFor({ state: 'visible', timeout: 10_000 });
        await input.fill(`>${title}`, { timeout: 5_000 });
        break;
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
    // Pick the row whose label is exactly the title ("Train Model" must not run "Train Model With…",
    // which the palette may list first as recently used).
    const labels = this.page.locator('.quick-input-list .monaco-list-row .label-name');
    const index = await waitFor(
      `"${title}" in the palette`,
      async () => {
        const found = (await labels.allInnerTexts()).findIndex((text) => text.replace(/\s+/g, ' ').trim() === title);
        return found >= 0 ? found : undefined;
      },
      15_000,
    );
    for (let i = 0; i < index; i++) await this.page.keyboard.press('ArrowDown');
    await this.page.keyboard.press('Enter');
  }

  /**
   * Answers an open input box or quick pick: checks its title, types `text`
   * (if any), waits until the first row contains `firstRow` (quick picks
   * filter asynchronously), and presses Enter. `timeoutMs` (default 10 s) is
   * how long it may take to appear, e.g. after starting the sandbox.
   */
  async answerQuickInput(text?: string, options: { title?: string; firstRow?: string; timeoutMs?: number } = {}): Promise<void> {
    const widget = this.page.locator('.quick-input-widget');
    const timeoutMs = options.timeoutMs ?? 10_000;
    await widget.waitFor({ state: 'visible', timeout: timeoutMs });
    if (options.title) await waitFor(`quick input "${options.title}"`, async () => (await widget.innerText()).includes(options.title as string), timeoutMs);
    if (text !== undefined) await this.page.locator('.quick-input-widget input').fill(text);
    if (options.firstRow) {
      const expected = options.firstRow;
      await waitFor(
        `the first quick input row to be "${expected}"`,
        async () => (await this.page.locator('.quick-input-list .monaco-list-row').first().innerText()).includes(expected),
        15_000,
      );
    }
    // Press Enter in the quick input itself (focus may have moved to a webview), and
    // once more if the same input is still open after a while: a busy picker drops the key.
    const input = this.page.locator('.quick-input-widget input');
    const before = await this.quickInputTitle();
    await input.press('Enter');
    const moved = async (): Promise<boolean> => (await this.quickInputTitle()) !== before;
    if (!(await waitFor('the quick input to take the answer', moved, 5_000).catch(() => false))) await input.press('Enter');
  }

  /**
   * Picks a file in VS Code's simple file dialog (showOpenDialog in code-server):
   * types the file's full path once the dialog has filled in its starting folder
   * (it does so a moment after opening, and would overwrite an earlier path), then Enter.
   */
  async answerFileDialog(path: string, timeoutMs = 15_000): Promise<void> {
    const widget = this.page.locator('.quick-input-widget');
    const input = this.page.locator('.quick-input-widget input');
    await widget.waitFor({ state: 'visible', timeout: timeoutMs });
    await waitFor('the file dialog to show its folder', async () => /[\\/]$/.test(await input.inputValue()), timeoutMs);
    // On a busy machine the dialog may still be filling in its folder and overwrite what
    // was typed, or take Enter before it has checked the typed path: type and accept again
    // until it closes.
    // Closed: hidden, or another quick input (the command's next question) took its place.
    const dialogTitle = await this.quickInputTitle();
    const closed = async (): Promise<boolean> => !(await widget.isVisible()) || (await this.quickInputTitle()) !== dialogTitle;
    for (let attempt = 1; ; attempt++) {
      await input.fill(path);
      const held = await waitFor(`the file dialog to hold ${path}`, async () => (await input.inputValue()) === path, 5_000).catch(() => false);
      if (held) {
        await input.press('Enter');
        if (await waitFor('the file dialog to close', closed, 5_000).catch(() => false)) return;
      }
      if (attempt === 4) {
        const message = await this.page.locator('.quick-input-widget .quick-input-message').innerText().catch(() => '');
        throw new Error(`The file dialog did not take ${path}: it holds '${await input.inputValue()}'${message ? ` and says '${message}'` : ''}`);
      }
    }
  }

  /** The placeholder of the open quick input's box (what it asks for). */
  async quickInputPlaceholder(): Promise<string> {
    return (await this.page.locator('.quick-input-widget input').getAttribute('placeholder')) ?? '';
  }

  /** The title of the quick input when one is open. */
  async quickInputTitle(): Promise<string | undefined> {
    const title = this.page.locator('.quick-input-widget .quick-input-title');
    if (!(await this.page.locator('.quick-input-widget').isVisible())) return undefined;
    return (await title.count()) ? title.innerText() : '';
  }

  /** Opens a workspace file through Go to File. */
  async openFile(name: string): Promise<void> {
    // Go to File caches its file list while it is open; a file written a moment ago
    // may be missing from that list on a busy machine, so close it and ask again.
    for (let attempt = 1; ; attempt++) {
      await this.runCommand('Go to File...');
      try {
        await this.answerQuickInput(name, { firstRow: name });
        break;
      } catch (error) {
        if (attempt === 3) throw error;
        await this.page.keyboard.press('Escape');
      }
    }
    await waitFor(`an editor tab for ${name}`, async () => (await this.page.locator('.tabs-container .tab', { hasText: name }).count()) > 0, 15_000);
  }

  async statusBarTexts(): Promise<string[]> {
    return this.page.locator('.statusbar-item').allInnerTexts();
  }

  /** Waits for a status bar item whose text matches; returns that text. */
  async waitForStatusBar(pattern: RegExp, timeoutMs = 60_000): Promise<string> {
    return waitFor(`a status bar item matching ${pattern}`, async () => (await this.statusBarTexts()).find((t) => pattern.test(t)), timeoutMs, 50);
  }

  async notificationTexts(): Promise<string[]> {
    return this.page.locator('.notifications-toasts .notification-toast').allInnerTexts();
  }

  async waitForNotification(pattern: RegExp, timeoutMs = 60_000): Promise<string> {
    return waitFor(`a notification matching ${pattern}`, async () => (await this.notificationTexts()).find((t) => pattern.test(t)), timeoutMs);
  }

  /**
   * A notification as a toast, or in the notification center once its toast has hidden
   * (an information toast does after a while, buttons or not).
   */
  async waitForNotificationOrInCenter(pattern: RegExp, timeoutMs = 60_000): Promise<string> {
    const toast = await this.waitForNotification(pattern, Math.min(timeoutMs, 5_000)).catch(() => undefined);
    if (toast) return toast;
    await this.runCommand('Notifications: Show Notifications');
    const items = this.page.locator('.notifications-center .notification-list-item');
    try {
      return await waitFor(`a notification matching ${pattern}, as a toast or in the notification center`, async () => [...(await this.notificationTexts()), ...(await items.allInnerTexts())].find((t) => pattern.test(t)), timeoutMs);
    } finally {
      // The center has the focus: Escape hides it.
      await this.page.keyboard.press('Escape');
    }
  }

  async clearNotifications(): Promise<void> {
    await this.runCommand('Notifications: Clear All Notifications');
  }

  /** Clicks the activity bar entry whose label starts with `label`. */
  async openActivity(label: string): Promise<void> {
    const item = this.page.locator(`.activitybar .action-item a[aria-label^="${label}"], .activitybar .action-item[aria-label^="${label}"]`).first();
    await item.waitFor({ state: 'visible', timeout: 30_000 });
    const sideBar = this.page.locator('.part.sidebar');
    const shown = async (): Promise<boolean> => {
      if (!(await sideBar.isVisible())) return false;
      const active = (await item.getAttribute('aria-expanded')) === 'true' || (await item.getAttribute('aria-checked')) === 'true';
      const title = (await this.page.locator('.part.sidebar .composite.title').first().innerText({ timeout: 1_000 }).catch(() => '')).toUpperCase();
      return active || title.includes(label.toUpperCase());
    };
    // Clicking the active entry hides the side bar: click only until it shows this entry, and check after each click
    // (on a busy machine the attributes read before a click may be stale). The waits that follow say what is missing.
    for (let attempt = 1; attempt <= 3 && !(await shown()); attempt++) {
      await item.click();
      await waitFor(`the side bar to show ${label}`, shown, 5_000).catch(() => undefined);
    }
  }

  /** Drags the side bar's edge so tree descriptions fit (screenshots are for people). */
  async widenSideBar(width: number): Promise<void> {
    const box = await this.page.locator('.part.sidebar').boundingBox();
    if (!box || box.width >= width) return;
    await this.setSideBarWidth(width);
  }

  async sideBarWidth(): Promise<number> {
    return (await this.page.locator('.part.sidebar').boundingBox())?.width ?? 0;
  }

  /** Drags the side bar's edge until it is `width` pixels wide, wider or narrower. */
  async setSideBarWidth(width: number): Promise<void> {
    const box = await this.page.locator('.part.sidebar').boundingBox();
    if (!box) throw new Error('no side bar to resize');
    if (Math.abs(box.width - width) < 1) return;
    const y = box.y + box.height / 2;
    await this.page.mouse.move(box.x + box.width - 1, y);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + width - 1, y, { steps: 8 });
    await this.page.mouse.up();
    // Off the sash, so it is not drawn highlighted in screenshots.
    await this.page.mouse.move(box.x + width + 400, y + 200);
    await waitFor(`a side bar ${width} px wide`, async () => Math.abs(((await this.page.locator('.part.sidebar').boundingBox())?.width ?? 0) - width) <= 2, 5_000);
  }

  /** Moves the cursor of the active editor to a 1-based line and column (Go to Line/Column). */
  async goToLine(line: number, column: number): Promise<void> {
    await this.runCommand('Go to Line/Column...');
    await this.answerQuickInput(`:${line}:${column}`);
    await this.waitForStatusBar(new RegExp(`^Ln ${line}, Col ${column}\\b`), 10_000);
  }

  /** The Problems view's rows, as text ("message  source  [Ln 3, Col 5]"), with whether each is an error. */
  async problems(): Promise<{ text: string; error: boolean }[]> {
    const rows = this.page.locator('.markers-panel .monaco-list-row');
    const count = await rows.count();
    const found: { text: string; error: boolean }[] = [];
    for (let i = 0; i < count; i++) {
      const row = rows.nth(i);
      found.push({ text: (await row.innerText()).replace(/\s+/g, ' '), error: (await row.locator('.codicon-error').count()) > 0 });
    }
    return found;
  }

  /** A view's pane in the side bar by its title, e.g. "Vertex AI". */
  viewPane(title: string): Locator {
    return this.page.locator('.sidebar .pane', { has: this.page.locator('.pane-header', { hasText: title }) });
  }

  /** Rows of the tree views in the side bar, as text. */
  async sideBarRows(): Promise<string[]> {
    return this.page.locator('.sidebar .monaco-list-row').allInnerTexts();
  }

  async sideBarText(): Promise<string> {
    return this.page.locator('.sidebar').innerText();
  }

  async waitForSideBarRow(pattern: RegExp, timeoutMs = 30_000): Promise<string> {
    return waitFor(`a side bar row matching ${pattern}`, async () => (await this.sideBarRows()).find((t) => pattern.test(t.replace(/\n/g, ' '))), timeoutMs);
  }

  /** The index of the first side-bar row whose text (lines joined, trimmed) matches `pattern`, once there is one. */
  private async treeRowIndex(pattern: RegExp): Promise<number> {
    const rows = this.page.locator('.sidebar .monaco-list-row');
    return waitFor(`a tree row matching ${pattern}`, async () => {
      const i = (await rows.allInnerTexts()).findIndex((t) => pattern.test(t.replace(/\n/g, ' ').trim()));
      return i >= 0 ? i : undefined;
    });
  }

  /** Clicks the inline action `title` on the first side-bar row whose text matches `rowStart`. */
  async treeRowAction(rowStart: RegExp, title: string): Promise<void> {
    const row = this.page.locator('.sidebar .monaco-list-row').nth(await this.treeRowIndex(rowStart));
    await row.hover();
    await row.locator(`.action-label[aria-label^="${title}"]`).first().click();
  }

  /** Expands the first side-bar row whose text matches `pattern`. */
  async expandTreeRow(pattern: RegExp): Promise<void> {
    const row = this.page.locator('.sidebar .monaco-list-row').nth(await this.treeRowIndex(pattern));
    // A click while the tree re-renders (after a refresh) can be lost: click again until it is open.
    await waitFor(`${pattern} to expand`, async () => {
      if ((await row.getAttribute('aria-expanded')) !== 'false') return true;
      await row.click();
      return undefined;
    }, 15_000, 1_500);
  }

  /** Clicks the button labelled `label` of the open modal dialog. */
  async clickDialogButton(label: string): Promise<void> {
    const button = this.page.locator('.monaco-dialog-box .dialog-buttons .monaco-button', { hasText: new RegExp(`^\\s*${label}\\s*$`) }).first();
    await button.waitFor({ state: 'visible', timeout: 15_000 });
    await button.click();
  }

  /** Moves keyboard focus out of a webview, so quick picks opened next get the keys. */
  async focusWorkbench(): Promise<void> {
    await this.openActivity('Model Studio');
    await this.page.locator('.sidebar .composite.title').first().click();
  }

  /** The webview frame (inner iframe) whose document matches `selector`. */
  async webviewFrame(selector: string, timeoutMs = 30_000): Promise<Frame> {
    return waitFor(
      `a webview frame containing ${selector}`,
      async () => {
        for (const frame of this.page.frames()) {
          if (frame === this.page.mainFrame()) continue;
          try {
            if ((await frame.locator(selector).count()) > 0) return frame;
          } catch {
            // Frames come and go while webviews load.
          }
        }
        return undefined;
      },
      timeoutMs,
      200,
    );
  }
}

// The browser tests' stand-in for VS Code around the traffic and prediction
// panels: a fake acquireVsCodeApi (loaded before the page's script), the Dark
// Modern theme variables and VS Code's default webview styles, and the host's
// messages delivered once the page says ready. Exposed as `window.panelHost`.

import { applyTheme } from './themes';

const posted: unknown[] = [];
const violations: string[] = [];
let queued: unknown[] = [];
let ready = false;

document.addEventListener('securitypolicyviolation', (event) => violations.push(`${event.violatedDirective}: ${event.blockedURI || 'inline'}`));

function deliver(message: unknown): void {
  if (!ready) {
    queued.push(message);
    return;
  }
  window.dispatchEvent(new MessageEvent('message', { data: message }));
}

const api = {
  postMessage(message: { type?: string }): void {
    posted.push(message);
    if (message.type !== 'ready') return;
    ready = true;
    const held = queued;
    queued = [];
    held.forEach(deliver);
  },
  getState: (): undefined => undefined,
  setState: (): void => undefined,
};

// What VS Code's webview frame adds before a page's own styles (with the page's nonce, as the CSP wants).
const defaults = document.createElement('style');
defaults.nonce = document.currentScript?.nonce ?? '';
defaults.textContent = `
  html { background: var(--vscode-editor-background); }
  body { color: var(--vscode-foreground); font-family: var(--vscode-font-family); font-weight: var(--vscode-font-weight); font-size: var(--vscode-font-size); margin: 0; padding: 0 20px; }
`;
document.head.append(defaults);
applyTheme('dark');

Object.assign(window, { acquireVsCodeApi: () => api, panelHost: { posted, violations, deliver } });

// Entry of the dashboard webview (bundled to dist/webview/dashboard.js).
// Styles are injected with the page's nonce: the CSP allows no other inline style.

import uplotCss from 'uplot/dist/uPlot.min.css';
import { DEFAULT_SMOOTHING, isHostToWebviewMessage, parseViewState } from '../../src/shared/protocol/dashboard';
import { DashboardApp, type VsCodeApi } from './app';
import dashboardCss from './dashboard.css';
import './elements';
import { pageNonce } from '../shared/pageNonce';

declare function acquireVsCodeApi(): VsCodeApi;

declare global {
  interface Window {
    /** Test hook: the benchmark and the end-to-end tests time and inspect the charts through it. */
    modelStudioDashboard?: DashboardApp;
  }
}

const nonce = pageNonce();

function injectStyle(css: string): void {
  const style = document.createElement('style');
  style.nonce = nonce;
  style.textContent = css;
  document.head.append(style);
}

injectStyle(uplotCss);
injectStyle(dashboardCss);

const api = acquireVsCodeApi();
const root = document.getElementById('app') ?? document.body;
const app = new DashboardApp(root, api, parseViewState(api.getState()) ?? { runIds: [], smoothing: DEFAULT_SMOOTHING, logScale: false, ignoreOutliers: true });
window.modelStudioDashboard = app;
window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (isHostToWebviewMessage(event.data)) app.receive(event.data);
});
api.postMessage({ type: 'ready' });

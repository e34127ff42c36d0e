// Entry of the dashboard webview (bundled to dist/webview/dashboard.js).

import uplotCss from 'uplot/dist/uPlot.min.css';
import { DEFAULT_SMOOTHING, isHostToWebviewMessage, parseViewState, type HostToWebviewMessage, type WebviewToHostMessage } from '../../src/shared/protocol/dashboard';
import { DashboardApp } from './app';
import dashboardCss from './dashboard.css';
import './elements';
import { HostClient } from '../shared/hostClient';
import { injectStyles } from '../shared/pageStyles';
import themeCss from '../shared/theme.css';

declare global {
  interface Window {
    /** Test hook: the benchmark and the end-to-end tests time and inspect the charts through it. */
    modelStudioDashboard?: DashboardApp;
  }
}

injectStyles(uplotCss, themeCss, dashboardCss);

const host = new HostClient<HostToWebviewMessage, WebviewToHostMessage>({ name: 'Dashboard', isMessage: isHostToWebviewMessage, source: window });
const root = document.getElementById('app') ?? document.body;
const app = new DashboardApp(root, host, parseViewState(host.getState()) ?? { runIds: [], smoothing: DEFAULT_SMOOTHING, logScale: false, ignoreOutliers: true });
window.modelStudioDashboard = app;
host.connect((message) => app.receive(message));

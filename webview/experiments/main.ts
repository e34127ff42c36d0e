// Entry of the experiments webview (bundled to dist/webview/experiments.js).

import { isExperimentsToWebview, parseExperimentsViewState, type ExperimentsFromWebview, type ExperimentsToWebview } from '../../src/shared/protocol/experiments';
import '../dashboard/elements';
import { HostClient } from '../shared/hostClient';
import { injectStyles } from '../shared/pageStyles';
import themeCss from '../shared/theme.css';
import { ExperimentsApp } from './app';
import experimentsCss from './experiments.css';
import './elements';

declare global {
  interface Window {
    /** Test hook: the benchmark and the tests time and drive the view through it. */
    modelStudioExperiments?: ExperimentsApp;
  }
}

injectStyles(themeCss, experimentsCss);

const host = new HostClient<ExperimentsToWebview, ExperimentsFromWebview>({ name: 'Experiments', isMessage: isExperimentsToWebview, source: window });
const root = document.getElementById('app') ?? document.body;
const app = new ExperimentsApp(root, host, parseExperimentsViewState(host.getState()) ?? { scope: {} });
window.modelStudioExperiments = app;
host.connect((message) => app.receive(message));

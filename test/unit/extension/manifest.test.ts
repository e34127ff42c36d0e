// package.json's contributions agree with the code: every command that is
// registered is contributed (and the reverse), menus name real commands, and
// activation stays lazy.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sweepRowView, trialRowView } from '../../../src/extension/sweeps/sweepViews';
import type { SweepRecord } from '../../../src/shared/sweep';

const root = join(__dirname, '..', '..', '..');
interface Manifest {
  main: string;
  activationEvents: string[];
  contributes: {
    commands: { command: string; title: string; category: string }[];
    menus: Record<string, { command: string; when?: string; group?: string }[]>;
    views: Record<string, { id: string }[]>;
    viewsContainers: { activitybar: { id: string; icon: string }[] };
    viewsWelcome: { view: string; contents: string }[];
    jsonValidation: { fileMatch: string; url: string }[];
    configuration: { properties: Record<string, { default: unknown; markdownDescription?: string; description?: string; pattern?: string }> };
    walkthroughs: { steps: { media: { markdown?: string } }[] }[];
  };
}
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
const registered = [...readFileSync(join(root, 'src/extension/commands/registerCommands.ts'), 'utf8').matchAll(/command\('(modelStudio\.[A-Za-z]+)'/g)].map((m) => m[1]);

describe('package.json contributions', () => {
  const contributed = manifest.contributes.commands.map((c) => c.command);

  it('contributes exactly the commands the extension registers, all in the Model Studio category', () => {
    assert.deepEqual([...contributed].sort(), [...registered].sort());
    for (const c of manifest.contributes.commands) assert.equal(c.category, 'Model Studio', c.command);
  });

  it('has the commands the issue names', () => {
    const titles = manifest.contributes.commands.map((c) => c.title);
    for (const title of [
      'Train Model',
      'Stop Training',
      'Open Dashboard',
      'Compare Runs',
      'Resume Training',
      'Evaluate Model',
      'Delete Run',
      'Reveal Run Folder',
      'Create Training Spec',
      'Create MNIST Example',
      'Install Native TensorFlow Backend',
      'Run Sweep',
      'Stop Sweep',
      'Resume Sweep',
      'Push Best Trial to Vertex AI',
      'Open as Spec',
    ]) {
      assert.ok(titles.includes(title), title);
    }
  });

  it('puts only contributed commands in menus', () => {
    for (const [menu, items] of Object.entries(manifest.contributes.menus)) {
      for (const item of items) assert.ok(contributed.includes(item.command), `${menu}: ${item.command}`);
    }
  });

  it('offers the examples in the welcome view through real commands', () => {
    const welcome = manifest.contributes.viewsWelcome.map((w) => w.contents).join('\n');
    for (const [, command] of welcome.matchAll(/\(command:(modelStudio\.[A-Za-z]+)\)/g)) assert.ok(contributed.includes(command), command);
    assert.match(welcome, /\[Create MNIST Example\]/);
    assert.match(welcome, /\[Create Training Spec\]/);
  });

  it('activates lazily: never on startup', () => {
    assert.ok(!manifest.activationEvents.includes('*'));
    assert.ok(!manifest.activationEvents.includes('onStartupFinished'));
    assert.ok(manifest.activationEvents.includes('workspaceContains:**/*.train.json'));
  });

  it('points at files that exist: icons, schema, walkthrough pages', () => {
    for (const container of manifest.contributes.viewsContainers.activitybar) assert.ok(existsSync(join(root, container.icon)), container.icon);
    for (const v of manifest.contributes.jsonValidation) assert.ok(existsSync(join(root, v.url)), v.url);
    for (const step of manifest.contributes.walkthroughs[0].steps) {
      if (step.media.markdown) assert.ok(existsSync(join(root, step.media.markdown)), step.media.markdown);
    }
  });

  it('settings the code reads have defaults in the manifest', () => {
    const settings = readFileSync(join(root, 'src/extension/settings.ts'), 'utf8');
    for (const [, key] of settings.matchAll(/config\.get<\w+>\('([\w.]+)'/g)) {
      assert.ok(`modelStudio.${key}` in manifest.contributes.configuration.properties, key);
    }
  });

  it('gives Vertex AI its own view with title actions and welcome content, reachable with no runs', () => {
    assert.deepEqual(manifest.contributes.views.modelStudio.map((v) => v.id), ['modelStudio.explorer', 'modelStudio.vertex']);
    assert.ok(manifest.activationEvents.includes('onView:modelStudio.vertex'));
    const welcome = manifest.contributes.viewsWelcome.filter((w) => w.view === 'modelStudio.vertex').map((w) => w.contents).join('\n');
    assert.match(welcome, /\[Start Local Sandbox\]\(command:modelStudio\.startSandbox\)/);
    assert.match(welcome, /\[Choose Cloud Target\]\(command:modelStudio\.chooseCloudTarget\)/);
    const titleActions = manifest.contributes.menus['view/title'].filter((m) => m.when?.includes('view == modelStudio.vertex')).map((m) => m.command);
    for (const command of ['modelStudio.chooseCloudTarget', 'modelStudio.pushModel', 'modelStudio.refreshCloud', 'modelStudio.stopSandbox']) assert.ok(titleActions.includes(command), command);
    // Every cloud row's menu belongs to the new view, none to the Model Explorer.
    for (const item of manifest.contributes.menus['view/item/context']) {
      if (/viewItem (=~ \/\^\(?cloud|== 'cloud)/.test(item.when ?? '')) assert.match(item.when ?? '', /view == modelStudio\.vertex/, item.command);
    }
  });

  it("offers Open Experiments on every sweep's row in the Model Explorer, inline and in its context menu, never on a trial's", () => {
    const items = manifest.contributes.menus['view/item/context'].filter((m) => m.command === 'modelStudio.openExperiments');
    assert.deepEqual(items.map((m) => m.group?.startsWith('inline') ?? false).sort(), [false, true]);
    const record: SweepRecord = {
      id: 'mnist-sweep-20261202-104512-3fa2',
      name: 'mnist-sweep',
      specPath: '/w/mnist-sweep.train.json',
      search: { metric: { name: 'val_acc', goal: 'maximize' }, parameters: {}, maxTrials: 4 },
      status: 'running',
      createdAt: '2026-12-02T10:45:12Z',
      updatedAt: '2026-12-02T10:50:12Z',
      trials: [{ trialId: '1', parameters: {}, status: 'completed', runId: 'r1', value: 0.9 }],
      best: { trialId: '1', runId: 'r1', value: 0.9 },
    };
    // The row flags the sweep UI really sets, matched the way VS Code matches `viewItem =~ /…/`.
    const sweepRows = [sweepRowView(record, true), sweepRowView(record, false), sweepRowView({ ...record, status: 'completed' }, false), sweepRowView({ ...record, status: 'stopped', best: undefined }, false)];
    const trialRow = trialRowView(record, record.trials[0]);
    for (const item of items) {
      const when = item.when ?? '';
      assert.match(when, /view == modelStudio\.explorer/);
      const source = /viewItem =~ \/(.+?)\/(\s|$)/.exec(when)?.[1];
      assert.ok(source, `a viewItem pattern in ${when}`);
      const pattern = new RegExp(source);
      for (const row of sweepRows) assert.ok(pattern.test(row.contextValue), `${when} matches ${row.contextValue}`);
      assert.ok(!pattern.test(trialRow.contextValue), `${when} does not match ${trialRow.contextValue}`);
    }
  });

  it('says in user terms how to get the serving image, with a link to the README section, and has project and region settings', () => {
    const properties = manifest.contributes.configuration.properties;
    const serving = properties['modelStudio.cloud.servingImage'].markdownDescription ?? '';
    assert.doesNotMatch(serving, /src\/|Dockerfile/, 'no repository paths');
    assert.match(serving, /build .* push it to Artifact Registry/);
    assert.match(serving, /\(command:modelStudio\.openServingImageGuide\)/);
    const guide = readFileSync(join(root, 'src/extension/cloud/commands/openServingImageGuide.ts'), 'utf8');
    const heading = /SERVING_GUIDE_HEADING = '([^']+)'/.exec(guide)?.[1] ?? '';
    assert.ok(readFileSync(join(root, 'README.md'), 'utf8').split('\n').includes(heading), `the heading the guide opens at: ${heading}`);
    assert.equal(properties['modelStudio.cloud.project'].default, '');
    assert.equal(properties['modelStudio.cloud.region'].default, 'us-central1');
    assert.ok(new RegExp(properties['modelStudio.cloud.project'].pattern ?? '').test('my-project-123'));
    assert.ok(!new RegExp(properties['modelStudio.cloud.project'].pattern ?? '').test('My Project'));
    assert.equal(properties['modelStudio.cloud.sandboxIdleMinutes'].default, 30);
  });
});

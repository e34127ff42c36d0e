// The folder rules of ARCHITECTURE.md are enforced by `npm run lint`: these
// tests lint a probe import as if it were written in a real file of each
// folder, with the project's own ESLint config, and expect it refused.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { REPO_ROOT } from '../../helpers/repoRoot';

const eslint = new ESLint({ cwd: REPO_ROOT });

async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(REPO_ROOT, file) });
  return result.messages.filter((m) => m.ruleId === 'model-studio/process-boundaries').map((m) => m.message);
}

describe('process boundaries (lint)', () => {
  const refused: [string, string, RegExp][] = [
    ['src/trainer/train.ts', "import * as vscode from 'vscode';\nexport const v = vscode;\n", /'vscode' is only for the extension host/],
    ['src/cloud/predict.ts', "import { x } from '../extension/extension';\nexport const v = x;\n", /src\/cloud may not import from src\/extension/],
    ['src/core/runStore.ts', "import { x } from '../trainer/train';\nexport const v = x;\n", /src\/core may not import from src\/trainer/],
    ['src/trainer/train.ts', "import { x } from '../cli/main';\nexport const v = x;\n", /src\/trainer may not import from src\/cli/],
    ['src/extension/extension.ts', "import { x } from '../trainer/train';\nexport const v = x;\n", /src\/extension may not import from src\/trainer/],
    ['webview/dashboard/app.ts', "import { x } from '../../src/extension/extension';\nexport const v = x;\n", /webview may not import from src\/extension/],
    ['webview/dashboard/app.ts', "import { readFileSync } from 'node:fs';\nexport const v = readFileSync;\n", /runs in the browser too/],
    ['src/shared/events.ts', "import { x } from '../core/runStore';\nexport const v = x;\n", /src\/shared may not import from src\/core/],
    ['src/serving/server.ts', "const m = await import('../trainer/train');\nexport const v = m;\n", /src\/serving may not import from src\/trainer/],
  ];
  for (const [file, code, expected] of refused) {
    it(`refuses in ${file}: ${code.split('\n')[0]}`, async () => {
      const errors = await boundaryErrors(file, code);
      assert.equal(errors.length, 1, `expected one boundary error, got ${JSON.stringify(errors)}`);
      assert.match(errors[0], expected);
    });
  }

  it('allows what each process may load', async () => {
    assert.deepEqual(await boundaryErrors('src/trainer/train.ts', "import { x } from '../core/runStore';\nimport { y } from '../shared/events';\nexport const v = [x, y];\n"), []);
    assert.deepEqual(await boundaryErrors('src/cli/main.ts', "import { x } from '../trainer/train';\nexport const v = x;\n"), []);
    assert.deepEqual(await boundaryErrors('webview/traffic/main.ts', "import { x } from '../../src/shared/trafficEditing';\nexport const v = x;\n"), []);
    assert.deepEqual(await boundaryErrors('src/extension/extension.ts', "import * as vscode from 'vscode';\nexport const v = vscode;\n"), []);
  });
});

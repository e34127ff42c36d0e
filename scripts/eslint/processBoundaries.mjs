// The rule that keeps the folders honest: a file's folder says which process
// it runs in, and it may import only from the folders that process may load.
// See ARCHITECTURE.md for why each line is as it is.
import { builtinModules } from 'node:module';
import { dirname, relative, resolve, sep } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..', '..');

/** Folder -> the folders its files may import from (its own always included). */
export const ALLOWED_IMPORTS = {
  // Runs anywhere, the browser included: types, protocols, pure facts.
  'src/shared': [],
  // Node, no process of its own: used by several processes.
  'src/core': ['src/shared'],
  'src/cloud': ['src/shared', 'src/core'],
  // The training engine: the trainer child process, hosted in-process by the CLI.
  'src/trainer': ['src/shared', 'src/core'],
  // The prediction server: the serving container, hosted in-process by the sandbox and the CLI.
  'src/serving': ['src/shared', 'src/core'],
  'src/sandbox': ['src/shared', 'src/core', 'src/cloud', 'src/serving'],
  // Front ends.
  'src/cli': ['src/shared', 'src/core', 'src/cloud', 'src/trainer', 'src/serving', 'src/sandbox'],
  'src/extension': ['src/shared', 'src/core', 'src/cloud'],
  // Browser code in webviews.
  webview: ['src/shared'],
};

/** Folders whose code runs in a browser: no Node built-ins. */
const BROWSER = new Set(['src/shared', 'webview']);

const nodeBuiltins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

function areaOf(file) {
  const rel = relative(root, file).split(sep).join('/');
  return Object.keys(ALLOWED_IMPORTS).find((area) => rel === area || rel.startsWith(`${area}/`));
}

/** @type {import('eslint').Rule.RuleModule} */
const processBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'A file imports only from the folders its process may load (ARCHITECTURE.md).' },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const area = areaOf(file);
    if (!area) return {};
    const allowed = new Set([area, ...ALLOWED_IMPORTS[area]]);
    function check(node, source) {
      if (typeof source !== 'string') return;
      if (source === 'vscode' && area !== 'src/extension') {
        context.report({ node, message: `'vscode' is only for the extension host (src/extension); ${area} runs elsewhere.` });
        return;
      }
      if (BROWSER.has(area) && nodeBuiltins.has(source)) {
        context.report({ node, message: `${area} runs in the browser too: no Node built-in '${source}'.` });
        return;
      }
      if (!source.startsWith('.')) return;
      const target = areaOf(resolve(dirname(file), source));
      if (target && !allowed.has(target)) {
        context.report({
          node,
          message: `${area} may not import from ${target} (allowed: ${[...allowed].join(', ')}). Move shared code to src/shared or src/core.`,
        });
      }
    }
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal') {
          check(node, node.arguments[0].value);
        }
      },
    };
  },
};

export const boundariesPlugin = { rules: { 'process-boundaries': processBoundaries } };

// The user's model module and the files it imports, run as CommonJS. Every
// file is transpiled and compiled before any of it runs, so a syntax error or
// an import that resolves nowhere is reported as "does not compile" with
// file:line:col, as a bundler would. Imports of @tensorflow/* get the
// trainer's `tf`; installed CommonJS packages load with Node's own require;
// the user's files and ES-module packages go through the transpiler.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { runInThisContext } from 'node:vm';
import { errorMessage } from '../../shared/errors';
import { compileError, importTargets, type Target } from '../../core/moduleImports';
import { transpile } from '../../core/transpile';

type Require = (id: string) => unknown;
type Wrapper = (exports: unknown, require: Require, module: unknown, filename: string, dirname: string) => void;

interface SourceFile {
  wrapper: Wrapper;
  targets: Map<string, Target>;
}

async function compileFile(path: string): Promise<{ file: SourceFile; next: string[] }> {
  const source = readFileSync(path, 'utf8');
  const output = await transpile(source, path);
  const targets = importTargets(path, source, output);
  let wrapper: Wrapper;
  try {
    wrapper = runInThisContext(`(function (exports, require, module, __filename, __dirname) {${output.code}\n})`, { filename: path }) as Wrapper;
  } catch (error) {
    // What the transpiler lets through but CommonJS cannot run, e.g. a top-level await.
    throw compileError(path, undefined, errorMessage(error));
  }
  const next = [...targets.values()].flatMap((t) => (t.kind === 'source' ? [t.path] : []));
  return { file: { wrapper, targets }, next };
}

export interface ModuleGraph {
  /** Runs the entry file (and what it imports) and returns its exports. Throws what the module throws. */
  run(tf: unknown): Record<string, unknown>;
}

/** Reads, transpiles and compiles the entry file and every file it imports; runs nothing yet. */
export async function loadModuleGraph(entry: string): Promise<ModuleGraph> {
  const files = new Map<string, SourceFile>();
  const queue = [entry];
  while (queue.length > 0) {
    const path = queue.shift() as string;
    if (files.has(path)) continue;
    const { file, next } = await compileFile(path);
    files.set(path, file);
    queue.push(...next);
  }
  return {
    run(tf) {
      const cache = new Map<string, { exports: unknown }>();
      const load = (path: string): unknown => {
        const cached = cache.get(path);
        if (cached) return cached.exports;
        const file = files.get(path) as SourceFile;
        const module = { exports: {} as unknown };
        // Cached before it runs: an import cycle sees the partial exports, as in Node.
        cache.set(path, module);
        const nodeRequire = createRequire(path);
        const requireFrom: Require = (id) => {
          const target = file.targets.get(id);
          if (target?.kind === 'tf') return tf;
          if (target?.kind === 'source') return load(target.path);
          if (target?.kind === 'node') return nodeRequire(target.path);
          // A computed require(): what Node would give.
          return id.startsWith('@tensorflow/tfjs') ? tf : nodeRequire(id);
        };
        file.wrapper(module.exports, requireFrom, module, path, dirname(path));
        return module.exports;
      };
      return load(entry) as Record<string, unknown>;
    },
  };
}

// The user's model module and the files it imports, run as CommonJS. Every
// file is transpiled and compiled before any of it runs, so a syntax error or
// an import that resolves nowhere is reported as "does not compile" with
// file:line:col, as a bundler would. Imports of @tensorflow/* get the
// trainer's `tf`; installed CommonJS packages load with Node's own require;
// the user's files and ES-module packages go through the transpiler.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { dirname, extname, isAbsolute, join, relative, resolve } from 'node:path';
import { runInThisContext } from 'node:vm';
import { errorMessage, UserError } from '../../shared/errors';
import { transpile } from './transpile';

type Require = (id: string) => unknown;
type Wrapper = (exports: unknown, require: Require, module: unknown, filename: string, dirname: string) => void;

/** What an import specifier stands for. */
type Target = { kind: 'tf' } | { kind: 'source'; path: string } | { kind: 'node'; path: string };

interface SourceFile {
  wrapper: Wrapper;
  targets: Map<string, Target>;
}

const SOURCE_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];
/** `import './x.js'` names x.ts in TypeScript written for Node's ES modules. */
const TS_FOR_JS: Record<string, string> = { '.js': '.ts', '.mjs': '.mts', '.cjs': '.cts' };

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

/** A path the way a bundler prints it: relative to the working folder. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' || isAbsolute(rel) ? path : rel;
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

function compileError(path: string, at: string | undefined, message: string): UserError {
  return new UserError(`model.module does not compile: ${shown(path)}${at ? `:${at}` : ''}: ${message.split('\n')[0].replace(/\.$/, '')}; fix the module and train again`);
}

/** The file that a relative import names, trying the extensions a bundler would. */
function resolveRelative(base: string): string | undefined {
  const ext = extname(base);
  const candidates = [base, ...[...SOURCE_EXTENSIONS, '.json'].map((e) => base + e)];
  if (TS_FOR_JS[ext]) candidates.push(base.slice(0, -ext.length) + TS_FOR_JS[ext]);
  candidates.push(...SOURCE_EXTENSIONS.map((e) => join(base, `index${e}`)));
  return candidates.find(isFile);
}

/** Whether Node would load the file as an ES module. */
function isEsModule(path: string): boolean {
  const ext = extname(path);
  if (ext === '.mjs' || ext === '.mts') return true;
  if (ext !== '.js') return false;
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (isFile(manifest)) {
      try {
        return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }).type === 'module';
      } catch {
        return false;
      }
    }
    if (dirname(dir) === dir) return false;
  }
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function resolveImport(specifier: string, from: string): Target | string {
  if (specifier.startsWith('@tensorflow/tfjs')) return { kind: 'tf' };
  if (specifier.startsWith('.') || isAbsolute(specifier)) {
    const found = resolveRelative(resolve(dirname(from), specifier));
    if (!found) return `cannot find '${specifier}' (no such file beside ${shown(from)}, with or without ${SOURCE_EXTENSIONS.join(', ')})`;
    return extname(found) === '.json' ? { kind: 'node', path: found } : { kind: 'source', path: found };
  }
  if (isBuiltin(specifier)) return { kind: 'node', path: specifier };
  try {
    const found = createRequire(from).resolve(specifier);
    return isEsModule(found) ? { kind: 'source', path: found } : { kind: 'node', path: found };
  } catch {
    return `cannot resolve '${specifier}': install it where the module can find it (npm install ${packageName(specifier)})`;
  }
}

async function compileFile(path: string): Promise<{ file: SourceFile; next: string[] }> {
  const source = readFileSync(path, 'utf8');
  const output = await transpile(source, path);
  if (output.problem) throw compileError(path, lineAndColumn(source, output.problem.offset), output.problem.message);
  const targets = new Map<string, Target>();
  for (const specifier of output.requires) {
    const target = resolveImport(specifier, path);
    if (typeof target === 'string') {
      const offset = output.positions.get(specifier);
      throw compileError(path, offset === undefined ? undefined : lineAndColumn(source, offset), target);
    }
    targets.set(specifier, target);
  }
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

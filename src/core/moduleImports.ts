// Where the imports of a user's model module lead, the way a bundler
// resolves them: @tensorflow/* is the trainer's own TF.js, relative imports
// are the user's files (trying the extensions TypeScript for Node allows),
// built-ins and installed CommonJS packages load with Node's require, and
// ES-module packages go through the transpiler like the user's files. The
// trainer runs the module from these; creating a Vertex AI job uploads them.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { UserError } from '../shared/errors';
import { transpile, type Transpiled } from './transpile';

/** What an import specifier stands for. */
export type Target = { kind: 'tf' } | { kind: 'source'; path: string } | { kind: 'node'; path: string };

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


function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

export function compileError(path: string, at: string | undefined, message: string): UserError {
  return new UserError(`model.module does not compile: ${shown(path)}${at ? `:${at}` : ''}: ${message.split('\n')[0].replace(/\.$/, '')}; fix the module and train again`);
}

/** Where each import of a transpiled file leads; a syntax error or an import that resolves nowhere is a compile error at its place. */
export function importTargets(path: string, source: string, output: Transpiled): Map<string, Target> {
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
  return targets;
}

function inPackage(path: string): boolean {
  return path.includes(`${sep}node_modules${sep}`);
}

/**
 * The user's own files that a module is made of (the entry first, then what it
 * imports, JSON included), each transpiled once to find its imports. Installed
 * packages other than @tensorflow/* are refused: the trainer image has only TF.js.
 */
export async function moduleSourceFiles(entry: string): Promise<string[]> {
  const files: string[] = [];
  const queue = [entry];
  while (queue.length > 0) {
    const path = queue.shift() as string;
    if (files.includes(path)) continue;
    files.push(path);
    if (extname(path) === '.json') continue;
    const source = readFileSync(path, 'utf8');
    for (const [specifier, target] of importTargets(path, source, await transpile(source, path))) {
      if (target.kind === 'tf' || (target.kind === 'node' && isBuiltin(target.path))) continue;
      if (inPackage(target.path)) {
        throw new UserError(`model.module ${shown(path)} imports the package '${specifier}', which the trainer image does not have (it has @tensorflow/* and Node's built-ins): copy what you need into your own files, then create the job again`);
      }
      queue.push(target.path);
    }
  }
  return files;
}

// The install step that `npm start` and `npm test` run first, on a small
// project of its own: when it installs (no node_modules, a changed lock),
// when it adopts an install it did not make, what it never touches, and its
// one-line errors. npm is a stand-in script here (named npm-cli.js, as npm's
// own is); the real `npm ci` runs on a fresh clone in CI (.ci/run).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { STAMP_FILE, ensureInstalled, installReason, lockHash } from '../../../scripts/ensureInstalled.mjs';
import { tempDir } from '../../helpers/cleanup';

function writeLock(root: string, versions: Record<string, string>): void {
  const packages: Record<string, unknown> = { '': { name: 'p', version: '1.0.0' } };
  for (const [name, version] of Object.entries(versions)) packages[`node_modules/${name}`] = { version };
  packages['node_modules/native-only'] = { version: '4.0.0', optional: true };
  writeFileSync(join(root, 'package-lock.json'), JSON.stringify({ name: 'p', lockfileVersion: 3, packages }));
}

function project(versions: Record<string, string>): string {
  const root = tempDir('ms-install-');
  writeLock(root, versions);
  return root;
}

function install(root: string, versions: Record<string, string>): void {
  for (const [name, version] of Object.entries(versions)) {
    mkdirSync(join(root, 'node_modules', name), { recursive: true });
    writeFileSync(join(root, 'node_modules', name, 'package.json'), JSON.stringify({ name, version }));
  }
}

/** A stand-in for npm's npm-cli.js: `ci` installs `versions` (or fails with `exitCode`) and records its arguments. */
function fakeNpm(versions: Record<string, string>, exitCode = 0): string {
  const dir = tempDir('ms-fake-npm-');
  const script = join(dir, 'npm-cli.js');
  writeFileSync(
    script,
    `const fs = require('fs'), path = require('path');
fs.writeFileSync(${JSON.stringify(join(dir, 'args.json'))}, JSON.stringify(process.argv.slice(2)));
fs.rmSync('node_modules', { recursive: true, force: true });
if (${exitCode} !== 0) process.exit(${exitCode});
for (const [name, version] of Object.entries(${JSON.stringify(versions)})) {
  fs.mkdirSync(path.join('node_modules', name), { recursive: true });
  fs.writeFileSync(path.join('node_modules', name, 'package.json'), JSON.stringify({ name, version }));
}`,
  );
  return script;
}

function npmArgs(script: string): string[] | undefined {
  const file = join(script, '..', 'args.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as string[]) : undefined;
}

test('a fresh clone (no node_modules) runs npm ci, says why, and stamps the lock it installed', async () => {
  const root = project({ a: '1.0.0' });
  assert.equal(installReason(root), 'no node_modules yet');
  const npm = fakeNpm({ a: '1.0.0' });
  const lines: string[] = [];
  await ensureInstalled('npm test', { root, log: (line) => lines.push(line), env: { ...process.env, npm_execpath: npm } });
  assert.deepEqual(npmArgs(npm), ['ci', '--no-audit', '--no-fund']);
  assert.match(lines[0], /^npm test: installing the dependencies with `npm ci` \(no node_modules yet\)/);
  assert.match(lines.at(-1) ?? '', /^npm test: dependencies installed in \d+ s$/);
  assert.equal(readFileSync(join(root, 'node_modules', STAMP_FILE), 'utf8').trim(), lockHash(root));
  assert.equal(installReason(root), undefined, 'the next run installs nothing');
});

test('a changed package-lock.json installs again', async () => {
  const root = project({ a: '1.0.0' });
  install(root, { a: '1.0.0' });
  assert.equal(installReason(root), undefined, 'an install that matches the lock is adopted');
  writeLock(root, { a: '1.1.0' });
  assert.equal(installReason(root), 'package-lock.json changed since the last install');
  const npm = fakeNpm({ a: '1.1.0' });
  await ensureInstalled('npm start', { root, log: () => undefined, env: { ...process.env, npm_execpath: npm } });
  assert.ok(npmArgs(npm), 'npm ci ran');
  assert.equal(installReason(root), undefined);
});

test('an install without a stamp is adopted only when every required package is there at its locked version', () => {
  const root = project({ a: '1.0.0', b: '2.0.0' });
  install(root, { a: '1.0.0' });
  assert.equal(installReason(root), 'node_modules does not match package-lock.json: b is missing');
  install(root, { b: '2.0.1' });
  assert.equal(installReason(root), 'node_modules does not match package-lock.json: b is 2.0.1, the lock says 2.0.0');
  install(root, { b: '2.0.0' });
  assert.equal(installReason(root), undefined, 'the optional package may be missing');
  assert.equal(readFileSync(join(root, 'node_modules', STAMP_FILE), 'utf8').trim(), lockHash(root));
});

test('a linked node_modules (a shared install) is never reinstalled, only reported', async () => {
  const shared = project({ a: '1.0.0' });
  install(shared, { a: '1.0.0' });
  const root = project({ a: '2.0.0' });
  symlinkSync(join(shared, 'node_modules'), join(root, 'node_modules'), 'dir');
  const npm = fakeNpm({ a: '2.0.0' });
  const lines: string[] = [];
  await ensureInstalled('npm test', { root, log: (line) => lines.push(line), env: { ...process.env, npm_execpath: npm } });
  assert.equal(npmArgs(npm), undefined, 'npm did not run');
  assert.match(lines.join('\n'), /a is 1\.0\.0, the lock says 2\.0\.0; node_modules links to a shared install .*left alone: run `npm ci` there/);
  assert.equal(existsSync(join(shared, 'node_modules', STAMP_FILE)), false, 'nothing written into the shared install');
});

test('a failed npm ci is one line that says what to do, and leaves no stamp', async () => {
  const root = project({ a: '1.0.0' });
  const npm = fakeNpm({}, 1);
  await assert.rejects(
    ensureInstalled('npm test', { root, log: () => undefined, env: { ...process.env, npm_execpath: npm } }),
    (error: Error) => {
      assert.equal(error.message, 'npm ci failed (exit 1; its output is above): fix what it reports, then run `npm ci` and retry');
      return true;
    },
  );
  assert.equal(existsSync(join(root, 'node_modules', STAMP_FILE)), false);
  assert.equal(installReason(root), 'no node_modules yet');
});

test('a missing npm is one line that says to install Node.js with npm', async () => {
  const root = project({ a: '1.0.0' });
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: tempDir('ms-empty-path-') };
  delete env.npm_execpath;
  await assert.rejects(ensureInstalled('npm start', { root, log: () => undefined, env }), /^Error: could not run npm \(.*ENOENT.*\): install Node\.js 20\+ with npm/);
});

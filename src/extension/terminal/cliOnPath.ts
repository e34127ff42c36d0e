// `model-studio` in VS Code's terminals: a small launcher in the extension's
// global storage runs the bundled CLI (dist/cli.js) with the Node.js VS Code
// runs on, and its folder goes on the PATH of every new terminal. So the
// example's README commands work in the workspace terminal of anyone who has
// the extension, with no npm install.
import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Log } from '../log';

export interface Launcher {
  name: string;
  text: string;
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The launcher for this platform: a shell script, or a .cmd file on Windows. */
export function launcherFor(platform: NodeJS.Platform, nodePath: string, cliPath: string): Launcher {
  if (platform === 'win32') {
    return {
      name: 'model-studio.cmd',
      text: ['@echo off', 'rem Model Studio’s command-line tool, run by the Node.js of VS Code (written by the extension).', 'setlocal', 'set ELECTRON_RUN_AS_NODE=1', `"${nodePath}" "${cliPath}" %*`, ''].join('\r\n'),
    };
  }
  return {
    name: 'model-studio',
    text: [
      '#!/bin/sh',
      '# Model Studio’s command-line tool, run by the Node.js of VS Code (written by the extension).',
      `ELECTRON_RUN_AS_NODE=1 exec ${shellQuote(nodePath)} ${shellQuote(cliPath)} "$@"`,
      '',
    ].join('\n'),
  };
}

/** Puts `model-studio` on new terminals' PATH; the launcher is written after activation, off its path. */
export function putCliOnTerminalPath(context: vscode.ExtensionContext, log: Log): void {
  const binDir = path.join(context.globalStorageUri.fsPath, 'bin');
  const variables = context.environmentVariableCollection;
  variables.description = 'Puts `model-studio`, Model Studio’s command-line tool, on the PATH.';
  variables.prepend('PATH', binDir + path.delimiter);
  const launcher = launcherFor(process.platform, process.execPath, context.asAbsolutePath(path.join('dist', 'cli.js')));
  void writeLauncher(binDir, launcher).catch((error: unknown) => {
    log.warn(`Could not put model-studio on the terminal's PATH: ${error instanceof Error ? error.message : String(error)}`);
  });
}

async function writeLauncher(binDir: string, launcher: Launcher): Promise<void> {
  await mkdir(binDir, { recursive: true });
  const file = path.join(binDir, launcher.name);
  // Whole or not at all: another window may be running it right now.
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, launcher.text, { mode: 0o755 });
  await chmod(temp, 0o755);
  await rename(temp, file);
}

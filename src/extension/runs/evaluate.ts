// Evaluate Model runs `model-studio evaluate RUN --json` (the bundled CLI) in
// a child process: the same code path as the command line, and TF.js stays
// out of the extension host. Its output is checked, not trusted.
import { fork } from 'node:child_process';
import * as vscode from 'vscode';
import type { Evaluation } from '../../shared/events';
import { UserCancelledError, UserError } from '../../shared/errors';
import { isEvaluation } from '../../shared/protocol/runEvents';
import type { ExtensionServices } from '../services';
import { readSettings } from '../settings';
import type { RunEntry } from './runsModel';

export function evaluateWithCli(services: ExtensionServices, entry: RunEntry, token: vscode.CancellationToken): Promise<Evaluation> {
  const cli = services.context.asAbsolutePath('dist/cli.js');
  const args = ['evaluate', entry.record.id, '--json', '--runs-dir', entry.runsDir, '--backend', readSettings(entry.folder.uri).backend];
  services.log.info(`model-studio ${args.join(' ')}`);
  const child = fork(cli, args, {
    cwd: entry.folder.uri.fsPath,
    env: { ...process.env, ...services.native.env() },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    execArgv: [],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-8000);
  });
  const cancel = token.onCancellationRequested(() => child.kill());
  return new Promise<Evaluation>((resolve, reject) => {
    child.on('error', (error) => reject(new Error(`Could not start the evaluation: ${error.message}`)));
    child.on('close', (code, signal) => {
      cancel.dispose();
      if (token.isCancellationRequested) return reject(new UserCancelledError());
      if (stderr.trim()) services.log.debug(stderr.trim());
      const lastLine = stdout.trim().split('\n').at(-1) ?? '';
      if (code === 0) {
        try {
          const parsed: unknown = JSON.parse(lastLine);
          if (isEvaluation(parsed)) return resolve(parsed);
        } catch {
          // fall through to the error below
        }
        return reject(new Error(`The evaluation printed no result: ${lastLine.slice(0, 200)}`));
      }
      const reason = stderr.trim().split('\n').at(-1) ?? `exit ${code ?? signal}`;
      if (code === 2) reject(new UserError(reason));
      else reject(new Error(`The evaluation failed: ${reason}`));
    });
  });
}

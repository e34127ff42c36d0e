// The "Model Studio" output channel: a LogOutputChannel, so people pick the
// level and every line carries a timestamp.
import * as vscode from 'vscode';

export type Log = vscode.LogOutputChannel;

export function createLog(): Log {
  return vscode.window.createOutputChannel('Model Studio', { log: true });
}

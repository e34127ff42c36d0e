import type { ChildProcess } from 'node:child_process';

export function freePort(): Promise<number>;
export function installExtension(options: { bin: string; vsix: string; extensionsDir: string; userDataDir: string }): Promise<string>;
export function writeUserSettings(userDataDir: string, settings?: Record<string, unknown>): void;
export interface CodeServer {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
  output(): string;
}
export function startCodeServer(options: {
  bin: string;
  folder: string;
  port: number;
  extensionsDir: string;
  userDataDir: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}): Promise<CodeServer>;

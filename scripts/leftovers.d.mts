export const MARKER: string;
export interface MarkedProcess {
  pid: number;
  command: string;
}
export interface Leftovers {
  processes: MarkedProcess[];
  files: string[];
}
export function markedProcesses(value: string): MarkedProcess[];
export function waitForMarkedProcesses(value: string, graceMs: number): Promise<MarkedProcess[]>;
export function killMarkedProcesses(value: string): Promise<void>;
export interface RunScope {
  dir: string;
  env: NodeJS.ProcessEnv;
  leftovers(options?: { graceMs?: number; ignore?: RegExp[] }): Promise<Leftovers>;
  cleanUp(): Promise<void>;
}
export function createRunScope(prefix: string): RunScope;
export function describeLeftovers(leftovers: Leftovers, dir: string): string[];

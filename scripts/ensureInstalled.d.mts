export const projectRoot: string;
export const STAMP_FILE: string;
export class SetupError extends Error {}
export function lockHash(root: string): string;
export function firstMissingPackage(root: string): string | undefined;
export function installReason(root: string): string | undefined;
export function ensureInstalled(label: string, options?: { root?: string; log?: (line: string) => void; env?: NodeJS.ProcessEnv }): Promise<void>;
export function exitWithError(label: string, error: unknown): never;

export const CODE_SERVER_VERSION: string;
export const cacheDir: string;
export function codeServerBin(): string;
export function ensureCodeServer(options?: { log?: (line: string) => void }): Promise<string>;

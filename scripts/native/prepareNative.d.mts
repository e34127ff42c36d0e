export const TFJS_NODE_VERSION: string;
export const TENSORFLOW_VERSION: string;
export const nativeDir: string;
export function isPrepared(dir?: string): boolean;
export function prepareNative(options?: { log?: (line: string) => void }): Promise<string>;

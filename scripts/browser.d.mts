export const BROWSER_ENV: string;
export interface BrowserSearch {
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  home?: string;
  exists?: (file: string) => boolean;
}
export function browserCandidates(options?: Omit<BrowserSearch, 'exists'>): { named: string[]; others: string[] };
export function findBrowser(options?: BrowserSearch): string | undefined;
export function browserMissingMessage(platform?: NodeJS.Platform): string;
export function browserRequired(env?: NodeJS.ProcessEnv): boolean;
export function requireBrowser(options?: BrowserSearch): string;
export function browserTestSkip(options?: BrowserSearch): string | false;

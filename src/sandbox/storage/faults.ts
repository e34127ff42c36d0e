// Fault injection for tests: the next matching request(s) fail with a chosen
// status, or are delayed, before the server looks at them.

export interface FaultRule {
  /** HTTP method to match (any when omitted). */
  method?: string;
  /** Matched against the request path and query (substring or RegExp). */
  path?: string | RegExp;
  /** Status to answer with; omit to only delay the request. */
  status?: number;
  message?: string;
  /** How many requests the rule applies to (default 1; Infinity for all). */
  times?: number;
  /** Waits this long before answering (or before handling, without status). */
  delayMs?: number;
}

export class Faults {
  private rules: (FaultRule & { left: number })[] = [];

  add(rule: FaultRule): void {
    this.rules.push({ ...rule, left: rule.times ?? 1 });
  }

  clear(): void {
    this.rules = [];
  }

  /** Returns the first rule matching this request and uses up one of its times. */
  take(method: string, url: string): FaultRule | undefined {
    const rule = this.rules.find(
      (r) =>
        r.left > 0 &&
        (r.method === undefined || r.method.toUpperCase() === method) &&
        (r.path === undefined || (typeof r.path === 'string' ? url.includes(r.path) : r.path.test(url))),
    );
    if (!rule) return undefined;
    rule.left -= 1;
    this.rules = this.rules.filter((r) => r.left > 0);
    return rule;
  }
}

export function faultReason(status: number): string {
  switch (status) {
    case 401:
      return 'required';
    case 403:
      return 'forbidden';
    case 404:
      return 'notFound';
    case 429:
      return 'rateLimitExceeded';
    default:
      return status >= 500 ? 'backendError' : 'invalid';
  }
}

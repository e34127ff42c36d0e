// Turns a failed `npm install @tensorflow/tfjs-node` into one sentence that
// says why and what to do. Pure: tests feed it npm's real output.

export type NativePackage = '@tensorflow/tfjs-node' | '@tensorflow/tfjs-node-gpu';

const OFFLINE = /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|network request|getaddrinfo|socket hang up)\b/i;

/** The host npm or the install script could not reach, when the output names one. */
function unreachableHost(output: string): string | undefined {
  return /(?:ENOTFOUND|EAI_AGAIN|getaddrinfo \w+)\s+([a-z0-9.-]+\.[a-z]{2,})/i.exec(output)?.[1];
}

export function describeNpmFailure(pkg: NativePackage, output: string, exitCode: number | null): string {
  if (OFFLINE.test(output)) {
    const host = unreachableHost(output);
    return (
      `Could not download ${pkg}: this machine cannot reach ${host ?? 'the network'}. ` +
      'It needs the npm registry and storage.googleapis.com (for libtensorflow); connect, or set npm’s proxy, and retry. Training keeps using WebAssembly.'
    );
  }
  if (/\bE(ACCES|PERM)\b/.test(output)) {
    return `Could not install ${pkg}: permission denied writing the extension’s storage folder. Check its permissions and retry.`;
  }
  if (/\bENOSPC\b/.test(output)) return `Could not install ${pkg}: the disk is full (it needs about 400 MB).`;
  if (/\bE404\b|code E404|404 Not Found/.test(output)) return `Could not install ${pkg}: the registry does not have it (404); check npm’s registry setting.`;
  if (/node-pre-gyp|libtensorflow|Failed to download|install script/i.test(output)) {
    const line = output
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => /error|fail/i.test(l))
      .at(-1);
    return `${pkg} installed but its native library did not${line ? `: ${line.slice(0, 200)}` : ''}. See the log; training keeps using WebAssembly.`;
  }
  const last = output
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .at(-1);
  return `npm install ${pkg} failed (exit ${exitCode ?? '?'})${last ? `: ${last.slice(0, 200)}` : ''}. See the log for npm’s output.`;
}

// Finds what a command left behind: the processes it started that still run
// and the files in the temp folder it was given. Scoped to one run, because
// other people's tests run on the same machine at the same time: every child
// inherits a marker variable (found in /proc/PID/environ) and TMPDIR points
// at a fresh folder. Only node built-ins: it runs before npm packages exist.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { tmpdir } from 'node:os';

export const MARKER = 'MODEL_STUDIO_RUN_MARKER';

/** Processes (other than this one) whose environment carries MARKER=value. Linux only; [] elsewhere. */
export function markedProcesses(value) {
  let pids;
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const needle = `\0${MARKER}=${value}\0`;
  const found = [];
  for (const pid of pids) {
    if (Number(pid) === process.pid) continue;
    try {
      if (!`\0${readFileSync(`/proc/${pid}/environ`, 'latin1')}`.includes(needle)) continue;
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
      found.push({ pid: Number(pid), command });
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits up to `graceMs` for the marked processes to end; returns those still running. */
export async function waitForMarkedProcesses(value, graceMs) {
  const deadline = Date.now() + graceMs;
  let left = markedProcesses(value);
  while (left.length > 0 && Date.now() < deadline) {
    await sleep(200);
    left = markedProcesses(value);
  }
  return left;
}

/** SIGTERM, then SIGKILL after 3 s, for every marked process. */
export async function killMarkedProcesses(value) {
  for (const { pid } of markedProcesses(value)) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  for (const { pid } of await waitForMarkedProcesses(value, 3000)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/**
 * A scope for one run: a fresh temp folder as TMPDIR, the sandbox's default
 * data folder inside it, and a marker every child process inherits.
 */
export function createRunScope(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const marker = basename(dir);
  const env = {
    ...process.env,
    TMPDIR: dir,
    TMP: dir,
    TEMP: dir,
    MODEL_STUDIO_SANDBOX_DIR: join(dir, 'sandbox'),
    [MARKER]: marker,
  };
  return {
    dir,
    env,
    /**
     * What the run left: processes still running after `graceMs`, and the
     * entries of its temp folder (except `ignore`, caches of the tools that run the tests).
     */
    async leftovers({ graceMs = 5000, ignore = [] } = {}) {
      const processes = await waitForMarkedProcesses(marker, graceMs);
      const files = readdirSync(dir).filter((name) => !ignore.some((pattern) => pattern.test(name)));
      return { processes, files };
    },
    /** Ends every process of the run and removes its temp folder. */
    async cleanUp() {
      await killMarkedProcesses(marker);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Lines that name each leftover, for a report. */
export function describeLeftovers({ processes, files }, dir) {
  return [
    ...processes.map(({ pid, command }) => `still running: pid ${pid} ${command.slice(0, 200)}`),
    ...files.map((name) => `left in the temp folder: ${join(dir, name)}`),
  ];
}

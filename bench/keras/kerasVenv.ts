// A cached Python virtual environment with tensorflow-cpu (Keras included),
// installed from pip's configured index, for the Keras side of
// bench/kerasComparison.ts. Kept in .cache/keras-venv (1.6 GB); a stamp with
// the versions makes later runs instant.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TENSORFLOW_VERSION } from '../../scripts/native/prepareNative.mjs';

const venvDir = resolve(__dirname, '..', '..', '.cache', 'keras-venv');
const STAMP = 'prepared.json';

interface Stamp {
  tensorflow: string;
  python: string;
}

/** Runs a command; rejects with its last output line when it fails. */
export function runCommand(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-20000)));
    child.on('error', (error) => reject(new Error(`${command} could not start: ${error.message}`)));
    child.on('close', (code) => {
      if (code === 0) return resolvePromise(stdout);
      const last = (stderr || stdout).trim().split('\n').filter(Boolean).at(-1) ?? '';
      reject(new Error(`${command} ${args.slice(0, 3).join(' ')} failed (exit ${code}): ${last}`));
    });
  });
}

function readStamp(): Stamp | undefined {
  try {
    return JSON.parse(readFileSync(join(venvDir, STAMP), 'utf8')) as Stamp;
  } catch {
    return undefined;
  }
}

/** The venv's python, with tensorflow-cpu installed; creates the venv on first use. */
export async function ensureKerasVenv(log: (line: string) => void): Promise<string> {
  const python = join(venvDir, 'bin', 'python');
  if (readStamp()?.tensorflow === TENSORFLOW_VERSION && existsSync(python)) return python;
  rmSync(venvDir, { recursive: true, force: true });
  log(`keras: creating a Python virtual environment in ${venvDir}`);
  await runCommand('python3', ['-m', 'venv', venvDir]).catch((error: Error) => {
    throw new Error(`${error.message} (Debian: apt-get install python3-venv)`);
  });
  log(`keras: pip install tensorflow-cpu==${TENSORFLOW_VERSION} from pip's configured index (a minute or two)`);
  try {
    await runCommand(python, ['-m', 'pip', 'install', '--retries', '0', '--disable-pip-version-check', `tensorflow-cpu==${TENSORFLOW_VERSION}`], {
      PIP_RETRIES: '0',
    });
    const version = (await runCommand(python, ['-c', 'import sys; print(sys.version.split()[0])'])).trim();
    const stamp: Stamp = { tensorflow: TENSORFLOW_VERSION, python: version };
    writeFileSync(join(venvDir, STAMP), `${JSON.stringify(stamp, null, 2)}\n`);
  } catch (error) {
    rmSync(venvDir, { recursive: true, force: true });
    throw error;
  }
  return python;
}

import { spawn } from 'node:child_process';
import { REPO } from './files.js';

export interface CliResult {
  /** The exit code, or null when a signal ended the process. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A CLI that hangs is killed after this long, so it fails its test instead of stalling the run. */
const TIMEOUT_MS = 120_000;

/**
 * Runs `sluice <args>` as a child process, from source (`node --import tsx src/cli/main.ts`, the
 * code bin/sluice.js runs once built), so it never tests a stale dist/. `env` is added to this
 * process's environment. `killWhen`, called with the stderr so far on each chunk, may return a
 * delay in ms after which the child gets SIGKILL (once): a crash at a chosen moment.
 */
export function runSluice(args: string[], env: Record<string, string> = {}, killWhen?: (stderr: string) => number | undefined): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `${REPO}/src/cli/main.ts`, ...args], {
      cwd: REPO,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let armed = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      const delay = !armed && killWhen ? killWhen(stderr) : undefined;
      if (delay !== undefined) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), delay);
      }
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
  });
}

/** Runs `sluice <args>` and returns its stdout; throws (with its stderr) unless it exits 0. */
export async function sluiceOk(args: string[], env: Record<string, string> = {}): Promise<string> {
  const result = await runSluice(args, env);
  if (result.code !== 0) {
    throw new Error(`sluice ${args.join(' ')} exited with ${result.code ?? result.signal}:\n${result.stderr}`);
  }
  return result.stdout;
}

import { execFile, spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { promisify } from 'node:util';
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

const cliArgs = (args: string[]) => ['--import', 'tsx', `${REPO}/src/cli/main.ts`, ...args];

/** A running `sluice` child: the process (to signal it) and its result once it exits. */
export interface StartedSluice {
  child: ChildProcessWithoutNullStreams;
  /** stdout and stderr so far. */
  output(): { stdout: string; stderr: string };
  result: Promise<CliResult>;
}

/**
 * Starts `sluice <args>` as a child process, from source (`node --import tsx src/cli/main.ts`, the
 * code bin/sluice.js runs once built), so it never tests a stale dist/; `env` is added to this
 * process's environment. The caller may signal `child` (SIGINT as Ctrl-C does, SIGKILL as a
 * crash); a child still running after the timeout gets SIGKILL.
 */
export function startSluice(args: string[], env: Record<string, string> = {}): StartedSluice {
  const child = spawn(process.execPath, cliArgs(args), { cwd: REPO, env: { ...process.env, ...env }, stdio: 'pipe' });
  child.stdin.end();
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const result = new Promise<CliResult>((resolvePromise, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
  });
  return { child, output: () => ({ stdout, stderr }), result };
}

/**
 * Runs `sluice <args>` as a child process (see startSluice). `killWhen`, called with the stderr
 * so far on each chunk, may return a delay in ms after which the child gets SIGKILL (once): a
 * crash at a chosen moment.
 */
export function runSluice(args: string[], env: Record<string, string> = {}, killWhen?: (stderr: string) => number | undefined): Promise<CliResult> {
  const started = startSluice(args, env);
  if (killWhen) {
    let armed = false;
    started.child.stderr.on('data', () => {
      const delay = armed ? undefined : killWhen(started.output().stderr);
      if (delay !== undefined) {
        armed = true;
        setTimeout(() => started.child.kill('SIGKILL'), delay);
      }
    });
  }
  return started.result;
}

/** Runs `sluice <args>` to its end synchronously (for short commands); `status` is spawnSync's name for `code`. */
export function runSluiceSync(args: string[], env: Record<string, string> = {}): CliResult & { status: number | null } {
  const r = spawnSync(process.execPath, cliArgs(args), { cwd: REPO, env: { ...process.env, ...env }, encoding: 'utf8', timeout: TIMEOUT_MS });
  if (r.error) throw r.error;
  return { code: r.status, status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** runCli in this process, capturing what it prints (line by line, each line ending in a newline). */
export async function runCliInProcess(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const { runCli } = await import('../../src/cli/runCli.js');
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (t) => void (out += t + '\n'), err: (t) => void (err += t + '\n') });
  return { code, out, err };
}

/** Runs a TypeScript (or JavaScript) file in a fresh node process through tsx, from the repository root; its stdout. Throws unless it exits 0. */
export async function runScript(script: string, env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], { cwd: REPO, env: { ...process.env, ...env } });
  return stdout;
}

/** Runs `sluice <args>` and returns its stdout; throws (with its stderr) unless it exits 0. */
export async function sluiceOk(args: string[], env: Record<string, string> = {}): Promise<string> {
  const result = await runSluice(args, env);
  if (result.code !== 0) {
    throw new Error(`sluice ${args.join(' ')} exited with ${result.code ?? result.signal}:\n${result.stderr}`);
  }
  return result.stdout;
}

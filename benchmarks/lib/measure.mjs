// Runs one engine script as a whole child process and measures it from outside: wall time from
// spawn to exit (node start-up included, as a user sees it) and peak RSS.
//
// Peak RSS comes from GNU `/usr/bin/time -v` when the machine has it, else from the
// lib/rssAtExit.mjs preload (getrusage maxRSS at exit): both give the same high-water mark, and
// the preload needs nothing installed. A child that dies on a signal has no preload figure.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const RSS_PRELOAD = pathToFileURL(fileURLToPath(new URL('./rssAtExit.mjs', import.meta.url))).href;
const GNU_TIME = '/usr/bin/time';

/** 'time -v' when GNU time is there (busybox time has no -v), else 'preload'; BENCH_RSS=preload forces it. */
export const rssMethod = process.env.BENCH_RSS !== 'preload' &&
  spawnSync(GNU_TIME, ['-v', 'true'], { encoding: 'utf8' }).stderr?.includes('Maximum resident set size') ? 'time -v' : 'preload';

let running = null; // the child's process group, killed if the harness is interrupted
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (running) try { process.kill(-running, 'SIGKILL'); } catch { /* already gone */ }
    process.exit(130);
  });
}

/**
 * Runs `node <script>` with `env` added, logging stdout+stderr to `logFile`.
 * Resolves { rc, signal, timedOut, wallS, rssMB, cpuS, result, tail } (cpuS only with time -v): `result` is the parsed last `RESULT {json}`
 * line (null when absent), `tail` the last lines of stderr for failure reports.
 */
export function measure(script, { env = {}, logFile, timeoutS = 600, cwd = process.cwd() }) {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const timeFile = `${logFile}.time`;
  fs.rmSync(timeFile, { force: true });
  const nodeArgs = ['--import', RSS_PRELOAD, script];
  const [cmd, args] = rssMethod === 'time -v'
    ? [GNU_TIME, ['-v', '-o', timeFile, process.execPath, ...nodeArgs]]
    : [process.execPath, nodeArgs];

  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    const start = performance.now();
    // own process group, so a timeout kills node and not only the `time` wrapper
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    running = child.pid;
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, timeoutS * 1000);
    child.on('close', (code, signal) => {
      const wallS = (performance.now() - start) / 1000;
      clearTimeout(timer);
      running = null;
      fs.writeFileSync(logFile, `$ ${[cmd, ...args].join(' ')}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`);
      const timeText = fs.existsSync(timeFile) ? fs.readFileSync(timeFile, 'utf8') : '';
      resolve({
        rc: code ?? 128, // GNU time exits with its command's status
        signal: signal ?? timeText.match(/Command terminated by signal (\d+)/)?.[1] ?? null,
        timedOut: wallS >= timeoutS,
        wallS,
        rssMB: peakRssKB(timeText, stderr) / 1024,
        cpuS: cpuSeconds(timeText), // user + sys; below wall × cores means waiting (I/O, neighbours)
        result: lastResult(stdout),
        tail: failureSummary(stderr),
      });
    });
  });
}

/** The error line of a failed child's stderr (not its stack), else its last lines. */
function failureSummary(stderr) {
  const lines = stderr.split('\n').filter((l) => l.trim() && !l.startsWith('BENCH_PEAK_RSS_KB'));
  const error = lines.find((l) => /^\w*(Error|Exception)\b|^error:/i.test(l.trim()));
  return error ? error.trim() : lines.slice(-3).join('\n');
}

function cpuSeconds(timeText) {
  const user = timeText.match(/User time \(seconds\): ([\d.]+)/);
  const sys = timeText.match(/System time \(seconds\): ([\d.]+)/);
  return user && sys ? Number(user[1]) + Number(sys[1]) : null;
}

function peakRssKB(timeText, stderr) {
  const fromTime = timeText.match(/Maximum resident set size \(kbytes\): (\d+)/);
  if (fromTime) return Number(fromTime[1]);
  const fromPreload = [...stderr.matchAll(/^BENCH_PEAK_RSS_KB (\d+)$/gm)].pop();
  return fromPreload ? Number(fromPreload[1]) : NaN;
}

function lastResult(stdout) {
  const line = stdout.split('\n').filter((l) => l.startsWith('RESULT ')).pop();
  if (!line) return null;
  try { return JSON.parse(line.slice(7)); } catch { return null; }
}

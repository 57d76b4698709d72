// The registry this project installs from serves only linux-x64 builds of native packages, so
// `npm install` leaves the other platforms' optional binaries (DuckDB's, Polars') out of
// package-lock.json — and `npm ci` then refuses the lock as out of sync. This adds those
// entries back, marked optional with their os/cpu, so `npm ci` skips them on this platform
// without fetching. Run after any `npm install` that rewrites the lock:  node .ci/complete-lock.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const lockPath = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const packages = lock.packages;
let added = 0;
for (const [path, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (packages[key] || packages[`${path}/${key}`]) continue;
    const platform = platformOf(name);
    if (!platform) throw new Error(`cannot tell the platform of optional package ${name}: add it by hand`);
    packages[key] = { version, ...(entry.dev ? { dev: true } : {}), optional: true, ...platform };
    added++;
  }
}
// npm sorts the packages map by path; keep that so the file diffs cleanly.
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync(lockPath, JSON.stringify(lock, null, 2) + '\n');
console.log(`complete-lock: added ${added} optional platform entries`);

function platformOf(name) {
  const m = /(darwin|linux|win32|android|freebsd)-(x64|arm64|ia32|arm)(?:-(gnu|musl|msvc))?$/.exec(name);
  if (!m) return undefined;
  const [, os, cpu, libc] = m;
  return { os: [os], cpu: [cpu], ...(libc === 'gnu' || libc === 'musl' ? { libc: [libc === 'gnu' ? 'glibc' : 'musl'] } : {}) };
}

// Preloaded into every timed child (`node --import`): prints the process's peak resident set
// size when it exits, so run.mjs can measure memory without /usr/bin/time (absent on a fresh
// Debian). maxRSS is getrusage's high-water mark: it counts native threads (DuckDB, Polars) too.
process.on('exit', () => {
  process.stderr.write(`\nBENCH_PEAK_RSS_KB ${process.resourceUsage().maxRSS}\n`);
});

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { listFunctions } from '../../src/expr/functions.js';
import { REPO } from '../support/files.js';
import { runCliInProcess as cli } from '../support/cli.js';

describe('sluice functions', () => {
  it('lists every function: its signature, then the first sentence of its description', async () => {
    const { code, out } = await cli(['functions']);
    expect(code).toBe(0);
    const all = listFunctions();
    for (const f of all) expect(out).toContain(`${f.signature}\n    `);
    expect(out).toContain('hash(a, b, ...) → int\n    Spark\'s Murmur3 x86_32 hash of the arguments, seed 42 (NULLs skipped): the same int as Spark\'s hash().');
    expect(out).toContain(`\n${all.length} functions. Run 'sluice functions <name>'`);
  });

  it('describes one function, found by name or alias in any case', async () => {
    const { code, out } = await cli(['functions', 'CARDINALITY']);
    expect(code).toBe(0);
    expect(out).toBe([
      'size(x: array | map) → int',
      '',
      "The number of elements of an array or entries of a map; -1 for NULL (Spark's legacy default).",
      '',
      'Category:  collection',
      'Arguments: 1',
      'Aliases:   cardinality',
      'In code:   F.size(...)',
      '',
    ].join('\n'));
    const json = JSON.parse((await cli(['functions', 'array_join', '--json'])).out);
    expect(json).toEqual([{ name: 'array_join', aliases: [], category: 'collection', signature: 'array_join(a: array, delimiter: string, nullReplacement?: string) → string',
      description: 'The elements as text joined by delimiter; NULL elements skipped unless nullReplacement is given.', minArgs: 2, maxArgs: 3 }]);
  });

  it('names the nearest function for a misspelt one (exit 2)', async () => {
    const { code, err } = await cli(['functions', 'array_contain']);
    expect(code).toBe(2);
    expect(err).toContain("sluice: unknown function 'array_contain' (did you mean 'array_contains'?)");
  });

  it('is loaded lazily: sluice --version loads no expression code', () => {
    const hook = "export async function resolve(s, c, next) { const r = await next(s, c); if (r.url.includes('/src/expr/') || r.url.includes('functionsCommand')) process.stderr.write('LOADED ' + r.url + '\\n'); return r; }";
    const register = `import { register } from 'node:module'; register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}));`;
    const run = (args: string[]) => spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(register)}`, '--import', 'tsx', `${REPO}/src/cli/main.ts`, ...args], { cwd: REPO, encoding: 'utf8' });
    const version = run(['--version']);
    expect(version.status).toBe(0);
    expect(version.stderr).not.toContain('LOADED');
    // The hook does see a verb that loads them.
    expect(run(['functions', 'hash']).stderr).toContain('functionsCommand');
  });
});

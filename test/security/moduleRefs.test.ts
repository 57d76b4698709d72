import { existsSync } from 'node:fs';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadJobSpec } from '../../src/job/spec/loadJobSpec.js';
import { runJobSpec } from '../../src/job/spec/runJobSpec.js';
import { loadRowFn } from '../../transforms/rows/rowFunction.js';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { writeJson } from '../job/helpers.js';
import { runSluiceSync } from '../support/cli.js';
import { tempDir } from '../support/files.js';


/** A job folder with a data file whose rows name a file (the `rmSync` attack reads `path`). */
async function jobFolder(): Promise<{ dir: string; victim: string; csv: string }> {
  const dir = await tempDir('sluice-modref-');
  const victim = join(dir, 'victim.txt');
  await writeFile(victim, 'keep me');
  const csv = join(dir, 'rows.csv');
  await writeFile(csv, `path\n${victim}\n`);
  return { dir, victim, csv };
}

const specWith = (csv: string, fn: { module: string; export?: string }, type: 'Map' | 'Filter' = 'Map') => ({
  name: 'modref',
  nodes: [
    { id: 'in', type: 'read', format: 'csv', paths: [csv], formatOptions: { withHeader: true } },
    { id: 'bad', type, input: 'in', function: fn },
    { id: 'out', type: 'write', input: 'bad', format: 'json', path: `${csv}.out` },
  ],
});

describe('a job spec cannot choose code', () => {
  it("refuses node: built-ins (rmSync on a data row's path), bare built-ins and process.abort", async () => {
    const { dir, victim, csv } = await jobFolder();
    for (const fn of [{ module: 'node:fs', export: 'rmSync' }, { module: 'fs', export: 'rmSync' }, { module: 'node:process', export: 'abort' }]) {
      const job = await writeJson(join(dir, 'job.json'), specWith(csv, fn, fn.export === 'abort' ? 'Filter' : 'Map'));
      await expect(runJobSpec(job)).rejects.toThrow(new RegExp(`nodes\\[1\\]\\.function\\.module \\(node 'bad'\\): .*${fn.module.startsWith('node:') ? 'node: URL' : 'built-in'}`));
    }
    expect(existsSync(victim)).toBe(true);
  });

  it('refuses data: and http: URLs without running them', async () => {
    const { dir, csv } = await jobFolder();
    const marker = join(dir, 'ran.txt');
    const code = `import { writeFileSync } from 'node:fs'; writeFileSync(${JSON.stringify(marker)}, 'x'); export default (r) => r;`;
    const dataUrl = `data:text/javascript,${encodeURIComponent(code)}`;
    await expect(loadJobSpec(specWith(csv, { module: dataUrl }), {}, { baseDir: dir })).rejects.toThrow(/nodes\[1\]\.function\.module \(node 'bad'\): '.*' is a data: URL/);
    await expect(loadJobSpec(specWith(csv, { module: 'http://127.0.0.1:9/fn.mjs' }), {}, { baseDir: dir })).rejects.toThrow(/is a http: URL/);
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses paths outside the job folder: absolute, file: URLs, .. escapes and symlinks out', async () => {
    const { dir, csv } = await jobFolder();
    const elsewhere = await tempDir('sluice-modref-other-');
    const outside = join(elsewhere, 'fns.mjs');
    await writeFile(outside, 'export default (r) => r;');
    await mkdir(join(dir, 'sub'));
    await symlink(outside, join(dir, 'sub', 'link.mjs'));
    const load = (module: string) => loadJobSpec(specWith(csv, { module }), {}, { baseDir: dir });
    await expect(load(outside)).rejects.toThrow(`'${outside}' is ${outside}, outside the job's folder ${dir}`);
    await expect(load(pathToFileURL(outside).href)).rejects.toThrow(`outside the job's folder ${dir}`);
    const escape = `../${elsewhere.split('/').pop()}/fns.mjs`;
    await expect(load(escape)).rejects.toThrow(`'${escape}' is ${outside}, outside the job's folder`);
    await expect(load('./sub/link.mjs')).rejects.toThrow(`'./sub/link.mjs' is a symbolic link to ${outside}, outside the job's folder`);
    // The same folder, allowed by the user, is fine: the plan carries the file's absolute URL.
    const plan = await loadJobSpec(specWith(csv, { module: outside }), {}, { baseDir: dir, allowModuleDirs: [elsewhere] });
    expect(await plan.sinks[0].frame.toRows()).toHaveLength(1);
  });

  it('imports a package only when the user names it', async () => {
    const { dir, csv } = await jobFolder();
    const pkg = join(dir, 'node_modules', '@team', 'fns');
    await mkdir(pkg, { recursive: true });
    await writeFile(join(pkg, 'package.json'), '{"name": "@team/fns", "type": "module", "main": "index.js"}');
    await writeFile(join(pkg, 'index.js'), 'export const upper = (r) => ({ path: r.path.toUpperCase() });');
    const spec = specWith(csv, { module: '@team/fns', export: 'upper' });
    await expect(loadJobSpec(spec, {}, { baseDir: dir })).rejects.toThrow("package '@team/fns' is not allowed: a job spec imports a package only when the user allows it (sluice run --allow-module-package @team/fns");
    const plan = await loadJobSpec(spec, {}, { baseDir: dir, allowModulePackages: ['@team/fns'] });
    expect(await plan.sinks[0].frame.toRows()).toEqual([{ path: join(dir, 'victim.txt').toUpperCase() }]);
  });

  it('the importer loads absolute file: URLs only, whatever a plan carries', async () => {
    await expect(loadRowFn({ module: 'node:fs', export: 'rmSync' })).rejects.toThrow("refusing to import row function module 'node:fs'");
    await expect(loadRowFn({ module: 'data:text/javascript,export default 1', export: 'default' })).rejects.toThrow('a plan carries module files as absolute file: URLs only');
    await expect(loadRowFn({ module: './fns.mjs', export: 'default' })).rejects.toThrow('refusing to import');
    // Code given through the API is trusted, but a built-in is still no row function.
    expect(() => DataFrame.fromRows([{ a: 1 }]).map({ module: 'node:fs', export: 'rmSync' })).toThrow("Map f: module 'node:fs' is not a module file");
  });

  it('sluice run refuses a node: module and takes --allow-module-dir', async () => {
    const { dir, victim, csv } = await jobFolder();
    const job = await writeJson(join(dir, 'job.json'), specWith(csv, { module: 'node:fs', export: 'rmSync' }));
    const cli = (...args: string[]) => runSluiceSync(['run', ...args]);
    const refused = cli(job);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain("nodes[1].function.module (node 'bad'): 'node:fs' is a node: URL");
    expect(existsSync(victim)).toBe(true);

    const fnsDir = await tempDir('sluice-modref-fns-');
    await writeFile(join(fnsDir, 'fns.mjs'), 'export const same = (r) => r;');
    const ok = await writeJson(join(dir, 'ok.json'), specWith(csv, { module: join(fnsDir, 'fns.mjs'), export: 'same' }));
    expect(cli(ok).stderr).toContain('outside the job\'s folder');
    const allowed = cli(ok, '--allow-module-dir', fnsDir);
    expect(allowed.stderr).not.toContain('outside');
    expect(allowed.status).toBe(0);
  });
});

describe('a job spec cannot call a module UDF it did not approve', () => {
  it('refuses a module-udf call as expression JSON or as text, without importing it', async () => {
    const { dir, csv } = await jobFolder();
    const marker = join(dir, 'ran.txt');
    const evil = join(dir, '..', `evil-${Date.now()}.mjs`);
    await writeFile(evil, `import { writeFileSync } from 'node:fs'; writeFileSync(${JSON.stringify(marker)}, 'ran'); export const f = () => true;`);
    const call = { kind: 'call', fn: 'module-udf', args: [{ kind: 'lit', value: pathToFileURL(evil).href }, { kind: 'lit', value: 'f' }, { kind: 'lit', value: 'boolean' }, { kind: 'col', name: 'path' }] };
    const nodes = (node: object) => ({ name: 'udfref', nodes: [{ id: 'in', type: 'read', format: 'csv', paths: [csv], formatOptions: { withHeader: true } }, { id: 'bad', input: 'in', ...node }, { id: 'out', type: 'write', input: 'bad', format: 'json', path: `${csv}.out` }] });
    // Expressions in a spec are SQL text, and no SQL text spells the call's name (module-udf is module minus udf(…)).
    for (const node of [{ type: 'Filter', condition: call }, { type: 'WithColumns', columns: { x: { kind: 'not', expr: call } } }]) {
      const job = await writeJson(join(dir, 'job.json'), nodes(node));
      await expect(runJobSpec(job)).rejects.toThrow(/invalid job spec .*must be a string/s);
    }
    const asText = await writeJson(join(dir, 'job.json'), nodes({ type: 'Filter', condition: `module-udf('${pathToFileURL(evil).href}', 'f', 'boolean', path)` }));
    await expect(runJobSpec(asText)).rejects.toThrow(/unknown function 'udf'/);
    expect(existsSync(marker)).toBe(false);
  });
});

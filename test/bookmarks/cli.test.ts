import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvIds, ordersSpec, parquetIds, range, writeOrders } from './helpers.js';
import { REPO, tempDir } from '../support/files.js';
import { runCliInProcess, sluiceOk } from '../support/cli.js';

const cli = runCliInProcess;

describe('sluice run and sluice bookmarks', () => {
  it.concurrent('runs a JSON spec with bookmarks on, then shows, rewinds and resets its bookmark', async () => {
    const dir = await tempDir();
    const spec = join(dir, 'orders.json');
    await writeFile(spec, JSON.stringify({ ...ordersSpec(dir), bookmarks: { option: 'job-bookmark-enable' } }));
    await writeOrders(join(dir, 'in', 'a.csv'), [1, 2]);
    const first = await sluiceOk(['run', spec]);
    expect(first).toMatch(/^bookmark: run (jr_\w+) read 1 new file; bookmark version 1$/m);
    const firstRun = /run (jr_\w+)/.exec(first)![1];
    await writeOrders(join(dir, 'in', 'b.csv'), [3]);
    expect(await runInProcess([spec])).toMatch(/^bookmark: run jr_\w+ read 1 new file; bookmark version 2$/m);
    // The command line overrides the spec: pause reads the new file and leaves the bookmark.
    await writeOrders(join(dir, 'in', 'c.csv'), [4]);
    expect(await runInProcess([spec, '--job-bookmark-option', 'job-bookmark-pause'])).toMatch(/^bookmark: run jr_\w+ \(paused\) read 1 new file; bookmark left at version 2$/m);

    const shown = JSON.parse(await sluiceOk(['bookmarks', 'show', spec, '--json']));
    expect(shown).toMatchObject({ job: 'orders', version: 2, location: join(dir, '.sluice') });
    expect(shown.runs.map((r: { option: string; status: string; files: number }) => [r.option, r.status, r.files])).toEqual([
      ['enable', 'succeeded', 1], ['enable', 'succeeded', 1], ['pause', 'succeeded', 1],
    ]);
    expect(shown.sources.orders.files).toHaveLength(2); // the pause run did not advance it

    const table = await cli(['bookmarks', 'show', 'orders', '--state-dir', join(dir, '.sluice')]);
    expect(table.code).toBe(0);
    expect(table.out).toContain('job orders: bookmark version 2');
    expect(table.out).toMatch(/^ {2}source +high-water mark +tracked files +columns$/m);
    expect(table.out).toMatch(/^ {2}orders +\S+Z +2 +3$/m);
    expect(table.out).toMatch(new RegExp(`^  ${firstRun} +1 +enable +succeeded +\\S+ +\\S+ +4 +1 +1$`, 'm'));

    expect(await sluiceOk(['bookmarks', 'rewind', spec, firstRun])).toBe(`job orders: bookmark rewound to run ${firstRun} (version 3); the next run reads what came after it\n`);
    const afterRewind = await runInProcess([spec]);
    expect(afterRewind).toMatch(/read 2 new files; bookmark version 4/);
    expect(await sluiceOk(['bookmarks', 'reset', spec])).toBe('job orders: bookmark reset (version 5); the next run reads every file\n');
    expect(await runInProcess([spec])).toMatch(/read 3 new files; bookmark version 6/);
    // a, b (enable runs) + c (pause) + b, c (after rewind) + a, b, c (after reset)
    expect(await parquetIds(join(dir, 'lake'))).toEqual([1, 1, 2, 2, 3, 3, 3, 4, 4, 4]);
    expect(await csvIds(join(dir, 'copy'))).toEqual([1, 1, 2, 2, 3, 3, 3, 4, 4, 4]);
  }, 60_000);

  it.concurrent('gives a job script its bookmark from the command line, state beside the script', async () => {
    const dir = await tempDir();
    await writeOrders(join(dir, 'in', 'a.csv'), range(1, 3));
    const script = join(dir, 'nightly.mts');
    await writeFile(script, [
      `import { GlueContext, Job, getResolvedOptions } from ${JSON.stringify(join(REPO, 'src', 'index.ts'))};`,
      `const args = getResolvedOptions(process.argv, ['JOB_NAME', 'INPUT', 'OUTPUT']);`,
      `const glueContext = new GlueContext();`,
      `const job = new Job(glueContext);`,
      `await job.init(args.JOB_NAME, args);`,
      `const orders = glueContext.createDynamicFrame.fromOptions({ connectionType: 'file', connectionOptions: { paths: [args.INPUT] }, format: 'csv', formatOptions: { withHeader: true }, transformationCtx: 'orders' });`,
      `await glueContext.writeDynamicFrame.fromOptions({ frame: orders, connectionType: 'file', connectionOptions: { path: args.OUTPUT }, format: 'parquet', transformationCtx: 'sink' });`,
      `await job.commit();`,
    ].join('\n'));
    const run = () => sluiceOk(['run', script, '--INPUT', join(dir, 'in'), '--OUTPUT', join(dir, 'out'), '--job-bookmark-option', 'job-bookmark-enable']);
    expect(await run()).toMatch(/^job nightly: 3 rows written/m);
    await writeOrders(join(dir, 'in', 'b.csv'), [4]);
    expect(await run()).toMatch(/^job nightly: 1 rows written/m);
    expect(await parquetIds(join(dir, 'out'))).toEqual([1, 2, 3, 4]);
    const shown = await cli(['bookmarks', 'show', script, '--json']);
    expect(JSON.parse(shown.out)).toMatchObject({ job: 'nightly', version: 2, location: join(dir, '.sluice') });
  }, 60_000);

  it('explains wrong bookmark commands', async () => {
    const dir = await tempDir();
    expect(await cli(['bookmarks', 'list', 'x'])).toMatchObject({ code: 2, err: expect.stringContaining("sluice bookmarks: unknown action 'list'; use show, reset, rewind") });
    expect(await cli(['bookmarks', 'rewind', 'x'])).toMatchObject({ code: 2, err: expect.stringContaining('sluice bookmarks rewind needs a run id') });
    expect(await cli(['bookmarks', 'show', 'nobody', '--state-dir', dir])).toMatchObject({ code: 1, err: expect.stringContaining(`no bookmark state for job 'nobody' in ${dir}`) });
    expect((await cli(['bookmarks', '--help'])).out).toContain('Usage: sluice bookmarks show <job> [--json]');
    expect((await cli(['run', '--help'])).out).toContain('--job-bookmark-option job-bookmark-enable|job-bookmark-disable|job-bookmark-pause');
  });
});

/** `sluice run` in-process (same code path as the child, without its start-up cost). */
async function runInProcess(args: string[]): Promise<string> {
  const { code, out, err } = await cli(['run', ...args]);
  expect(code, err).toBe(0);
  return out;
}

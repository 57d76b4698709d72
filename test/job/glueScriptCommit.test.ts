import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GlueContext } from '../../src/job/GlueContext.js';
import { Job } from '../../src/job/Job.js';
import { runScript, runSluice } from '../support/cli.js';
import { filesUnder, REPO, tempDir } from '../support/files.js';
import { duck } from '../support/duck.js';

const ORDERS = 'id,status\n1,paid\n2,open\n3,paid\n';

/** A folder with orders.csv and a package.json making .ts scripts ES modules. */
async function jobDir(): Promise<string> {
  const dir = await tempDir();
  await writeFile(join(dir, 'orders.csv'), ORDERS);
  await writeFile(join(dir, 'package.json'), '{"type": "module"}');
  return dir;
}

/**
 * A Glue script writing two sinks (all orders as JSON to `a`, the paid ones as CSV to `b`);
 * `between` runs between the two writes, `end` after them.
 */
async function twoSinkScript(dir: string, { between = '', end = 'await job.commit();' } = {}): Promise<string> {
  const script = join(dir, 'two_sinks.ts');
  await writeFile(script, `
import { GlueContext, Job } from ${JSON.stringify(join(REPO, 'src/job/index.js'))};
const glueContext = new GlueContext();
const job = new Job(glueContext);
await job.init('two_sinks', {});
const orders = glueContext.createDynamicFrame.fromOptions({
  connectionType: 'file', connectionOptions: { paths: [${JSON.stringify(join(dir, 'orders.csv'))}] }, format: 'csv',
  formatOptions: { withHeader: true }, schema: { id: 'int64', status: 'string' },
});
await glueContext.writeDynamicFrame.fromOptions({ frame: orders, connectionType: 'file', connectionOptions: { path: ${JSON.stringify(join(dir, 'a'))} }, format: 'json' });
${between}
await glueContext.writeDynamicFrame.fromOptions({ frame: orders.filter("status = 'paid'"), connectionType: 'file', connectionOptions: { path: ${JSON.stringify(join(dir, 'b'))} }, format: 'csv' });
${end}
`);
  return script;
}

/** Data files under an output (not _SUCCESS). */
const dataFiles = async (out: string) => (await filesUnder(out)).filter((f) => !f.startsWith('_'));

/** Everything under the job folder besides its inputs: the outputs and any staging left. */
const written = async (dir: string) => (await filesUnder(dir)).filter((f) => f !== 'orders.csv' && f !== 'package.json' && f !== 'two_sinks.ts');

async function expectBothSinks(dir: string): Promise<void> {
  expect(await duck(`SELECT id::INTEGER AS id FROM read_json_auto('${dir}/a/*.json') ORDER BY id`)).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
  expect(await duck(`SELECT id::INTEGER AS id FROM read_csv_auto('${dir}/b/*.csv') ORDER BY id`)).toEqual([{ id: 1 }, { id: 3 }]);
  // Nothing staged is left beside the outputs.
  expect((await written(dir)).filter((f) => !/^[ab]\//.test(f))).toEqual([]);
}

describe('a Glue script without bookmarks publishes all its sinks together', () => {
  it('in-process: nothing is visible until job.commit(), then both sinks are', async () => {
    const dir = await jobDir();
    const glueContext = new GlueContext();
    const job = new Job(glueContext);
    await job.init('two_sinks', {});
    const orders = glueContext.createDynamicFrame.fromOptions({
      connectionType: 'file', connectionOptions: { paths: [join(dir, 'orders.csv')] }, format: 'csv',
      formatOptions: { withHeader: true }, schema: { id: 'int64', status: 'string' },
    });
    const a = await glueContext.writeDynamicFrame.fromOptions({ frame: orders, connectionType: 'file', connectionOptions: { path: join(dir, 'a') }, format: 'json' });
    await glueContext.writeDynamicFrame.fromOptions({ frame: orders.filter("status = 'paid'"), connectionType: 'file', connectionOptions: { path: join(dir, 'b') }, format: 'csv' });
    expect(a.files).toHaveLength(1);
    expect(a.files[0].startsWith(join(dir, 'a') + '/')).toBe(true);
    expect(await dataFiles(join(dir, 'a'))).toEqual([]);
    expect(await dataFiles(join(dir, 'b'))).toEqual([]);
    const summary = await job.commit();
    expect(summary).toMatchObject({ name: 'two_sinks', rows: 5 });
    expect(await filesUnder(join(dir, 'a'))).toEqual(['_SUCCESS', a.files[0].slice(join(dir, 'a').length + 1)]);
    await expectBothSinks(dir);
  });

  it('in-process: job.abort() after the first sink publishes nothing and releases the outputs', async () => {
    const dir = await jobDir();
    const glueContext = new GlueContext();
    const job = new Job(glueContext);
    await job.init('aborted', {});
    const orders = glueContext.createDynamicFrame.fromOptions({ connectionType: 'file', connectionOptions: { paths: [join(dir, 'orders.csv')] }, format: 'csv' });
    await glueContext.writeDynamicFrame.fromOptions({ frame: orders, connectionType: 'file', connectionOptions: { path: join(dir, 'a') }, format: 'json' });
    await job.abort(new Error('boom'));
    expect(await written(dir)).toEqual([]);
    // The output is free again: a plain write to it succeeds.
    await orders.write.json(join(dir, 'a'));
    expect(await dataFiles(join(dir, 'a'))).toHaveLength(1);
  });

  it('sluice run: a script that throws between its two sinks publishes neither and leaves nothing staged', async () => {
    const dir = await jobDir();
    const script = await twoSinkScript(dir, { between: "throw new Error('failed between the sinks');" });
    const r = await runSluice(['run', script]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('failed between the sinks');
    expect(await written(dir)).toEqual([]);
    // The retry that succeeds writes each row once.
    const ok = await twoSinkScript(dir);
    expect((await runSluice(['run', ok])).code).toBe(0);
    await expectBothSinks(dir);
  }, 60_000);

  it('sluice run: a script that never calls job.commit() still gets both sinks once it has run to its end', async () => {
    const dir = await jobDir();
    const script = await twoSinkScript(dir, { end: '' });
    const r = await runSluice(['run', script]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^job two_sinks: 5 rows written to 2 sinks in /);
    await expectBothSinks(dir);
  }, 60_000);

  it('plain node: a script without job.commit() publishes when it runs out of work; one that throws publishes nothing', async () => {
    const dir = await jobDir();
    await runScript(await twoSinkScript(dir, { end: "console.log('script end');" }));
    await expectBothSinks(dir);

    const other = await jobDir();
    const failing = await twoSinkScript(other, { between: "throw new Error('failed between the sinks');" });
    await expect(runScript(failing)).rejects.toThrow(/failed between the sinks/);
    expect(await dataFiles(join(other, 'a'))).toEqual([]);
    expect(await dataFiles(join(other, 'b'))).toEqual([]);
  }, 60_000);

  it.each(['after-stage-sink-2', 'before-manifest', 'mid-rename'])('sluice run killed at %s: the next run leaves each sink exactly once', async (point) => {
    const dir = await jobDir();
    const script = await twoSinkScript(dir);
    const crashed = await runSluice(['run', script], { SLUICE_CRASH_AT: point });
    expect(crashed.signal, crashed.stderr).toBe('SIGKILL');
    // Before the commit point nothing is visible; after it (mid-rename) the next write finishes it.
    if (point !== 'mid-rename') expect([...await dataFiles(join(dir, 'a')), ...await dataFiles(join(dir, 'b'))]).toEqual([]);
    const again = await runSluice(['run', script]);
    expect(again.code, again.stderr).toBe(0);
    if (point === 'mid-rename') {
      // The killed run had committed: its rows and the retry's (append) are both there, each whole.
      expect(await duck(`SELECT count(*)::INTEGER AS n FROM read_json_auto('${dir}/a/*.json')`)).toEqual([{ n: 6 }]);
      expect(await duck(`SELECT count(*)::INTEGER AS n FROM read_csv_auto('${dir}/b/*.csv')`)).toEqual([{ n: 4 }]);
    } else {
      await expectBothSinks(dir);
    }
  }, 60_000);
});

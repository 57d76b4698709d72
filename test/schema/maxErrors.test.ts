import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runJobSpec } from '../../src/job/spec/runJobSpec.js';
import { runSluice } from '../support/cli.js';
import { filesUnder, tempDir } from '../support/files.js';

async function badInput() {
  const dir = await tempDir('sluice-maxerr-');
  await writeFile(join(dir, 'in.jsonl'), '{"a": 1}\n{"a": "x"}\n{"a": 3}\n');
  return dir;
}
const spec = (dir: string, extra: object = {}) => ({
  name: 'maxerr',
  ...extra,
  nodes: [
    { id: 'src', type: 'read', format: 'json', paths: [join(dir, 'in.jsonl')], schema: { a: 'int32' } },
    { id: 'out', type: 'write', input: 'src', format: 'json', path: join(dir, 'out') },
  ],
});

describe('a run that made error records', () => {
  it('runJobSpec gives the count per node and the first messages; no limit by default', async () => {
    const dir = await badInput();
    const summary = await runJobSpec(spec(dir));
    expect(summary.errors).toBe(1);
    expect(summary.nodeErrors).toEqual({ src: 1 });
    expect(summary.sampleErrors[0].message).toMatch(/a: "x" is not a valid Int32/);
    expect((await readdir(join(dir, 'out'))).filter((f) => f.endsWith('.json'))).toHaveLength(1);
  });

  it('maxErrors refuses the run and publishes nothing', async () => {
    const dir = await badInput();
    await expect(runJobSpec(spec(dir, { maxErrors: 0 }))).rejects.toThrow(/1 error record \(src 1\), more than maxErrors 0: nothing was published/);
    expect(await filesUnder(dir)).toEqual(['in.jsonl']);
    const ok = await runJobSpec(spec(dir, { maxErrors: 1 }));
    expect(ok.sinks[0].rows).toBe(2);
    expect((await readdir(join(dir, 'out'))).sort()).toEqual(['_SUCCESS', ...ok.sinks[0].files.map((f) => f.split('/').at(-1)!)].sort());
  });

  it('the CLI says so on stderr, and --max-errors refuses publishing anything', async () => {
    const dir = await badInput();
    const job = join(dir, 'job.json');
    await writeFile(job, JSON.stringify(spec(dir)));
    const refused = await runSluice(['run', job, '--max-errors', '0']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/more than maxErrors 0: nothing was published/);
    expect((await filesUnder(dir)).sort()).toEqual(['in.jsonl', 'job.json']);
    const run = await runSluice(['run', job]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/1 error record \(rows not written\) by node: src 1/);
    expect(run.stderr).toMatch(/is not a valid Int32/);
    const converted = await runSluice(['convert', join(dir, 'in.jsonl'), join(dir, 'conv'), '--to', 'json', '--schema', '{"a":"int32"}', '--max-errors', '0']);
    expect(converted.code).not.toBe(0);
    expect(converted.stderr).toMatch(/nothing was published/);
    expect((await readdir(dir)).includes('conv') ? await readdir(join(dir, 'conv')) : []).toEqual([]);
  });
});

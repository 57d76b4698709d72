import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { read } from '../../src/frame/read.js';
import { formatOfPath } from '../../src/io/formats/registry.js';
import { tempDir } from '../support/files.js';
import { duck } from '../support/duck.js';

/** Compresses `text` with the system's `bzip2` or `zstd` binary (the files Glue users have come from these tools). */
const compress = (tool: 'bzip2' | 'zstd', text: string): Buffer => execFileSync(tool, ['-c'], { input: text });

const CSV = 'id,name,amount\n1,ann,1.5\n2,bob,2.25\n3,cy,\n';
const JSONL = '{"id":1,"tags":["a"]}\n{"id":2,"tags":[]}\n';
const XML = '<rows><row><id>1</id><v>x</v></row><row><id>2</id><v>y</v></row></rows>\n';

describe('reading .bz2 and .zst files (by extension, as Spark and Glue do)', () => {
  it('reads CSV, JSON and XML compressed with bzip2 exactly as the plain files', async () => {
    const dir = await tempDir('sluice-bz2-');
    await writeFile(join(dir, 'plain.csv'), CSV);
    await writeFile(join(dir, 'orders.csv.bz2'), compress('bzip2', CSV));
    await writeFile(join(dir, 'events.jsonl.bz2'), compress('bzip2', JSONL));
    await writeFile(join(dir, 'rows.xml.bz2'), compress('bzip2', XML));
    expect(formatOfPath('orders.csv.bz2')).toBe('csv');
    expect(await read.csv(join(dir, 'orders.csv.bz2'), { withHeader: true }).toRows()).toEqual(await read.csv(join(dir, 'plain.csv'), { withHeader: true }).toRows());
    expect(await read.csv(join(dir, 'orders.csv.bz2'), { withHeader: true }).toRows()).toEqual([
      { id: 1, name: 'ann', amount: 1.5 },
      { id: 2, name: 'bob', amount: 2.25 },
      { id: 3, name: 'cy', amount: null },
    ]);
    expect(await read.json(join(dir, 'events.jsonl.bz2')).toRows()).toEqual([{ id: 1, tags: ['a'] }, { id: 2, tags: [] }]);
    expect(await read.xml(join(dir, 'rows.xml.bz2'), { rowTag: 'row' }).toRows()).toEqual([{ id: 1, v: 'x' }, { id: 2, v: 'y' }]);
  });

  it('reads a multi-block bzip2 file larger than one read chunk, as DuckDB reads the plain file', async () => {
    const dir = await tempDir('sluice-bz2-');
    // 900k bzip2 blocks: 120,000 rows make several blocks and several 1 MiB output chunks.
    const lines = ['n,word'];
    for (let i = 0; i < 120_000; i++) lines.push(`${i},w${(i * 7919) % 1000}`);
    const text = `${lines.join('\n')}\n`;
    await writeFile(join(dir, 'big.csv'), text);
    await writeFile(join(dir, 'big.csv.bz2'), compress('bzip2', text));
    const frame = read.csv(join(dir, 'big.csv.bz2'), { withHeader: true });
    expect(await frame.count()).toBe(120_000);
    const [expected] = await duck(`SELECT sum(n)::DOUBLE AS total, count(DISTINCT word)::INT AS words FROM read_csv('${dir}/big.csv')`);
    const rows = await frame.toRows();
    expect({ total: rows.reduce((s, r) => s + Number(r.n), 0), words: new Set(rows.map((r) => r.word)).size }).toEqual(expected);
  });

  it('decodes long runs (a block larger than its level once expanded) and files of several bzip2 streams (pbzip2)', async () => {
    const dir = await tempDir('sluice-bz2-');
    const runs = `v\n${'a'.repeat(3_000_000)}\n${'b'.repeat(10)}\n`;
    const lines = Array.from({ length: 1000 }, (_, i) => `${i}`).join('\n');
    await writeFile(join(dir, 'runs.csv.bz2'), compress('bzip2', runs));
    await writeFile(join(dir, 'multi.csv.bz2'), Buffer.concat([compress('bzip2', `v\n${lines}\n`), compress('bzip2', `${lines}\n`)]));
    const [long, short] = await read.csv(join(dir, 'runs.csv.bz2'), { withHeader: true }).toRows();
    expect([long.v, short.v]).toEqual(['a'.repeat(3_000_000), 'bbbbbbbbbb']);
    expect(await read.csv(join(dir, 'multi.csv.bz2'), { withHeader: true }).count()).toBe(2000);
  });

  it('reads zstd-compressed CSV', async () => {
    const dir = await tempDir('sluice-zst-');
    await writeFile(join(dir, 'orders.csv.zst'), compress('zstd', CSV));
    expect(await read.csv(join(dir, 'orders.csv.zst'), { withHeader: true }).toRows()).toEqual([
      { id: 1, name: 'ann', amount: 1.5 },
      { id: 2, name: 'bob', amount: 2.25 },
      { id: 3, name: 'cy', amount: null },
    ]);
  });

  it('a corrupt .bz2 file is an error naming the file', async () => {
    const dir = await tempDir('sluice-bz2-');
    const good = compress('bzip2', CSV);
    const bad = Buffer.concat([good.subarray(0, 10), Buffer.alloc(good.length - 10, 0x55)]);
    await writeFile(join(dir, 'broken.csv.bz2'), bad);
    await expect(read.csv(join(dir, 'broken.csv.bz2'), { withHeader: true }).toRows()).rejects.toThrow(/broken\.csv\.bz2.*bzip2/);
  });
});

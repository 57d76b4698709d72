import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { read } from '../../src/index.js';
import { tempDir } from '../support/files.js';

const DEEP = 10_000;
const deepArray = '['.repeat(DEEP) + ']'.repeat(DEEP);
const deepObject = '{"x":'.repeat(DEEP) + '1' + '}'.repeat(DEEP);

describe('JSON nested 10,000 deep', () => {
  it('is an error record naming file and line, not a stack overflow; the other rows read', async () => {
    const dir = await tempDir('sluice-deep-');
    const file = join(dir, 'deep.json');
    await writeFile(file, `{"a": 1, "b": [[1]]}\n{"a": 2, "b": ${deepArray}}\n{"a": 3, "b": null}\n{"a": 4, "c": ${deepObject}}\n`);
    const { table, errors } = await read.json(file).collect();
    expect(table.toArray().map((r) => r.toJSON().a)).toEqual([1, 3]);
    expect(errors.map((e) => [e.line, e.message])).toEqual([
      [2, `${file}:2: nested deeper than 1000 levels (the most Spark's JSON reader accepts)`],
      [4, `${file}:4: nested deeper than 1000 levels (the most Spark's JSON reader accepts)`],
    ]);
    await expect(read.json(file, { mode: 'failFast' }).toRows()).rejects.toThrow(`${file}:2: nested deeper than 1000 levels`);
  });

  it('in a document read by jsonPath, names the record', async () => {
    const dir = await tempDir('sluice-deep-');
    const file = join(dir, 'doc.json');
    await writeFile(file, `{"items": [{"a": 1}, {"a": 2, "b": ${deepArray}}]}`);
    const { table, errors } = await read.json(file, { jsonPath: '$.items[*]' }).collect();
    expect(table.numRows).toBe(1);
    expect(errors.map((e) => e.message)).toEqual([`${file} record 2 of $.items[*]: nested deeper than 1000 levels (the most Spark's JSON reader accepts)`]);
  });
});

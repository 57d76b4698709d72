import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { read } from '../../src/index.js';
import { tempDir } from '../support/files.js';

describe('JSON numbers and messages', () => {
  it('a whole number past int64 is inferred as a double, never wrapped', async () => {
    const dir = await tempDir('sluice-json-');
    const file = join(dir, 'big.json');
    await writeFile(file, '{"n": 1}\n{"n": 1.0e+28}\n{"n": -9.3e18}\n');
    const frame = read.json(file);
    expect((await frame.schema()).fields.map((f) => String(f.type))).toEqual(['Float64']);
    expect(await frame.toRows()).toEqual([{ n: 1 }, { n: 1e28 }, { n: -9.3e18 }]);
  });

  it('a value past int64 in a declared int64 column is an error record, not a wrapped number', async () => {
    const dir = await tempDir('sluice-json-');
    const file = join(dir, 'big.json');
    await writeFile(file, '{"n": 5}\n{"n": 1.0e+28}\n');
    const { table, errors } = await read.json(file, { schema: { n: 'int64' } }).collect();
    expect(table.toArray().map((r) => r.toJSON())).toEqual([{ n: 5n }]);
    expect(errors.map((e) => [e.line, e.raw])).toEqual([[2, '{"n": 1.0e+28}']]);
  });

  it('a document that does not parse is named by its file, not "record undefined"', async () => {
    const dir = await tempDir('sluice-json-');
    const file = join(dir, 'doc.json');
    await writeFile(file, '[{"a": 1}, {"a": }]');
    const { errors } = await read.json(file, { jsonPath: '$[*]' }).collect();
    expect(errors).toHaveLength(1);
    expect(errors[0].message).not.toMatch(/undefined/);
    expect(errors[0].message.startsWith(`${file}`)).toBe(true);
  });
});

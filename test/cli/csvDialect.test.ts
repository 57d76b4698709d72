import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSluice } from '../support/cli.js';
import { duck } from '../support/duck.js';
import { tempDir } from '../support/files.js';

describe('sluice and CSV dialects and encodings', () => {
  it('show --dialect and schema --dialect report the sniffed dialect; options override it', async () => {
    const dir = await tempDir('sluice-cli-');
    const csv = join(dir, 'report.csv');
    await writeFile(csv, "Monthly report\n\nid;label\n1;'a;b'\n2;'c'\n");
    const shown = await runSluice(['show', csv, '--dialect']);
    expect(shown.code).toBe(0);
    expect(shown.stderr).toBe(`sluice: ${csv}: CSV dialect: separator ";", quote "'", escape none, header yes, skip 2, lineSep "\\n", multiLine false, encoding utf-8\n`);
    expect(shown.stdout).toContain('| 1         | a;b           |');
    const schema = await runSluice(['schema', csv, '--dialect']);
    expect(JSON.parse(schema.stdout)).toEqual({ id: 'int32', label: 'string' });
    expect(JSON.parse(schema.stderr)).toEqual({
      file: csv,
      dialect: { separator: ';', quoteChar: "'", escaper: '', withHeader: true, skip: 2, lineSep: '\n', multiLine: false, encoding: 'utf-8' },
    });
    const given = await runSluice(['schema', csv, '--option', 'skip=0', '--option', 'quoteChar=-1', '--no-header']);
    expect(Object.keys(JSON.parse(given.stdout))).toEqual(['col0']);
  });

  it('convert: a Latin-1 byte in a UTF-8 read is an error record, the Parquet file is valid; with encoding it converts', async () => {
    const dir = await tempDir('sluice-cli-');
    const csv = join(dir, 'people.csv');
    await writeFile(csv, Buffer.concat([Buffer.from('id,name\n1,Ann\n2,Ren'), Buffer.from([0xe9]), Buffer.from('\n')]));
    const utf8 = await runSluice(['convert', csv, join(dir, 'out'), '--to', 'parquet']);
    expect(utf8.code).toBe(0);
    expect(utf8.stdout).toContain(`${csv}:3: invalid UTF-8 (byte 0xE9)`);
    expect(await duck(`SELECT * FROM read_parquet('${join(dir, 'out')}/*.parquet')`)).toEqual([{ id: 1, name: 'Ann' }]);
    const latin1 = await runSluice(['convert', csv, join(dir, 'out1'), '--to', 'parquet', '--option', 'encoding=latin1']);
    expect(latin1.code).toBe(0);
    expect(await duck(`SELECT * FROM read_parquet('${join(dir, 'out1')}/*.parquet') ORDER BY id`)).toEqual([{ id: 1, name: 'Ann' }, { id: 2, name: 'René' }]);
    const back = await runSluice(['show', join(dir, 'out1')]);
    expect(back.code).toBe(0);
    expect(back.stdout).toContain('René');
  });
});

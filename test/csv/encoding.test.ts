import { describe, expect, it } from 'vitest';
import { csvReader } from '../../src/io/formats/csv/index.js';
import type { CsvOptions } from '../../src/io/formats/csv/index.js';
import { readCsvRange } from '../../src/io/formats/csv/readCsvRange.js';
import { SluiceError } from '../../src/types/ErrorRecord.js';
import { tempDir } from '../support/files.js';
import { collect, writeCsv } from './helpers.js';

const TEXT = 'id,name\n1,café\n2,€uro ½\n';
const ROWS = [{ id: 1, name: 'café' }, { id: 2, name: '€uro ½' }];

async function read(bytes: Uint8Array, options: CsvOptions) {
  const path = await writeCsv(await tempDir(), 'data.csv', bytes);
  const csv = { withHeader: true, ...options };
  return collect(csvReader.read(path, csv, { schema: await csvReader.inferSchema(path, csv) }));
}

const utf16 = (text: string, bigEndian: boolean, bom: boolean): Uint8Array => {
  const units = [...(bom ? [0xfeff] : []), ...Array.from(text, (c) => c.charCodeAt(0))];
  const out = new Uint8Array(units.length * 2);
  units.forEach((u, i) => {
    out[2 * i + (bigEndian ? 0 : 1)] = u >> 8;
    out[2 * i + (bigEndian ? 1 : 0)] = u & 0xff;
  });
  return out;
};

describe('CSV encodings', () => {
  it('windows-1252: € (0x80) and ½ (0xBD), header and values', async () => {
    const bytes = Uint8Array.from(Array.from(TEXT, (c) => (c === '€' ? 0x80 : c.charCodeAt(0))));
    for (const encoding of ['windows-1252', 'cp1252', 'Windows-1252']) expect((await read(bytes, { encoding })).rows).toEqual(ROWS);
  });

  it('iso-8859-1 (latin1): every byte is its code point, 0x80 a C1 control', async () => {
    const bytes = Uint8Array.from([...Array.from('id,name\n1,café\n2,', (c) => c.charCodeAt(0)), 0x80, 0x0a]);
    const { rows, errors } = await read(bytes, { encoding: 'latin1' });
    expect(errors).toEqual([]);
    expect(rows).toEqual([{ id: 1, name: 'café' }, { id: 2, name: '\u0080' }]);
    expect((await read(bytes, { encoding: 'ISO-8859-1' })).rows).toEqual(rows);
  });

  it('utf-16le and utf-16be: by BOM without the option, by the option without a BOM', async () => {
    for (const bigEndian of [false, true]) {
      expect((await read(utf16(TEXT, bigEndian, true), {})).rows).toEqual(ROWS);
      expect((await read(utf16(TEXT, bigEndian, false), { encoding: bigEndian ? 'utf-16be' : 'UTF-16LE' })).rows).toEqual(ROWS);
    }
  });

  it('a UTF-8 BOM is skipped, the header name included', async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(TEXT)]);
    expect((await read(bytes, {})).rows).toEqual(ROWS);
  });

  it('a UTF-16 file split in byte ranges is read whole by its first range', async () => {
    const path = await writeCsv(await tempDir(), 'data.csv', utf16(TEXT, false, true));
    const csv = { withHeader: true };
    const schema = await csvReader.inferSchema(path, csv);
    const first = await collect(readCsvRange(path, { start: 0, end: 10 }, csv, { schema }));
    const second = await collect(readCsvRange(path, { start: 10, end: 100 }, csv, { schema }));
    expect(first.rows).toEqual(ROWS);
    expect(second.rows).toEqual([]);
  });

  it('a latin1 file split in byte ranges reads every row once', async () => {
    const bytes = Uint8Array.from(Array.from('id,name\n1,café\n2,naïve\n3,end\n', (c) => c.charCodeAt(0)));
    const path = await writeCsv(await tempDir(), 'data.csv', bytes);
    const csv = { withHeader: true, encoding: 'latin1' };
    const schema = await csvReader.inferSchema(path, csv);
    const parts = await Promise.all([[0, 12], [12, 20], [20, bytes.length]].map(([start, end]) => collect(readCsvRange(path, { start, end }, csv, { schema }))));
    expect(parts.flatMap((p) => p.rows)).toEqual([{ id: 1, name: 'café' }, { id: 2, name: 'naïve' }, { id: 3, name: 'end' }]);
  });

  it('rejects an unknown encoding, naming the known ones', async () => {
    await expect(read(new TextEncoder().encode(TEXT), { encoding: 'ebcdic' })).rejects.toThrow(/encoding must be one of utf-8, iso-8859-1/);
  });
});

describe('invalid UTF-8', () => {
  const bytes = Uint8Array.from([...Array.from('id,name\n1,ok\n2,caf', (c) => c.charCodeAt(0)), 0xe9, ...Array.from('\n3,fine\n', (c) => c.charCodeAt(0))]);

  it('permissive: an error record naming file, line and column; never a replacement character', async () => {
    const { rows, errors } = await read(bytes, {});
    expect(rows).toEqual([{ id: 1, name: 'ok' }, { id: 3, name: 'fine' }]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 3, column: 2, raw: '2,caf\uFFFD' });
    expect(errors[0].message).toMatch(/data\.csv:3: invalid UTF-8 \(byte 0xE9\) at column 6 of the line, in field 2; set the encoding option/);
    expect(JSON.stringify(rows)).not.toContain('\uFFFD');
  });

  it('failFast: a SluiceError naming the line and column', async () => {
    const failed = await read(bytes, { mode: 'failFast' }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(SluiceError);
    expect((failed as Error).message).toMatch(/data\.csv:3: invalid UTF-8 \(byte 0xE9\) at column 6 of the line, in field 2.*\(mode failFast\)/);
  });

  it('dropMalformed drops the row and counts it', async () => {
    const { rows, dropped } = await read(bytes, { mode: 'dropMalformed' });
    expect(rows).toHaveLength(2);
    expect(dropped).toBe(1);
  });

  it('in a header, the read fails and says where', async () => {
    const bad = Uint8Array.from([...Array.from('id,na', (c) => c.charCodeAt(0)), 0xff, ...Array.from('me\n1,x\n', (c) => c.charCodeAt(0))]);
    const path = await writeCsv(await tempDir(), 'data.csv', bad);
    await expect(collect(csvReader.read(path, { withHeader: true }, { schema: await csvReader.inferSchema(path, { withHeader: false }) })))
      .rejects.toThrow(/data\.csv:1: the header line is malformed: invalid UTF-8 \(byte 0xFF\) at column 6 of the line, in field 2/);
  });
});

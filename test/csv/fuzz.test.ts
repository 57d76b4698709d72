import { describe, expect, it } from 'vitest';
import { Dictionary, Field, Float64, Int32, Schema, TimestampMicrosecond, Utf8 } from 'apache-arrow';
import { parseCsvBytes, type CsvOptions } from '../../src/io/formats/csv/index.js';
import { SluiceError } from '../../src/types/ErrorRecord.js';
import { chunked, collect, positionalUtf8, seededRandom } from './helpers.js';

const SPECIAL = [0x22, 0x2c, 0x0a, 0x0d, 0x5c, 0x3b, 0x27, 0xef, 0xbb, 0xbf, 0xe4, 0x00, 0x31, 0x2d, 0x2e, 0x54, 0x3a];
const OPTION_SETS: CsvOptions[] = [
  {}, { multiLine: true }, { escaper: '\\' }, { escaper: '\\', multiLine: true }, { quoteChar: -1 },
  { separator: ';', quoteChar: "'" }, { withHeader: true }, { skipFirst: true, multiLine: true },
];

/** The promise's value, or the Error it rejected with (anything else thrown is rethrown). */
const settle = <T>(promise: Promise<T>): Promise<T | Error> => promise.catch((e: unknown) => {
  if (e instanceof Error) return e;
  throw e;
});

const typed = new Schema([
  new Field('id', new Int32()), new Field('ts', new TimestampMicrosecond('UTC')),
  new Field('x', new Float64()), new Field('s', new Utf8()),
]);

describe('CSV fuzz', () => {
  it('never crashes on random bytes: batches and error records, or SluiceError in failFast', async () => {
    const random = seededRandom(7);
    // How each case went: a fuzz loop whose checks all sit behind branches must show it took them.
    const outcomes = { badHeader: 0, withErrors: 0, clean: 0, rows: 0 };
    for (let i = 0; i < 300; i++) {
      const bytes = new Uint8Array(Math.floor(random() * 300));
      for (let j = 0; j < bytes.length; j++) {
        bytes[j] = random() < 0.6 ? SPECIAL[Math.floor(random() * SPECIAL.length)] : Math.floor(random() * 256);
      }
      const csv = OPTION_SETS[i % OPTION_SETS.length];
      const schema = i % 2 === 0 ? typed : positionalUtf8(1 + (i % 5));
      const source = (mode: CsvOptions['mode']) => parseCsvBytes(chunked(bytes, () => 1 + Math.floor(random() * 50)), {
        file: 'fuzz.csv', csv: { ...csv, mode }, read: { schema: csv.withHeader ? positionalUtf8(0) : schema, batchSize: 8 },
        // Random bytes are rarely UTF-8: one case in three is checked (invalid UTF-8 is an error
        // record), the others are read as if transcoded from another encoding, so rows get through.
        transcoded: i % 3 !== 0,
      });
      const read = await settle(collect(source('permissive')));
      if (read instanceof Error) {
        // Only a malformed header may stop a permissive read, and it says so.
        expect(read).toBeInstanceOf(SluiceError);
        expect(read.message).toMatch(/header line is malformed/);
        outcomes.badHeader++;
        continue;
      }
      outcomes[read.errors.length > 0 ? 'withErrors' : 'clean']++;
      outcomes.rows += read.rows.length;
      for (const error of read.errors) {
        expect(error.file).toBe('fuzz.csv');
        expect(error.line).toBeGreaterThanOrEqual(1);
        expect(typeof error.raw).toBe('string');
        expect(error.message.startsWith(`fuzz.csv:${error.line}: `)).toBe(true);
      }
      expect(read.batchSizes.every((n) => n <= 8)).toBe(true);
      const dropped = await collect(source('dropMalformed'));
      expect(dropped.rows).toEqual(read.rows);
      expect(dropped.dropped).toBe(read.errors.length);
      const strict = await collect(source('failFast')).catch((e: unknown) => e);
      if (read.errors.length > 0) {
        expect(strict).toBeInstanceOf(SluiceError);
        expect((strict as SluiceError).message).toBe(`${read.errors[0].message} (mode failFast)`);
      } else {
        expect((strict as { rows: unknown[] }).rows).toEqual(read.rows);
      }
    }
    expect(outcomes.badHeader + outcomes.withErrors + outcomes.clean).toBe(300);
    // Seeded: 271 cases with error records, 14 clean, 139 rows, 15 bad headers (277, 19, 201 before
    // invalid UTF-8 became an error record); the bounds leave room for parser changes.
    expect(outcomes.withErrors).toBeGreaterThan(200);
    expect(outcomes.clean).toBeGreaterThanOrEqual(10);
    expect(outcomes.rows).toBeGreaterThan(100);
  });

  it('reads repeating random values as a dictionary column exactly as a plain string column', async () => {
    const random = seededRandom(23);
    // Few short values that share lengths and end bytes (the builder's quick cache collides on
    // them), quoted, escaped, empty and multi-byte ones among them.
    const alphabet = ['a', 'b', 'é', '中', '"', ',', '\\', 'x'];
    let compared = 0;
    for (let i = 0; i < 60; i++) {
      const pool = Array.from({ length: 1 + Math.floor(random() * 40) }, () => {
        const length = Math.floor(random() * 5);
        let text = '';
        for (let k = 0; k < length; k++) text += alphabet[Math.floor(random() * alphabet.length)];
        return random() < 0.3 || /[",\\]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
      });
      const lines: string[] = [];
      for (let r = 0; r < 200; r++) lines.push(`${pool[Math.floor(random() * pool.length)]},${pool[Math.floor(random() * pool.length)]}`);
      const text = lines.join('\n') + '\n';
      const read = (schema: Schema) => collect(parseCsvBytes(chunked(text, () => 1 + Math.floor(random() * 300)), {
        file: 'd.csv', csv: i % 2 === 0 ? {} : { escaper: '\\' }, read: { schema, batchSize: 1 + Math.floor(random() * 64) },
      }));
      const plain = await read(positionalUtf8(2));
      const encoded = await read(new Schema([0, 1].map((c) => new Field(`col${c}`, new Dictionary(new Utf8(), new Int32()), true))));
      expect(encoded.rows).toEqual(plain.rows);
      expect(encoded.errors).toEqual(plain.errors);
      compared += plain.rows.length;
    }
    expect(compared).toBeGreaterThan(8_000);
  });

  it('reads every complete record of a truncated valid file like the whole file', async () => {
    const lines = ['id,ts,x,s'];
    for (let i = 0; i < 40; i++) {
      lines.push(`${i},2024-03-${String(1 + (i % 28)).padStart(2, '0')}T10:11:${String(i % 60).padStart(2, '0')}.25Z,${i * 1.5},"n, ""${i}"" é中😀"`);
    }
    const text = new TextEncoder().encode(lines.join('\n') + '\n');
    const read = (bytes: Uint8Array) => collect(parseCsvBytes(chunked(bytes, 13), {
      file: 't.csv', csv: { withHeader: true }, read: { schema: typed },
    }));
    const whole = await read(text);
    expect(whole.rows).toHaveLength(40);
    const random = seededRandom(11);
    let compared = 0;
    for (let i = 0; i < 150; i++) {
      const cut = Math.floor(random() * text.length);
      const bytes = text.slice(0, cut);
      const lastBreak = bytes.lastIndexOf(0x0a);
      const completeRecords = Math.max(0, new TextDecoder().decode(bytes.subarray(0, lastBreak + 1)).split('\n').length - 2);
      const partial = await settle(read(bytes));
      if (partial instanceof Error) {
        expect(lastBreak).toBe(-1); // only a cut header can fail: then there is no header line
        continue;
      }
      expect(partial.rows.slice(0, completeRecords)).toEqual(whole.rows.slice(0, completeRecords));
      expect(partial.rows.length + partial.errors.length).toBeLessThanOrEqual(completeRecords + 1);
      compared += completeRecords;
    }
    // Most cuts fall past the header: the comparisons above covered thousands of records.
    expect(compared).toBeGreaterThan(1000);
  });
});

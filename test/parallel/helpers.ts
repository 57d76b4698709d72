import { fileURLToPath } from 'node:url';
import type { Table } from 'apache-arrow';
import { DataFrame, type Row } from '../../src/frame/DataFrame.js';
import type { RunOptions } from '../../src/exec/parallel/settings.js';

/** Tiny splits and two threads, so small test files take the parallel path. */
export const PARALLEL: RunOptions = { threads: 2, splitSize: 4096, inlineBelowBytes: 0 };
export const INLINE: RunOptions = { parallel: false };

/** A row function of fixtures/rowFns.mjs as a module reference (it can travel to workers). */
export const fn = (name: string) => ({ module: fileURLToPath(new URL('./fixtures/rowFns.mjs', import.meta.url)), export: name });

export async function rowsOf(table: Table): Promise<Row[]> {
  return DataFrame.fromArrow(table).toRows();
}

/** Inline and parallel results of the same frame: rows (in order) and error records. */
export async function bothWays(frame: DataFrame<Row>, parallel: RunOptions = PARALLEL) {
  const inline = await frame.collect(INLINE);
  const split = await frame.collect(parallel);
  return {
    inline: { rows: await rowsOf(inline.table), errors: inline.errors, schema: inline.table.schema },
    parallel: { rows: await rowsOf(split.table), errors: split.errors, schema: split.table.schema },
  };
}

const WORDS = ['plain', 'with, comma', 'say "hi"', 'café', '日本語テキスト', 'emoji 🎉 here', 'Ünïcödé', ''];

/**
 * CSV text of `rows` orders with a header: quoted fields (commas, doubled quotes), multibyte
 * UTF-8 everywhere (so split boundaries fall inside characters), empty fields, and CRLF endings
 * when asked. `bad` lists data line numbers (1 = first data row) written malformed.
 */
export function ordersCsv(rows: number, { crlf = false, bad = [] as number[] } = {}): string {
  const eol = crlf ? '\r\n' : '\n';
  const lines = ['id,customer,amount,note,country'];
  const badSet = new Set(bad);
  for (let i = 1; i <= rows; i++) {
    if (badSet.has(i)) {
      lines.push(i % 2 ? `${i},oops,not-a-number,"x",FR` : `${i},too,few`);
      continue;
    }
    const word = WORDS[i % WORDS.length];
    const note = word.includes(',') || word.includes('"') ? `"${word.replaceAll('"', '""')}"` : word;
    const amount = i % 11 === 0 ? '' : ((i * 37) % 1000 / 4).toFixed(2);
    lines.push(`${i},${(i * 7919) % 500},${amount},${note},${['FR', 'DE', 'ÎT', 'ES'][i % 4]}`);
  }
  return lines.join(eol) + eol;
}

export const ORDERS_SCHEMA = { id: 'int32', customer: 'int32', amount: 'float64', note: 'string', country: 'string' };

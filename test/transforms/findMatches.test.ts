import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { read } from '../../src/frame/read.js';
import { runJobSpec } from '../../src/job/index.js';
import { schemaToSpec } from '../../src/types/typeNames.js';
import { FindMatches } from '../../transforms/index.js';
import { MAX_BLOCK, matchThreshold } from '../../transforms/FindMatches.js';
import { jaroSimilarity, jaroWinkler, normaliseKey } from '../../transforms/ml/jaroWinkler.js';
import { tempDir } from '../support/files.js';

const people = () => DataFrame.fromRows([
  { id: 10, name: 'John Smith', city: 'Boston' },
  { id: 11, name: 'Jon Smith', city: 'Boston' },
  { id: 12, name: 'Mary Jones', city: 'Denver' },
  { id: 13, name: 'JOHN SMITH.', city: 'boston' },
  { id: 14, name: 'Marie Jones', city: 'Denver' },
  { id: 15, name: 'Jonathan Smith', city: null },
  { id: 16, name: 'John Smithson', city: null },
  { id: 17, name: 'Zoë Élan', city: 'Paris' },
  { id: 18, name: 'zoe elan', city: 'PARIS' },
]);

describe('Jaro-Winkler', () => {
  it("gives the published values (Winkler's examples)", () => {
    const r = (v: number) => Math.round(v * 1000) / 1000;
    expect(r(jaroSimilarity('martha', 'marhta'))).toBe(0.944);
    expect(r(jaroWinkler('martha', 'marhta'))).toBe(0.961);
    expect(r(jaroWinkler('dwayne', 'duane'))).toBe(0.84);
    expect(r(jaroWinkler('dixon', 'dicksonx'))).toBe(0.813);
    expect(jaroWinkler('abc', 'abc')).toBe(1);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
    expect(jaroWinkler('', 'a')).toBe(0);
  });

  it('normalises case, accents, punctuation and spaces', () => {
    expect(normaliseKey('  JOHN  Smith. ')).toBe('john smith');
    expect(normaliseKey('Zoë-Élan')).toBe('zoe elan');
  });
});

describe('FindMatches', () => {
  it('adds match_id: the position of the first record of each group of matching records', async () => {
    const out = people().findMatches({ keyColumns: ['name', 'city'] });
    expect(schemaToSpec(await out.schema())).toEqual({ id: 'int32', name: 'string', city: 'string', match_id: 'int64' });
    // 'john smithson' (no city) is close to 'john smith' (0.95); 'jonathan smith' is not (0.79).
    expect((await out.toColumns()).match_id).toEqual([0, 0, 2, 0, 2, 5, 0, 7, 7]);
  });

  it("enforcedMatches (Glue's labels): one label in a set is one entity, different labels stay apart, transitively", async () => {
    const labels = DataFrame.fromRows([
      { labeling_set_id: 'a', label: 'x', id: 10, name: 'John Smith' },
      { labeling_set_id: 'a', label: 'x', id: 15, name: 'Jonathan Smith' },
      { labeling_set_id: 'b', label: 'p', id: 10, name: 'John Smith' },
      { labeling_set_id: 'b', label: 'q', id: 16, name: 'John Smithson' },
      { labeling_set_id: 'c', label: 'm', id: 12, name: 'Mary Jones' },
      { labeling_set_id: 'c', label: 'n', id: 14, name: 'Marie Jones' },
      { labeling_set_id: 'c', label: 'o', id: 99, name: 'not in the frame' },
    ]);
    const out = FindMatches.apply({ frame: people(), keyColumns: ['name', 'city'], enforcedMatches: labels, primaryKeyColumnName: 'id' });
    // Without labels: [0, 0, 2, 0, 2, 5, 0, 7, 7]. Jonathan joins the Smiths; Smithson (close to
    // every Smith) and Marie stay apart from the records labelled otherwise.
    expect((await out.toColumns()).match_id).toEqual([0, 0, 2, 0, 4, 0, 6, 7, 7]);
    expect(() => FindMatches.apply({ frame: people(), enforcedMatches: labels })).toThrow('FindMatches enforcedMatches needs primaryKeyColumnName');
    await expect(FindMatches.apply({ frame: people(), enforcedMatches: labels.dropFields(['label']), primaryKeyColumnName: 'id' }).schema())
      .rejects.toThrow("enforcedMatches has no column 'label'");
    const clash = DataFrame.fromRows([
      { labeling_set_id: 'a', label: 'x', id: 10 }, { labeling_set_id: 'a', label: 'x', id: 11 },
      { labeling_set_id: 'b', label: 'p', id: 10 }, { labeling_set_id: 'b', label: 'q', id: 11 },
    ]);
    await expect(people().findMatches({ enforcedMatches: clash, primaryKeyColumnName: 'id' }).toRows())
      .rejects.toThrow('labeling_set_id b gives two labels to records that other labels make one entity');
  });

  it('precisionRecallTradeoff moves the threshold: towards 1 fewer matches, towards 0 more', async () => {
    expect(matchThreshold(0)).toBe(0.75);
    expect(matchThreshold(1)).toBe(0.99);
    const ids = async (t: number) => (await FindMatches.apply({ frame: people(), precisionRecallTradeoff: t }).toColumns()).match_id;
    expect(await ids(1)).toEqual([0, 1, 2, 0, 4, 5, 6, 7, 7]);
    expect(await ids(0.5)).toEqual([0, 0, 2, 0, 2, 5, 0, 7, 7]);
    // 'jonathan smith' joins the Smiths only when recall is favoured.
    expect(await ids(0)).toEqual([0, 0, 2, 0, 2, 0, 0, 7, 7]);
  });

  it('rejects a bad tradeoff, an unknown key column and a frame that has match_id already', async () => {
    expect(() => people().findMatches({ precisionRecallTradeoff: 2 })).toThrow('precisionRecallTradeoff must be a number from 0 (recall) to 1 (precision), got 2');
    await expect(people().findMatches({ keyColumns: ['nme'] }).schema()).rejects.toThrow("FindMatches: no key column 'nme' to match on");
    await expect(people().withColumns({ match_id: 'id' }).findMatches().schema()).rejects.toThrow("the frame already has a 'match_id' column");
  });

  it('refuses a block too large to compare pair by pair, naming the column and the prefix', async () => {
    const many = DataFrame.fromColumns({ name: Array.from({ length: MAX_BLOCK + 1 }, (_, i) => `same-${i}`) });
    await expect(many.findMatches().toRows()).rejects.toThrow(`FindMatches: ${MAX_BLOCK + 1} records of key column name start with 'sam', more than the ${MAX_BLOCK} one block may compare`);
  });

  it('as a job-spec node', async () => {
    const dir = await tempDir('sluice-matches-');
    writeFileSync(join(dir, 'in.csv'), 'id,name\n1,Acme Corp\n2,ACME Corp.\n3,Globex\n');
    const spec = {
      name: 'matches',
      nodes: [
        { id: 'src', type: 'read', format: 'csv', paths: ['${DIR}/in.csv'], formatOptions: { withHeader: true } },
        { id: 'matched', type: 'FindMatches', input: 'src', keyColumns: ['name'], precisionRecallTradeoff: 0.9 },
        { id: 'out', type: 'write', input: 'matched', format: 'json', path: '${DIR}/out' },
      ],
    };
    await runJobSpec(spec, { DIR: dir });
    expect(await read.json(join(dir, 'out')).toRows()).toEqual([
      { id: 1, name: 'Acme Corp', match_id: 0 }, { id: 2, name: 'ACME Corp.', match_id: 0 }, { id: 3, name: 'Globex', match_id: 2 },
    ]);
  });
});

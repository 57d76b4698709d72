import { describe, expect, it, vi } from 'vitest';
import * as sluice from '../../src/index.js';
import { F, col, lit } from '../../src/index.js';
import { FUNCTIONS } from '../../src/expr/functions.js';
import { formatExpr } from '../../src/expr/format.js';

/**
 * The runtime names of `sluice` (src/index.ts). A new name here is a decision about the public
 * API: add it to this list on purpose. Types are not runtime names and are not pinned.
 */
const PUBLIC_NAMES = [
  // frames, errors, schemas
  'DataFrame', 'DynamicFrame', 'read', 'SluiceError', 'parseType', 'typeName', 'schemaFromSpec', 'schemaToSpec',
  // expressions
  'col', 'lit', 'expr', 'when', 'F',
  // the Glue transforms
  'ApplyMapping', 'SelectFields', 'DropFields', 'RenameField', 'Filter', 'Map', 'WithColumns', 'Join', 'Union',
  'DropNullFields', 'DropDuplicates', 'GroupBy', 'Window', 'OrderBy', 'Concatenate', 'Explode', 'ResolveChoice',
  // collections and nested data
  'DynamicFrameCollection', 'Relationalize', 'SelectFromCollection', 'MapToCollection', 'Unnest', 'UnnestFrame', 'Unbox',
  'SplitFields', 'SplitRows', 'Spigot',
  // issue 9 (schema-on-read): dynamic
  'FlatMap', 'FlatMapRecords', 'Repartition', 'Coalesce', 'MergeDynamicFrame', 'FillMissingValues', 'FindMatches',
  // Spark SQL
  'SqlSession', 'spark', 'setCatalogResolver', 'SqlSyntaxError',
  // Glue's script API, job specs, bookmark options
  'GlueContext', 'Job', 'getResolvedOptions', 'loadJobSpec', 'runJobSpec', 'JobSpecError', 'BOOKMARK_OPTIONS', 'BookmarkFolder',
  // the embedded Data Catalog and its crawlers
  'Catalog', 'AlreadyExistsError', 'EntityNotFoundError', 'ConcurrentModificationError',
  'crawl', 'runCrawler', 'crawlerRuns',
];

/** Internals and test hooks that must never be reachable from the package's entry point. */
const NOT_PUBLIC = [
  'CRASH_POINTS', 'installTransforms', 'abortOpenSessions', 'openSpecBookmarks', 'BookmarkSession', 'TRANSFORMS', 'transformDefs',
  'defineTransform', 'FUNCTIONS', 'lookupFunction', 'evaluate', 'evaluatePredicate', 'evaluateOperand', 'castData', 'castVector',
  'toNode', 'parseExpr', 'readFrame', 'parseJobArguments', 'substitutePlaceholders', 'resetBookmarks', 'rewindBookmarks',
  'showBookmarks', 'length', 'split', 'not', 'upper', 'coalesce', 'year', 'CATALOG_CRASH_POINTS', 'settlePendingUpdates', 'catalogReadStats',
];

describe('the public API of src/index.ts', () => {
  it('exports exactly the pinned runtime names', () => {
    expect(Object.keys(sluice).sort()).toEqual([...PUBLIC_NAMES].sort());
  });

  it('exports no internals or test hooks', () => {
    for (const name of NOT_PUBLIC) expect(Object.keys(sluice), name).not.toContain(name);
  });
});

describe('F: the SQL functions under one name', () => {
  it('holds every function of the registry under its Spark name and its camelCase name', () => {
    for (const name of Object.keys(FUNCTIONS)) {
      const camel = name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
      expect(typeof F[name], name).toBe('function');
      expect(F[camel], camel).toBe(F[name]);
    }
  });

  it('builds call nodes the evaluator knows, with Spark\'s literal parameters as plain values', () => {
    expect(formatExpr(F.upper('name').node)).toBe('upper(name)');
    expect(formatExpr(F.split('path', '/').node)).toBe("split(path, '/')");
    expect(formatExpr(F.substring(col('s'), 1, 3).node)).toBe('substring(s, 1, 3)');
    expect(formatExpr(F.date_trunc('month', 'ts').node)).toBe(formatExpr(F.dateTrunc('month', 'ts').node));
    expect(formatExpr(F.regexp_extract('s', 'a(b)').node)).toBe("regexp_extract(s, 'a(b)', 1)");
    expect(formatExpr(F.coalesce('a', 'b', lit('none')).node)).toBe("coalesce(a, b, 'none')");
    expect(formatExpr(F.not(col('deleted')).node)).toBe('(NOT deleted)');
  });

  it('gives a registry function without a builder of its own a generic one: strings are columns, numbers literals', () => {
    expect(Object.keys(FUNCTIONS)).toContain('date_sub');
    expect(F.date_sub('d', 7).node).toEqual({ kind: 'call', fn: 'date_sub', args: [{ kind: 'col', name: 'd' }, { kind: 'lit', value: 7 }] });
  });

  it('picks up a function added to the registry, with no edit of its own', async () => {
    vi.resetModules();
    const registry = await import('../../src/expr/functions.js');
    registry.FUNCTIONS.array_position_test = { ...registry.FUNCTIONS.upper };
    try {
      const fresh = await import('../../src/expr/F.js');
      expect(fresh.F.array_position_test('xs', 3).node).toEqual({ kind: 'call', fn: 'array_position_test', args: [{ kind: 'col', name: 'xs' }, { kind: 'lit', value: 3 }] });
      expect(fresh.F.arrayPositionTest).toBe(fresh.F.array_position_test);
    } finally {
      delete registry.FUNCTIONS.array_position_test;
      vi.resetModules();
    }
  });

  it('holds col, lit, expr and when too, as PySpark\'s F does', () => {
    expect(F.col).toBe(sluice.col);
    expect(F.lit).toBe(sluice.lit);
    expect(F.expr).toBe(sluice.expr);
    expect(F.when).toBe(sluice.when);
  });

  it('evaluates through a DataFrame', async () => {
    const df = sluice.DataFrame.fromRows([{ name: 'ab-cd', n: 1 }, { name: null, n: 2 }], { name: 'string', n: 'int32' });
    const rows = await df.withColumns({ up: F.upper('name'), len: F.length('name'), parts: F.split('name', '-'), off: F.not(col('n').gt(1)) })
      .selectFields(['up', 'len', 'parts', 'off']).toRows();
    expect(rows).toEqual([
      { up: 'AB-CD', len: 5, parts: ['ab', 'cd'], off: true },
      { up: null, len: null, parts: null, off: false },
    ]);
  });
});

import { NODE_TYPES } from '../../src/job/spec/JobSpec.js';
import { describe, expect, it } from 'vitest';
import { JobSpecError, jobSpecProblems, validateJobSpec } from '../../src/job/spec/validateJobSpec.js';
import { ORDERS_JOB } from './helpers.js';

type Spec = { name?: string; nodes: Record<string, unknown>[]; [k: string]: unknown };

/** The example job plus a Join, so every node kind is in play; `change` breaks one thing. */
function specWith(change: (spec: Spec) => void): Spec {
  const spec = structuredClone(ORDERS_JOB) as Spec;
  spec.nodes.splice(3, 0, { id: 'joined', type: 'Join', inputs: ['valid', 'orders'], keys1: ['order_id'], keys2: ['order_id'], how: 'left' });
  change(spec);
  return spec;
}

// Every node type, in registry order (the list grows with each transform).
const KNOWN = NODE_TYPES.join(', ');

describe('job spec validation', () => {
  it('accepts the example spec', () => {
    expect(jobSpecProblems(specWith(() => {}))).toEqual([]);
  });

  it.each<[string, (s: Spec) => void, string[]]>([
    ['a missing transform parameter', (s) => delete s.nodes[3].keys1, ['nodes[3].keys1: required']],
    ['a bad enum value', (s) => (s.nodes[0].format = 'orc'), ['nodes[0].format: must be one of csv, json, parquet, avro, xml, grokLog']],
    ['a wrong type', (s) => (s.nodes[1].paths = 'note'), ['nodes[1].paths: must be an array']],
    ['a misspelt field', (s) => {
      s.nodes[4].colums = s.nodes[4].columns;
      delete s.nodes[4].columns;
    }, [
      'nodes[4].columns: required',
      "nodes[4].colums: unknown field (did you mean 'columns'?); allowed: input, key, columns, transformationCtx, stageThreshold, totalThreshold",
    ]],
    ['an unknown type, with a suggestion', (s) => (s.nodes[1].type = 'dropFields'), [`nodes[1].type: unknown type 'dropFields' (did you mean 'DropFields'?); known: ${KNOWN}`]],
    ['an unknown type', (s) => (s.nodes[1].type = 'Pivot'), [`nodes[1].type: unknown type 'Pivot'; known: ${KNOWN}`]],
    ['a Filter with neither condition nor function', (s) => delete s.nodes[2].condition, ['nodes[2]: needs one of condition, function']],
    ['a Filter with both', (s) => (s.nodes[2].function = { module: './f.js', export: 'keep' }), ['nodes[2]: give only one of condition, function']],
    ['a Join with one input', (s) => (s.nodes[3].inputs = ['valid']), ['nodes[3].inputs: must have at least 2 items']],
    ['a bad join type', (s) => (s.nodes[3].how = 'cross'), ['nodes[3].how: must be one of inner, left, right, outer, semi, anti']],
    ['a short mapping', (s) => s.nodes.splice(1, 1, { id: 'clean', type: 'ApplyMapping', input: 'orders', mappings: [['a', 'int', 'b']] }), ['nodes[1].mappings[0]: must have at least 4 items']],
    ['a negative threshold', (s) => (s.nodes[1].stageThreshold = -1), ['nodes[1].stageThreshold: must be >= 0']],
    ['a non-string column expression', (s) => (s.nodes[4].columns = { 'the year': 2024 }), ['nodes[4].columns["the year"]: must be a string']],
    ['a node that is not an object', (s) => (s.nodes[1] = 5 as never), ['nodes[1]: must be an object']],
    ['a bad id', (s) => (s.nodes[0].id = '1st'), [`nodes[0].id: must be a name of letters, digits, '_', '.' or '-' that does not start with a digit, got "1st"`]],
    ['a bad write compression', (s) => (s.nodes[5].compression = 'lz4'), ['nodes[5].compression: must be one of snappy, zstd, gzip, none']],
    ['no nodes', (s) => delete (s as Partial<Spec>).nodes, ['nodes: required']],
  ])('reports %s at the field', (_what, change, expected) => {
    expect(jobSpecProblems(specWith(change))).toEqual(expected);
  });

  it.each<[string, (s: Spec) => void, string[]]>([
    ['duplicate ids', (s) => (s.nodes[2].id = 'clean'), [
      "nodes[2].id: duplicate id 'clean' (first used by nodes[1])",
      "nodes[3].inputs[0]: unknown node 'valid'; earlier nodes: orders, clean",
      "nodes[4].input: unknown node 'valid'; earlier nodes: orders, clean, joined",
    ]],
    ['an unknown input', (s) => (s.nodes[2].input = 'cleen'), ["nodes[2].input: unknown node 'cleen'; earlier nodes: orders, clean"]],
    ['a forward reference (no cycles possible)', (s) => (s.nodes[1].input = 'valid'), ["nodes[1].input: node 'valid' is defined later (nodes[2]); a node reads only nodes above it"]],
    ['a node reading itself', (s) => (s.nodes[2].input = 'valid'), ["nodes[2].input: node 'valid' cannot read itself"]],
    ['a node reading a write node', (s) => s.nodes.push({ id: 'copy', type: 'write', input: 'sink', format: 'csv', path: '/tmp/x' }), ["nodes[6].input: node 'sink' is a write node and produces no data"]],
    ['a spec with no write', (s) => s.nodes.pop(), ['nodes: no write node; add one such as {"id": "sink", "type": "write", "input": "...", "format": "parquet", "path": "..."}']],
  ])('checks the graph: %s', (_what, change, expected) => {
    expect(jobSpecProblems(specWith(change))).toEqual(expected);
  });

  it('throws one error listing every problem, naming the source', () => {
    const spec = specWith((s) => {
      s.nodes[0].format = 'orc';
      delete s.nodes[3].keys2;
    });
    let error: unknown;
    try {
      validateJobSpec(spec, 'jobs/orders.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(JobSpecError);
    expect((error as JobSpecError).problems).toEqual(['nodes[0].format: must be one of csv, json, parquet, avro, xml, grokLog', 'nodes[3].keys2: required']);
    expect((error as Error).message).toBe('invalid job spec jobs/orders.json:\n  nodes[0].format: must be one of csv, json, parquet, avro, xml, grokLog\n  nodes[3].keys2: required');
  });

  it('rejects a spec that is not an object', () => {
    expect(jobSpecProblems([])).toEqual(['spec: must be an object']);
    expect(jobSpecProblems({ nodes: [], extra: 1 })).toEqual(['extra: unknown field; allowed: $schema, name, description, bookmarks, s3, maxErrors, catalog, nodes', 'nodes: must have at least 1 item']);
  });
});

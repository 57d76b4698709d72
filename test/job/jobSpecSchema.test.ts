import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JOB_SPEC_SCHEMA_PATH, jobSpecSchemaText } from '../../src/job/spec/buildJobSpecSchema.js';
import { NODE_TYPES } from '../../src/job/spec/JobSpec.js';
import { jobSpecProblems } from '../../src/job/spec/validateJobSpec.js';
import { specTransforms } from '../../transforms/registry.js';

const REPO = resolve(import.meta.dirname, '../..');

describe('the job-spec schema, generated from the transform definitions', () => {
  it('is checked in as generated (run `npm run spec-schema` after changing a transform or a format)', () => {
    const checkedIn = readFileSync(join(REPO, JOB_SPEC_SCHEMA_PATH), 'utf8');
    expect(checkedIn === jobSpecSchemaText(), `${JOB_SPEC_SCHEMA_PATH} is stale: run npm run spec-schema`).toBe(true);
  });

  it('lists read, write and every transform of the registry but internal ones', () => {
    expect(NODE_TYPES).toEqual(['read', 'write', ...specTransforms.map((t) => t.name)]);
    expect(NODE_TYPES).not.toContain('Limit');
    expect(NODE_TYPES).toContain('Concatenate');
  });

  it("accepts every transform's example node", () => {
    const schema = JSON.parse(jobSpecSchemaText()) as { definitions: Record<string, { examples: Record<string, unknown>[] }> };
    for (const t of specTransforms) {
      const [example] = schema.definitions[t.name].examples;
      expect(t.description.length, t.name).toBeGreaterThan(20);
      const spec = {
        nodes: [
          { id: 'orders', type: 'read', format: 'csv', paths: ['orders.csv'] },
          { id: 'customers', type: 'read', format: 'csv', paths: ['customers.csv'] },
          // The input of transforms that read a collection (SelectFromCollection, MapToCollection).
          { id: 'tables', type: 'Relationalize', input: 'orders', name: 'root' },
          example,
          { id: 'sink', type: 'write', input: example.id, ...(t.output === 'collection' ? { key: 'root' } : {}), format: 'parquet', path: 'out' },
        ],
      };
      expect(jobSpecProblems(spec), t.name).toEqual([]);
    }
  });
});

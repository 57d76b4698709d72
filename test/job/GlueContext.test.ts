import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFrame } from '../../src/frame/read.js';
import { GlueContext } from '../../src/job/GlueContext.js';
import { Job } from '../../src/job/Job.js';
import { getResolvedOptions } from '../../src/job/getResolvedOptions.js';
import { ORDERS_CSV } from './helpers.js';
import { duck } from '../support/duck.js';
import { filesUnder, tempDir } from '../support/files.js';

describe('GlueContext and Job', () => {
  it('ports a Glue script: fromOptions read, transforms, partitioned glueparquet write, commit', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'orders.csv'), ORDERS_CSV);
    const out = join(dir, 'out');
    const args = getResolvedOptions(['node', 'job.ts', '--JOB_NAME', 'orders', `--INPUT=${join(dir, 'orders.csv')}`, '--OUTPUT', out], ['JOB_NAME', 'INPUT', 'OUTPUT']);

    const glueContext = new GlueContext();
    const job = new Job(glueContext);
    job.init(args.JOB_NAME, args);
    const orders = glueContext.createDynamicFrame.fromOptions({
      connectionType: 'file', connectionOptions: { paths: [args.INPUT] }, format: 'csv',
      formatOptions: { withHeader: true }, transformationCtx: 'orders', schema: { order_id: 'int64', ts: 'timestamp', amount: 'decimal(10,2)', status: 'string', note: 'string' },
    });
    const kept = orders.dropFields(['note', 'ts']).filter('amount > 5');
    const written = await glueContext.writeDynamicFrame.fromOptions({
      frame: kept, connectionType: 'file', connectionOptions: { path: out, partitionKeys: ['status'] },
      format: 'glueparquet', formatOptions: { compression: 'ZSTD' }, transformationCtx: 'sink',
    });
    const summary = job.commit();
    await summary; // the sinks publish at the commit

    expect(written.rows).toBe(3);
    expect((await filesUnder(out)).filter((f) => f.endsWith('.parquet')).map((f) => f.split('/')[0])).toEqual(['status=cancelled', 'status=paid', 'status=shipped']);
    const rows = await duck(`SELECT order_id::INTEGER AS id, amount::VARCHAR AS amount, status FROM read_parquet('${out}/**/*.parquet', hive_partitioning = true) ORDER BY id`);
    expect(rows).toEqual([{ id: 1, amount: '10.50', status: 'paid' }, { id: 3, amount: '7.25', status: 'cancelled' }, { id: 5, amount: '100.00', status: 'shipped' }]);
    const codecs = await duck(`SELECT DISTINCT compression FROM parquet_metadata('${out}/**/*.parquet')`);
    expect(codecs).toEqual([{ compression: 'ZSTD' }]);

    expect(summary).toMatchObject({ name: 'orders', args, rows: 3 });
    expect(summary.writes).toEqual([{ transformationCtx: 'sink', format: 'parquet', path: out, rows: 3, files: written.files, bytes: written.bytes, errors: 0, ms: summary.writes[0].ms }]);
    expect(Date.parse(summary.finishedAt)).toBeGreaterThanOrEqual(Date.parse(summary.startedAt));
    expect(job.commit()).toBe(summary);
    expect(await readFrame({ format: 'parquet', paths: [out] }).count()).toBe(3);
  });

  it('says what is not supported, and what is missing', () => {
    const glueContext = new GlueContext();
    expect(() => glueContext.createDynamicFrame.fromCatalog({ tableName: 'orders' })).toThrow('createDynamicFrame.fromCatalog: database is required');
    expect(() => glueContext.createDynamicFrame.fromCatalog({ database: 'sales', nameSpace: 'sales', tableName: 'orders' })).toThrow('give database or nameSpace, not both');
    expect(() => glueContext.createDynamicFrame.fromOptions({ connectionType: 'jdbc' as 'file', connectionOptions: { paths: ['x'] }, format: 'csv' })).toThrow(
      "createDynamicFrame.fromOptions: connectionType 'jdbc' is not yet supported; use s3 or file",
    );
    expect(() => glueContext.createDynamicFrame.fromOptions({ connectionType: 's3', connectionOptions: { paths: ['s3://b/k'] }, format: 'orc' as 'csv' })).toThrow(
      "createDynamicFrame.fromOptions: format 'orc' is not supported; use csv, json, parquet, glueparquet",
    );
    expect(() => glueContext.createDynamicFrame.fromOptions({ connectionType: 's3', connectionOptions: { paths: [] }, format: 'csv' })).toThrow(
      'createDynamicFrame.fromOptions: connectionOptions.paths is required',
    );
  });

  it('keeps Job.init / commit in order', () => {
    const job = new Job(new GlueContext());
    expect(() => job.commit()).toThrow('job.commit() called before job.init(name, args)');
    job.init('a');
    expect(() => job.init('a')).toThrow("job 'a' is already initialised; call init() once per run");
    expect(job.commit()).toMatchObject({ name: 'a', args: {}, writes: [], rows: 0 });
  });
});

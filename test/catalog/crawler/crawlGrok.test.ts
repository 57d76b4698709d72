import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../../src/catalog/Catalog.js';
import { athenaDdl } from '../../../src/catalog/exportTable.js';
import type { CrawlerDefinition } from '../../../src/catalog/crawler/crawlerDefinition.js';
import { runCrawler } from '../../../src/catalog/crawler/runCrawler.js';
import { read } from '../../../src/frame/read.js';
import { tempDir } from '../../support/files.js';
import { ACCESS_LOG } from '../../io/accessLog.js';
import { writeLake } from './lakes.js';

const PATTERN = '%{IPORHOST:clientip} %{USER:ident} %{USER:auth} \\[%{HTTPDATE:timestamp}\\] "%{WORD:verb} %{NOTSPACE:request} HTTP/%{NUMBER:httpversion}" %{NUMBER:response:int} (?:%{NUMBER:bytes:long}|-) %{QS:referrer} %{QS:agent}';

describe('a custom grok classifier in a crawler definition (Glue GrokClassifier)', () => {
  it('classifies matching log files, makes a GrokSerDe table of the pattern\'s fields, and the table reads back', async () => {
    const dir = await tempDir();
    const lines = ACCESS_LOG.split('\n');
    await writeLake(join(dir, 'logs'), {
      'day=1/access.log': `${lines.slice(0, 2).join('\n')}\n`,
      'day=2/access.log': `${lines.slice(2).join('\n')}\n`,
    });
    await writeLake(join(dir, 'other'), { 'a.csv': 'id,name\n1,x\n2,y\n' });
    const catalog = Catalog.open(join(dir, 'catalog'));
    const definition: CrawlerDefinition = {
      Name: 'logs', DatabaseName: 'web', Targets: { S3Targets: [{ Path: join(dir, 'logs') }, { Path: join(dir, 'other') }] },
      CustomClassifiers: [{ GrokClassifier: { Name: 'apache', Classification: 'apache-access', GrokPattern: PATTERN } }],
    };
    const run = await runCrawler(definition, { catalog });
    expect(run).toMatchObject({ tablesCreated: ['logs', 'other'], unclassified: [] });
    const table = (await catalog.getTable('web', 'logs'))!;
    expect(table.StorageDescriptor?.Columns).toEqual([
      { Name: 'clientip', Type: 'string' }, { Name: 'ident', Type: 'string' }, { Name: 'auth', Type: 'string' }, { Name: 'timestamp', Type: 'string' },
      { Name: 'verb', Type: 'string' }, { Name: 'request', Type: 'string' }, { Name: 'httpversion', Type: 'string' }, { Name: 'response', Type: 'int' },
      { Name: 'bytes', Type: 'bigint' }, { Name: 'referrer', Type: 'string' }, { Name: 'agent', Type: 'string' },
    ]);
    expect(table.PartitionKeys).toEqual([{ Name: 'day', Type: 'string' }]);
    expect(table.StorageDescriptor?.SerdeInfo).toEqual({ SerializationLibrary: 'com.amazonaws.glue.serde.GrokSerDe', Parameters: { 'input.format': PATTERN } });
    expect(table.StorageDescriptor?.InputFormat).toBe('org.apache.hadoop.mapred.TextInputFormat');
    expect(table.Parameters).toMatchObject({ classification: 'apache-access', recordCount: '4', objectCount: '2' });
    expect(table.Parameters?.['input.format']).toBeUndefined();
    expect((await catalog.getTable('web', 'other'))?.Parameters?.classification).toBe('csv');

    const rows = await read.table('web.logs', { catalog }).toRows();
    expect(rows.map((r) => [r.clientip, r.verb, r.request, r.response, r.bytes, r.agent, r.day])).toEqual([
      ['127.0.0.1', 'GET', '/apache_pb.gif', 200, 2326, '"Mozilla/4.08 [en] (Win98; I ;Nav)"', '1'],
      ['192.168.2.20', 'GET', '/cgi-bin/try/', 200, 3395, '"-"', '1'],
      ['66.249.65.159', 'GET', '/news/53f8d72920ba2744fe873ebc.html', 404, 177, expect.stringContaining('Googlebot/2.1'), '2'],
      ['www.example.org', 'POST', '/api/v1/login', 304, null, '"curl/7.35.0"', '2'],
    ]);
    expect(athenaDdl(table, await catalog.getPartitions('web', 'logs'))).toContain("ROW FORMAT SERDE 'com.amazonaws.glue.serde.GrokSerDe'");
  });

  it('a file with a line the pattern does not match is left to the built-in classifiers; a bad pattern is refused naming it', async () => {
    const dir = await tempDir();
    await writeLake(join(dir, 'logs'), { 'a.log': `${ACCESS_LOG}\nnot a log line\n` });
    const catalog = Catalog.open(join(dir, 'catalog'));
    const run = await runCrawler({
      Name: 'logs', DatabaseName: 'web', Targets: { S3Targets: [{ Path: join(dir, 'logs') }] },
      CustomClassifiers: [{ GrokClassifier: { Name: 'apache', Classification: 'apache-access', GrokPattern: PATTERN } }],
    }, { catalog });
    expect(run.tablesCreated).toEqual([]);
    expect(run.unclassified.map((f) => f.reason)).toEqual(['UNKNOWN: no classifier is certain of it']);
    await expect(runCrawler({
      Name: 'logs', DatabaseName: 'web', Targets: { S3Targets: [{ Path: join(dir, 'logs') }] },
      CustomClassifiers: [{ GrokClassifier: { Name: 'bad', Classification: 'x', GrokPattern: '%{NOPE:x}' } }],
    }, { catalog })).rejects.toThrow('Crawler definition CustomClassifiers[0].GrokClassifier: Grok pattern "%{NOPE:x}" names %{NOPE}');
  });

  it('Apache access logs are classified by the built-in grok classifiers combined_apache and apache', async () => {
    const dir = await tempDir();
    const combined = ACCESS_LOG.split('\n');
    const common = combined.map((line) => line.replace(/ "[^"]*" "[^"]*"$/, ''));
    await writeLake(join(dir, 'lake'), { 'combined/a.log': `${combined.join('\n')}\n`, 'common/a.log': `${common.join('\n')}\n` });
    const catalog = Catalog.open(join(dir, 'catalog'));
    await runCrawler({ Name: 'c', DatabaseName: 'web', Targets: { S3Targets: [{ Path: join(dir, 'lake', 'combined') }, { Path: join(dir, 'lake', 'common') }] } }, { catalog });
    const names = async (t: string) => ((await catalog.getTable('web', t))?.StorageDescriptor?.Columns ?? []).map((c) => c.Name);
    expect((await catalog.getTable('web', 'combined'))?.Parameters?.classification).toBe('combined_apache');
    expect(await names('combined')).toEqual(['clientip', 'ident', 'auth', 'timestamp', 'verb', 'request', 'httpversion', 'rawrequest', 'response', 'bytes', 'referrer', 'agent']);
    expect((await catalog.getTable('web', 'common'))?.Parameters?.classification).toBe('apache');
    expect(await names('common')).toEqual(['clientip', 'ident', 'auth', 'timestamp', 'verb', 'request', 'httpversion', 'rawrequest', 'response', 'bytes']);
    const rows = await read.table('web.common', { catalog }).toRows();
    expect(rows.map((r) => [r.clientip, r.response, r.bytes])).toEqual([['127.0.0.1', '200', '2326'], ['192.168.2.20', '200', '3395'], ['66.249.65.159', '404', '177'], ['www.example.org', '304', null]]);
  });
});

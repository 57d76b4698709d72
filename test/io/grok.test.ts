import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeWorkerPool } from '../../src/exec/parallel/pool.js';
import { planSplits } from '../../src/exec/parallel/splits.js';
import { read, readFrame } from '../../src/frame/read.js';
import { GlueContext } from '../../src/job/GlueContext.js';
import { compileGrok } from '../../src/io/formats/grok/compileGrok.js';
import { tempDir } from '../support/files.js';
import { bothWays, PARALLEL } from '../parallel/helpers.js';
import { ACCESS_LOG } from './accessLog.js';


const COMBINED_FIELDS = ['clientip', 'ident', 'auth', 'timestamp', 'verb', 'request', 'httpversion', 'rawrequest', 'response', 'bytes', 'referrer', 'agent'];

describe('grok patterns', () => {
  it('expands %{COMBINEDAPACHELOG} into its named fields, in order, skipping UNWANTED parts', () => {
    const { fields } = compileGrok('%{COMBINEDAPACHELOG}');
    expect(fields.map((f) => f.name)).toEqual(COMBINED_FIELDS);
    expect(fields.every((f) => f.type === 'string')).toBe(true);
  });

  it('casts fields, uses custom patterns (which win over built-ins) and names what is wrong', () => {
    const { fields, regex } = compileGrok('%{TIMESTAMP_ISO8601:ts} \\[%{MESSAGEPREFIX:prefix}\\] %{CRAWLERLOGLEVEL:level} : %{NUMBER:n:int} %{GREEDYDATA:message}', 'CRAWLERLOGLEVEL (BENCHMARK|ERROR|WARN|INFO|TRACE)\nMESSAGEPREFIX .*-.*-.*-.*-.*');
    expect(fields).toEqual([{ name: 'ts', type: 'string' }, { name: 'prefix', type: 'string' }, { name: 'level', type: 'string' }, { name: 'n', type: 'int' }, { name: 'message', type: 'string' }]);
    expect(regex.exec('2017-03-21T13:01:02Z [a-b-c-d-e] INFO : 42 crawler started')?.groups).toMatchObject({ g0: '2017-03-21T13:01:02Z', g2: 'INFO', g3: '42', g4: 'crawler started' });
    expect(() => compileGrok('%{NOPE:x}')).toThrow("names %{NOPE}, which is neither built in nor in customPatterns");
    expect(() => compileGrok('%{INT:x:decimal}')).toThrow("Grok field 'x' is cast to 'decimal'; the types are string, byte, boolean, double, short, int, long, float");
    expect(() => compileGrok('%{A:x}', 'A %{B}\nB %{A}')).toThrow('refers to itself (A → B → A)');
    expect(() => compileGrok('%{INT}')).toThrow('names no field');
  });
});

describe('the grokLog read format (Glue: format="grokLog", logFormat, customPatterns, MISSING, StrictMode)', () => {
  it('reads Apache access-log lines into the pattern\'s fields; "-" is null; a non-matching line is an error record with its line', async () => {
    const dir = await tempDir('sluice-grok-');
    const path = join(dir, 'access.log');
    await writeFile(path, `${ACCESS_LOG}\nthis line is not an access log\n\n`);
    const frame = readFrame({ format: 'grokLog', paths: path, formatOptions: { logFormat: '%{IPORHOST:clientip} %{USER:ident} %{USER:auth} \\[%{HTTPDATE:timestamp}\\] "%{WORD:verb} %{NOTSPACE:request} HTTP/%{NUMBER:httpversion:float}" %{NUMBER:response:int} (?:%{NUMBER:bytes:long}|-)' } });
    const { table, errors } = await frame.collect();
    expect(table.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      'clientip:Utf8', 'ident:Utf8', 'auth:Utf8', 'timestamp:Utf8', 'verb:Utf8', 'request:Utf8', 'httpversion:Float64', 'response:Int32', 'bytes:Int64',
    ]);
    expect(table.toArray().map((r) => r.toJSON())).toEqual([
      { clientip: '127.0.0.1', ident: null, auth: 'frank', timestamp: '10/Oct/2000:13:55:36 -0700', verb: 'GET', request: '/apache_pb.gif', httpversion: 1, response: 200, bytes: 2326n },
      { clientip: '192.168.2.20', ident: null, auth: null, timestamp: '28/Jul/2006:10:27:10 -0300', verb: 'GET', request: '/cgi-bin/try/', httpversion: 1, response: 200, bytes: 3395n },
      { clientip: '66.249.65.159', ident: null, auth: null, timestamp: '06/Nov/2014:19:10:38 +0600', verb: 'GET', request: '/news/53f8d72920ba2744fe873ebc.html', httpversion: 1.1, response: 404, bytes: 177n },
      { clientip: 'www.example.org', ident: null, auth: null, timestamp: '06/Nov/2014:19:12:14 +0600', verb: 'POST', request: '/api/v1/login', httpversion: 1.1, response: 304, bytes: null },
    ]);
    expect(errors.map((e) => [e.line, e.raw])).toEqual([[5, 'this line is not an access log']]);
    expect(errors[0].message).toContain('access.log:5: the line does not match the grok pattern');
  });

  it('%{COMBINEDAPACHELOG} reads referrer and agent with their quotes, as grok captures them', async () => {
    const dir = await tempDir('sluice-grok-');
    const path = join(dir, 'access.log');
    await writeFile(path, `${ACCESS_LOG}\n`);
    const rows = await readFrame({ format: 'grok', paths: path, formatOptions: { logFormat: '%{COMBINEDAPACHELOG}' } }).toRows();
    expect(rows.map((r) => [r.clientip, r.response, r.bytes, r.referrer, r.agent])).toEqual([
      ['127.0.0.1', '200', '2326', '"http://www.example.com/start.html"', '"Mozilla/4.08 [en] (Win98; I ;Nav)"'],
      ['192.168.2.20', '200', '3395', '"-"', '"-"'],
      ['66.249.65.159', '404', '177', '"-"', '"Mozilla/5.0 (iPhone; CPU iPhone OS 6_0 like Mac OS X) AppleWebKit/536.26 (KHTML, like Gecko) Version/6.0 Mobile/10A5376e Safari/8536.25 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"'],
      ['www.example.org', '304', null, '"-"', '"curl/7.35.0"'],
    ]);
    expect(Object.keys(rows[0])).toEqual(COMBINED_FIELDS);
  });

  it('StrictMode stops at the first line that does not fit, naming the file and line; options are checked', async () => {
    const dir = await tempDir('sluice-grok-');
    const path = join(dir, 'app.log');
    await writeFile(path, 'INFO 12\nWARN x\n');
    const logFormat = '%{LOGLEVEL:level} %{NOTSPACE:n:int}';
    const lenient = await read.grokLog(path, { logFormat }).collect();
    expect(lenient.table.toArray().map((r) => r.toJSON())).toEqual([{ level: 'INFO', n: 12 }]);
    expect(lenient.errors.map((e) => e.message)).toEqual([`${path}:2: field n: 'x' is not a int (-2147483648 to 2147483647)`]);
    await expect(readFrame({ format: 'grokLog', paths: path, formatOptions: { logFormat, StrictMode: 'true' } }).toRows()).rejects.toThrow(`${path}:2: field n`);
    expect(() => readFrame({ format: 'grokLog', paths: path, formatOptions: { logFormat, lineCount: 2 } })).toThrow(/unknown grokLog option 'lineCount'/);
    await expect(readFrame({ format: 'grokLog', paths: path, formatOptions: { logFormat, LineCount: 2 } }).toRows()).rejects.toThrow('only single-line records');
    await expect(readFrame({ format: 'grokLog', paths: path }).toRows()).rejects.toThrow('needs the logFormat option');
  });
});

describe('grokLog in parallel', () => {
  afterAll(() => closeWorkerPool());

  it('a large log file is split at line breaks: the same rows and error records (with file line numbers) as one reader', async () => {
    const dir = await tempDir('sluice-grok-');
    const path = join(dir, 'app.log');
    const lines = Array.from({ length: 3000 }, (_, i) => (i % 997 === 500 ? `garbage ${i}` : `2024-01-0${(i % 9) + 1}T10:00:${String(i % 60).padStart(2, '0')}Z ${['INFO', 'WARN', 'ERROR'][i % 3]} request ${i} took ${i % 250}ms`));
    await writeFile(path, `${lines.join('\n')}\n`);
    const formatOptions = { logFormat: '^%{TIMESTAMP_ISO8601:ts} %{LOGLEVEL:level} request %{INT:id:long} took %{INT:ms:int}ms$' };
    const splits = await planSplits([{ path, values: [] }], { format: 'grokLog', formatOptions, splitSize: PARALLEL.splitSize! });
    expect(splits.length).toBeGreaterThan(5);
    const { inline, parallel } = await bothWays(readFrame({ format: 'grokLog', paths: path, formatOptions }));
    expect(inline.rows).toHaveLength(3000 - 3);
    expect(parallel.rows).toEqual(inline.rows);
    expect(inline.errors.map((e) => [e.line, e.raw])).toEqual([[501, 'garbage 500'], [1498, 'garbage 1497'], [2495, 'garbage 2494']]);
    expect(parallel.errors).toEqual(inline.errors);
  });
});

describe('grokLog through GlueContext', () => {
  it("createDynamicFrame.fromOptions({ format: 'grokLog', formatOptions: { logFormat, customPatterns } }) as a Glue script writes it", async () => {
    const dir = await tempDir('sluice-grok-');
    const path = join(dir, 'crawler.log');
    await writeFile(path, '2017-03-21T13:01:02Z [aa-bb-cc-dd-ee] INFO : crawl started\n2017-03-21T13:01:09Z [aa-bb-cc-dd-ee] BENCHMARK : crawl took 7 s\n');
    const frame = new GlueContext().createDynamicFrame.fromOptions({
      connectionType: 'file', connectionOptions: { paths: [path] }, format: 'grokLog',
      formatOptions: {
        logFormat: '%{TIMESTAMP_ISO8601:timestamp} \\[%{MESSAGEPREFIX:message_prefix}\\] %{CRAWLERLOGLEVEL:loglevel} : %{GREEDYDATA:message}',
        customPatterns: 'CRAWLERLOGLEVEL (BENCHMARK|ERROR|WARN|INFO|TRACE)\nMESSAGEPREFIX .*-.*-.*-.*-.*',
      },
    });
    expect(await frame.toRows()).toEqual([
      { timestamp: '2017-03-21T13:01:02Z', message_prefix: 'aa-bb-cc-dd-ee', loglevel: 'INFO', message: 'crawl started' },
      { timestamp: '2017-03-21T13:01:09Z', message_prefix: 'aa-bb-cc-dd-ee', loglevel: 'BENCHMARK', message: 'crawl took 7 s' },
    ]);
  });
});

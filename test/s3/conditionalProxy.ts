import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll } from 'vitest';
import { startS3rver, useS3rver, type RunningS3rver } from './s3rver.js';

/**
 * A loopback HTTP proxy in front of s3rver that enforces S3's conditional writes, which s3rver
 * ignores: a PUT with `If-None-Match: *` fails with 412 when the key exists, one with
 * `If-Match: <etag>` with 404 when it does not and 412 when its ETag differs (as AWS S3 does since
 * 2024). It checks the current object with a HEAD to s3rver; PUTs and DELETEs of one key pass one
 * at a time, so a check and the write it guards are atomic, as on S3. Everything else is forwarded
 * byte for byte (the Host header too, so the client's SigV4 signature still matches).
 *
 * `beforeConditionalPut`, when set, is awaited before a conditional PUT takes its key's turn: a
 * test puts another writer's request exactly there, to reach the branches a lost race takes.
 */
export interface ConditionalProxy {
  endpoint: string;
  /** Conditional PUTs refused so far, as `412 If-Match key` / `404 If-Match key` / `412 If-None-Match key`. */
  refused: string[];
  beforeConditionalPut?: (key: string, headers: { ifMatch?: string; ifNoneMatch?: string }) => Promise<void> | void;
  stop(): Promise<void>;
}

export async function startConditionalProxy(upstream: string): Promise<ConditionalProxy> {
  const target = new URL(upstream);
  const head = new S3Client({
    endpoint: upstream, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  const turns = new Map<string, Promise<unknown>>();
  /** Runs `fn` when the writes queued before it on `key` are done. */
  const inTurn = <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    const previous = turns.get(key) ?? Promise.resolve();
    const mine = previous.catch(() => undefined).then(fn);
    turns.set(key, mine);
    return mine;
  };
  const currentEtag = async (bucket: string, key: string): Promise<string | undefined> => {
    try {
      return (await head.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ETag;
    } catch (e) {
      if ((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return undefined;
      throw e;
    }
  };

  const proxy: ConditionalProxy = { endpoint: '', refused: [], stop: async () => undefined };

  const forward = (req: IncomingMessage, body: Buffer, res: import('node:http').ServerResponse) =>
    new Promise<void>((done, fail) => {
      const out = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('end', done);
        answer.on('error', fail);
      });
      out.on('error', fail);
      out.end(body);
    });

  const refuse = (res: import('node:http').ServerResponse, status: 404 | 412, condition: string, key: string) => {
    proxy.refused.push(`${status} ${condition} ${key}`);
    const code = status === 412 ? 'PreconditionFailed' : 'NoSuchKey';
    const message = status === 412 ? 'At least one of the pre-conditions you specified did not hold' : 'The specified key does not exist.';
    res.writeHead(status, { 'content-type': 'application/xml' });
    res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><Condition>${condition}</Condition><Key>${key}</Key></Error>`);
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', 'http://proxy');
      const [bucket, ...rest] = url.pathname.slice(1).split('/').map(decodeURIComponent);
      const key = rest.join('/');
      const isObjectWrite = (req.method === 'PUT' || req.method === 'DELETE') && key !== '' && !url.searchParams.has('uploadId');
      if (!isObjectWrite) {
        forward(req, body, res).catch((e: Error) => res.destroy(e));
        return;
      }
      const ifMatch = req.headers['if-match'] as string | undefined;
      const ifNoneMatch = req.headers['if-none-match'] as string | undefined;
      const conditional = req.method === 'PUT' && (ifMatch !== undefined || ifNoneMatch !== undefined);
      (async () => {
        if (conditional) await proxy.beforeConditionalPut?.(key, { ifMatch, ifNoneMatch });
        await inTurn(`${bucket}/${key}`, async () => {
          if (conditional) {
            const etag = await currentEtag(bucket, key);
            if (ifNoneMatch === '*' && etag !== undefined) return refuse(res, 412, 'If-None-Match', key);
            if (ifMatch !== undefined && etag === undefined) return refuse(res, 404, 'If-Match', key);
            if (ifMatch !== undefined && ifMatch !== etag) return refuse(res, 412, 'If-Match', key);
          }
          await forward(req, body, res);
        });
      })().catch((e: Error) => res.destroy(e));
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  proxy.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.stop = () => {
    head.destroy();
    server.closeAllConnections();
    return new Promise((closed) => server.close(() => closed()));
  };
  return proxy;
}

/**
 * For one test file: s3rver (holding `buckets`) behind the conditional proxy, with sluice's S3
 * settings pointing at the proxy; started before the file's tests and stopped after them. Read
 * `.server` and `.proxy` inside the tests.
 */
export function conditionalS3ForTests(buckets?: string[]): { server: RunningS3rver; proxy: ConditionalProxy } {
  const running = {} as { server: RunningS3rver; proxy: ConditionalProxy };
  beforeAll(async () => {
    running.server = await startS3rver(buckets);
    useS3rver(running.server); // the credentials in env first (the proxy's own client reads them too)
    running.proxy = await startConditionalProxy(running.server.endpoint);
    useS3rver({ ...running.server, endpoint: running.proxy.endpoint });
  });
  afterAll(async () => {
    await running.proxy?.stop();
    await running.server?.stop();
  });
  return running;
}

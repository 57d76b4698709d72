import { createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJobSpec } from '../../src/job/spec/runJobSpec.js';
import { configureS3 } from '../../src/io/store/s3Settings.js';
import { storeFor } from '../../src/io/store/storeFor.js';
import { read } from '../../src/frame/read.js';
import { BUCKET, startS3rver, useS3rver, type RunningS3rver } from '../s3/s3rver.js';

let server: RunningS3rver;
beforeAll(async () => {
  server = await startS3rver();
  useS3rver(server);
});
afterAll(() => server?.stop());

/** A loopback server that records what a client sends it (it answers nothing). */
async function listener(): Promise<{ endpoint: string; received: () => string; close: () => Promise<void> }> {
  let received = '';
  const sockets: Socket[] = [];
  const tcp = createServer((socket) => {
    sockets.push(socket);
    socket.on('data', (d) => { received += d.toString('latin1'); socket.destroy(); });
  });
  await new Promise<void>((done) => tcp.listen(0, '127.0.0.1', done));
  const { port } = tcp.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    received: () => received,
    close: () => new Promise((done) => { for (const s of sockets) s.destroy(); tcp.close(() => done()); }),
  };
}

const job = (endpoint: string, out: string) => ({
  name: 'endpoint_policy',
  s3: { endpoint },
  nodes: [
    { id: 'in', type: 'read', format: 'csv', paths: [`s3://${BUCKET}/policy/in.csv`], formatOptions: { withHeader: true } },
    { id: 'out', type: 'write', input: 'in', format: 'json', path: `s3://${BUCKET}/policy/${out}` },
  ],
});

describe("a spec's s3.endpoint", () => {
  beforeAll(async () => {
    await (await storeFor(`s3://${BUCKET}/`)).put(`s3://${BUCKET}/policy/in.csv`, 'id\n1\n');
  });
  afterAll(() => configureS3({}));

  it('that differs from the allowed one is refused, naming both, and gets no request (no credentials)', async () => {
    const rogue = await listener();
    try {
      await expect(runJobSpec(job(rogue.endpoint, 'a'))).rejects.toThrow(`s3.endpoint ${rogue.endpoint} differs from the allowed endpoint ${server.endpoint} (SLUICE_S3_ENDPOINT)`);
      await expect(runJobSpec(job(rogue.endpoint, 'a'), {}, { s3Endpoint: server.endpoint })).rejects.toThrow(`differs from the allowed endpoint ${server.endpoint} (--s3-endpoint)`);
      expect(rogue.received()).toBe('');
    } finally {
      await rogue.close();
    }
  });

  it('is refused when nothing allows an endpoint, and plain http reaches only loopback hosts', async () => {
    const saved = process.env.SLUICE_S3_ENDPOINT;
    delete process.env.SLUICE_S3_ENDPOINT;
    try {
      await expect(runJobSpec(job(server.endpoint, 'b'))).rejects.toThrow(`s3.endpoint ${server.endpoint} is not allowed: a job spec cannot send your AWS credentials to a host it names`);
      const remote = 'http://s3.example.com:9000';
      await expect(runJobSpec(job(remote, 'b'), {}, { s3Endpoint: remote })).rejects.toThrow(`s3.endpoint ${remote} is plain http to a host that is not loopback`);
    } finally {
      process.env.SLUICE_S3_ENDPOINT = saved;
    }
  });

  it('equal to the allowed one (trailing slash aside) is used', async () => {
    const summary = await runJobSpec(job(`${server.endpoint}/`, 'c'));
    expect(summary.sinks[0].rows).toBe(1);
    expect(await read.json(`s3://${BUCKET}/policy/c`).toRows()).toEqual([{ id: 1 }]);
  });
});

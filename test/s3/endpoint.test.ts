import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { read } from '../../src/frame/read.js';
import { configureS3 } from '../../src/io/store/s3Settings.js';
import { S3Store } from '../../src/io/store/S3Store.js';
import { storeFor } from '../../src/io/store/storeFor.js';
import { BUCKET, startS3rver, useS3rver, type RunningS3rver } from './s3rver.js';
import { runScript } from '../support/cli.js';
import { tempDir } from '../support/files.js';

let server: RunningS3rver;
beforeAll(async () => {
  server = await startS3rver();
  useS3rver(server);
});
afterAll(() => server?.stop());

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('endpoint override', () => {
  it('takes SLUICE_S3_ENDPOINT with path-style addressing, and a configured endpoint over it', async () => {
    const path = `s3://${BUCKET}/endpoint/data.csv`;
    await (await storeFor(path)).put(path, 'a,b\n1,x\n');
    const store = (await storeFor(path)) as S3Store;
    expect(store.client.config.forcePathStyle).toBe(true);
    const endpoint = await store.client.config.endpoint!();
    expect(`${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`).toBe(server.endpoint);
    expect(await read.csv(path, { withHeader: true }).toRows()).toEqual([{ a: 1, b: 'x' }]);

    process.env.SLUICE_S3_ENDPOINT = `http://127.0.0.1:${await closedPort()}`;
    try {
      await expect(read.csv(path, { withHeader: true }).toRows()).rejects.toThrow(/S3 stat s3:\/\/sluice-test\/endpoint\/data\.csv failed.*ECONNREFUSED/);
      configureS3({ endpoint: server.endpoint }); // a job option wins over the environment
      expect(await read.csv(path, { withHeader: true }).toRows()).toEqual([{ a: 1, b: 'x' }]);
    } finally {
      process.env.SLUICE_S3_ENDPOINT = server.endpoint;
      configureS3({});
    }
  });

  it('without an override talks to AWS itself: virtual-hosted style, the SDK default checksums', async () => {
    delete process.env.SLUICE_S3_ENDPOINT;
    try {
      const store = (await storeFor(`s3://${BUCKET}/x`)) as S3Store;
      expect(store.client.config.forcePathStyle).toBe(false);
      expect(await store.client.config.requestChecksumCalculation()).toBe('WHEN_SUPPORTED');
    } finally {
      process.env.SLUICE_S3_ENDPOINT = server.endpoint;
    }
  });
});

describe('lazy SDK import', () => {
  it('loads the AWS SDK on the first s3:// path only', async () => {
    const folder = await tempDir();
    const csv = join(folder, 'local.csv');
    await writeFile(csv, 'a\n1\n');
    const readModule = pathToFileURL(fileURLToPath(new URL('../../src/frame/read.ts', import.meta.url))).href;
    const script = join(folder, 'probe.mts');
    await writeFile(
      script,
      `import { createRequire } from 'node:module';
      const { read } = await import(${JSON.stringify(readModule)});
      const sdkLoaded = () => Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes('@aws-sdk'));
      const rows = await read.csv(${JSON.stringify(csv)}, { withHeader: true }).toRows();
      const afterLocal = sdkLoaded();
      const s3Rows = await read.csv('s3://${BUCKET}/endpoint/data.csv', { withHeader: true }).toRows();
      console.log(JSON.stringify({ rows, afterLocal, s3Rows, afterS3: sdkLoaded() }));`,
    );
    const stdout = await runScript(script);
    expect(JSON.parse(stdout)).toEqual({ rows: [{ a: 1 }], afterLocal: false, s3Rows: [{ a: 1, b: 'x' }], afterS3: true });
  });
});

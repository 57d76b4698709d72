import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configureS3 } from '../../src/io/store/s3Settings.js';
import { tempDir } from '../support/files.js';

export interface RunningS3rver {
  endpoint: string;
  /** Where s3rver keeps the buckets on disk. */
  directory: string;
  stop(): Promise<void>;
}

export const BUCKET = 'sluice-test';

/**
 * Starts a real s3rver on 127.0.0.1 (a free port) in a child process: s3rver encrypts listing
 * continuation tokens with DES, which Node 20's OpenSSL 3 only has with --openssl-legacy-provider,
 * and that flag belongs to the server's process, not the test's.
 */
export async function startS3rver(buckets: string[] = [BUCKET]): Promise<RunningS3rver> {
  const directory = await tempDir('sluice-s3rver-');
  const main = fileURLToPath(new URL('./s3rverMain.cjs', import.meta.url));
  const child: ChildProcess = spawn(process.execPath, ['--openssl-legacy-provider', main, directory, ...buckets], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = /\{"port":(\d+)\}/.exec(out);
      if (line) resolve(Number(line[1]));
    });
    child.once('exit', (code) => reject(new Error(`s3rver exited with ${code} before listening: ${stderr}`)));
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    directory,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/**
 * Points this test process at the server the way a user would: credentials through the SDK's
 * default chain (env), the endpoint through SLUICE_S3_ENDPOINT. `settings` adds test-only knobs.
 */
export function useS3rver(server: RunningS3rver, settings: Parameters<typeof configureS3>[0] = {}): void {
  process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
  process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
  process.env.AWS_REGION = 'us-east-1';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  process.env.SLUICE_S3_ENDPOINT = server.endpoint;
  configureS3(settings);
}

import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import type { Gzip } from 'node:zlib';
import { isGzip } from '../../input.js';

/** A text file written piece by piece with backpressure; gzipped when the path ends in `.gz`. */
export class TextFileSink {
  private readonly file: WriteStream;
  private readonly gzip?: Gzip;
  private failure?: Error;

  constructor(readonly path: string) {
    this.file = createWriteStream(path);
    this.file.on('error', (error) => (this.failure ??= error));
    if (isGzip(path)) {
      this.gzip = createGzip();
      this.gzip.on('error', (error) => (this.failure ??= error));
      this.gzip.pipe(this.file);
    }
  }

  async write(text: string): Promise<void> {
    if (this.failure) throw this.failure;
    const target = this.gzip ?? this.file;
    if (!target.write(text, 'utf8')) await Promise.race([once(target, 'drain'), once(this.file, 'error')]);
    if (this.failure) throw this.failure;
  }

  /** Finishes the file and returns its size in bytes. */
  async close(): Promise<number> {
    const finished = once(this.file, 'finish');
    (this.gzip ?? this.file).end();
    await finished;
    if (this.failure) throw this.failure;
    return this.file.bytesWritten;
  }

  /** Stops writing and removes the partial file. */
  async abort(): Promise<void> {
    this.gzip?.destroy();
    this.file.destroy();
    await rm(this.path, { force: true });
  }
}

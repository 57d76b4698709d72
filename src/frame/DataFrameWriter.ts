import type { DataFrame, Row } from './DataFrame.js';
import type { RunOptions } from '../exec/parallel/settings.js';
import { writePlan } from '../exec/write.js';
import type { WriteSpec, WriteSummary } from '../exec/WriteSpec.js';

export type { WriteSpec, WriteSummary };

type Opts = Omit<WriteSpec, 'format' | 'path'>;

/** `df.write.parquet(path, opts)`: runs the frame's plan into files. */
export class DataFrameWriter {
  constructor(private readonly frame: DataFrame<Row>) {}
  to(spec: WriteSpec): Promise<WriteSummary> {
    return writeFrame(this.frame, spec);
  }
  parquet(path: string, options: Opts = {}): Promise<WriteSummary> {
    return this.to({ ...options, format: 'parquet', path });
  }
  csv(path: string, options: Opts = {}): Promise<WriteSummary> {
    return this.to({ ...options, format: 'csv', path });
  }
  json(path: string, options: Opts = {}): Promise<WriteSummary> {
    return this.to({ ...options, format: 'json', path });
  }
}

/** Runs a frame's plan into files, with run options (threads, split size, signal). */
export function writeFrame(frame: DataFrame<Row>, spec: WriteSpec, run: RunOptions = {}): Promise<WriteSummary> {
  return writePlan(frame.plan, spec, frame.execOptions(run));
}

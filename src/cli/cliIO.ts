/** Where the CLI prints: stdout for results, stderr for progress and problems. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
}

export const stdio: CliIO = {
  out: (text) => void process.stdout.write(text + '\n'),
  err: (text) => void process.stderr.write(text + '\n'),
};

/** Exit codes: 0 done, 1 the job or the data failed, 2 the command line is wrong. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

// Runs the S3 event handler once in its own process, for the kill tests (lambdaKill.test.ts):
// `node --import tsx handlerChild.ts <spec.json> <stateDir> <event.json>` prints the summary as
// JSON. The S3 endpoint and credentials come from the environment (test/s3/s3rver.ts useS3rver),
// and SLUICE_CRASH_AT, when set, kills the process at that point of the run.
import { readFile } from 'node:fs/promises';
import { createS3EventHandler } from '../../src/lambda/index.js';

const [specFile, stateDir, eventFile] = process.argv.slice(2);
const handler = createS3EventHandler(specFile, { stateDir });
const summary = await handler(JSON.parse(await readFile(eventFile, 'utf8')));
process.stdout.write(JSON.stringify(summary) + '\n');

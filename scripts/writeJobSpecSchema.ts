/** Regenerates schema/job-spec.schema.json from the transform definitions: `npm run spec-schema`. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JOB_SPEC_SCHEMA_PATH, jobSpecSchemaText } from '../src/job/spec/buildJobSpecSchema.js';

const path = join(import.meta.dirname, '..', JOB_SPEC_SCHEMA_PATH);
writeFileSync(path, jobSpecSchemaText());
console.log(`wrote ${JOB_SPEC_SCHEMA_PATH}`);

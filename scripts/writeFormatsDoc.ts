// Rewrites docs/formats.md from the format definitions: `npm run docs:formats`.
import { writeFile } from 'node:fs/promises';
import { formatsDoc } from '../src/job/formatsDoc.js';

await writeFile(new URL('../docs/formats.md', import.meta.url), formatsDoc());

import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/files.js';

const REPO = resolve(import.meta.dirname, '../..');
const DEPCRUISE = join(REPO, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const CONFIG = join(REPO, '.dependency-cruiser.cjs');

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

/** Runs dependency-cruiser with the project's rules over `paths` (relative to `cwd`); its violations. */
async function cruise(cwd: string, paths: string[]): Promise<Violation[]> {
  const run = promisify(execFile);
  const { stdout } = await run(process.execPath, [DEPCRUISE, ...paths, '--config', CONFIG, '--output-type', 'json'], { cwd, maxBuffer: 64 << 20 })
    .catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' })); // it exits non-zero when rules are broken
  return (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

async function tree(files: Record<string, string>): Promise<string> {
  const root = await tempDir('sluice-layers-');
  const all = { 'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } }), ...files };
  for (const [path, text] of Object.entries(all)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

describe('layer rules (docs/architecture.md, .dependency-cruiser.cjs)', () => {
  it('hold for src/ and transforms/', async () => {
    const violations = await cruise(REPO, ['src', 'transforms']);
    expect(violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
  });

  it('catch an import that points up a layer, and let the allowed direction through', async () => {
    const root = await tree({
      'src/types/Name.ts': 'export type Name = string;\n',
      'src/exec/run.ts': "import type { Name } from '../types/Name.js';\nexport const run = (n: Name) => n;\n",
      'src/frame/Frame.ts': "import { run } from '../exec/run.js';\nexport const frame = () => run('x');\n",
      // The two breaches: io/ reaching up into exec/, exec/ reaching up into frame/.
      'src/io/store/bad.ts': "import { run } from '../../exec/run.js';\nexport const bad = () => run('y');\n",
      'src/exec/alsoBad.ts': "import { frame } from '../frame/Frame.js';\nexport const alsoBad = () => frame();\n",
    });
    const violations = await cruise(root, ['src']);
    expect(violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort()).toEqual([
      'exec-below-frame: src/exec/alsoBad.ts → src/frame/Frame.ts',
      'io-below-exec: src/io/store/bad.ts → src/exec/run.ts',
    ]);
  });
});

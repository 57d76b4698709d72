/**
 * The layer rules of docs/architecture.md: imports point one way, from the faces (cli/, lambda/,
 * job/) down to the buffers (columns/, types/). test/architecture/layers.test.ts runs these rules,
 * so an import that breaks one fails `npm test`. By hand: `npx depcruise src transforms`.
 */

/** A rule forbidding imports from `from` into any of `to` (folders under src/, or transforms/). */
const layer = (name, comment, from, to, pathNot) => ({
  name,
  comment,
  severity: 'error',
  from: { path: from, ...(pathNot ? { pathNot } : {}) },
  to: { path: `^(${to.map((folder) => (folder === 'transforms' ? 'transforms/' : `src/${folder}/`)).join('|')})` },
});

module.exports = {
  forbidden: [
    layer('types-import-nothing', 'types/ is the bottom layer: logical types, schemas, errors.', '^src/types/', [
      'catalog', 'columns', 'expr', 'io', 'plan', 'exec', 'frame', 'sql', 'job', 'cli', 'lambda', 'transforms',
    ]),
    layer('columns-above-types-only', 'columns/ works on Arrow buffers; it knows types/ and nothing above.', '^src/columns/', [
      'catalog', 'expr', 'io', 'plan', 'exec', 'frame', 'sql', 'job', 'cli', 'lambda', 'transforms',
    ]),
    layer('expr-below-plan', 'expr/ (AST, parser, kernels) sits on columns/ and types/.', '^src/expr/', [
      'catalog', 'io', 'plan', 'exec', 'frame', 'sql', 'job', 'cli', 'lambda', 'transforms',
    ]),
    layer('io-below-exec', 'io/ (stores, formats, partitioning) reads and writes bytes; it never drives a plan.', '^src/io/', [
      'catalog', 'plan', 'exec', 'frame', 'sql', 'job', 'cli', 'lambda', 'transforms',
    ]),
    layer('plan-is-plain-data', 'plan/ holds PlanNode (plain data) and its rewrites; it runs nothing and reads no files.', '^src/plan/', [
      'catalog', 'io', 'frame', 'sql', 'job', 'cli', 'lambda', 'transforms',
    ]),
    {
      ...layer('plan-runs-no-exec-code', 'plan/ may name exec/\'s kernel interface as a type (a TransformDef carries its kernel), never import its code.', '^src/plan/', ['exec']),
      to: { path: '^src/exec/', dependencyTypesNot: ['type-only'] },
    },
    layer(
      'catalog-beside-io',
      'catalog/ (the embedded Data Catalog) keeps documents through io/\'s Store and evaluates partition predicates with expr/; frames and jobs read through it.',
      '^src/catalog/',
      ['plan', 'exec', 'frame', 'job', 'cli', 'lambda', 'transforms'],
    ),
    layer('exec-below-catalog', 'exec/ runs plans over files it is given; which files a catalog table holds is decided above it.', '^src/exec/', ['catalog']),
    layer(
      'exec-below-frame',
      'exec/ runs plans with the kernel registry it is given; it never sees a DataFrame, a job or a transform module.',
      '^src/exec/',
      ['frame', 'sql', 'job', 'cli', 'lambda', 'transforms'],
    ),
    layer('transforms-below-job', 'transforms/ build frames and kernels; SQL, jobs, the CLI and Lambda use them, not the reverse.', '^transforms/', [
      'sql', 'job', 'cli', 'lambda',
    ]),
    layer('frame-below-job', 'frame/ is the fluent API over plans; SQL, jobs and faces sit on it.', '^src/frame/', ['sql', 'job', 'cli', 'lambda']),
    layer('sql-below-job', 'sql/ compiles SQL text to frames; jobs (glueContext.sql) and the faces call it.', '^src/sql/', ['job', 'cli', 'lambda']),
    layer('job-below-faces', 'job/ (GlueContext, specs, bookmarks) is what the faces call.', '^src/job/', ['cli', 'lambda']),
    layer('cli-and-lambda-apart', 'The CLI and the Lambda handlers are separate faces.', '^src/cli/', ['lambda']),
    layer('lambda-and-cli-apart', 'The Lambda handlers must not load the CLI.', '^src/lambda/', ['cli']),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};

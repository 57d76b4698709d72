// Dynamic import() inside the Lambda bundle.
//
// index.mjs runs handler.cjs through vm.Script, where Node 20 refuses every import() expression
// ("A dynamic import callback was invoked without --experimental-vm-modules", whether or not the
// script has an importModuleDynamically callback). The bundle keeps import() for what it cannot
// bundle: native addons (snappy, zstd: their absence is handled), node: modules loaded lazily, and
// the user's own modules (a spec's UDF or transform modules). So each import(…) in the bundle is
// rewritten to a call of a function index.mjs passes in, which imports from index.mjs itself, an
// ES module: specifiers resolve as from the single-file ESM bundle that index.mjs used to be.
import ts from 'typescript';

/** The name the bundle calls instead of import(…); index.mjs passes it to the bundle's wrapper. */
export const IMPORT_FUNCTION = '__sluiceImport';

/**
 * `code` with every `import(…)` expression (found by parsing it, not by text: strings and comments
 * that spell import( stay as they are) calling `IMPORT_FUNCTION(…)` instead.
 */
export function routeDynamicImports(code) {
  const file = ts.createSourceFile('bundle.js', code, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  const starts = [];
  const visit = (node) => {
    if (node.kind === ts.SyntaxKind.CallExpression && node.expression.kind === ts.SyntaxKind.ImportKeyword) starts.push(node.expression.getStart(file));
    ts.forEachChild(node, visit);
  };
  visit(file);
  starts.sort((a, b) => a - b);
  const pieces = [];
  let at = 0;
  for (const start of starts) {
    pieces.push(code.slice(at, start), IMPORT_FUNCTION);
    at = start + 'import'.length;
  }
  pieces.push(code.slice(at));
  return pieces.join('');
}

import { checkReadOptions, checkWriteOptions } from '../../io/formats/registry.js';
import type { JobSpec } from './JobSpec.js';

/**
 * The read and write nodes whose formatOptions name an option their format does not know, one
 * line each: a misspelt `withHeadr` is reported with the spec's other problems, before any read.
 */
export function formatOptionProblems(spec: JobSpec): string[] {
  const problems: string[] = [];
  spec.nodes.forEach((node, i) => {
    if (node.type !== 'read' && node.type !== 'write') return;
    if ('catalog' in node && node.type === 'read') return; // a catalog table's format comes from the catalog
    try {
      if (node.type === 'read' && 'format' in node) checkReadOptions(node.format, node.formatOptions, `nodes[${i}].formatOptions`);
      else checkWriteOptions(node.format, node.formatOptions, `nodes[${i}].formatOptions`);
    } catch (e) {
      problems.push((e as Error).message);
    }
  });
  return problems;
}

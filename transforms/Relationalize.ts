import type { TransformKernel } from '../src/exec/Kernel.js';
import type { DataFrame, Row } from '../src/frame/DataFrame.js';
import { DynamicFrameCollection } from '../src/frame/DynamicFrameCollection.js';
import { SluiceError } from '../src/types/ErrorRecord.js';
import { nearestName } from '../src/types/nearestName.js';
import { relationalizeBatch } from './nested/relationalizeBatch.js';
import { relationalTables, type RelationalTable } from './nested/relationalTables.js';
import { nonEmptyString } from './paramSchemas.js';
import { defineTransform } from './TransformDef.js';
import type { TransformInfo } from './types.js';

/**
 * One table of Relationalize's output. A collection is several frames, and a plan node has one
 * output: each table is a plan node naming its `member`, over the same input. Keys are row
 * numbers, so every member computes the same keys from the same input, without sharing state.
 */
export interface RelationalizeParams { name: string; member: string }

export const relationalizeKernel: TransformKernel<RelationalizeParams> = {
  name: 'Relationalize',
  prepare([input], { name, member }) {
    const tables = relationalTables(input, name);
    const chain = chainTo(tables, member);
    const table = chain[chain.length - 1];
    return {
      schema: table.schema,
      async *run([stream]) {
        const counters = chain.map(() => 0);
        for await (const chunk of stream) {
          // Upstream error records travel with the root table only, so writing every table counts them once.
          yield { batch: relationalizeBatch(chunk.batch, chain, counters), errors: chain.length === 1 ? chunk.errors : [] };
        }
      },
    };
  },
};

/** The tables from the root down to `member`. */
function chainTo(tables: RelationalTable[], member: string): RelationalTable[] {
  let at = tables.findIndex((t) => t.name === member);
  if (at < 0) {
    const names = tables.map((t) => t.name);
    const near = nearestName(member, names);
    throw new SluiceError(`no table '${member}' in Relationalize's output${near ? ` (did you mean '${near}'?)` : ''}; its tables: ${names.join(', ')}`);
  }
  const chain: RelationalTable[] = [];
  for (; at >= 0; at = tables[at].parent) chain.unshift(tables[at]);
  return chain;
}

export const Relationalize = defineTransform({
  name: 'Relationalize',
  description: "Glue's Relationalize: flattens nested data into relational tables, returned as a collection. The root table (named `name`) has every struct flattened to dotted columns (address.city); each array becomes a bigint join-key column there and a table of its own named `<name>_<column>` (root_links; an array inside an array of structs: root_customers.val.orders) with columns id (the parent row's key), index (the 0-based position) and the element: `<column>.val` for values, `<column>.val.<field>` for structs. Keys are 1-based row numbers of the parent table over the whole input (a null array has a null key and no rows; an empty one a key and no rows), so they are stable for the same input but, as in Glue without bookmarks, not unique across runs. Each table is computed from the input on its own: cache() an expensive input before writing several. stagingPath is accepted for Glue compatibility; sluice stages nothing there.",
  inputs: 'one',
  output: 'collection',
  params: {
    properties: {
      name: { ...nonEmptyString("the root table's name, the prefix of the others"), default: 'roottable' },
      stagingPath: nonEmptyString("Glue's staging folder; accepted and unused (sluice streams the tables)"),
      options: { type: 'object', additionalProperties: false, properties: {}, description: 'Glue: "currently unused"; must be empty' },
    },
  },
  example: { name: 'root', stagingPath: 's3://bucket/tmp/' },
  kernel: relationalizeKernel,
  apply(args: { frame: DataFrame<Row>; name?: string; stagingPath?: string; options?: Record<string, never> } & TransformInfo): DynamicFrameCollection {
    const name = args.name ?? 'roottable';
    if (typeof name !== 'string' || name === '') throw new SluiceError(`Relationalize name must be a non-empty string, got ${JSON.stringify(args.name)}`);
    const unknown = Object.keys(args.options ?? {});
    if (unknown.length) throw new SluiceError(`unknown Relationalize option '${unknown[0]}': Glue's Relationalize takes none`);
    const { frame } = args;
    return DynamicFrameCollection.lazy(
      async () => relationalTables(await frame.schema(), name).map((t) => t.name),
      (member) => frame.derive('Relationalize', { name, member }, [], args),
    );
  },
});

import { Field, Schema, Struct, Type, makeData, type Data, type DataType, type RecordBatch } from 'apache-arrow';
import type { TransformKernel } from '../src/exec/Kernel.js';
import type { DataFrame, Row } from '../src/frame/DataFrame.js';
import { columnFromValues } from '../src/columns/fromValues.js';
import { makeBatch } from '../src/columns/take.js';
import { castData } from '../src/expr/index.js';
import { SluiceError } from '../src/types/ErrorRecord.js';
import { parseType, typeName } from '../src/types/typeNames.js';
import { formatFieldPath, parseFieldPath } from './fieldPath.js';
import { resolvePath } from './paths/columnPlan.js';
import { nestedColumn } from './paths/nestedColumn.js';
import { topLevel } from '../src/plan/columnsUsed.js';
import { defineTransform } from './TransformDef.js';
import type { Mapping, TransformInfo } from './types.js';

export interface ApplyMappingParams { mappings: Mapping[] }

/**
 * Glue's ApplyMapping: each `[sourcePath, sourceType, targetPath, targetType]` picks a field
 * (dotted paths reach into structs), casts it and places it at the target path (dotted targets
 * build structs). Only mapped fields are output, in mapping order.
 *
 * The source type is informative: the cast starts from the column's actual type. A bare
 * `struct` or `array` target keeps the source's own nested type, as Glue's generated mappings do. As in Glue, a value that cannot be cast (text 'abc' to int, an out-of-range number)
 * becomes null; it is not an error record, so check null counts where that matters.
 */
export const applyMappingKernel: TransformKernel<ApplyMappingParams> = {
  name: 'ApplyMapping',
  prepare([input], { mappings }) {
    const sources = checkMappings(mappings).map(([src, , , dstType]) => {
      const parts = parseFieldPath(src);
      const chain = resolvePath(input.fields, { parts, text: src });
      const from = chain[chain.length - 1][1].type;
      const to = targetType(dstType, from, src);
      try {
        castData(columnFromValues(from, []), to); // fails now, not mid-run, for impossible casts
      } catch (e) {
        throw new SluiceError(`cannot map '${src}' (${typeName(from)}) to ${dstType}: ${(e as Error).message}`);
      }
      return { indices: chain.map(([i]) => i), to };
    });
    const target = targetTree(mappings.map((m) => m[2]));
    const fields = targetFields(target, sources.map((s) => s.to));
    const schema = new Schema(fields, input.metadata);
    return {
      schema,
      async *run([stream]) {
        for await (const chunk of stream) {
          const casted = sources.map(({ indices, to }) => castData(nestedColumn(chunk.batch.data.children as Data[], indices), to).data);
          yield { batch: assemble(schema, target, casted, chunk.batch), errors: chunk.errors };
        }
      },
    };
  },
};

/** The target type; Glue's bare `struct` / `array` keep the source's own struct or list type. */
function targetType(name: string, from: DataType, src: string): DataType {
  const bare = name.trim().toLowerCase();
  if (bare === 'struct' || bare === 'array') {
    if (from.typeId === (bare === 'struct' ? Type.Struct : Type.List)) return from;
    throw new SluiceError(`cannot map '${src}' (${typeName(from)}) to ${bare}: it is not a${bare === 'array' ? 'n array' : ' struct'}`);
  }
  return parseType(name);
}

function checkMappings(mappings: unknown): Mapping[] {
  const ok = Array.isArray(mappings) && mappings.length > 0
    && mappings.every((m) => Array.isArray(m) && m.length === 4 && m.every((x) => typeof x === 'string'));
  if (!ok) throw new SluiceError(`mappings must be a non-empty array of [sourcePath, sourceType, targetPath, targetType] strings, got ${JSON.stringify(mappings)}`);
  return mappings as Mapping[];
}

/** Target paths as a tree: a leaf holds the mapping's index, a branch the struct's children by name. */
type TargetTree = Map<string, number | TargetTree>;

function targetTree(targets: string[]): TargetTree {
  const root: TargetTree = new Map();
  targets.forEach((text, index) => {
    const parts = parseFieldPath(text);
    let level = root;
    parts.forEach((name, depth) => {
      const existing = level.get(name);
      const prefix = formatFieldPath(parts.slice(0, depth + 1));
      if (depth === parts.length - 1) {
        if (existing !== undefined) throw new SluiceError(`target '${text}' is mapped twice (or is also a struct holding other targets): '${prefix}'`);
        level.set(name, index);
      } else if (typeof existing === 'number') {
        throw new SluiceError(`target '${text}' needs '${prefix}' to be a struct, but '${prefix}' is itself a mapped field`);
      } else {
        const next: TargetTree = existing ?? new Map();
        level.set(name, next);
        level = next;
      }
    });
  });
  return root;
}

function targetFields(tree: TargetTree, types: DataType[]): Field[] {
  return [...tree].map(([name, node]) =>
    new Field(name, typeof node === 'number' ? types[node] : new Struct(targetFields(node, types)), true));
}

function assemble(schema: Schema, tree: TargetTree, casted: Data[], batch: RecordBatch): RecordBatch {
  const build = (level: TargetTree, fields: Field[]): Data[] =>
    [...level].map(([, node], k) => {
      if (typeof node === 'number') return casted[node];
      const type = fields[k].type as Struct;
      return makeStruct(type, build(node, type.children), batch.numRows);
    });
  return makeBatch(schema, build(tree, schema.fields), batch.numRows);
}

function makeStruct(type: Struct, children: Data[], length: number): Data {
  return makeData({ type, length, nullCount: 0, children });
}

export const ApplyMapping = defineTransform({
  name: 'ApplyMapping',
  description: "Picks, casts and renames fields: each [sourcePath, sourceType, targetPath, targetType] places a cast source field at the target path; only mapped fields are output, in mapping order. Dotted paths reach into structs and build them; a bare 'struct' or 'array' target keeps the source's nested type. A value that cannot be cast becomes null, as in Glue.",
  inputs: 'one',
  params: {
    properties: {
      mappings: {
        type: 'array',
        minItems: 1,
        items: { type: 'array', minItems: 4, maxItems: 4, items: { type: 'string', minLength: 1 } },
        description: '[sourcePath, sourceType, targetPath, targetType] per output field, in output order',
      },
    },
    required: ['mappings'],
  },
  example: { mappings: [['order_id', 'string', 'id', 'int'], ['address.city', 'string', 'city', 'string']] },
  kernel: applyMappingKernel,
  inputColumns: ({ mappings }) => [new Set(mappings.map((m) => topLevel(m[0])))],
  perSplit: () => true,
  apply(args: { frame: DataFrame<Row>; mappings: Mapping[] } & TransformInfo): DataFrame<Row> {
    const mappings = checkMappings(args.mappings);
    mappings.forEach(([src, , dst, dstType]) => {
      parseFieldPath(src);
      parseFieldPath(dst);
      if (!/^\s*(struct|array)\s*$/i.test(dstType)) parseType(dstType);
    });
    return args.frame.derive('ApplyMapping', { mappings: mappings.map((m) => [...m]) }, [], args);
  },
});

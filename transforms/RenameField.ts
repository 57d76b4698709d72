import { Field, type Schema } from 'apache-arrow';
import type { TransformKernel } from '../src/exec/Kernel.js';
import type { DataFrame, Row } from '../src/frame/DataFrame.js';
import { SluiceError } from '../src/types/ErrorRecord.js';
import { applyPlans, describeFields, keep, rebuilt, resolvePath, schemaOf, structChildren, type ColumnPlan } from './paths/columnPlan.js';
import { formatFieldPath, parseFieldPath } from './fieldPath.js';
import { topLevel, union } from '../src/plan/columnsUsed.js';
import { nonEmptyString } from './paramSchemas.js';
import { defineTransform } from './TransformDef.js';
import type { FieldPath, TransformInfo } from './types.js';

export interface RenameFieldParams { oldName: FieldPath; newName: FieldPath }

/**
 * Renames one field. Both names are full dotted paths as in Glue (`address.zip` →
 * `address.postcode`); a field stays inside its struct, so the two paths must share their parent.
 * Renaming a nested field rebuilds the enclosing struct types; values are not copied.
 */
export const renameFieldKernel: TransformKernel<RenameFieldParams> = {
  name: 'RenameField',
  prepare([input], { oldName, newName }) {
    const plans = renamePlans(input, oldName, newName);
    const schema = schemaOf(plans, input);
    return {
      schema,
      async *run([stream]) {
        for await (const chunk of stream) yield { batch: applyPlans(plans, schema, chunk.batch), errors: chunk.errors };
      },
    };
  },
};

function renamePlans(input: Schema, oldName: string, newName: string): ColumnPlan[] {
  const oldParts = parseFieldPath(oldName);
  const newParts = parseFieldPath(newName);
  const chain = resolvePath(input.fields, { parts: oldParts, text: oldName });
  const parent = oldParts.slice(0, -1);
  if (newParts.length !== oldParts.length || formatFieldPath(newParts.slice(0, -1)) !== formatFieldPath(parent)) {
    throw new SluiceError(`cannot rename '${oldName}' to '${newName}': the new path must stay in the same struct${parent.length ? ` ('${formatFieldPath(parent)}.<name>')` : ' (a top-level name)'}`);
  }
  const leaf = newParts[newParts.length - 1];
  const siblings = chain.length > 1 ? structChildren(chain[chain.length - 2][1].type) : input.fields;
  if (leaf !== oldParts[oldParts.length - 1] && siblings.some((f) => f.name === leaf)) {
    throw new SluiceError(`cannot rename '${oldName}' to '${newName}': a field '${leaf}' already exists; fields there: ${describeFields(siblings)}`);
  }
  return renameAt(input.fields, chain, 0, leaf);
}

/** Keeps every field, renaming the one at the end of `chain` and rebuilding the structs above it. */
function renameAt(fields: readonly Field[], chain: [number, Field][], depth: number, leaf: string): ColumnPlan[] {
  const [target] = chain[depth];
  return fields.map((field, index) => {
    if (index !== target) return keep(field, index);
    if (depth === chain.length - 1) {
      return { source: index, field: new Field(leaf, field.type, field.nullable, field.metadata) };
    }
    return rebuilt(field, index, renameAt(structChildren(field.type), chain, depth + 1, leaf));
  });
}

export const RenameField = defineTransform({
  name: 'RenameField',
  description: 'Renames one field. Both names are full dotted paths as in Glue (address.zip → address.postcode); a field stays inside its struct, so the two paths must share their parent.',
  inputs: 'one',
  params: {
    properties: {
      oldName: nonEmptyString('the field path to rename'),
      newName: nonEmptyString('its new path, in the same struct'),
    },
    required: ['oldName', 'newName'],
  },
  example: { oldName: 'address.zip', newName: 'address.postcode' },
  kernel: renameFieldKernel,
  inputColumns({ oldName, newName }, required) {
    if (!required) return [null];
    const newTop = topLevel(newName);
    return [union([...required].filter((c) => c !== newTop), [topLevel(oldName)])];
  },
  perSplit: () => true,
  apply(args: { frame: DataFrame<Row>; oldName: FieldPath; newName: FieldPath } & TransformInfo): DataFrame<Row> {
    parseFieldPath(args.oldName);
    parseFieldPath(args.newName);
    return args.frame.derive('RenameField', { oldName: args.oldName, newName: args.newName }, [], args);
  },
});

import { Field, Schema, type Data } from 'apache-arrow';
import type { TransformKernel } from '../src/exec/Kernel.js';
import type { DataFrame, Row } from '../src/frame/DataFrame.js';
import type { ExprNode } from '../src/expr/ast.js';
import { castData, evaluate } from '../src/expr/index.js';
import { sameType } from '../src/expr/typeRules.js';
import { makeBatch } from '../src/columns/take.js';
import { SluiceError } from '../src/types/ErrorRecord.js';
import { exprType, toExprNode } from './exprInput.js';
import { exprColumns, union } from '../src/plan/columnsUsed.js';
import { defineTransform } from './TransformDef.js';
import type { ExprInput, TransformInfo } from './types.js';

export interface WithColumnsParams { columns: Record<string, ExprNode | string> }

/**
 * Spark's withColumns: adds or replaces columns computed by expressions, evaluated column-wise.
 * Every expression sees the input columns (not each other's results); a replaced column keeps
 * its position, new ones are appended in the order given. Types come from inferType, so the
 * plan knows them before any data is read.
 */
export const withColumnsKernel: TransformKernel<WithColumnsParams> = {
  name: 'WithColumns',
  prepare([input], { columns }) {
    const entries = checkColumns(columns).map(([name, expr]) => {
      const node = toExprNode(expr);
      return { name, node, type: exprType(node, input) };
    });
    // Where each output column comes from: an input column index, or an entry index (negative).
    const sources = input.fields.map((f, i) => {
      const e = entries.findIndex((x) => x.name === f.name);
      return e >= 0 ? -1 - e : i;
    });
    entries.forEach((e, k) => { if (!input.fields.some((f) => f.name === e.name)) sources.push(-1 - k); });
    const fields = sources.map((s) => (s >= 0 ? input.fields[s] : new Field(entries[-1 - s].name, entries[-1 - s].type, true)));
    const schema = new Schema(fields, input.metadata);
    return {
      schema,
      async *run([stream], { partition = 0 }) {
        let rowOffset = 0; // rand() numbers rows within the split
        for await (const chunk of stream) {
          const batch = chunk.batch;
          const context = { partition, rowOffset };
          rowOffset += batch.numRows;
          const computed = entries.map((e) => {
            const data = evaluate(e.node, batch, context).data[0] as Data;
            // A guard: the plan promised inferType's type, so that is what leaves this step.
            return sameType(data.type, e.type) ? data : castData(data, e.type).data;
          });
          const data = sources.map((s) => (s >= 0 ? (batch.data.children[s] as Data) : computed[-1 - s]));
          yield { batch: makeBatch(schema, data, batch.numRows), errors: chunk.errors };
        }
      },
    };
  },
};

function checkColumns(columns: unknown): [string, ExprNode | string][] {
  if (typeof columns !== 'object' || columns === null || Array.isArray(columns) || Object.keys(columns).length === 0) {
    throw new SluiceError(`columns must be an object { name: expression } with at least one entry, got ${JSON.stringify(columns)}`);
  }
  return Object.entries(columns as Record<string, ExprNode | string>);
}

export const WithColumns = defineTransform({
  name: 'WithColumns',
  description: "Spark's withColumns: adds or replaces columns computed by SQL expressions, evaluated column-wise. Every expression sees the input columns (not each other's results); a replaced column keeps its position, new ones are appended in the order given.",
  inputs: 'one',
  params: {
    properties: {
      columns: {
        type: 'object', minProperties: 1, additionalProperties: { type: 'string', minLength: 1 },
        description: '{"name": "SQL expression"}',
      },
    },
    required: ['columns'],
  },
  example: { columns: { year: 'year(ts)', total: 'price * quantity' } },
  kernel: withColumnsKernel,
  inputColumns({ columns }, required) {
    if (!required) return [null];
    const refs: string[] = [];
    for (const expr of Object.values(columns)) {
      const used = exprColumns(expr);
      if (!used) return [null];
      refs.push(...used);
    }
    return [union([...required].filter((c) => !(c in columns)), refs)];
  },
  perSplit: () => true,
  apply(args: { frame: DataFrame<Row>; columns: Record<string, ExprInput> } & TransformInfo): DataFrame<Row> {
    const columns = Object.fromEntries(checkColumns(args.columns).map(([name, expr]) => [name, toExprNode(expr)]));
    return args.frame.derive('WithColumns', { columns }, [], args);
  },
});

import { Field, Schema, Type, Utf8, type Data } from 'apache-arrow';
import type { TransformKernel } from '../src/exec/Kernel.js';
import type { DataFrame, Row } from '../src/frame/DataFrame.js';
import { makeBatch } from '../src/columns/take.js';
import { joinUtf8 } from '../src/columns/joinUtf8.js';
import { castData } from '../src/expr/index.js';
import { union } from '../src/plan/columnsUsed.js';
import { SluiceError } from '../src/types/ErrorRecord.js';
import { typeName } from '../src/types/typeNames.js';
import { nonEmptyString, stringList } from './paramSchemas.js';
import { describeFields } from './paths/columnPlan.js';
import { defineTransform } from './TransformDef.js';
import type { TransformInfo } from './types.js';

export interface ConcatenateParams {
  colName: string;
  colList: string[];
  spacer?: string;
  nullString?: string;
}

/**
 * Glue Studio's Concatenate columns (`gs_concat`): a string column joining the values of
 * `colList`, in list order, with `spacer` between them; other types are cast to text as by
 * CAST(x AS STRING). A null value is written as `nullString` when one is given and skipped
 * (with its spacer) otherwise, as Spark's concat_ws does, so the result is never null. The new
 * column is appended, or replaces a column of the same name in place.
 */
export const concatenateKernel: TransformKernel<ConcatenateParams> = {
  name: 'Concatenate',
  prepare([input], params) {
    const { colName, colList, spacer, nullString } = checkParams(params);
    const sources = colList.map((name) => {
      const index = input.fields.findIndex((f) => f.name === name);
      if (index < 0) throw new SluiceError(`no column '${name}' to concatenate; available: ${describeFields(input.fields)}`);
      const type = input.fields[index].type;
      if (type.typeId === Type.Struct || type.typeId === Type.List || type.typeId === Type.Map) {
        throw new SluiceError(`cannot concatenate '${name}' of type ${typeName(type)}: pick its scalar fields (struct.field) or convert it first`);
      }
      return index;
    });
    const target = input.fields.findIndex((f) => f.name === colName);
    const field = new Field(colName, new Utf8(), false);
    const fields = target >= 0 ? input.fields.map((f, i) => (i === target ? field : f)) : [...input.fields, field];
    const schema = new Schema(fields, input.metadata);
    return {
      schema,
      async *run([stream]) {
        for await (const chunk of stream) {
          const batch = chunk.batch;
          const texts = sources.map((i) => castData(batch.data.children[i] as Data, new Utf8()).data as Data<Utf8>);
          const columns = batch.data.children.slice() as Data[];
          const data = joinUtf8(texts, batch.numRows, spacer, nullString) as Data;
          if (target >= 0) columns[target] = data;
          else columns.push(data);
          yield { batch: makeBatch(schema, columns, batch.numRows), errors: chunk.errors };
        }
      },
    };
  },
};

function checkParams(params: ConcatenateParams): Required<Omit<ConcatenateParams, 'nullString'>> & { nullString?: string } {
  const { colName, colList, spacer = '', nullString } = params;
  if (typeof colName !== 'string' || colName === '') throw new SluiceError(`Concatenate colName must be a column name, got ${JSON.stringify(colName)}`);
  if (!Array.isArray(colList) || colList.length === 0 || colList.some((c) => typeof c !== 'string')) {
    throw new SluiceError(`Concatenate colList must be a non-empty array of column names, got ${JSON.stringify(colList)}`);
  }
  if (typeof spacer !== 'string') throw new SluiceError(`Concatenate spacer must be a string, got ${JSON.stringify(spacer)}`);
  if (nullString !== undefined && typeof nullString !== 'string') throw new SluiceError(`Concatenate nullString must be a string, got ${JSON.stringify(nullString)}`);
  return { colName, colList, spacer, ...(nullString !== undefined ? { nullString } : {}) };
}

export const Concatenate = defineTransform({
  name: 'Concatenate',
  glueName: 'gs_concat',
  description: "Glue Studio's Concatenate columns: a string column colName joining the values of colList, in list order, with spacer between them (other types are cast to text). A null is written as nullString when given, else skipped with its spacer, as by Spark's concat_ws. The column is appended, or replaces one of the same name.",
  inputs: 'one',
  params: {
    properties: {
      colName: nonEmptyString('the output column'),
      colList: stringList('the columns to join, in order'),
      spacer: { type: 'string', description: 'the text between two values (default: none)' },
      nullString: { type: 'string', description: 'the text written for a null value (default: nulls are skipped)' },
    },
    required: ['colName', 'colList'],
  },
  example: { colName: 'date', colList: ['year', 'month', 'day'], spacer: '-' },
  kernel: concatenateKernel,
  inputColumns: ({ colName, colList }, required) => [required ? union([...required].filter((c) => c !== colName), colList) : null],
  perSplit: () => true,
  apply(args: { frame: DataFrame<Row> } & ConcatenateParams & TransformInfo): DataFrame<Row> {
    const params = checkParams(args);
    return args.frame.derive('Concatenate', { ...params, colList: [...params.colList] }, [], args);
  },
});

import { Field, List, RecordBatch, Schema, Struct, makeData, type Data, type DataType } from 'apache-arrow';
import type { Catalog } from '../src/catalog/Catalog.js';
import type { TransformKernel } from '../src/exec/Kernel.js';
import { DataFrame, type Row } from '../src/frame/DataFrame.js';
import type { TransformNode } from '../src/plan/PlanNode.js';
import { concatData } from '../src/columns/concat.js';
import { nullColumn } from '../src/columns/nullColumn.js';
import { takeNullable } from '../src/columns/takeNullable.js';
import { castData } from '../src/expr/kernels/cast.js';
import { choiceAsStruct, glueTypeName, isChoice } from '../src/types/choice.js';
import { SluiceError } from '../src/types/ErrorRecord.js';
import { nearestName } from '../src/types/nearestName.js';
import { parseType } from '../src/types/typeNames.js';
import { parseFieldPath } from './fieldPath.js';
import { catalogColumnsOf, catalogTypeAt, type CatalogColumns } from './matchCatalog.js';
import { defineTransform } from './TransformDef.js';
import type { FieldPath, TransformInfo } from './types.js';

/** `[path, action]`: `cast:<type>`, `project:<type>`, `make_cols`, `make_struct` or `match_catalog`. */
export type ChoiceSpec = [FieldPath, string];

export interface ResolveChoiceParams {
  specs?: ChoiceSpec[];
  /** One action for every choice column (Glue's `choice`). */
  choice?: string;
  /** match_catalog: the catalog table whose column types the choices are cast to. */
  database?: string;
  tableName?: string;
  /** match_catalog: the Data Catalog, or its root folder / s3:// prefix (default: env SLUICE_CATALOG, else `.sluice/catalog`). */
  catalog?: Catalog | string;
}

/** The plan node's parameters: plain data, with the catalog table's columns in place of a catalog. */
export interface ResolveChoiceNodeParams extends Omit<ResolveChoiceParams, 'catalog'> {
  /** match_catalog: the table's columns, read from the catalog before the plan runs (the node's `resolve`). */
  catalogColumns?: CatalogColumns;
}

/** A parsed action. */
type Action = { kind: 'cast' | 'project'; type: DataType } | { kind: 'make_cols' } | { kind: 'make_struct' } | { kind: 'match_catalog' };

/** A column's replacement: one field for most actions, one per alternative for make_cols (the first in place). */
interface Resolved { fields: Field[]; columns: Data[] }

function parseAction(text: string, where: string): Action {
  const [kind, type] = [text.slice(0, text.indexOf(':') < 0 ? text.length : text.indexOf(':')), text.slice(text.indexOf(':') + 1)];
  if ((kind === 'cast' || kind === 'project') && text.includes(':') && type.trim()) return { kind, type: parseType(type) };
  if (text === 'make_cols' || text === 'make_struct' || text === 'match_catalog') return { kind: text };
  throw new SluiceError(`${where}: unknown action '${text}'; use cast:<type>, project:<type>, make_cols, make_struct or match_catalog`);
}

/** A path's steps: names, and `[]` for "inside the array" (`myList[].price` → myList, [], price; `m[][]` → m, [], []). */
function parseChoicePath(path: string): string[] {
  return parseFieldPath(path).flatMap((name) => {
    let base = name;
    let depth = 0;
    while (base.endsWith('[]') && base.length > 2) {
      base = base.slice(0, -2);
      depth++;
    }
    return [base, ...new Array<string>(depth).fill('[]')];
  });
}

/**
 * The steps with `[]` added where a name follows an array (`items.price` → items, [], price):
 * Glue writes `items[].price`, and sluice's DropFields/SelectFields take `items.price` too.
 */
function withArraySteps(fields: readonly Field[], steps: string[]): string[] {
  const out: string[] = [];
  let type: DataType | undefined = new Struct([...fields]);
  for (const step of steps) {
    while (step !== '[]' && type instanceof List) {
      out.push('[]');
      type = type.children[0].type;
    }
    out.push(step);
    if (step === '[]') type = type instanceof List ? type.children[0].type : undefined;
    else type = type instanceof Struct && !isChoice(type as DataType) ? type.children.find((f) => f.name === step)?.type : undefined;
  }
  return out;
}

/** Where a batch's column changes: the top-level field and the steps below it. */
interface Target { steps: string[]; action: Action; path: string }

/**
 * Glue's ResolveChoice (awsglue/transforms/resolve_choice.py): resolves choice columns
 * (types/choice.ts) by `specs` (`[path, action]`) or one `choice` action for them all.
 * `cast:<type>` casts every alternative to the type (a value that cannot be cast becomes null),
 * `project:<type>` keeps the values of that alternative (the others become null),
 * `make_cols` splits the column into `<col>_<type>` columns (the first in the column's place, the
 * others at the end, as Glue's sample shows) and `make_struct` keeps the struct of alternatives
 * as a plain struct (what `toDF()` writes). A spec on a column that is not a choice casts it
 * (`cast`) or leaves it as it is.
 */
export const resolveChoiceKernel: TransformKernel<ResolveChoiceNodeParams> = {
  name: 'ResolveChoice',
  prepare([input], params) {
    const targets = targetsOf(input, params);
    const resolveBatch = (columns: readonly Data[]) => resolveColumns(input, columns, targets);
    const schema = new Schema(resolveBatch(input.fields.map((f) => nullColumn(f.type, 0))).fields);
    return {
      schema,
      async *run([stream]) {
        for await (const chunk of stream) {
          const { columns } = resolveBatch(chunk.batch.data.children as Data[]);
          const data = makeData({ type: new Struct(schema.fields), length: chunk.batch.numRows, nullCount: 0, children: columns });
          yield { batch: new RecordBatch(schema, data), errors: chunk.errors };
        }
      },
    };
  },
};

function targetsOf(input: Schema, params: ResolveChoiceNodeParams): Target[] {
  const { specs, choice } = params;
  if (specs && choice) throw new SluiceError('Parameter specs and option are both specified, choose one.');
  if (!specs && !choice) throw new SluiceError('Parameter specs and option are both missing, add one.');
  const targets: Target[] = choice
    ? choicePaths(input.fields, []).map((steps) => ({ steps, action: parseAction(choice, 'ResolveChoice choice'), path: steps.join('.') }))
    : specs!.map(([path, text]) => {
      const steps = withArraySteps(input.fields, parseChoicePath(path));
      checkPath(input.fields, steps, path);
      return { steps, action: parseAction(text, `ResolveChoice spec '${path}'`), path };
    });
  return targets.map((target) => (target.action.kind === 'match_catalog' ? { ...target, action: catalogCast(target, params) } : target));
}

/** match_catalog as Glue does it: a cast to the catalog column's type (uncastable values → null). */
function catalogCast(target: Target, { database, tableName, catalogColumns }: ResolveChoiceNodeParams): Action {
  if (!catalogColumns) throw new SluiceError(`ResolveChoice match_catalog: the columns of ${database}.${tableName} were not read from the catalog (build the node with ResolveChoice.apply)`);
  return { kind: 'cast', type: catalogTypeAt(catalogColumns, target.steps, `${database}.${tableName}`, target.path) };
}

/** Every choice's path (outermost first; a choice's own alternatives are not searched). */
function choicePaths(fields: readonly Field[], prefix: string[]): string[][] {
  return fields.flatMap((field) => {
    if (isChoice(field.type)) return [[...prefix, field.name]];
    if (field.type instanceof Struct) return choicePaths(field.type.children, [...prefix, field.name]);
    if (field.type instanceof List) return elementPaths(field.type.children[0].type, [...prefix, field.name, '[]']);
    return [];
  });
}

function elementPaths(type: DataType, prefix: string[]): string[][] {
  if (isChoice(type)) return [prefix];
  if (type instanceof Struct) return choicePaths(type.children, prefix);
  if (type instanceof List) return elementPaths(type.children[0].type, [...prefix, '[]']);
  return [];
}

function checkPath(fields: readonly Field[], steps: string[], path: string): void {
  let type: DataType = new Struct([...fields]);
  for (const step of steps) {
    if (step === '[]') {
      if (!(type instanceof List)) throw new SluiceError(`ResolveChoice spec '${path}': '[]' follows a field that is not an array`);
      type = type.children[0].type;
      continue;
    }
    const children: Field[] = type instanceof Struct && !isChoice(type as DataType) ? (type as Struct).children : [];
    const found = children.find((f) => f.name === step);
    if (!found) {
      const near = nearestName(step, children.map((f) => f.name));
      throw new SluiceError(`ResolveChoice spec '${path}': no field '${step}'${near ? `; did you mean '${near}'?` : ''}`);
    }
    type = found.type;
  }
}

/** The batch's columns after every target's action, and their fields. */
function resolveColumns(input: Schema, columns: readonly Data[], targets: Target[]): Resolved {
  let fields = [...input.fields];
  let data = [...columns];
  for (const target of targets) ({ fields, columns: data } = resolveIn(fields, data, target.steps, target));
  return { fields, columns: data };
}

/**
 * Applies `target` at `steps` below the given sibling fields (a struct's children, or the top
 * level); make_cols's extra columns go after the siblings, as Glue does.
 */
function resolveIn(fields: Field[], columns: Data[], steps: string[], target: Target): Resolved {
  const i = fields.findIndex((f) => f.name === steps[0]);
  if (i < 0) return { fields, columns }; // a path resolved away by an earlier spec
  const resolved = resolveField(fields[i], columns[i], steps.slice(1), target);
  const outFields = [...fields];
  const outColumns = [...columns];
  outFields.splice(i, 1, resolved.fields[0]);
  outColumns.splice(i, 1, resolved.columns[0]);
  // Glue's sample: `provider id_long` takes the column's place, `provider id_string` goes last.
  outFields.push(...resolved.fields.slice(1));
  outColumns.push(...resolved.columns.slice(1));
  return { fields: outFields, columns: outColumns };
}

function resolveField(field: Field, data: Data, steps: string[], target: Target): Resolved {
  if (steps.length === 0) return applyAction(field, data, target.action);
  if (steps[0] === '[]') {
    const list = field.type as List;
    const element = list.children[0];
    const inner = resolveField(element, data.children[0], steps.slice(1), target);
    // make_cols on the elements themselves (`xs[]`): one array per type, `xs_int`, `xs_string`,
    // sharing the array's offsets, each element null where it holds the other type.
    return {
      fields: inner.fields.map((f, k) => new Field(k === 0 && inner.fields.length === 1 ? field.name : `${field.name}${f.name.slice(element.name.length)}`,
        new List(new Field(element.name, f.type, true)), field.nullable, k === 0 ? field.metadata : undefined)),
      columns: inner.columns.map((child, k) => makeData({
        type: new List(new Field(element.name, inner.fields[k].type, true)), length: data.length, nullCount: data.nullCount,
        nullBitmap: data.nullBitmap, valueOffsets: data.valueOffsets, offset: data.offset, child,
      } as never) as Data),
    };
  }
  const struct = field.type as Struct;
  const inner = resolveIn([...struct.children], [...data.children] as Data[], steps, target);
  const type = new Struct(inner.fields);
  const structData = makeData({ type, length: data.length, nullCount: data.nullCount, nullBitmap: data.nullBitmap, offset: data.offset, children: inner.columns } as never) as Data;
  return { fields: [new Field(field.name, type, field.nullable, field.metadata)], columns: [structData] };
}

function applyAction(field: Field, data: Data, action: Action): Resolved {
  const one = (type: DataType, column: Data): Resolved => ({ fields: [new Field(field.name, type, true, field.metadata)], columns: [column] });
  if (!isChoice(field.type)) return action.kind === 'cast' ? one(action.type, castOrNull(data, action.type)) : { fields: [field], columns: [data] };
  const alternatives = field.type.children;
  const children = alternativeColumns(data);
  switch (action.kind) {
    case 'cast':
      return one(action.type, pick(children.map((child) => castOrNull(child, action.type)), children, data.length));
    case 'project': {
      const want = glueTypeName(action.type);
      const k = alternatives.findIndex((f) => glueTypeName(f.type) === want);
      return one(action.type, k < 0 ? nullColumn(action.type, data.length) : castOrNull(children[k], action.type));
    }
    case 'make_cols':
      return {
        fields: alternatives.map((alt) => new Field(`${field.name}_${alt.name}`, alt.type, true)),
        columns: children,
      };
    case 'make_struct': {
      const type = choiceAsStruct(field.type);
      return one(type, makeData({ type, length: data.length, nullCount: data.nullCount, nullBitmap: data.nullBitmap, offset: data.offset, children: data.children } as never) as Data);
    }
    case 'match_catalog':
      throw new SluiceError('ResolveChoice: match_catalog is a cast once the catalog types are known (targetsOf)');
  }
}

/** A choice's alternatives as columns of the choice's rows (a null choice row is null in each). */
function alternativeColumns(data: Data): Data[] {
  if (data.offset === 0 && data.nullCount === 0) return data.children as Data[];
  const indices = new Int32Array(data.length);
  const bitmap = data.nullBitmap;
  for (let i = 0; i < data.length; i++) {
    const j = data.offset + i;
    indices[i] = !bitmap || bitmap.length === 0 || (bitmap[j >> 3] & (1 << (j & 7))) !== 0 ? j : -1;
  }
  return (data.children as Data[]).map((child) => takeNullable(child, indices));
}

/** Casts a column; values (or a whole alternative, such as a struct) that cannot be cast become null. */
function castOrNull(data: Data, to: DataType): Data {
  try {
    return castData(data, to).data;
  } catch (error) {
    if (error instanceof SluiceError) return nullColumn(to, data.length);
    throw error;
  }
}

/** Row by row, the cast of the alternative that holds the row's value (one per row, or none). */
function pick(casts: Data[], alternatives: Data[], length: number): Data {
  if (casts.length === 1) return casts[0];
  const indices = new Int32Array(length).fill(-1);
  for (let k = alternatives.length - 1; k >= 0; k--) {
    const bits = alternatives[k].nullBitmap;
    const all = !bits || bits.length === 0 || alternatives[k].nullCount === 0;
    const offset = alternatives[k].offset;
    for (let i = 0; i < length; i++) {
      const j = offset + i;
      if (all || (bits![j >> 3] & (1 << (j & 7))) !== 0) indices[i] = k * length + i;
    }
  }
  return takeNullable(concatData(casts), indices);
}

export const ResolveChoice = defineTransform({
  name: 'ResolveChoice',
  description:
    "Glue's ResolveChoice: resolves choice columns (a value that is a number in some records and a string in others) by `specs` " +
    '([path, action]; `myList[].price` reaches into arrays, backticks quote names with dots) or one `choice` action for every choice. ' +
    'cast:<type> casts every value (uncastable → null); project:<type> keeps that type\'s values (others → null); ' +
    'make_cols splits the column into <col>_<type> columns; make_struct keeps a struct with a field per type (what writing an unresolved choice does); ' +
    'match_catalog casts to the type of the same column (case-insensitive) in the catalog table `database`.`tableName` (the spec\'s catalog).',
  inputs: 'one',
  params: {
    properties: {
      specs: {
        type: 'array', minItems: 1, description: '[path, action] pairs, e.g. ["provider id", "cast:long"]',
        items: { type: 'array', minItems: 2, maxItems: 2, items: { type: 'string', minLength: 1 } },
      },
      choice: { type: 'string', minLength: 1, description: 'one action for every choice column: cast:<type>, project:<type>, make_cols, make_struct or match_catalog' },
      database: { type: 'string', minLength: 1, description: 'match_catalog: the catalog database' },
      tableName: { type: 'string', minLength: 1, description: 'match_catalog: the catalog table' },
    },
  },
  apiParams: ['specs', 'choice', 'database', 'tableName', 'catalog'],
  example: { specs: [['provider id', 'cast:long']] },
  kernel: resolveChoiceKernel,
  perSplit: () => true,
  apply: applyResolveChoice,
  fromSpec(params, { frames, info, catalogRoot }) {
    return applyResolveChoice({ frame: frames[0], ...params, ...info, ...(catalogRoot ? { catalog: catalogRoot } : {}) });
  },
});

/** `ResolveChoice.apply`; a match_catalog node reads the catalog table's types when its plan first runs. */
function applyResolveChoice(args: { frame: DataFrame<Row> } & ResolveChoiceParams & TransformInfo): DataFrame<Row> {
  const { frame, specs, choice, database, tableName, catalog, ...info } = args;
  const params: ResolveChoiceNodeParams = {
    ...(specs ? { specs: normaliseSpecs(specs) } : {}),
    ...(choice !== undefined ? { choice } : {}),
    ...(database ? { database } : {}),
    ...(tableName ? { tableName } : {}),
  };
  // Fails at once on both/neither and on unknown actions, before any data is read.
  if (specs && choice) throw new SluiceError('Parameter specs and option are both specified, choose one.');
  if (!specs && !choice) throw new SluiceError('Parameter specs and option are both missing, add one.');
  const actions = [...(params.specs ?? []).map(([path, action]) => parseAction(action, `ResolveChoice spec '${path}'`)), ...(params.choice ? [parseAction(params.choice, 'ResolveChoice choice')] : [])];
  const derived = frame.derive('ResolveChoice', params as unknown as Record<string, unknown>, [], info);
  if (!actions.some((a) => a.kind === 'match_catalog')) return derived;
  if (!database || !tableName) throw new SluiceError('ResolveChoice match_catalog: name the catalog table with both database and tableName');
  // The catalog is read once, when the plan first runs; the node then carries the types.
  let columns: Promise<CatalogColumns> | undefined;
  const node = derived.plan as TransformNode;
  return new DataFrame<Row>({
    ...node,
    resolve: async (self: TransformNode) => ({ ...self, resolve: undefined, params: { ...self.params, catalogColumns: await (columns ??= catalogColumnsOf(catalog, database, tableName)) } }),
  });
}

/** Glue accepts one `(path, action)` tuple as well as a list of them. */
function normaliseSpecs(specs: ChoiceSpec[] | ChoiceSpec): ChoiceSpec[] {
  const list = typeof specs[0] === 'string' ? [specs as ChoiceSpec] : (specs as ChoiceSpec[]);
  for (const spec of list) {
    if (!Array.isArray(spec) || spec.length !== 2 || typeof spec[0] !== 'string' || typeof spec[1] !== 'string') {
      throw new SluiceError(`ResolveChoice specs: each spec is [path, action], got ${JSON.stringify(spec)}`);
    }
  }
  return list.map(([path, action]) => [path, action]);
}

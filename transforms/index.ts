/** The Glue transforms: `ApplyMapping.apply({ frame, mappings })` and friends, one file each. */
export { ApplyMapping, type ApplyMappingParams } from './ApplyMapping.js';
export { SelectFields, type SelectFieldsParams } from './SelectFields.js';
export { DropFields, type DropFieldsParams } from './DropFields.js';
export { RenameField, type RenameFieldParams } from './RenameField.js';
export { Filter, type FilterParams } from './Filter.js';
export { MapTransform as Map, type MapParams } from './Map.js';
export { WithColumns, type WithColumnsParams } from './WithColumns.js';
export { Join, type JoinParams } from './Join.js';
export { Union } from './Union.js';
export { DropNullFields } from './DropNullFields.js';
export { DropDuplicates, type DropDuplicatesParams } from './DropDuplicates.js';
export { GroupBy, type Aggregation, type GroupByParams } from './GroupBy.js';
export { OrderBy, type OrderByParams, type SortKey } from './OrderBy.js';
export { parseFieldPath, formatFieldPath } from './fieldPath.js';
export type { ExprInput, FieldPath, FnRef, JoinType, Mapping, RowFunction, RowPredicate, TransformInfo } from './types.js';
export { defineTransform, type AnyTransform, type InputArity, type ParamsSchema, type SpecContext, type Transform } from './TransformDef.js';
export { TRANSFORMS, transformDefs } from './registry.js';
export type { TransformDef, TransformDefs, PartialForm, PartialAccumulator } from '../src/plan/TransformDef.js';

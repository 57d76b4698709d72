import { installTransforms } from '../src/plan/installedTransforms.js';
import type { TransformDefs } from '../src/plan/TransformDef.js';
import { ApplyMapping } from './ApplyMapping.js';
import { Concatenate } from './Concatenate.js';
import { DropDuplicates } from './DropDuplicates.js';
import { DropFields } from './DropFields.js';
import { DropNullFields } from './DropNullFields.js';
import { Filter } from './Filter.js';
import { GroupBy } from './GroupBy.js';
import { Join } from './Join.js';
import { Limit } from './Limit.js';
import { MapTransform } from './Map.js';
import { OrderBy } from './OrderBy.js';
import { RenameField } from './RenameField.js';
import { SelectFields } from './SelectFields.js';
import type { AnyTransform } from './TransformDef.js';
import { Union } from './Union.js';
import { WithColumns } from './WithColumns.js';
import { Window } from './Window.js';

/**
 * Every transform, in the order job-spec node types, the schema and `sluice transforms` list
 * them. Adding a transform: its file, and one line here.
 */
export const TRANSFORMS = [
  ApplyMapping, SelectFields, DropFields, RenameField, Filter, MapTransform, WithColumns, Join, Union,
  DropNullFields, DropDuplicates, GroupBy, Window, OrderBy, Limit, Concatenate,
] as const satisfies readonly AnyTransform[];

/** Every transform by its plan name; what the planner, the executor and the spec loader read. */
export const transformDefs: ReadonlyMap<string, AnyTransform> = new Map(TRANSFORMS.map((t) => [t.name, t as AnyTransform]));

/** The transforms a job spec can name (internal steps such as Limit left out). */
export const specTransforms: readonly AnyTransform[] = TRANSFORMS.filter((t) => !(t as AnyTransform).internal);

// For plan/ and exec/ callers that are not handed a registry (see installedTransforms.ts).
installTransforms(transformDefs as TransformDefs);

import { installTransforms } from '../src/plan/installedTransforms.js';
import type { TransformDefs } from '../src/plan/TransformDef.js';
import { ApplyMapping } from './ApplyMapping.js';
import { Concatenate } from './Concatenate.js';
import { DropDuplicates } from './DropDuplicates.js';
import { DropFields } from './DropFields.js';
import { DropNullFields } from './DropNullFields.js';
import { Explode } from './Explode.js';
import { Filter } from './Filter.js';
import { FlatMap } from './FlatMap.js';
import { FlatMapRecords } from './FlatMapRecords.js';
import { Repartition } from './Repartition.js';
import { Coalesce } from './Coalesce.js';
import { MergeDynamicFrame } from './MergeDynamicFrame.js';
import { FillMissingValues } from './FillMissingValues.js';
import { FindMatches } from './FindMatches.js';
import { GroupBy } from './GroupBy.js';
import { Join } from './Join.js';
import { Limit } from './Limit.js';
import { MapTransform } from './Map.js';
import { NaDrop } from './NaDrop.js';
import { NaFill } from './NaFill.js';
import { OrderBy } from './OrderBy.js';
import { RenameField } from './RenameField.js';
import { ResolveChoice } from './ResolveChoice.js';
import { SelectFields } from './SelectFields.js';
import { ToDF } from './ToDF.js';
import type { AnyTransform } from './TransformDef.js';
import { Union } from './Union.js';
import { WithColumns } from './WithColumns.js';
import { MapToCollection } from './MapToCollection.js';
import { Relationalize } from './Relationalize.js';
import { SelectFromCollection } from './SelectFromCollection.js';
import { Unnest, UnnestFrame } from './Unnest.js';
import { Unbox, UnboxDeclared } from './Unbox.js';
import { SplitFields } from './SplitFields.js';
import { SplitRows } from './SplitRows.js';
import { Spigot } from './Spigot.js';
import { Window } from './Window.js';

/**
 * Every transform, in the order job-spec node types, the schema and `sluice transforms` list
 * them. Adding a transform: its file, and one line here.
 */
export const TRANSFORMS = [
  ApplyMapping, SelectFields, DropFields, RenameField, Filter, MapTransform, WithColumns, Join, Union,
  DropNullFields, DropDuplicates, GroupBy, Window, OrderBy, Limit, Concatenate, Explode, NaFill, NaDrop, ToDF, ResolveChoice,
  // Collections and nested data (issue 9).
  Relationalize, SelectFromCollection, MapToCollection, Unnest, UnnestFrame, Unbox, UnboxDeclared,
  SplitFields, SplitRows, Spigot,
  // issue 9 (schema-on-read): row functions without a schema, Glue's DynamicFrame transforms
  FlatMap, FlatMapRecords, Repartition, Coalesce, MergeDynamicFrame, FillMissingValues, FindMatches,
] as const satisfies readonly AnyTransform[];

/** Every transform by its plan name; what the planner, the executor and the spec loader read. */
export const transformDefs: ReadonlyMap<string, AnyTransform> = new Map(TRANSFORMS.map((t) => [t.name, t as AnyTransform]));

/** The transforms a job spec can name (internal steps such as Limit left out). */
export const specTransforms: readonly AnyTransform[] = TRANSFORMS.filter((t) => !(t as AnyTransform).internal);

// For plan/ and exec/ callers that are not handed a registry (see installedTransforms.ts).
installTransforms(transformDefs as TransformDefs);

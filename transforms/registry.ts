import type { TransformKernel } from '../src/exec/Kernel.js';
import { applyMappingKernel } from './ApplyMapping.js';
import { dropDuplicatesKernel } from './DropDuplicates.js';
import { dropFieldsKernel } from './DropFields.js';
import { dropNullFieldsKernel } from './DropNullFields.js';
import { filterKernel } from './Filter.js';
import { groupByKernel } from './GroupBy.js';
import { joinKernel } from './Join.js';
import { limitKernel } from './Limit.js';
import { mapKernel } from './Map.js';
import { orderByKernel } from './OrderBy.js';
import { renameFieldKernel } from './RenameField.js';
import { selectFieldsKernel } from './SelectFields.js';
import { unionKernel } from './Union.js';
import { withColumnsKernel } from './WithColumns.js';

/** Every transform kernel by its plan name, for the executor (exec/ never imports transforms/). */
export const kernels: ReadonlyMap<string, TransformKernel<never>> = new Map<string, TransformKernel<never>>(
  ([
    applyMappingKernel, selectFieldsKernel, dropFieldsKernel, renameFieldKernel, filterKernel, mapKernel,
    withColumnsKernel, joinKernel, unionKernel, dropNullFieldsKernel, dropDuplicatesKernel, groupByKernel, orderByKernel,
    limitKernel,
  ] as TransformKernel<never>[]).map((k) => [k.name, k]),
);

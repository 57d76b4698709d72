import { SluiceError } from '../types/ErrorRecord.js';
import { nearestName } from '../types/nearestName.js';
import type { DataFrame, Row } from './DataFrame.js';

/**
 * Where a collection's members come from: frames known now (SplitFields, SplitRows, a record of
 * frames), or members named by the data's schema (Relationalize: one table per array), listed
 * when the input's schema is known and built as plan nodes that each name their member.
 */
interface Members {
  keys(): Promise<string[]>;
  /** The member's frame; a lazy collection checks the name when the frame is prepared. */
  frame(key: string): DataFrame<Row>;
}

/**
 * Named frames, the result of a transform with several outputs (Glue: `DynamicFrameCollection`,
 * from Relationalize, SplitFields, SplitRows). Lazy like a frame: its members are plans; each
 * member runs its own plan when an action runs on it, so `cache()` the input first when several
 * members are written from an expensive source. The listing methods are async because a
 * Relationalize collection knows its members only once its input's schema is known.
 *
 * @example
 * ```ts
 * const tables = Relationalize.apply({ frame: people, name: 'root', stagingPath: '/tmp/s' });
 * for (const key of await tables.keys()) await tables.select(key).write.parquet(`out/${key}`);
 * ```
 */
export class DynamicFrameCollection {
  private constructor(private readonly members: Members) {}

  /**
   * A collection over frames known now (Glue: `DynamicFrameCollection(dynamic_frames, glue_ctx)`).
   *
   * @param frames `{ name: frame }`, in the order the collection lists them.
   */
  static of(frames: Record<string, DataFrame<Row>> | ReadonlyMap<string, DataFrame<Row>>): DynamicFrameCollection {
    const map = new Map(frames instanceof Map ? frames : Object.entries(frames));
    return new DynamicFrameCollection({
      keys: async () => [...map.keys()],
      frame: (key) => {
        const found = map.get(key);
        if (!found) throw unknownKey(key, [...map.keys()]);
        return found;
      },
    });
  }

  /** A collection whose member names come from `keys` (run when first asked) and frames from `frame`. */
  static lazy(keys: () => Promise<string[]>, frame: (key: string) => DataFrame<Row>): DynamicFrameCollection {
    let listed: Promise<string[]> | undefined;
    return new DynamicFrameCollection({ keys: () => (listed ??= keys()), frame });
  }

  /** The member names, in Glue's order (Glue: `dfc.keys()`). */
  keys(): Promise<string[]> {
    return this.members.keys();
  }

  /**
   * One member by name (Glue: `dfc.select(key)`, `SelectFromCollection.apply(dfc, key)`). A
   * collection of known frames fails now on an unknown name; a Relationalize collection fails
   * when the member is prepared, naming the tables there are.
   */
  select(key: string): DataFrame<Row> {
    if (typeof key !== 'string' || key === '') throw new SluiceError(`a collection member is named by a non-empty string, got ${JSON.stringify(key)}`);
    return this.members.frame(key);
  }

  /** The members' frames, in key order (Glue: `dfc.values()`). */
  async values(): Promise<DataFrame<Row>[]> {
    return (await this.keys()).map((k) => this.members.frame(k));
  }

  /** How many members (Glue: `len(dfc)`). */
  async count(): Promise<number> {
    return (await this.keys()).length;
  }

  /**
   * A collection of `f` applied to every member, keeping the names (Glue: `dfc.map(callable)`,
   * `MapToCollection.apply(dfc, callable)`). Lazy: `f` runs when a member is selected.
   *
   * @example
   * ```ts
   * tables.map((frame) => frame.dropNullFields());
   * ```
   */
  map(f: (frame: DataFrame<Row>, key: string) => DataFrame<Row>): DynamicFrameCollection {
    return new DynamicFrameCollection({ keys: () => this.keys(), frame: (key) => f(this.members.frame(key), key) });
  }
}

function unknownKey(key: string, keys: string[]): SluiceError {
  const near = nearestName(key, keys);
  return new SluiceError(`no frame '${key}' in the collection${near ? ` (did you mean '${near}'?)` : ''}; its frames: ${keys.join(', ') || '(none)'}`);
}

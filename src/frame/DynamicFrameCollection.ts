import { SluiceError } from '../types/ErrorRecord.js';
import { nearestName } from '../types/nearestName.js';
import type { PlanNode } from '../plan/PlanNode.js';
import { DataFrame, type Row } from './DataFrame.js';

/**
 * Where a collection's members come from: frames known now (SplitFields, SplitRows, a record of
 * frames), or members named by the data's schema (Relationalize: one table per array), listed
 * when the input's schema is known and built as plan nodes that each name their member.
 */
interface Members {
  keys(): Promise<string[]>;
  /** The member names when known without running anything (frames known now), else undefined. */
  knownKeys(): string[] | undefined;
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
      knownKeys: () => [...map.keys()],
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
    return new DynamicFrameCollection({ keys: () => (listed ??= keys()), knownKeys: () => undefined, frame });
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
    return new DynamicFrameCollection({ keys: () => this.keys(), knownKeys: () => this.members.knownKeys(), frame: (key) => f(this.members.frame(key), key) });
  }

  /**
   * `f` applied to every member, its results flattened into one collection (Glue:
   * `dfc.flatmap(f)`, `FlatMap.apply(dfc, BaseTransform, frame_name)`): a frame `f` returns keeps
   * the member's name, a collection adds its members; a later result of the same name replaces an
   * earlier one, as Glue's dict update does. Lazy like `map`; `f` runs once per member.
   *
   * @example
   * ```ts
   * tables.flatMap((frame, key) => frame.splitFields(['id'], `${key}_ids`, `${key}_rest`));
   * ```
   */
  flatMap(f: (frame: DataFrame<Row>, key: string) => DataFrame<Row> | DynamicFrameCollection): DynamicFrameCollection {
    let results: { key: string; out: DataFrame<Row> | DynamicFrameCollection }[] | undefined;
    const resultsOf = (keys: string[]) => (results ??= keys.map((key) => {
      const out = f(this.members.frame(key), key);
      if (!(out instanceof DynamicFrameCollection) && !isFrame(out)) {
        throw new SluiceError(`FlatMap: the function must return a frame or a DynamicFrameCollection; for member '${key}' it returned ${out === null ? 'null' : typeof out}`);
      }
      return { key, out };
    }));
    const keys = async (): Promise<string[]> => {
      const names: string[] = [];
      for (const { key, out } of resultsOf(await this.keys())) names.push(...(out instanceof DynamicFrameCollection ? await out.keys() : [key]));
      return [...new Set(names)];
    };
    /** The member from the last result that has it; undefined when a result's keys are not known yet. */
    const known = (wanted: string, all: string[]): DataFrame<Row> | undefined | 'missing' => {
      const list = resultsOf(all);
      for (let i = list.length - 1; i >= 0; i--) {
        const { key, out } = list[i];
        if (!(out instanceof DynamicFrameCollection)) {
          if (key === wanted) return out;
          continue;
        }
        const names = out.members.knownKeys();
        if (!names) return undefined;
        if (names.includes(wanted)) return out.select(wanted);
      }
      return 'missing';
    };
    let listed: Promise<string[]> | undefined;
    return new DynamicFrameCollection({
      keys: () => (listed ??= keys()),
      knownKeys: () => {
        const all = this.members.knownKeys();
        if (!all) return undefined;
        const names: string[] = [];
        for (const { key, out } of resultsOf(all)) {
          const inner = out instanceof DynamicFrameCollection ? out.members.knownKeys() : [key];
          if (!inner) return undefined;
          names.push(...inner);
        }
        return [...new Set(names)];
      },
      frame: (wanted) => {
        const all = this.members.knownKeys();
        const found = all ? known(wanted, all) : undefined;
        if (found === 'missing') throw unknownKey(wanted, [...new Set(resultsOf(all!).flatMap(({ key, out }) => (out instanceof DynamicFrameCollection ? out.members.knownKeys()! : [key])))]);
        if (found) return found;
        // Some result lists its members only once its input's schema is known (Relationalize):
        // the member is found when its plan first runs.
        return deferredFrame(`member '${wanted}'`, async () => {
          const names = await keys();
          if (!names.includes(wanted)) throw unknownKey(wanted, names);
          const list = resultsOf(await this.keys());
          for (let i = list.length - 1; i >= 0; i--) {
            const { key, out } = list[i];
            if (out instanceof DynamicFrameCollection ? (await out.keys()).includes(wanted) : key === wanted) {
              return out instanceof DynamicFrameCollection ? out.select(wanted) : out;
            }
          }
          throw unknownKey(wanted, names);
        });
      },
    });
  }
}

function isFrame(value: unknown): value is DataFrame<Row> {
  return value instanceof DataFrame;
}

/** A frame whose plan is found when it first runs (a deferred scan, as a catalog table's). */
function deferredFrame(label: string, find: () => Promise<DataFrame<Row>>): DataFrame<Row> {
  let found: Promise<PlanNode> | undefined;
  return new DataFrame<Row>({ kind: 'scan', format: 'collection', paths: [label], resolve: () => (found ??= find().then((frame) => frame.plan)) });
}

function unknownKey(key: string, keys: string[]): SluiceError {
  const near = nearestName(key, keys);
  return new SluiceError(`no frame '${key}' in the collection${near ? ` (did you mean '${near}'?)` : ''}; its frames: ${keys.join(', ') || '(none)'}`);
}

import { DataplaneError } from "../errors.ts";

/** Map keys and values are kept as latin1 strings: one byte per char, cheap to hash and compare, no Buffer per entry. */
export function entryId(bytes: Buffer): string {
  return bytes.toString("latin1");
}

export interface Upsert {
  id: string;
  key: Buffer;
  value: Buffer;
  valueId: string;
}

export interface MapChange {
  upserts: Upsert[];
  deletes: Buffer[];
}

/** Values are often one shared Buffer (every binding with the port's MAC): convert it once. */
function valueIdOf(): (value: Buffer) => string {
  let last: Buffer | undefined;
  let lastId = "";
  return (value) => {
    if (value !== last) {
      last = value;
      lastId = entryId(value);
    }
    return lastId;
  };
}

/**
 * A map's contents as the agent last wrote or read them. Changes are planned
 * first (validated, minimal, nothing written) and applied afterwards, so a
 * refused change leaves the running map untouched.
 */
export abstract class MapStore {
  protected readonly contents = new Map<string, string>();

  constructor(
    readonly name: string,
    readonly maxEntries: number,
    /** Array maps have every slot already: they never fill up and entries cannot be deleted. */
    private readonly fixedSize: boolean,
  ) {}

  protected abstract write(upserts: [Buffer, Buffer][]): void;
  protected abstract remove(keys: Buffer[]): void;

  get size(): number {
    return this.contents.size;
  }

  get(key: Buffer): Buffer | undefined {
    const value = this.contents.get(entryId(key));
    return value === undefined ? undefined : Buffer.from(value, "latin1");
  }

  *entries(): IterableIterator<[Buffer, Buffer]> {
    for (const [key, value] of this.contents)
      yield [Buffer.from(key, "latin1"), Buffer.from(value, "latin1")];
  }

  /** Minimal change that makes the keys selected by `owns` equal `desired` (keyed by entryId). */
  planReplace(owns: (key: Buffer) => boolean, desired: ReadonlyMap<string, [Buffer, Buffer]>): MapChange {
    const change: MapChange = { upserts: [], deletes: [] };
    const valueId = valueIdOf();
    for (const [id, [key, value]] of desired) {
      const upsert = { id, key, value, valueId: valueId(value) };
      if (this.contents.get(id) !== upsert.valueId) change.upserts.push(upsert);
    }
    for (const id of this.contents.keys()) {
      if (desired.has(id)) continue;
      const key = Buffer.from(id, "latin1");
      if (owns(key)) change.deletes.push(key);
    }
    this.checkFits(change);
    return change;
  }

  planUpsert(entries: readonly [Buffer, Buffer][]): MapChange {
    const valueId = valueIdOf();
    const change: MapChange = {
      upserts: entries
        .map(([key, value]) => ({ id: entryId(key), key, value, valueId: valueId(value) }))
        .filter((upsert) => this.contents.get(upsert.id) !== upsert.valueId),
      deletes: [],
    };
    this.checkFits(change);
    return change;
  }

  planDelete(keys: readonly Buffer[]): MapChange {
    return { upserts: [], deletes: keys.filter((key) => this.contents.has(entryId(key))) };
  }

  private checkFits(change: MapChange): void {
    if (this.fixedSize) return;
    let added = 0;
    for (const upsert of change.upserts) if (!this.contents.has(upsert.id)) added += 1;
    const after = this.contents.size + added - change.deletes.length;
    if (after > this.maxEntries) {
      throw new DataplaneError(
        "MAP_FULL",
        `map ${this.name} would hold ${after} entries but fits ${this.maxEntries}; remove entries or raise its max_entries in bpf/lib`,
      );
    }
  }

  apply(change: MapChange): void {
    if (change.upserts.length > 0) {
      this.write(change.upserts.map((upsert) => [upsert.key, upsert.value]));
      for (const upsert of change.upserts) this.contents.set(upsert.id, upsert.valueId);
    }
    if (change.deletes.length > 0) {
      if (this.fixedSize)
        throw new DataplaneError("INVALID_INPUT", `map ${this.name} is an array: overwrite slots`);
      this.remove(change.deletes);
      for (const key of change.deletes) this.contents.delete(entryId(key));
    }
  }
}

/** Backs the fake driver: the same planning and limits, no kernel. */
export class MemoryMapStore extends MapStore {
  protected write(): void {}
  protected remove(): void {}
}

export function keyedEntries(entries: Iterable<[Buffer, Buffer]>): Map<string, [Buffer, Buffer]> {
  const out = new Map<string, [Buffer, Buffer]>();
  for (const entry of entries) out.set(entryId(entry[0]), entry);
  return out;
}

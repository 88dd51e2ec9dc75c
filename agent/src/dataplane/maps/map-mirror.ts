import { createMapRef, objGet, RawMap } from "bpf";
import { DataplaneError } from "../errors.ts";
import { entryId, MapStore } from "./map-store.ts";

const ARRAY_MAP_TYPE = 2;

export function openPinnedMap(path: string): RawMap {
  let fd: number;
  try {
    fd = objGet(path);
  } catch (cause) {
    throw new DataplaneError("COMMAND_FAILED", `cannot open pinned map ${path}; is its bpffs mounted?`, {
      cause,
    });
  }
  return new RawMap(createMapRef(fd, { transfer: true }));
}

export function countEntries(map: RawMap): number {
  let count = 0;
  for (const batch of map.getBatch(4096)) count += batch.length;
  return count;
}

/** A pinned kernel map, its contents read once on adoption and kept in step by batch writes. */
export class MapMirror extends MapStore {
  private constructor(
    name: string,
    private readonly map: RawMap,
  ) {
    super(name, map.ref.maxEntries, map.ref.type === ARRAY_MAP_TYPE);
  }

  static open(path: string, name: string): MapMirror {
    const mirror = new MapMirror(name, openPinnedMap(path));
    for (const batch of mirror.map.getBatch(4096)) {
      for (const [key, value] of batch) mirror.contents.set(entryId(key), entryId(value));
    }
    return mirror;
  }

  protected write(upserts: [Buffer, Buffer][]): void {
    this.map.setBatch(upserts);
  }

  protected remove(keys: Buffer[]): void {
    this.map.deleteBatch(keys);
  }

  close(): void {
    this.map.ref.close();
  }
}

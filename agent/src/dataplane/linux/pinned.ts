import { access, mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";
import type { DataplaneStatus, DropCounter, MapStatus, ProgramStatus } from "../dataplane.ts";
import { MAP_CATALOGUE } from "../maps/catalogue.ts";
import { DROP_COUNTERS_MAP, decodeDropKey, dropReasonName, sumDropCounts } from "../maps/drop-counters.ts";
import { countEntries, openPinnedMap } from "../maps/map-mirror.ts";
import { createPinnedMap, dumpPerCpuMap, showPinnedProgram } from "./bpftool.ts";

/** Where the driver keeps its pins below its bpffs mount; iproute2 looks for pinned maps in tc/globals. */
export function pinLayout(bpffs: string) {
  return {
    maps: join(bpffs, "tc", "globals"),
    programs: join(bpffs, "progs"),
    map: (name: string) => join(bpffs, "tc", "globals", name),
    /** The object's hash in the pin name tells a restarted driver whether the attached program is current. */
    program: (port: string, attach: ProgramStatus["attach"], object: string) =>
      join(bpffs, "progs", `${port}@${attach}@${object}`),
  };
}

export async function pinnedPrograms(bpffs: string): Promise<ProgramStatus[]> {
  const layout = pinLayout(bpffs);
  const files = await readdir(layout.programs).catch(() => [] as string[]);
  const programs: ProgramStatus[] = [];
  for (const file of files.sort()) {
    const [port = file, attach, object = ""] = file.split("@");
    const shown = await showPinnedProgram(join(layout.programs, file));
    programs.push({
      port,
      attach: attach === "xdp" || attach === "tc-egress" ? attach : "tc-ingress",
      id: shown.id,
      tag: shown.tag,
      name: shown.name ?? "",
      object,
    });
  }
  return programs;
}

export function pinnedMapSizes(bpffs: string): MapStatus[] {
  return MAP_CATALOGUE.map((spec) => {
    const map = openPinnedMap(pinLayout(bpffs).map(spec.name));
    try {
      const entries = spec.type === "array" ? map.ref.maxEntries : countEntries(map);
      return { name: spec.name, entries, maxEntries: map.ref.maxEntries };
    } finally {
      map.ref.close();
    }
  });
}

export async function pinnedCounters(
  bpffs: string,
  portNames: ReadonlyMap<number, string>,
): Promise<DropCounter[]> {
  const entries = await dumpPerCpuMap(pinLayout(bpffs).map(DROP_COUNTERS_MAP));
  return entries
    .map(({ key, perCpu }) => {
      const { ifindex, reason } = decodeDropKey(key);
      const { packets, bytes } = sumDropCounts(perCpu);
      return {
        port: portNames.get(ifindex) ?? String(ifindex),
        ifindex,
        reason: dropReasonName(reason),
        packets: Number(packets),
        bytes: Number(bytes),
      };
    })
    .sort((a, b) => a.ifindex - b.ifindex || a.reason.localeCompare(b.reason));
}

/** Status straight from the pins, for the CLI when no driver is reachable. */
export async function pinnedStatus(
  bpffs: string,
  bridges: DataplaneStatus["bridges"],
): Promise<DataplaneStatus> {
  return { bpffs, bridges, programs: await pinnedPrograms(bpffs), maps: pinnedMapSizes(bpffs) };
}

/**
 * Creates and pins every map not pinned yet, so the agent can program maps
 * before the first program loads; iproute2 then reuses these pins by name.
 */
export async function createMissingMaps(bpffs: string): Promise<void> {
  const layout = pinLayout(bpffs);
  await mkdir(layout.maps, { recursive: true });
  await mkdir(layout.programs, { recursive: true });
  for (const spec of MAP_CATALOGUE) {
    const pin = layout.map(spec.name);
    const pinned = await access(pin).then(
      () => true,
      () => false,
    );
    if (pinned) continue;
    await createPinnedMap(pin, {
      name: spec.name,
      type: spec.type,
      keySize: spec.key.size,
      valueSize: spec.value.size,
      maxEntries: spec.maxEntries,
      flags: spec.flags,
    });
  }
}

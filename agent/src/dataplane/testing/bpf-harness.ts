import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DropCounter } from "../dataplane.ts";
import { ensureBpffs, unmountBpffs } from "../linux/bpffs.ts";
import { pinProgram, runPinnedProgram } from "../linux/bpftool.ts";
import { IpRoute } from "../linux/iproute.ts";
import { createMissingMaps, pinLayout, pinnedCounters } from "../linux/pinned.ts";
import { run } from "../linux/run.ts";
import { MapMirror, openPinnedMap } from "../maps/map-mirror.ts";
import { MapProgrammer, type ProgrammedMaps } from "../programmer.ts";

export const BPF_BUILD_DIR = new URL("../../../../bpf/build/", import.meta.url).pathname;

/** from_endpoint at TC or XDP, or to_endpoint (TC egress). */
export type ProgramKind = "tc" | "xdp" | "tc-to";

/* TC_ACT_REDIRECT and XDP_TX: the program sent the packet back out of the port it came from. */
const TC_VERDICTS = { 0: "pass", 2: "drop", 7: "reflect" } as const;
const VERDICTS = {
  tc: TC_VERDICTS,
  "tc-to": TC_VERDICTS,
  xdp: { 2: "pass", 1: "drop", 3: "reflect" },
} as const;

export interface RunResult {
  verdict: "pass" | "drop" | "reflect" | `other:${number}`;
  output: Buffer;
  durationNs: number;
}

/**
 * A private copy of one program with private maps: loaded the way the driver
 * loads it (pre-created pinned maps, iproute2 attach) onto a veth in a
 * throwaway namespace, pinned, and detached again. BPF_PROG_TEST_RUN then
 * runs it in the caller's namespace, where the packet's ifindex is 1.
 */
export class ProgramUnderTest {
  static readonly FIXTURE_IFINDEX = 1;

  private constructor(
    readonly kind: ProgramKind,
    readonly dir: string,
    readonly bpffs: string,
    readonly maps: ProgrammedMaps & Record<string, MapMirror>,
    readonly programmer: MapProgrammer,
  ) {}

  static async load(kind: ProgramKind): Promise<ProgramUnderTest> {
    const dir = await mkdtemp(join(tmpdir(), "stt7-fx-"));
    const bpffs = join(dir, "bpffs");
    const netns = `stt7fx${randomBytes(3).toString("hex")}`;
    await mkdir(bpffs);
    await ensureBpffs(bpffs);
    try {
      await createMissingMaps(bpffs);
      await run("ip", ["netns", "add", netns]);
      try {
        const ipr = new IpRoute(netns);
        await ipr.ip(["link", "add", "fx0", "type", "veth", "peer", "name", "fx1"]);
        let id: number | undefined;
        if (kind === "xdp") {
          await ipr.attachXdp("fx0", join(BPF_BUILD_DIR, "xdp_endpoint.o"), bpffs);
          id = (await ipr.link("fx0"))?.xdp?.prog?.id;
        } else {
          const object = join(BPF_BUILD_DIR, "tc_endpoint.o");
          await ipr.attachTc("fx0", "ingress", object, "tc", bpffs);
          await ipr.attachTc("fx0", "egress", object, "classifier", bpffs);
          id = (await ipr.tcProgram("fx0", "ingress"))?.id;
          const toId = (await ipr.tcProgram("fx0", "egress"))?.id;
          if (toId === undefined) throw new Error("no to_endpoint program attached to fx0");
          await pinProgram(toId, join(bpffs, "prog-to"));
        }
        if (id === undefined) throw new Error(`no ${kind} program attached to fx0`);
        await pinProgram(id, join(bpffs, "prog"));
      } finally {
        await run("ip", ["netns", "del", netns]);
      }
      const layout = pinLayout(bpffs);
      const open = (name: string) => MapMirror.open(layout.map(name), name);
      const maps = {
        endpoint_ports: open("endpoint_ports"),
        endpoint_bindings: open("endpoint_bindings"),
        policy_rules: open("policy_rules"),
        policy_networks: open("policy_networks"),
        lb_services: open("lb_services"),
        lb_vips: open("lb_vips"),
        lb_backends: open("lb_backends"),
        lb_maglev: open("lb_maglev"),
        conntrack: open("conntrack"),
      };
      return new ProgramUnderTest(kind, dir, bpffs, maps, new MapProgrammer(maps));
    } catch (error) {
      await unmountBpffs(bpffs);
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Runs from_endpoint (what the port's workload sends). */
  run(packet: Buffer, repeat = 1): Promise<RunResult> {
    return this.runPinned("prog", packet, repeat);
  }

  /** Runs to_endpoint (what the port's workload receives); only with kind "tc". */
  runTo(packet: Buffer, repeat = 1): Promise<RunResult> {
    if (this.kind !== "tc") throw new Error("to_endpoint exists at TC only");
    return this.runPinned("prog-to", packet, repeat);
  }

  private async runPinned(pin: string, packet: Buffer, repeat: number): Promise<RunResult> {
    const input = join(this.dir, "in.bin");
    const output = join(this.dir, "out.bin");
    await writeFile(input, packet);
    await rm(output, { force: true });
    const result = await runPinnedProgram(join(this.bpffs, pin), input, output, repeat);
    const verdicts: Record<number, "pass" | "drop" | "reflect"> = VERDICTS[this.kind];
    return {
      verdict: verdicts[result.retval] ?? `other:${result.retval}`,
      output: await readFile(output).catch(() => Buffer.alloc(0)),
      durationNs: result.durationNs,
    };
  }

  counters(): Promise<DropCounter[]> {
    return pinnedCounters(this.bpffs, new Map());
  }

  /** Forgets flows between fixtures; the kernel map, not the mirror, is what the program wrote. */
  clearConntrack(): void {
    const map = openPinnedMap(pinLayout(this.bpffs).map("conntrack"));
    try {
      map.clear();
    } finally {
      map.ref.close();
    }
  }

  async close(): Promise<void> {
    for (const mirror of Object.values(this.maps)) mirror.close();
    await unmountBpffs(this.bpffs);
    await rm(this.dir, { recursive: true, force: true });
  }
}

import { createHash } from "node:crypto";
import { access, readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { formatMac } from "../addr.ts";
import type { Dataplane, DataplaneStatus, DropCounter, EndpointStatus, ProgramStatus } from "../dataplane.ts";
import { DataplaneError } from "../errors.ts";
import { decodeEndpointPort, decodeEndpointPortKey, ENDPOINT_PORTS_MAP } from "../maps/endpoint-ports.ts";
import { MapMirror } from "../maps/map-mirror.ts";
import {
  type TBinding,
  type TEndpoint,
  type TEndpointSpec,
  type TFirewallPolicy,
  type TLbService,
  ZEndpointSpec,
} from "../model.ts";
import { MapProgrammer, type ProgrammedMaps } from "../programmer.ts";
import { ensureBpffs, unmountBpffs } from "./bpffs.ts";
import { pinProgram, showPinnedProgram } from "./bpftool.ts";
import { IpRoute } from "./iproute.ts";
import { createMissingMaps, pinLayout, pinnedCounters, pinnedMapSizes, pinnedPrograms } from "./pinned.ts";

/** Not under /sys/fs/bpf: that is sysfs until someone mounts a bpffs there, and the driver wants its own mount. */
export const DEFAULT_BPFFS = "/run/stratum/bpffs";

export interface LinuxDataplaneOptions {
  /** The driver's own bpffs mount; created and mounted if missing. */
  bpffs: string;
  /** Directory holding tc_endpoint.o and xdp_endpoint.o (bpf/build). */
  objectDir: string;
  mgmtBridge?: string;
  userBridge?: string;
  /** Network namespace holding the bridges and host-side ports; the agent's own when unset. */
  netns?: string;
  attach?: "tc" | "xdp";
}

interface Hook {
  attach: ProgramStatus["attach"];
  object: string;
  /** ELF section iproute2 loads the program from. */
  section: string;
}

const PROGRAMMED_MAPS = [
  "endpoint_ports",
  "endpoint_bindings",
  "policy_rules",
  "policy_networks",
  "lb_services",
  "lb_vips",
  "lb_backends",
  "lb_maglev",
] as const satisfies readonly (keyof ProgrammedMaps)[];

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

export class LinuxDataplane implements Dataplane {
  private readonly ipr: IpRoute;
  private readonly mgmtBridge: string;
  private readonly userBridge: string;
  private readonly attach: "tc" | "xdp";
  private readonly pins: ReturnType<typeof pinLayout>;
  private mirrors: MapMirror[] = [];
  private programmer: MapProgrammer | undefined;
  private mountedBpffs = false;
  private readonly objectHashes = new Map<string, string>();

  constructor(private readonly options: LinuxDataplaneOptions) {
    this.ipr = new IpRoute(options.netns);
    this.mgmtBridge = options.mgmtBridge ?? "cnv-mgmt-br0";
    this.userBridge = options.userBridge ?? "cnv-user-br0";
    this.attach = options.attach ?? "tc";
    this.pins = pinLayout(options.bpffs);
  }

  private get maps(): MapProgrammer {
    if (!this.programmer)
      throw new DataplaneError("NOT_STARTED", "the data plane driver is not started; call start()");
    return this.programmer;
  }

  async start(): Promise<void> {
    this.mountedBpffs = (await ensureBpffs(this.options.bpffs)) || this.mountedBpffs;
    await createMissingMaps(this.options.bpffs);
    for (const { object } of this.hooks) {
      const bytes = await readFile(join(this.options.objectDir, object));
      this.objectHashes.set(object, createHash("sha256").update(bytes).digest("hex").slice(0, 12));
    }
    const mirrors = Object.fromEntries(
      PROGRAMMED_MAPS.map((name) => [name, MapMirror.open(this.pins.map(name), name)]),
    ) as Record<(typeof PROGRAMMED_MAPS)[number], MapMirror>;
    this.mirrors = Object.values(mirrors);
    this.programmer = new MapProgrammer(mirrors);
    await this.ipr.ensureBridge(this.mgmtBridge);
    await this.ipr.ensureBridge(this.userBridge);
    await this.forgetVanishedPorts(mirrors.endpoint_ports);
  }

  /** A port whose interface is gone must not keep its bindings: a new interface may reuse the ifindex. */
  private async forgetVanishedPorts(ports: MapMirror): Promise<void> {
    const present = new Set((await this.ipr.links()).map((link) => link.ifindex));
    for (const [key] of ports.entries()) {
      const ifindex = decodeEndpointPortKey(key);
      if (!present.has(ifindex)) this.maps.forgetEndpoint(ifindex);
    }
  }

  async stop(): Promise<void> {
    for (const mirror of this.mirrors) mirror.close();
    this.mirrors = [];
    this.programmer = undefined;
  }

  async teardown(): Promise<void> {
    if (!this.programmer) await this.start();
    for (const endpoint of await this.endpoints()) await this.removeEndpoint(endpoint.name);
    for (const bridge of [this.userBridge, this.mgmtBridge]) {
      if (await this.ipr.link(bridge)) await this.ipr.ip(["link", "del", bridge]);
    }
    await this.stop();
    /* tc, ip and xdp are iproute2's pin directories; the debug files belong to bpffs itself. */
    for (const dir of ["tc", "ip", "xdp"])
      await rm(join(this.options.bpffs, dir), { recursive: true, force: true });
    await rm(this.pins.programs, { recursive: true, force: true });
    if (this.mountedBpffs) await unmountBpffs(this.options.bpffs);
  }

  private async endpoints(): Promise<EndpointStatus[]> {
    const links = new Map((await this.ipr.links()).map((link) => [link.ifindex, link]));
    const out: EndpointStatus[] = [];
    const ports = this.mirrors.find((mirror) => mirror.name === ENDPOINT_PORTS_MAP);
    for (const [key, value] of ports?.entries() ?? []) {
      const ifindex = decodeEndpointPortKey(key);
      const link = links.get(ifindex);
      if (!link) continue;
      const port = decodeEndpointPort(value);
      out.push({
        name: link.ifname,
        kind: link.linkinfo?.info_kind === "veth" ? "veth" : "tap",
        ifindex,
        networkId: port.networkId,
        mac: formatMac(port.mac),
      });
    }
    return out;
  }

  private async createPort(endpoint: TEndpoint): Promise<void> {
    if (endpoint.kind === "veth") {
      await this.ipr.ip([
        "link",
        "add",
        endpoint.name,
        "type",
        "veth",
        "peer",
        "name",
        endpoint.peerName,
        "netns",
        endpoint.namespace,
      ]);
      await this.ipr.ip([
        "-n",
        endpoint.namespace,
        "link",
        "set",
        endpoint.peerName,
        "address",
        endpoint.mac,
      ]);
      await this.ipr.ip(["-n", endpoint.namespace, "link", "set", endpoint.peerName, "up"]);
    } else {
      await this.ipr.ip(["tuntap", "add", "dev", endpoint.name, "mode", "tap"]);
    }
  }

  async addEndpoint(spec: TEndpointSpec): Promise<EndpointStatus> {
    const parsed = ZEndpointSpec.safeParse(spec);
    if (!parsed.success)
      throw new DataplaneError("INVALID_INPUT", `endpoint is malformed: ${parsed.error.message}`);
    const endpoint = parsed.data;
    this.maps.validateEndpoint(endpoint);
    let link = await this.ipr.link(endpoint.name);
    const created = !link;
    if (!link) {
      await this.createPort(endpoint);
      link = await this.ipr.link(endpoint.name);
      if (!link)
        throw new DataplaneError("COMMAND_FAILED", `port ${endpoint.name} vanished right after creation`);
    }
    try {
      this.maps.programEndpoint(link.ifindex, endpoint);
    } catch (error) {
      if (created) await this.ipr.ip(["link", "del", endpoint.name]);
      throw error;
    }
    if (link.master !== this.userBridge)
      await this.ipr.ip(["link", "set", endpoint.name, "master", this.userBridge]);
    if (link.operstate !== "UP") await this.ipr.ip(["link", "set", endpoint.name, "up"]);
    for (const hook of this.hooks) await this.ensureProgram(endpoint.name, hook);
    return {
      name: endpoint.name,
      kind: endpoint.kind,
      ifindex: link.ifindex,
      networkId: endpoint.networkId,
      mac: endpoint.mac.toLowerCase(),
    };
  }

  /** The programs every port runs: what it sends (at TC or XDP) and what it receives (TC egress). */
  private get hooks(): Hook[] {
    const receive: Hook = { attach: "tc-egress", object: "tc_endpoint.o", section: "classifier" };
    return this.attach === "xdp"
      ? [{ attach: "xdp", object: "xdp_endpoint.o", section: "xdp" }, receive]
      : [{ attach: "tc-ingress", object: "tc_endpoint.o", section: "tc" }, receive];
  }

  private async attachedProgramId(port: string, hook: Hook): Promise<number | undefined> {
    if (hook.attach === "xdp") return (await this.ipr.link(port))?.xdp?.prog?.id;
    return (await this.ipr.tcProgram(port, hook.attach === "tc-egress" ? "egress" : "ingress"))?.id;
  }

  private async programPins(port: string, attach?: ProgramStatus["attach"]): Promise<string[]> {
    const prefix = attach ? `${port}@${attach}@` : `${port}@`;
    return (await readdir(this.pins.programs)).filter((file) => file.startsWith(prefix));
  }

  /**
   * Keeps a program that came from the current object, so re-adoption after
   * a restart touches nothing; otherwise (new port, or an upgraded object)
   * attaches by atomic replacement, so a port never runs without a program.
   */
  private async ensureProgram(port: string, hook: Hook): Promise<void> {
    const objectHash = this.objectHashes.get(hook.object);
    if (!objectHash)
      throw new DataplaneError("NOT_STARTED", "the data plane driver is not started; call start()");
    const current = this.pins.program(port, hook.attach, objectHash);
    const attachedId = await this.attachedProgramId(port, hook);
    if (
      attachedId !== undefined &&
      (await exists(current)) &&
      (await showPinnedProgram(current)).id === attachedId
    ) {
      return;
    }
    const object = join(this.options.objectDir, hook.object);
    if (hook.attach === "xdp") await this.ipr.attachXdp(port, object, this.options.bpffs);
    else {
      const direction = hook.attach === "tc-egress" ? "egress" : "ingress";
      await this.ipr.attachTc(port, direction, object, hook.section, this.options.bpffs);
    }
    const id = await this.attachedProgramId(port, hook);
    if (id === undefined)
      throw new DataplaneError("COMMAND_FAILED", `no ${hook.attach} program on ${port} after attaching it`);
    for (const stale of await this.programPins(port, hook.attach)) await rm(join(this.pins.programs, stale));
    await pinProgram(id, current);
  }

  private async ifindexOf(name: string): Promise<number> {
    const link = await this.ipr.link(name);
    if (!link)
      throw new DataplaneError("UNKNOWN_PORT", `port ${name} does not exist; add the endpoint first`);
    return link.ifindex;
  }

  async removeEndpoint(name: string): Promise<void> {
    const link = await this.ipr.link(name);
    if (link) {
      this.maps.forgetEndpoint(link.ifindex);
      await this.ipr.ip(["link", "del", name]);
    }
    for (const pin of await this.programPins(name)) await rm(join(this.pins.programs, pin));
  }

  async setBindings(name: string, bindings: readonly TBinding[]): Promise<void> {
    const ifindex = await this.ifindexOf(name);
    const port = (await this.endpoints()).find((endpoint) => endpoint.ifindex === ifindex);
    if (!port)
      throw new DataplaneError("UNKNOWN_PORT", `${name} is not a data plane port; add the endpoint first`);
    this.maps.setBindings(ifindex, port, bindings);
  }

  async setPolicy(policy: TFirewallPolicy): Promise<void> {
    this.maps.setPolicy(policy);
  }

  async removePolicy(networkId: number): Promise<void> {
    this.maps.removePolicy(networkId);
  }

  async setService(service: TLbService): Promise<void> {
    this.maps.setService(service);
  }

  async removeService(vip: string, port: number, protocol: "tcp" | "udp"): Promise<void> {
    this.maps.removeService(vip, port, protocol);
  }

  async status(): Promise<DataplaneStatus> {
    return {
      bpffs: this.options.bpffs,
      bridges: { mgmt: this.mgmtBridge, user: this.userBridge },
      programs: await pinnedPrograms(this.options.bpffs),
      maps: pinnedMapSizes(this.options.bpffs),
    };
  }

  async counters(): Promise<DropCounter[]> {
    const names = new Map((await this.ipr.links()).map((link) => [link.ifindex, link.ifname]));
    return pinnedCounters(this.options.bpffs, names);
  }
}

import { z } from "zod";
import { DataplaneError } from "../errors.ts";
import { type RunOptions, run } from "./run.ts";

const ZXdpProg = z.object({ id: z.number() });
export const ZLink = z.object({
  ifindex: z.number(),
  ifname: z.string(),
  address: z.string().optional(),
  master: z.string().optional(),
  operstate: z.string().optional(),
  xdp: z.object({ prog: ZXdpProg.optional() }).optional(),
  linkinfo: z.object({ info_kind: z.string().optional() }).optional(),
});
export type TLink = z.infer<typeof ZLink>;

const ZTcFilter = z.object({
  kind: z.string(),
  pref: z.number().optional(),
  options: z
    .object({
      bpf_name: z.string().optional(),
      prog: z.object({ id: z.number(), name: z.string().optional(), tag: z.string().optional() }).optional(),
    })
    .optional(),
});

function parseJson<T>(schema: z.ZodType<T>, text: string, what: string): T {
  let raw: unknown;
  try {
    raw = JSON.parse(text.trim() === "" ? "[]" : text);
  } catch (cause) {
    throw new DataplaneError("UNEXPECTED_OUTPUT", `${what} printed something that is not JSON`, { cause });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new DataplaneError(
      "UNEXPECTED_OUTPUT",
      `${what} printed JSON of an unexpected shape: ${parsed.error.message}`,
    );
  }
  return parsed.data;
}

/** iproute2 and tc, scoped to one network namespace (undefined: the agent's own). */
export class IpRoute {
  constructor(private readonly netns: string | undefined) {}

  private opts(extra: RunOptions = {}): RunOptions {
    return { ...extra, netns: this.netns };
  }

  async ip(args: readonly string[]): Promise<string> {
    return (await run("ip", args, this.opts())).stdout;
  }

  async link(name: string): Promise<TLink | undefined> {
    const out = await run("ip", ["-d", "-j", "link", "show"], this.opts());
    return parseJson(z.array(ZLink), out.stdout, "ip -j link show").find((link) => link.ifname === name);
  }

  async links(): Promise<TLink[]> {
    const out = await run("ip", ["-d", "-j", "link", "show"], this.opts());
    return parseJson(z.array(ZLink), out.stdout, "ip -j link show");
  }

  async ensureBridge(name: string): Promise<void> {
    if (!(await this.link(name))) await this.ip(["link", "add", name, "type", "bridge"]);
    await this.ip(["link", "set", name, "up"]);
  }

  async tcProgram(
    dev: string,
    direction: "ingress" | "egress",
  ): Promise<{ id: number; tag?: string | undefined } | undefined> {
    const out = await run("tc", ["-j", "filter", "show", "dev", dev, direction], this.opts());
    const filters = parseJson(z.array(ZTcFilter), out.stdout, "tc -j filter show");
    return filters.find((filter) => filter.kind === "bpf" && filter.options?.prog)?.options?.prog;
  }

  /** `replace` swaps the program in one step, so a port never runs without one. */
  async attachTc(
    dev: string,
    direction: "ingress" | "egress",
    object: string,
    section: string,
    bpffs: string,
  ): Promise<void> {
    const qdiscs = await run("tc", ["-j", "qdisc", "show", "dev", dev], this.opts());
    const hasClsact = parseJson(
      z.array(z.object({ kind: z.string() })),
      qdiscs.stdout,
      "tc -j qdisc show",
    ).some((qdisc) => qdisc.kind === "clsact");
    if (!hasClsact) await run("tc", ["qdisc", "add", "dev", dev, "clsact"], this.opts());
    await run(
      "tc",
      [
        "filter",
        "replace",
        "dev",
        dev,
        direction,
        "pref",
        "1",
        "handle",
        "1",
        "bpf",
        "da",
        "obj",
        object,
        "sec",
        section,
      ],
      this.opts({ env: { TC_BPF_MNT: bpffs } }),
    );
  }

  /** -force replaces an attached program in one step instead of refusing. */
  async attachXdp(dev: string, object: string, bpffs: string): Promise<void> {
    await run(
      "ip",
      ["-force", "link", "set", "dev", dev, "xdp", "obj", object, "sec", "xdp"],
      this.opts({ env: { TC_BPF_MNT: bpffs } }),
    );
  }
}

import { z } from "zod";

const ZName = z.string().regex(/^[a-zA-Z0-9_.-]{1,15}$/, "interface names are 1-15 of [a-zA-Z0-9_.-]");
const ZMacText = z
  .string()
  .regex(/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/, "expected a MAC like 02:00:00:00:00:01");
const ZUint32 = z.number().int().min(0).max(0xffff_ffff);

export const ZBinding = z.object({
  ip: z.string().min(1),
  /** Defaults to the endpoint's MAC. */
  mac: ZMacText.optional(),
});
export type TBinding = z.infer<typeof ZBinding>;
export const ZBindings = z.array(ZBinding);

export const ZEndpointSpec = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("veth"),
    name: ZName,
    /** Network namespace that receives the workload end of the pair. */
    namespace: z.string().min(1),
    peerName: ZName,
    networkId: ZUint32,
    mac: ZMacText,
    dhcpClient: z.boolean().default(false),
    bindings: z.array(ZBinding).default([]),
  }),
  z.object({
    kind: z.literal("tap"),
    name: ZName,
    networkId: ZUint32,
    mac: ZMacText,
    dhcpClient: z.boolean().default(false),
    bindings: z.array(ZBinding).default([]),
  }),
]);
export type TEndpointSpec = z.input<typeof ZEndpointSpec>;
export type TEndpoint = z.output<typeof ZEndpointSpec>;

export const ZProtocol = z.enum(["any", "tcp", "udp", "icmp", "icmpv6"]);
export type TProtocol = z.infer<typeof ZProtocol>;

export const ZPortRange = z.object({ from: z.number().int(), to: z.number().int() });

export const ZFirewallRule = z.object({
  /** egress: traffic the network's workloads send, remote = destination; ingress: traffic they receive, remote = source. */
  direction: z.enum(["egress", "ingress"]).default("egress"),
  /** Remote prefix; ports always mean the destination port. */
  remote: z.string().min(1),
  protocol: ZProtocol.default("any"),
  ports: ZPortRange.optional(),
  action: z.enum(["allow", "deny"]),
});
export type TFirewallRule = z.input<typeof ZFirewallRule>;

export const ZFirewallPolicy = z.object({
  networkId: ZUint32,
  /** For egress; a flow's replies always pass. */
  defaultAction: z.enum(["allow", "deny"]),
  ingressDefaultAction: z.enum(["allow", "deny"]).default("allow"),
  /** First matching rule of the packet's direction wins. */
  rules: z.array(ZFirewallRule),
});
export type TFirewallPolicy = z.input<typeof ZFirewallPolicy>;

export const ZBackend = z.object({ ip: z.string().min(1), port: z.number().int(), mac: ZMacText });
export type TBackend = z.infer<typeof ZBackend>;

export const ZLbService = z.object({
  vip: z.string().min(1),
  port: z.number().int(),
  protocol: z.enum(["tcp", "udp"]),
  /** The MAC clients resolve the VIP to; replies carry it as their source. */
  vipMac: ZMacText,
  backends: z.array(ZBackend),
});
export type TLbService = z.input<typeof ZLbService>;

export const IP_PROTOCOLS: Record<TProtocol, number> = { any: 0, icmp: 1, tcp: 6, udp: 17, icmpv6: 58 };

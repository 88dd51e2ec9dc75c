import { z } from "zod";
import { formatNetwork, parseCidr, parseInterfaceAddress, parseIp } from "./ip.ts";
import { checkNodeConfig } from "./node-config-checks.ts";

/** The config schema version this library reads and writes; carried in the `schema` claim. */
export const NODE_CONFIG_SCHEMA_VERSION = 1;

export const MGMT_BRIDGE = "cnv-mgmt-br0";
export const USER_BRIDGE = "cnv-user-br0";

const ZSlug = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, "use lowercase letters, digits and inner hyphens (max 63)");
// Linux IFNAMSIZ is 16 including the terminating NUL.
const ZInterfaceName = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,14}$/,
    "an interface name has 1 to 15 letters, digits, '.', '_' or '-'",
  );
const ZMtu = z.number().int().min(576).max(9216);
const ZPort = z.number().int().min(1).max(65535);
const ZNetworkId = z.number().int().min(1).max(65535);
const ZIp = z.string().refine((text) => parseIp(text) !== undefined, "not an IPv4 or IPv6 address");
const ZInterfaceAddress = z
  .string()
  .refine((text) => parseInterfaceAddress(text) !== undefined, "use address/prefix, e.g. 10.0.0.5/24");
const ZCidr = z.string().superRefine((text, ctx) => {
  const parsed = parseCidr(text);
  if (parsed === "syntax") ctx.addIssue({ code: "custom", message: "use network/prefix, e.g. 10.20.0.0/24" });
  if (parsed === "host_bits") {
    const loose = parseInterfaceAddress(text)!;
    const network = formatNetwork(loose.family, loose.value, loose.prefix);
    ctx.addIssue({ code: "custom", message: `${text} has host bits set; the network is ${network}` });
  }
});
const ZAction = z.enum(["allow", "deny"]);

const ZBridge = z.strictObject({
  interfaces: z.array(ZInterfaceName).max(16),
  mtu: ZMtu,
});

const ZNetwork = z.strictObject({
  id: ZNetworkId,
  name: ZSlug,
  vni: z.number().int().min(1).max(16_777_215),
  cidr: ZCidr,
  gateway: ZIp,
  mtu: ZMtu,
  dhcp: z.strictObject({
    enabled: z.boolean(),
    range: z.strictObject({ start: ZIp, end: ZIp }).optional(),
    leaseSeconds: z
      .number()
      .int()
      .min(60)
      .max(7 * 24 * 3600),
  }),
  dns: z.array(ZIp).max(8),
});

const ZPortRange = z.strictObject({ lo: ZPort, hi: ZPort });

const ZFirewallRule = z.strictObject({
  direction: z.enum(["ingress", "egress"]),
  remote: ZCidr,
  protocol: z.enum(["tcp", "udp", "icmp", "any"]),
  ports: z.array(ZPortRange).max(64).optional(),
  action: ZAction,
});

const ZFirewallPolicy = z.strictObject({
  networkId: ZNetworkId,
  defaultAction: ZAction,
  rules: z.array(ZFirewallRule).max(10_000),
});

const ZLoadBalancer = z.strictObject({
  id: ZSlug,
  networkId: ZNetworkId,
  vip: ZIp,
  port: ZPort,
  protocol: z.enum(["tcp", "udp"]),
  backends: z
    .array(z.strictObject({ address: ZIp, port: ZPort, weight: z.number().int().min(1).max(1000) }))
    .min(1)
    .max(1024),
});

const ZConfigShape = z.strictObject({
  node: z.strictObject({ name: ZSlug, mode: z.enum(["compute", "gateway"]) }),
  bridges: z.strictObject({
    [MGMT_BRIDGE]: ZBridge.extend({ interfaces: ZBridge.shape.interfaces.min(1) }),
    [USER_BRIDGE]: ZBridge,
  }),
  management: z.strictObject({
    addresses: z.array(ZInterfaceAddress).min(1).max(8),
    gateway: ZIp.optional(),
  }),
  panel: z.strictObject({
    urls: z
      .array(z.url({ protocol: /^https?$/ }))
      .min(1)
      .max(8),
  }),
  cluster: z.strictObject({
    id: ZSlug,
    role: z.enum(["voter", "client"]),
    peers: z
      .array(z.strictObject({ nodeId: ZSlug, address: ZIp, role: z.enum(["voter", "client"]) }))
      .max(64),
  }),
  networks: z.array(ZNetwork).max(4096),
  firewall: z.array(ZFirewallPolicy).max(4096),
  loadBalancers: z.array(ZLoadBalancer).max(4096),
  license: z.strictObject({
    plan: z.string().min(1).max(64),
    features: z.array(z.string().min(1).max(64)).max(256),
    seats: z.number().int().min(0),
    expiresAt: z.iso.datetime().optional(),
  }),
  updates: z.strictObject({ channel: z.enum(["stable", "beta", "edge"]) }),
});

export type TNodeConfigShape = z.infer<typeof ZConfigShape>;

/** Version 1 of a node's configuration. Unknown fields are rejected at every level. */
export const ZNodeConfigV1 = ZConfigShape.superRefine((config, ctx) =>
  checkNodeConfig(config, (path, message) => ctx.addIssue({ code: "custom", path, message })),
);

export type TNodeConfigV1 = z.infer<typeof ZNodeConfigV1>;

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) =>
      typeof key === "number" ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key),
    "",
  );
}

/** One line per problem, each naming the field, e.g. `networks[1].gateway: gateway 10.9.0.1 is outside …`. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${formatPath(issue.path) || "(document)"}: ${issue.message}`);
}

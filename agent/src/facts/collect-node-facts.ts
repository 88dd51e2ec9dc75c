import { cpus, hostname, networkInterfaces, release, totalmem } from "node:os";
import type { TInterfaceFact, TNodeFacts } from "@stratum/protocol";

const MAC_PATTERN = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;
const NO_MAC = "00:00:00:00:00:00";

/** Hardware facts reported at enrollment. Read-only: touches nothing, so it is safe in simulate mode. */
export function collectNodeFacts(): { hostname: string; facts: TNodeFacts } {
  const interfaces: TInterfaceFact[] = [];
  for (const [name, addresses] of Object.entries(networkInterfaces())) {
    const mac = addresses?.[0]?.mac;
    // Loopback and tunnels have no MAC and carry no fabric traffic; the panel has no use for them.
    if (addresses === undefined || mac === undefined || mac === NO_MAC || !MAC_PATTERN.test(mac)) continue;
    interfaces.push({
      name: name.slice(0, 15),
      mac: mac.toLowerCase(),
      addresses: addresses.flatMap((address) => (address.cidr === null ? [] : [address.cidr])),
    });
  }
  return {
    hostname: hostname(),
    facts: { cpus: Math.max(1, cpus().length), memoryBytes: totalmem(), kernel: release(), interfaces },
  };
}

import { Command } from "commander";
import type { DataplaneReader, DataplaneStatus, DropCounter } from "../../dataplane/dataplane.ts";
import { IpRoute } from "../../dataplane/linux/iproute.ts";
import { DEFAULT_BPFFS } from "../../dataplane/linux/linux-dataplane.ts";
import { pinnedCounters, pinnedStatus } from "../../dataplane/linux/pinned.ts";

/** Reads a running data plane's pins directly, for when the agent is down or unreachable. */
export function pinnedReader(bpffs: string): DataplaneReader {
  return {
    status: () => pinnedStatus(bpffs, { mgmt: "cnv-mgmt-br0", user: "cnv-user-br0" }),
    counters: async () => {
      const links = await new IpRoute(undefined).links();
      return pinnedCounters(bpffs, new Map(links.map((link) => [link.ifindex, link.ifname])));
    },
  };
}

function table(rows: readonly (readonly (string | number)[])[]): string {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => String(row[column]).length))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, i) => String(cell).padEnd(widths[i]!))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

export function formatStatus(status: DataplaneStatus): string {
  const programs = table([
    ["PORT", "ATTACH", "PROGRAM", "ID", "TAG"],
    ...status.programs.map((p) => [p.port, p.attach, p.name, p.id, p.tag]),
  ]);
  const maps = table([
    ["MAP", "ENTRIES", "MAX", "USE"],
    ...status.maps.map((m) => [
      m.name,
      m.entries,
      m.maxEntries,
      `${((100 * m.entries) / m.maxEntries).toFixed(1)}%`,
    ]),
  ]);
  return `bpffs ${status.bpffs}, bridges ${status.bridges.mgmt} ${status.bridges.user}\n\n${programs}\n\n${maps}\n`;
}

export function formatCounters(counters: readonly DropCounter[]): string {
  if (counters.length === 0) return "no drops\n";
  return `${table([["PORT", "REASON", "PACKETS", "BYTES"], ...counters.map((c) => [c.port, c.reason, c.packets, c.bytes])])}\n`;
}

/**
 * `dataplane status` and `dataplane counters`. `reach` returns the running
 * driver; without it, or with --bpffs, the pinned maps are read directly.
 */
export function dataplaneCommand(reach?: () => Promise<DataplaneReader>): Command {
  const command = new Command("dataplane").description("inspect the eBPF data plane");
  const reader = async (options: { bpffs?: string }) =>
    options.bpffs || !reach ? pinnedReader(options.bpffs ?? DEFAULT_BPFFS) : reach();

  command
    .command("status")
    .description("programs, attach points and map sizes")
    .option("--json", "print JSON")
    .option(
      "--bpffs <path>",
      `read the pins under this bpffs instead of asking the agent (default ${DEFAULT_BPFFS})`,
    )
    .action(async (options: { json?: boolean; bpffs?: string }) => {
      const status = await (await reader(options)).status();
      process.stdout.write(options.json ? `${JSON.stringify(status)}\n` : formatStatus(status));
    });

  command
    .command("counters")
    .description("dropped packets per port and reason")
    .option("--json", "print JSON")
    .option(
      "--bpffs <path>",
      `read the pins under this bpffs instead of asking the agent (default ${DEFAULT_BPFFS})`,
    )
    .action(async (options: { json?: boolean; bpffs?: string }) => {
      const counters = await (await reader(options)).counters();
      process.stdout.write(options.json ? `${JSON.stringify(counters)}\n` : formatCounters(counters));
    });

  return command;
}

import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { LinuxDataplane } from "../../agent/src/dataplane/linux/linux-dataplane.ts";
import { run } from "../../agent/src/dataplane/linux/run.ts";
import { TestNet } from "../../agent/src/dataplane/testing/netns.ts";
import { benchRules } from "./prog-run.ts";

const SENDER = { ip: "10.80.0.1", mac: "02:80:00:00:00:01" };
const RECEIVER = { ip: "10.80.0.2", mac: "02:80:00:00:00:02" };
const NETWORK = 80;
const PORT = 5000;

/** Sender and receiver namespaces joined by a bridge in a third, as the driver wires workloads. */
export class Topology {
  readonly net = new TestNet();
  readonly sender = `${this.net.prefix}s`;
  readonly receiver = `${this.net.prefix}r`;
  driver: LinuxDataplane | undefined;

  private constructor(private readonly floodBinary: string) {}

  static async withDriver(floodBinary: string, attach: "tc" | "xdp" = "tc"): Promise<Topology> {
    const topology = new Topology(floodBinary);
    const { net } = topology;
    await net.setup();
    topology.driver = new LinuxDataplane({ ...net.driverOptions(), attach });
    await topology.driver.start();
    for (const [ns, ep] of [
      [topology.sender, SENDER],
      [topology.receiver, RECEIVER],
    ] as const) {
      await net.addNamespace(ns);
      await topology.driver.addEndpoint({
        kind: "veth",
        name: `${ns}p`,
        namespace: ns,
        peerName: "eth0",
        networkId: NETWORK,
        mac: ep.mac,
        bindings: [{ ip: ep.ip }],
      });
    }
    await topology.addressing();
    return topology;
  }

  /** The same wiring without any BPF program, for the iptables baseline. */
  static async plain(floodBinary: string): Promise<Topology> {
    const topology = new Topology(floodBinary);
    const { net } = topology;
    await net.setup();
    const bridge = `${net.prefix}u`;
    await net.exec(net.hostNs, "ip", ["link", "add", bridge, "type", "bridge"]);
    await net.exec(net.hostNs, "ip", ["link", "set", bridge, "up"]);
    for (const [ns, ep] of [
      [topology.sender, SENDER],
      [topology.receiver, RECEIVER],
    ] as const) {
      await net.addNamespace(ns);
      await net.exec(net.hostNs, "ip", [
        "link",
        "add",
        `${ns}p`,
        "type",
        "veth",
        "peer",
        "name",
        "eth0",
        "netns",
        ns,
      ]);
      await net.exec(ns, "ip", ["link", "set", "eth0", "address", ep.mac]);
      await net.exec(net.hostNs, "ip", ["link", "set", `${ns}p`, "master", bridge, "up"]);
    }
    await topology.addressing();
    return topology;
  }

  private async addressing(): Promise<void> {
    await this.net.configure(this.sender, "eth0", `${SENDER.ip}/24`);
    await this.net.configure(this.receiver, "eth0", `${RECEIVER.ip}/24`);
    await this.net.exec(this.sender, "ip", [
      "neigh",
      "replace",
      RECEIVER.ip,
      "lladdr",
      RECEIVER.mac,
      "dev",
      "eth0",
    ]);
    await this.net.exec(this.receiver, "ip", [
      "neigh",
      "replace",
      SENDER.ip,
      "lladdr",
      SENDER.mac,
      "dev",
      "eth0",
    ]);
  }

  async setBpfRules(count: number): Promise<void> {
    await this.driver!.setPolicy({
      networkId: NETWORK,
      defaultAction: "deny",
      rules: benchRules(count, RECEIVER.ip),
    });
  }

  /** The same rules in the receiver's INPUT chain, one iptables rule per firewall rule, default drop. */
  async setIptablesRules(count: number, scratchDir: string): Promise<void> {
    const lines = ["*filter", ":INPUT DROP [0:0]", ":FORWARD ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]"];
    for (const rule of benchRules(count, RECEIVER.ip)) {
      const target = rule.action === "allow" ? "ACCEPT" : "DROP";
      lines.push(`-A INPUT -d ${rule.remote} -p udp --dport ${PORT} -j ${target}`);
    }
    lines.push("COMMIT", "");
    const file = join(scratchDir, `${this.net.prefix}-iptables.rules`);
    await writeFile(file, lines.join("\n"));
    await run("iptables-restore", [file], { netns: this.receiver });
  }

  /** Datagrams per second the receiving socket got during a `seconds` long flood. */
  async flood(seconds: number): Promise<number> {
    const receiver = spawn(
      "ip",
      ["netns", "exec", this.receiver, this.floodBinary, "recv", String(PORT), "500"],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    const lines: string[] = [];
    const reader = createInterface({ input: receiver.stdout });
    const ready = new Promise<void>((resolve) => reader.once("line", () => resolve()));
    reader.on("line", (line) => lines.push(line));
    const exited = new Promise<void>((resolve) => receiver.once("exit", () => resolve()));
    try {
      await ready;
      await run(this.floodBinary, ["send", RECEIVER.ip, String(PORT), String(seconds)], {
        netns: this.sender,
        timeoutMs: (seconds + 10) * 1000,
      });
      await exited;
    } finally {
      if (receiver.exitCode === null) receiver.kill("SIGKILL");
    }
    return Number(lines.at(-1)) / seconds;
  }

  async close(): Promise<void> {
    await this.driver?.stop();
    await this.net.cleanup();
  }
}

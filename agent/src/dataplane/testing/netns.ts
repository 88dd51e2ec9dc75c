import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { ensureBpffs, unmountBpffs } from "../linux/bpffs.ts";
import type { LinuxDataplaneOptions } from "../linux/linux-dataplane.ts";
import { run } from "../linux/run.ts";
import { BPF_BUILD_DIR } from "./bpf-harness.ts";

const UDP_TOOL = new URL("./udp-tool.mjs", import.meta.url).pathname;

/**
 * Everything one namespace test creates, under one random `stt7xxxx` prefix:
 * a "host" namespace for the driver's bridges and ports, workload namespaces,
 * a private bpffs, and background processes. `cleanup` removes all of it.
 */
export class TestNet {
  readonly prefix = `stt7${randomBytes(2).toString("hex")}`;
  readonly hostNs = `${this.prefix}h`;
  private readonly namespaces: string[] = [];
  private readonly processes: ChildProcess[] = [];
  private dir = "";

  get bpffs(): string {
    return join(this.dir, "bpffs");
  }

  driverOptions(): LinuxDataplaneOptions {
    return {
      bpffs: this.bpffs,
      objectDir: BPF_BUILD_DIR,
      netns: this.hostNs,
      mgmtBridge: `${this.prefix}m`,
      userBridge: `${this.prefix}u`,
    };
  }

  async setup(): Promise<void> {
    this.dir = await mkdtemp(join(tmpdir(), `${this.prefix}-`));
    await mkdir(this.bpffs);
    await ensureBpffs(this.bpffs);
    await this.addNamespace(this.hostNs);
  }

  /** A namespace with loopback up and IPv6 off, so only the test's own packets cross its ports. */
  async addNamespace(name: string): Promise<string> {
    await run("ip", ["netns", "add", name]);
    this.namespaces.push(name);
    await run("ip", ["-n", name, "link", "set", "lo", "up"]);
    await run("sysctl", ["-q", "-w", "net.ipv6.conf.all.disable_ipv6=1"], { netns: name });
    await run("sysctl", ["-q", "-w", "net.ipv6.conf.default.disable_ipv6=1"], { netns: name });
    return name;
  }

  exec(netns: string, command: string, args: readonly string[]) {
    return run(command, args, { netns });
  }

  async configure(netns: string, dev: string, cidr: string): Promise<void> {
    await run("ip", ["-n", netns, "addr", "add", cidr, "dev", dev]);
    await run("ip", ["-n", netns, "link", "set", dev, "up"]);
  }

  /** Starts a UDP echo server answering with `name` and waits until it listens. */
  async udpEcho(netns: string, name: string, ports: readonly number[]): Promise<void> {
    const child = spawn(
      "ip",
      ["netns", "exec", netns, process.execPath, UDP_TOOL, "echo", name, ...ports.map(String)],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    this.processes.push(child);
    const lines = createInterface({ input: child.stdout! });
    await new Promise<void>((resolve, reject) => {
      child.once("exit", (code) => reject(new Error(`udp echo in ${netns} exited with ${code}`)));
      lines.once("line", () => resolve());
    });
  }

  /** Asks HOST:PORT once from each source port; null where no answer came back in time. */
  async udpAsk(netns: string, host: string, port: number, sports: readonly number[], timeoutMs = 1000) {
    const args = [UDP_TOOL, "ask", host, String(port), ...sports.map(String), "--timeout", String(timeoutMs)];
    const { stdout } = await run(process.execPath, args, { netns });
    return JSON.parse(stdout) as (string | null)[];
  }

  /** Sends raw Ethernet frames out of `dev`, the way a misbehaving workload would. */
  async sendFrames(netns: string, dev: string, frames: readonly Buffer[]): Promise<void> {
    const script =
      "import socket,sys\ns=socket.socket(socket.AF_PACKET,socket.SOCK_RAW)\ns.bind((sys.argv[1],0))\n" +
      "for f in sys.argv[2:]: s.send(bytes.fromhex(f))\n";
    await run("python3", ["-c", script, dev, ...frames.map((frame) => frame.toString("hex"))], { netns });
  }

  async cleanup(): Promise<void> {
    for (const child of this.processes) child.kill("SIGKILL");
    for (const name of this.namespaces.reverse())
      await run("ip", ["netns", "del", name]).catch(() => undefined);
    if (this.dir) {
      await unmountBpffs(this.bpffs).catch(() => undefined);
      await rm(this.dir, { recursive: true, force: true });
    }
  }
}

import { spawn } from "node:child_process";
import { appendFile, copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TEndpointSpec, TFirewallPolicy } from "../model.ts";
import { BPF_BUILD_DIR } from "../testing/bpf-harness.ts";
import { buildBpfObjects } from "../testing/build.ts";
import { TestNet } from "../testing/netns.ts";
import { LinuxDataplane } from "./linux-dataplane.ts";

const NETWORK = 73;
const OBJECTS = ["tc_endpoint.o", "xdp_endpoint.o"];

describe("driver restart", () => {
  const net = new TestNet();
  let objectDir = "";
  let endpoints: TEndpointSpec[];
  let policy: TFirewallPolicy;
  let driver: LinuxDataplane | undefined;

  const newDriver = () => new LinuxDataplane({ ...net.driverOptions(), objectDir });

  /** Runs `during` while 600 pings go out every 5 ms, and returns ping's summary. */
  async function pingThrough(during: () => Promise<void>): Promise<string> {
    const ping = spawn("ip", [
      "netns",
      "exec",
      `${net.prefix}a`,
      "ping",
      "-n",
      "-q",
      "-i",
      "0.005",
      "-c",
      "600",
      "10.73.0.2",
    ]);
    let output = "";
    ping.stdout.on("data", (chunk) => {
      output += chunk;
    });
    const exited = new Promise<number | null>((resolve) => ping.on("exit", resolve));
    await new Promise((resolve) => setTimeout(resolve, 500));
    await during();
    expect(ping.exitCode).toBeNull();
    expect(await exited).toBe(0);
    return output;
  }

  /** What an agent does on start: adopt the pins, then re-apply its desired state. */
  async function restartDriver(): Promise<void> {
    await driver!.stop();
    driver = newDriver();
    await driver.start();
    for (const endpoint of endpoints) await driver.addEndpoint(endpoint);
    await driver.setPolicy(policy);
  }

  beforeAll(async () => {
    buildBpfObjects();
    await net.setup();
    objectDir = await mkdtemp(join(tmpdir(), `${net.prefix}-objects-`));
    for (const object of OBJECTS) await copyFile(join(BPF_BUILD_DIR, object), join(objectDir, object));
    const nsA = await net.addNamespace(`${net.prefix}a`);
    const nsB = await net.addNamespace(`${net.prefix}b`);
    endpoints = [
      { ns: nsA, ip: "10.73.0.1", mac: "02:73:00:00:00:01", port: `${net.prefix}pa` },
      { ns: nsB, ip: "10.73.0.2", mac: "02:73:00:00:00:02", port: `${net.prefix}pb` },
    ].map((ep) => ({
      kind: "veth",
      name: ep.port,
      namespace: ep.ns,
      peerName: "eth0",
      networkId: NETWORK,
      mac: ep.mac,
      bindings: [{ ip: ep.ip }],
    }));
    policy = {
      networkId: NETWORK,
      defaultAction: "deny",
      rules: [{ remote: "10.73.0.0/24", protocol: "icmp", action: "allow" }],
    };
    driver = newDriver();
    await driver.start();
    for (const endpoint of endpoints) await driver.addEndpoint(endpoint);
    await driver.setPolicy(policy);
    await net.configure(nsA, "eth0", "10.73.0.1/24");
    await net.configure(nsB, "eth0", "10.73.0.2/24");
  });

  afterAll(async () => {
    await driver?.stop();
    await net.cleanup();
    if (objectDir) await rm(objectDir, { recursive: true, force: true });
  });

  it("loses no packet of a continuous ping while the driver stops and a new one adopts the pins", async () => {
    const programsBefore = (await driver!.status()).programs;
    const output = await pingThrough(restartDriver);
    expect(output).toMatch(/600 packets transmitted, 600 received, 0% packet loss/);
    expect((await driver!.status()).programs).toEqual(programsBefore);
  });

  it("swaps in the programs of a changed object on restart, still without losing a packet", async () => {
    const programsBefore = (await driver!.status()).programs;
    for (const object of OBJECTS) await appendFile(join(objectDir, object), Buffer.alloc(16));
    const output = await pingThrough(restartDriver);
    expect(output).toMatch(/600 packets transmitted, 600 received, 0% packet loss/);
    const programsAfter = (await driver!.status()).programs;
    expect(programsAfter.map((p) => p.port)).toEqual(programsBefore.map((p) => p.port));
    programsAfter.forEach((program, i) => {
      expect(program.id).not.toBe(programsBefore[i]!.id);
      expect(program.object).not.toBe(programsBefore[i]!.object);
    });
  });
});

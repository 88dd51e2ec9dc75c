import { afterEach, describe, expect, it, vi } from "vitest";
import { dataplaneCommand } from "../ctl/commands/dataplane.ts";
import type { DataplaneReader } from "./dataplane.ts";
import { FakeDataplane } from "./fake-dataplane.ts";

async function runCtl(reach: () => Promise<DataplaneReader>, args: string[]): Promise<string> {
  let out = "";
  const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  try {
    await dataplaneCommand(reach).parseAsync(args, { from: "user" });
  } finally {
    write.mockRestore();
  }
  return out;
}

describe("cenvero-str-ctl dataplane", () => {
  afterEach(() => vi.restoreAllMocks());

  async function fakeWithPort(): Promise<FakeDataplane> {
    const dataplane = new FakeDataplane();
    await dataplane.start();
    await dataplane.addEndpoint({
      kind: "tap",
      name: "vm-web-1",
      networkId: 3,
      mac: "02:00:00:00:00:03",
      bindings: [{ ip: "10.3.0.3" }],
    });
    return dataplane;
  }

  it("prints status as a table and as JSON", async () => {
    const dataplane = await fakeWithPort();
    const text = await runCtl(async () => dataplane, ["status"]);
    expect(text).toMatch(/vm-web-1\s+tc-ingress\s+from_endpoint/);
    expect(text).toMatch(/endpoint_bindings\s+1\s+131072/);
    const json = JSON.parse(await runCtl(async () => dataplane, ["status", "--json"]));
    expect(json.programs[0].port).toBe("vm-web-1");
  });

  it("prints counters per port and reason", async () => {
    const reader: DataplaneReader = {
      status: async () => (await fakeWithPort()).status(),
      counters: async () => [
        { port: "vm-web-1", ifindex: 7, reason: "DROP_SPOOF_IP", packets: 3, bytes: 294 },
      ],
    };
    expect(await runCtl(async () => reader, ["counters"])).toMatch(/vm-web-1\s+DROP_SPOOF_IP\s+3\s+294/);
    expect(JSON.parse(await runCtl(async () => reader, ["counters", "--json"]))).toHaveLength(1);
    expect(await runCtl(async () => new FakeDataplane(), ["counters"])).toBe("no drops\n");
  });
});

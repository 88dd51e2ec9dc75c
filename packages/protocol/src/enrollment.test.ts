import { describe, expect, it } from "vitest";
import { HUB_PATH, ZEnrollRequest, ZEnrollResponse } from "./enrollment.ts";

const validRequest = {
  token: "stj_0123456789abcdef0123456789abcdef",
  publicKey: { kty: "OKP", crv: "Ed25519", x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo" },
  hostname: "node-a.example.net",
  name: "node-a",
  mode: "compute",
  agentVersion: "0.1.0",
  facts: {
    cpus: 8,
    memoryBytes: 34_359_738_368,
    kernel: "6.12.0-amd64",
    interfaces: [{ name: "eth0", mac: "52:54:00:AB:CD:EF", addresses: ["10.0.0.5/24", "fd00::5/64"] }],
  },
};

describe("ZEnrollRequest", () => {
  it("accepts a complete request and normalises the MAC", () => {
    const parsed = ZEnrollRequest.parse(validRequest);
    expect(parsed.facts.interfaces[0]?.mac).toBe("52:54:00:ab:cd:ef");
  });

  it("refuses a JWK carrying the private component", () => {
    const leaked = { ...validRequest, publicKey: { ...validRequest.publicKey, d: "secret" } };
    expect(ZEnrollRequest.safeParse(leaked).success).toBe(false);
  });

  it.each([
    ["wrong key type", { publicKey: { kty: "EC", crv: "P-256", x: validRequest.publicKey.x } }],
    ["short x", { publicKey: { kty: "OKP", crv: "Ed25519", x: "abc" } }],
    ["unknown mode", { mode: "router" }],
    ["bad name", { name: "-Node_A" }],
    [
      "address without prefix",
      {
        facts: {
          ...validRequest.facts,
          interfaces: [{ name: "eth0", mac: "52:54:00:ab:cd:ef", addresses: ["10.0.0.5"] }],
        },
      },
    ],
    ["zero cpus", { facts: { ...validRequest.facts, cpus: 0 } }],
  ])("rejects %s", (_label, patch) => {
    expect(ZEnrollRequest.safeParse({ ...validRequest, ...patch }).success).toBe(false);
  });
});

describe("ZEnrollResponse", () => {
  const response = {
    nodeId: "node_01JD8X",
    name: "node-a",
    mode: "gateway",
    audience: "https://panel.example.net",
    panelUrl: "https://panel.example.net",
    hubPath: HUB_PATH,
    trustedKeys: [],
  };

  it("accepts an empty trust store until signed configs exist", () => {
    expect(ZEnrollResponse.parse(response).trustedKeys).toEqual([]);
  });

  it("requires a kid on every trusted key", () => {
    const keys = [{ kty: "OKP", crv: "Ed25519", x: validRequest.publicKey.x }];
    expect(ZEnrollResponse.safeParse({ ...response, trustedKeys: keys }).success).toBe(false);
  });

  it("rejects a non-http panel URL and a different hub path", () => {
    expect(ZEnrollResponse.safeParse({ ...response, panelUrl: "ftp://panel" }).success).toBe(false);
    expect(ZEnrollResponse.safeParse({ ...response, hubPath: "/agent/v2" }).success).toBe(false);
  });
});

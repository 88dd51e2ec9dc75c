import { createPublicKey, verify as verifyEd25519 } from "node:crypto";
import { parseArgs } from "node:util";
import {
  generateSigningKey,
  initialTrustSet,
  publicJwkOf,
  realisticNodeConfig,
  signShub,
  verifyShub,
} from "@stratum/shub";
import { writeResult } from "../result.ts";

const { values: opts } = parseArgs({
  options: {
    seconds: { type: "string", default: "5" },
    nodes: { type: "string", default: "10000" },
    help: { type: "boolean", default: false },
  },
});
if (opts.help) {
  process.stdout.write(`npm run bench -- shub [--seconds N] [--nodes N]

Signs and verifies a realistic node config (4 networks, 52 firewall rules, 2 load-balanced services)
one operation at a time, so one core does the work, for --seconds each (default 5), and reports the
rates per CPU-second (the one-core figure, robust on a shared machine) and per wall-clock second.
Then signs one config per node for --nodes nodes (default 10000), the signing part of a cluster-wide
re-issue. Writes bench/results/shub.json. Target: at least 5,000 verifications per CPU-second.
`);
  process.exit(0);
}
const seconds = Number(opts.seconds);
const nodes = Number(opts.nodes);

const key = await generateSigningKey();
const trust = initialTrustSet(publicJwkOf(key));
const config = realisticNodeConfig();
const expiresAt = new Date(Date.now() + 30 * 86_400_000);
const sign = (version: number, nodeId = "node-a") =>
  signShub({ config, key, kid: key.kid, issuer: "bench", nodeId, version, expiresAt });
const file = await sign(1);

type TRate = { perWallSecond: number; perCpuSecond: number };

/**
 * One operation at a time, so at most one core works. The machine may be shared, so the rate is also
 * given per CPU-second this process used (all its threads): that is the one-core figure.
 */
async function rate(label: string, operation: (i: number) => Promise<unknown>): Promise<TRate> {
  for (let i = 0; i < 200; i++) await operation(i);
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  let count = 0;
  while (performance.now() < deadline) {
    for (let i = 0; i < 100; i++) await operation(count + i);
    count += 100;
  }
  const cpu = process.cpuUsage(cpuStarted);
  const result = {
    perWallSecond: count / ((performance.now() - started) / 1000),
    perCpuSecond: count / ((cpu.user + cpu.system) / 1e6),
  };
  process.stderr.write(
    `${label}: ${Math.round(result.perCpuSecond)} per CPU-second, ${Math.round(result.perWallSecond)} per wall-clock second\n`,
  );
  return result;
}

const signs = await rate("sign", (i) => sign(i + 1));
const verifies = await rate("verify", () =>
  verifyShub(file, { trust, nodeId: "node-a", minVersion: 1, now: new Date() }),
);
// The floor under any verifier: one bare Ed25519 check of the same signing input, synchronous.
const { protected: protectedHeader, payload, signature } = JSON.parse(file);
const signingInput = Buffer.from(
  `${protectedHeader}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}`,
);
const signatureBytes = Buffer.from(signature, "base64url");
const publicKey = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: key.x }, format: "jwk" });
const bareVerifies = await rate("bare Ed25519 verify", async () => {
  if (!verifyEd25519(null, signingInput, publicKey, signatureBytes))
    throw new Error("baseline signature is invalid");
});
const reissueStarted = performance.now();
const reissueCpu = process.cpuUsage();
for (let n = 0; n < nodes; n++) await sign(2, `node-${n}`);
const reissueSeconds = (performance.now() - reissueStarted) / 1000;
const reissueCpuUsed = process.cpuUsage(reissueCpu);
const reissueCpuSeconds = (reissueCpuUsed.user + reissueCpuUsed.system) / 1e6;
process.stderr.write(
  `signed ${nodes} node configs in ${reissueSeconds.toFixed(2)} s (${reissueCpuSeconds.toFixed(2)} CPU-seconds)\n`,
);

writeResult({
  suite: "shub",
  params: {
    seconds,
    nodes,
    fileBytes: Buffer.byteLength(file),
    networks: config.networks.length,
    firewallRules: config.firewall.reduce((sum, policy) => sum + policy.rules.length, 0),
  },
  metrics: {
    signsPerCpuSecond: { value: Math.round(signs.perCpuSecond), unit: "ops/s", better: "higher" },
    verifiesPerCpuSecond: { value: Math.round(verifies.perCpuSecond), unit: "ops/s", better: "higher" },
    signsPerSecond: { value: Math.round(signs.perWallSecond), unit: "ops/s", better: "higher" },
    verifiesPerSecond: { value: Math.round(verifies.perWallSecond), unit: "ops/s", better: "higher" },
    reissueSignCpuSeconds: { value: Number(reissueCpuSeconds.toFixed(3)), unit: "s", better: "lower" },
    reissueSignSeconds: { value: Number(reissueSeconds.toFixed(3)), unit: "s", better: "lower" },
  },
  baseline: {
    name: "bare Ed25519 verification (node:crypto, no parsing, canonicalisation or schema)",
    metrics: {
      verifiesPerCpuSecond: { value: Math.round(bareVerifies.perCpuSecond), unit: "ops/s", better: "higher" },
    },
  },
});

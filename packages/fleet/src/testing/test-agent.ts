import { randomBytes } from "node:crypto";
import {
  PROTOCOL_VERSION,
  SESSION_TOKEN_TYPE,
  type TEd25519PublicJwk,
  type THubFrame,
} from "@stratum/protocol";
import { type CryptoKey, exportJWK, generateKeyPair, SignJWT } from "jose";
import WebSocket from "ws";

export interface TestKey {
  privateKey: CryptoKey;
  publicJwk: TEd25519PublicJwk;
}

export async function generateNodeKey(): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  const jwk = await exportJWK(publicKey);
  return { privateKey: privateKey as CryptoKey, publicJwk: { kty: "OKP", crv: "Ed25519", x: jwk.x! } };
}

export function signToken(
  key: CryptoKey,
  claims: { sub: string; aud: string; iatOffset?: number; lifetime?: number; jti?: string },
): Promise<string> {
  const iat = Math.floor(Date.now() / 1000) + (claims.iatOffset ?? 0);
  return new SignJWT({})
    .setProtectedHeader({ alg: "EdDSA", typ: SESSION_TOKEN_TYPE })
    .setSubject(claims.sub)
    .setAudience(claims.aud)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (claims.lifetime ?? 60))
    .setJti(claims.jti ?? randomBytes(16).toString("base64url"))
    .sign(key);
}

/**
 * A bare agent over a real WebSocket: sends exactly what a test tells it, records what the hub
 * sends, and acknowledges desired state like the real agent.
 */
export class TestAgent {
  readonly frames: THubFrame[] = [];
  closed: { code: number; reason: string } | undefined;
  readonly socket: WebSocket;
  readonly #waiters: (() => void)[] = [];

  constructor(url: string, options: { autoAck?: boolean } = {}) {
    this.socket = new WebSocket(url);
    this.socket.on("message", (data) => {
      const frame = JSON.parse(data.toString()) as THubFrame;
      this.frames.push(frame);
      if (frame.type === "desired" && options.autoAck !== false) {
        this.send({ type: "ack", generation: frame.generation });
        this.send({
          type: "status",
          observedGeneration: frame.generation,
          health: "healthy",
          capacity: { cpus: 2, memoryBytes: 1024, memoryAvailableBytes: 512, endpoints: 0 },
          agentVersion: "test-1.0.0",
          clusterRole: "none",
          conditions: [],
          tasks: [],
        });
      }
      this.#wake();
    });
    this.socket.on("close", (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.#wake();
    });
    this.socket.on("error", () => {});
  }

  #wake(): void {
    for (const w of this.#waiters.splice(0)) w();
  }

  opened(): Promise<void> {
    if (this.socket.readyState === WebSocket.OPEN) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.socket.once("open", () => resolve());
      this.socket.once("error", reject);
    });
  }

  send(frame: unknown): void {
    if (this.socket.readyState === WebSocket.OPEN)
      this.socket.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  async hello(
    nodeId: string,
    token: string,
    protocol = { min: PROTOCOL_VERSION, max: PROTOCOL_VERSION },
  ): Promise<void> {
    await this.opened();
    this.send({ type: "hello", protocol, agentVersion: "test-1.0.0", nodeId, token });
  }

  /** Waits until `predicate` holds for the frames or close seen so far. */
  async until<T>(predicate: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = predicate();
      if (value) return value;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `timed out; frames: ${JSON.stringify(this.frames).slice(0, 500)}; closed: ${JSON.stringify(this.closed)}`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  closedWith(): Promise<{ code: number; reason: string }> {
    return this.until(() => this.closed);
  }

  latestGeneration(): number {
    return Math.max(
      -1,
      ...this.frames.filter((f) => f.type === "desired").map((f) => (f as { generation: number }).generation),
    );
  }

  close(): void {
    this.socket.terminate();
  }
}

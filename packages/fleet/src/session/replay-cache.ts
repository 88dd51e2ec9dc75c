import { SESSION_TOKEN_REPLAY_WINDOW_SECONDS } from "@stratum/protocol";
import { ReplayCacheFullError } from "./session-errors.ts";

export type TReplayCacheOptions = {
  /** Upper bound on remembered jti values; memory stays O(capacity). */
  capacity?: number;
  windowMs?: number;
  now?: () => number;
};

/**
 * Remembers accepted (node, jti) pairs for the replay window. Every entry lives for the same fixed
 * window from insertion, so insertion order is expiry order and purging only ever looks at the
 * oldest entries.
 */
export class ReplayCache {
  readonly #seen = new Map<string, number>();
  readonly #capacity: number;
  readonly #windowMs: number;
  readonly #now: () => number;

  constructor(options: TReplayCacheOptions = {}) {
    this.#capacity = options.capacity ?? 200_000;
    this.#windowMs = options.windowMs ?? SESSION_TOKEN_REPLAY_WINDOW_SECONDS * 1000;
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#seen.size;
  }

  /**
   * Records the pair and returns true when it is new; false means a replay.
   * Throws ReplayCacheFullError when the window already holds `capacity` live entries.
   */
  remember(nodeId: string, jti: string): boolean {
    const now = this.#now();
    this.#purge(now);
    // Scoped by node so that one node cannot burn another node's jti values.
    const key = JSON.stringify([nodeId, jti]);
    if (this.#seen.has(key)) return false;
    if (this.#seen.size >= this.#capacity) throw new ReplayCacheFullError(this.#capacity);
    this.#seen.set(key, now + this.#windowMs);
    return true;
  }

  #purge(now: number): void {
    for (const [key, expiresAt] of this.#seen) {
      if (expiresAt > now) return;
      this.#seen.delete(key);
    }
  }
}

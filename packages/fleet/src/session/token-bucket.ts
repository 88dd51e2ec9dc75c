export type TTokenBucketOptions = {
  /** Burst size: how many tokens a full bucket holds. */
  capacity: number;
  refillPerSecond: number;
  now?: () => number;
};

/**
 * A per-connection rate limit. Refill is computed lazily from elapsed time, so an idle connection
 * costs no timers.
 */
export class TokenBucket {
  readonly #capacity: number;
  readonly #refillPerMs: number;
  readonly #now: () => number;
  #tokens: number;
  #updatedAt: number;

  constructor(options: TTokenBucketOptions) {
    if (!(options.capacity > 0) || !(options.refillPerSecond >= 0)) {
      throw new RangeError("token bucket needs capacity > 0 and refillPerSecond >= 0");
    }
    this.#capacity = options.capacity;
    this.#refillPerMs = options.refillPerSecond / 1000;
    this.#now = options.now ?? Date.now;
    this.#tokens = options.capacity;
    this.#updatedAt = this.#now();
  }

  get available(): number {
    this.#refill();
    return this.#tokens;
  }

  /** Takes `cost` tokens and returns true, or takes nothing and returns false when too few remain. */
  tryTake(cost = 1): boolean {
    this.#refill();
    if (this.#tokens < cost) return false;
    this.#tokens -= cost;
    return true;
  }

  #refill(): void {
    const now = this.#now();
    // A clock stepping backwards must not drain or overfill the bucket.
    const elapsed = Math.max(0, now - this.#updatedAt);
    this.#updatedAt = now;
    this.#tokens = Math.min(this.#capacity, this.#tokens + elapsed * this.#refillPerMs);
  }
}

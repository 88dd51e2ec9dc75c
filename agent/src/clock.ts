/** Time as the agent sees it; injected so that backoff, heartbeats and resyncs run on a fake clock in tests. */
export interface TClock {
  now(): number;
  /** Schedules `callback` once and returns a function that cancels it. */
  setTimeout(callback: () => void, ms: number): () => void;
}

export const systemClock: TClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => {
    const timer = setTimeout(callback, ms);
    return () => clearTimeout(timer);
  },
};

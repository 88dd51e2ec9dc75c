import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { throttle } from "../lib/throttle.ts";

describe("throttle", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("runs the first call at once and folds a burst into one run a second later", () => {
    const action = vi.fn();
    const refresh = throttle(action, 1_000);
    refresh.call();
    expect(action).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 20; i++) refresh.call();
    expect(action).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(999);
    expect(action).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(action).toHaveBeenCalledTimes(2);
  });

  it("runs at once again after a quiet second", () => {
    const action = vi.fn();
    const refresh = throttle(action, 1_000);
    refresh.call();
    vi.advanceTimersByTime(1_500);
    refresh.call();
    expect(action).toHaveBeenCalledTimes(2);
  });

  it("drops the pending run when cancelled", () => {
    const action = vi.fn();
    const refresh = throttle(action, 1_000);
    refresh.call();
    refresh.call();
    refresh.cancel();
    vi.advanceTimersByTime(5_000);
    expect(action).toHaveBeenCalledTimes(1);
  });
});

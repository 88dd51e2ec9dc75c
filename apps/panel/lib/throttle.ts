/**
 * Runs `action` at most once per `intervalMs`: the first call runs at once, calls during the pause
 * collapse into one run at its end, so the last change is never lost.
 */
export function throttle(action: () => void, intervalMs: number): { call: () => void; cancel: () => void } {
  let lastRun = Number.NEGATIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = () => {
    timer = undefined;
    lastRun = Date.now();
    action();
  };
  return {
    call: () => {
      if (timer !== undefined) return;
      const wait = lastRun + intervalMs - Date.now();
      if (wait <= 0) run();
      else timer = setTimeout(run, wait);
    },
    cancel: () => {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}

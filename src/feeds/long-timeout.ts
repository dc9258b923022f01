/**
 * Node fires a `setTimeout` whose delay exceeds 2^31-1 ms (~24.9 days) at once (stack.md trap 19).
 * A token may live longer than that: wait in clamped steps, re-arming until the instant is reached.
 */
export const MAX_TIMER_DELAY_MS = 2_147_483_647;

/** Runs `fn` once at `at` (at once if it has passed); returns the cancel function. Never keeps the process alive. */
export function runAt(at: Date, fn: () => void, now: () => number = Date.now): () => void {
  let timer: NodeJS.Timeout | null = null;
  const arm = () => {
    const remaining = at.getTime() - now();
    if (remaining <= 0) {
      timer = null;
      fn();
      return;
    }
    timer = setTimeout(arm, Math.min(remaining, MAX_TIMER_DELAY_MS));
    timer.unref();
  };
  arm();
  return () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
}

// Waiting in tests: always bounded, and a timeout names what was awaited.
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `cond` every 20 ms; fails with `what` after `ms`. */
export async function waitUntil(what: string, cond: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const limite = Date.now() + ms;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > limite) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(20);
  }
}

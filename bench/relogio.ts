/**
 * The one clock of bench/fanout.ts's processes: milliseconds (sub-ms) of the machine's monotonic clock
 * (CLOCK_MONOTONIC, what process.hrtime reads), the same in every process of one machine. A delivery's
 * latency is a time taken in a client process minus one taken in the writer (or a floor), so both must be
 * on one clock: `performance.timeOrigin + performance.now()` is each process's wall clock at its start plus
 * its own monotonic time since, which two processes started at different moments need not agree on (a wall
 * clock stepped or slewed in between). At performance.now()'s cost per call.
 */
const origem = Number(process.hrtime.bigint()) / 1e6 - performance.now();

export const agora = (): number => origem + performance.now();

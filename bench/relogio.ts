/**
 * The one clock of bench/fanout.ts's processes: milliseconds (sub-ms) of the machine's monotonic clock
 * (CLOCK_MONOTONIC, what process.hrtime reads), the same in every process of one machine. A delivery's
 * latency is a time taken in a client process minus one taken in the writer (or a floor), so both must be
 * on one clock: `performance.timeOrigin + performance.now()` is each process's wall clock at its start plus
 * its own monotonic time since, which two processes started at different moments need not agree on (a wall
 * clock stepped or slewed in between). At performance.now()'s cost per call.
 */
function origemMonotonica(): number {
  // The offset between the two clocks, read between two performance.now() calls: the tightest of many brackets,
  // as a process preempted between the reads (a loaded machine) would otherwise be off by the preemption.
  let melhor = { largura: Number.POSITIVE_INFINITY, origem: 0 };
  for (let i = 0; i < 200 && melhor.largura > 0.005; i++) {
    const antes = performance.now();
    const monotonico = Number(process.hrtime.bigint()) / 1e6;
    const depois = performance.now();
    if (depois - antes < melhor.largura) melhor = { largura: depois - antes, origem: monotonico - (antes + depois) / 2 };
  }
  return melhor.origem;
}
const origem = origemMonotonica();

export const agora = (): number => origem + performance.now();

// The periodic jobs' scheduler (agendarPeriodicamente): when the first run happens, and that stopping it before then
// means it never runs. No database: the task only counts its runs.
import { describe, expect, test } from 'vitest';
import { createLogger } from '../src/logger.js';
import { agendarPeriodicamente } from '../src/tramites/cancelamento-automatico.js';
import { sleep, waitUntil } from './support/wait.js';

const logger = createLogger('silent');

describe('agendarPeriodicamente', () => {
  test('runs at once by default, then every interval', async () => {
    let execucoes = 0;
    const job = agendarPeriodicamente(async () => void execucoes++, { intervaloMs: 20, logger, nome: 'teste' });
    expect(execucoes).toBe(1);
    await waitUntil('a second run', () => execucoes >= 2);
    await job.parar();
  });

  test('with primeiraEmMs the first run waits, then the interval takes over', async () => {
    let execucoes = 0;
    const job = agendarPeriodicamente(async () => void execucoes++, { intervaloMs: 20, primeiraEmMs: 150, logger, nome: 'teste' });
    await sleep(50);
    expect(execucoes).toBe(0);
    await waitUntil('the first run', () => execucoes >= 1);
    await waitUntil('a run of the interval after it', () => execucoes >= 2);
    await job.parar();
  });

  test('stopped before its first run, it never runs', async () => {
    let execucoes = 0;
    const job = agendarPeriodicamente(async () => void execucoes++, { intervaloMs: 20, primeiraEmMs: 60, logger, nome: 'teste' });
    await job.parar();
    await sleep(150);
    expect(execucoes).toBe(0);
  });
});

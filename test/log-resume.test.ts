// "No event skipped at resume" on a real PostgreSQL, where writers commit out of seq order (no lock orders
// them; PGlite is one connection, so nothing commits out of order there). Each round holds one writer's
// transaction open after it took its seq while others commit later seqs; a reader resumes from the
// cursor it holds, takes what the bus lets through, and stops; the held writer commits late. In the end
// every event reached the reader exactly once, in seq order, across all its resumes, and the live
// listener of the bus saw the same.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../src/db/client.js';
import { assinarEventos } from '../src/feeds/assinatura.js';
import { Barramento } from '../src/feeds/barramento.js';
import { createLogger } from '../src/logger.js';
import { registrarEventos, type Transaction } from '../src/tramites/eventos.js';
import { fonteEventosTramite, lerEventosTramite, type EventoComTramite } from '../src/tramites/feed.js';
import { BACKENDS, freshDatabase, type FreshDatabase } from './support/backends.js';
import { seedDemoData } from '../src/demo/seed.js';

const temPostgres = BACKENDS.includes('postgres');
const RODADAS = 6;
const RAPIDOS = 3;

/** Resolves with `p`, or fails after `ms` (a safety bound: a missing event would otherwise hang the test). */
function limitado<T>(p: Promise<T>, ms: number, oque: string): Promise<T> {
  const bound = new Promise<T>((_, reject) => {
    setTimeout(() => reject(new Error(`no ${oque} within ${ms} ms`)), ms).unref();
  });
  return Promise.race([p, bound]);
}

describe.skipIf(!temPostgres)('postgres: resuming the trâmite feed while writers commit out of seq order', () => {
  let fresh: FreshDatabase;
  let handle: DatabaseHandle;
  let bus: Barramento<EventoComTramite>;
  let tramiteId: number;

  beforeAll(async () => {
    fresh = await freshDatabase('postgres', { migrated: true });
    handle = await createDatabase({ kind: 'postgres', url: fresh.url!, poolSize: 10 });
    await seedDemoData(handle.db, new Date());
    const [t] = await handle.rows<{ id: number }>('select id::int as id from tramites order by id limit 1');
    tramiteId = t!.id;
    bus = new Barramento(handle, fonteEventosTramite(handle.db), createLogger('silent'), { pollMs: 50 });
    await bus.iniciar();
  });

  afterAll(async () => {
    await bus?.parar();
    await handle?.close();
    await fresh?.drop();
  });

  const anexar = (tx: Transaction, rotulo: string) =>
    registrarEventos(tx, [
      { tramiteId, deSituacao: 1, paraSituacao: 1, atorSujeito: rotulo, atorLado: 'REMETENTE', ocorridoEm: new Date() },
    ]);

  /** The reader resumes after `cursor`, takes the `n` events the bus lets through (replayed), and stops. */
  async function retomar(cursor: number, n: number): Promise<number[]> {
    const fluxo = assinarEventos({
      barramento: bus,
      passa: (e) => e.tramiteId === tramiteId,
      lerHistorico: (depoisDe, ate, limite) => lerEventosTramite(handle.db, depoisDe, limite, ate, tramiteId),
      aPartirDe: cursor,
      limiteFila: 1_000,
    });
    const recebidos: number[] = [];
    try {
      while (recebidos.length < n)
        recebidos.push((await limitado(fluxo.next(), 10_000, `event ${recebidos.length + 1} of ${n}`)).value.seq);
    } finally {
      await fluxo.return!();
    }
    return recebidos;
  }

  const deste = async (depoisDe: number, ate: number) =>
    (
      await handle.rows<{ n: number }>(
        "select count(*)::int as n from tramite_eventos where tramite_id = $1 and tipo = 'SITUACAO' and seq > $2 and seq <= $3",
        [tramiteId, depoisDe, ate],
      )
    )[0]!.n;

  test(`${RODADAS} rounds: a held writer's lower seq commits after ${RAPIDOS} later ones; the reader resumes in between and misses nothing`, async () => {
    const aoVivo: number[] = [];
    bus.adicionar({ entregar: (e) => e.tramiteId === tramiteId && aoVivo.push(e.seq) });
    const lidos: number[] = [];
    let cursor = bus.posicao;
    const escritos: number[] = [];

    for (let rodada = 0; rodada < RODADAS; rodada++) {
      // The held writer: its seq is taken, its commit waits.
      let liberar!: () => void;
      let tomou!: (seq: number) => void;
      const seqLento = new Promise<number>((resolve) => (tomou = resolve));
      const lento = handle.db.transaction(async (tx) => {
        const [e] = await anexar(tx, `lento-${rodada}`);
        tomou(e!.seq);
        await new Promise<void>((resolve) => (liberar = resolve));
        return e!.seq;
      });
      const seqDoLento = await seqLento;
      // Later seqs commit first.
      for (let i = 0; i < RAPIDOS; i++) {
        const [e] = await handle.db.transaction((tx) => anexar(tx, `rapido-${rodada}-${i}`));
        expect(e!.seq).toBeGreaterThan(seqDoLento);
        escritos.push(e!.seq);
      }
      // The bus reads again (as a NOTIFY makes it do) and must stop below the open writer's seq.
      await bus.sincronizar();
      await bus.sincronizar();
      expect(bus.posicao, 'the bus passed a seq whose writer is still open').toBeLessThan(seqDoLento);
      // The reader resumes from its cursor and takes what is there up to the bus's position.
      const parte = await retomar(cursor, await deste(cursor, bus.posicao));
      for (const seq of parte) expect(seq).toBeLessThan(seqDoLento);
      lidos.push(...parte);
      if (parte.length > 0) cursor = parte.at(-1)!;
      // The held writer commits last.
      liberar();
      escritos.push(await lento);
    }

    const ultimo = Math.max(...escritos);
    for (let i = 0; i < 200 && bus.posicao < ultimo; i++) {
      await bus.sincronizar();
      if (bus.posicao < ultimo) await new Promise((r) => setTimeout(r, 25));
    }
    expect(bus.posicao).toBeGreaterThanOrEqual(ultimo);
    lidos.push(...(await retomar(cursor, await deste(cursor, bus.posicao))));

    const todos = (
      await handle.rows<{ seq: number }>(
        "select seq::int as seq from tramite_eventos where tramite_id = $1 and tipo = 'SITUACAO' order by seq",
        [tramiteId],
      )
    ).map((r) => r.seq);
    const primeiro = Math.min(...escritos);
    expect(todos.filter((seq) => seq >= primeiro)).toEqual([...escritos].sort((a, b) => a - b));
    // Across every resume: each event once, in seq order, none missing.
    const lidosNovos = lidos.filter((seq) => escritos.includes(seq));
    expect(lidosNovos).toEqual([...escritos].sort((a, b) => a - b));
    expect(lidos).toEqual([...lidos].sort((a, b) => a - b));
    expect(new Set(lidos).size).toBe(lidos.length);
    // The bus's live listener: the same, once each, in seq order.
    expect(aoVivo).toEqual([...escritos].sort((a, b) => a - b));
  });
});

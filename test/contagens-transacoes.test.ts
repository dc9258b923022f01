// The counters and transactions (migration `contagens_no_commit`): a step appends its deltas and they are folded into
// `tramite_contagens` at COMMIT, so two transactions stepping trâmites of the same agencies and creation day do not wait
// for each other before commit (PostgreSQL only: PGlite is one connection), a rolled-back step or savepoint leaves the
// counters as they were, and after every commit the counters equal a full recount with nothing left pending (both
// backends). A TRUNCATE of `tramites` after a step in the same transaction leaves zero counters.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDatabase, type Database, type DatabaseHandle } from '../src/db/client.js';
import { CONTEUDO_DE_DEMO, conduzirPasso, type PedidoDeConducao } from '../src/demo/conducao.js';
import { seedDemoData } from '../src/demo/seed.js';
import { comporServicos } from '../src/http/servicos.js';
import type { Viewer } from '../src/kernel/viewer.js';
import { ErroDeNegocio } from '../src/kernel/erros.js';
import { BACKENDS, freshDatabase, type FreshDatabase } from './support/backends.js';
import { paresDeUnidades } from './support/configuracao.js';
import { testGatewayConfig } from './support/gateway.js';

/** Counter rows that differ from counting the trâmites with the migration's own keys (`tramite_contagens_chaves`). */
const DIVERGENCIAS = `
  with esperado as (
    select t.ambiente, k.escala, k.lado, k.orgao_id, k.inicio, t.situacao, count(*)::bigint as quantidade
      from tramites t cross join lateral tramite_contagens_chaves(t.remetente_orgao_id, t.destinatario_orgao_id, t.situacao, t.criado_em) k
     group by 1, 2, 3, 4, 5, 6)
  select coalesce(e.quantidade, 0)::int as esperado, coalesce(c.quantidade, 0)::int as contado, *
    from esperado e full join tramite_contagens c using (ambiente, escala, lado, orgao_id, inicio, situacao)
   where coalesce(e.quantidade, 0) <> coalesce(c.quantidade, 0)`;

class Desfazer extends Error {}

describe.each(BACKENDS)('%s', (backend) => {
  let fresh: FreshDatabase;
  let handle: DatabaseHandle;
  let par: { rem: number; dest: number; remetente: Viewer; destinatario: Viewer };
  let processo = 0;

  const rows = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => handle.rows<T>(sql, params);
  const spe = (orgaoId: number): Viewer => ({ sujeito: `contagens-tx.spe.${orgaoId}`, orgaoId, papeis: new Set(['SPE']) });
  const servicoEm = (db: Database) => comporServicos(db, testGatewayConfig()).tramites;
  const contadores = () => rows('select * from tramite_contagens where quantidade <> 0 order by 1, 2, 3, 4, 5, 6');
  const pendentes = async () => (await rows<{ n: number }>('select count(*)::int as n from tramite_contagens_pendentes'))[0]!.n;

  async function iniciar(): Promise<number> {
    processo += 1;
    const r = await servicoEm(handle.db).iniciarTramite({
      viewer: par.remetente,
      agora: new Date(),
      ambiente: 'PRODUCAO',
      tipo: 'PROCESSO',
      numeroProcesso: `contagens-tx-${backend}-${processo}`,
      unidadeRemetenteId: par.rem,
      unidadeDestinatariaId: par.dest,
      ...CONTEUDO_DE_DEMO,
    });
    return r.tramite.id;
  }

  /** One step through the gateway's service on `db` (the handle, or a transaction: drizzle nests it as a savepoint). */
  async function passo(db: Database, tramiteId: number, acao: PedidoDeConducao['acao']): Promise<void> {
    const viewer = acao === 'ENVIAR_COMPONENTES_DIGITAIS' || acao === 'RECEBER_RECIBO_CONCLUSAO' ? par.remetente : par.destinatario;
    await conduzirPasso(db, servicoEm(db), { acao, tramiteId, viewer, agora: new Date() });
  }

  /** Started and moved to 2 (the upload, whose deduplication lock by hash is not this file's subject), committed. */
  async function emDois(): Promise<number> {
    const id = await iniciar();
    await passo(handle.db, id, 'ENVIAR_COMPONENTES_DIGITAIS');
    return id;
  }

  beforeAll(async () => {
    fresh = await freshDatabase(backend, { migrated: true });
    handle = await createDatabase(fresh.options);
    await seedDemoData(handle.db, new Date());
    const candidatos = await paresDeUnidades(rows);
    // The first pair both of whose agencies are admitted in production.
    for (const c of candidatos) {
      par = { rem: c.rem, dest: c.dest, remetente: spe(c.rem_orgao), destinatario: spe(c.dest_orgao) };
      try {
        await iniciar();
        break;
      } catch (error) {
        if (!(error instanceof ErroDeNegocio)) throw error;
      }
    }
    expect(await rows(DIVERGENCIAS)).toEqual([]);
    expect(await pendentes()).toBe(0);
  });

  afterAll(async () => {
    await handle?.close();
    await fresh?.drop();
  });

  test('a rolled-back step leaves the counters untouched; a committed one is counted', async () => {
    const id = await emDois();
    const antes = await contadores();
    await expect(
      handle.db.transaction(async (tx) => {
        await passo(tx as unknown as Database, id, 'RECEBER_METADADOS');
        // Inside the transaction the deltas are pending, not yet in the counters.
        const [dentro] = await tx.select({ n: sql<number>`count(*)::int` }).from(sql`tramite_contagens_pendentes`);
        expect(dentro!.n).toBeGreaterThan(0);
        throw new Desfazer();
      }),
    ).rejects.toBeInstanceOf(Desfazer);
    expect(await contadores()).toEqual(antes);
    expect(await pendentes()).toBe(0);
    expect(await rows('select situacao::int as s from tramites where id = $1', [id])).toEqual([{ s: 2 }]);

    await passo(handle.db, id, 'RECEBER_METADADOS');
    expect(await contadores()).not.toEqual(antes);
    expect(await rows(DIVERGENCIAS)).toEqual([]);
    expect(await pendentes()).toBe(0);
  });

  test('a rolled-back savepoint takes its deltas; the rest of the transaction is counted once', async () => {
    const [a, b] = [await emDois(), await emDois()];
    await handle.db.transaction(async (tx) => {
      const db = tx as unknown as Database;
      // Several statements of one transaction, one of them in a savepoint rolled back.
      await passo(db, a, 'RECEBER_METADADOS');
      await expect(
        tx.transaction(async (sp) => {
          await passo(sp as unknown as Database, b, 'RECEBER_METADADOS');
          throw new Desfazer();
        }),
      ).rejects.toBeInstanceOf(Desfazer);
      await passo(db, a, 'RECEBER_COMPONENTES_DIGITAIS');
    });
    expect(await rows('select id::int as id, situacao::int as s from tramites where id in ($1, $2) order by id', [a, b])).toEqual([
      { id: a, s: 4 },
      { id: b, s: 2 },
    ]);
    expect(await rows(DIVERGENCIAS)).toEqual([]);
    expect(await pendentes()).toBe(0);
  });

  // PGlite has one connection: two open transactions need a server.
  if (backend === 'postgres')
    test('two transactions stepping trâmites of the same agencies and day do not wait for each other before commit', async () => {
      const [a, b] = [await emDois(), await emDois()];
      let soltar!: () => void;
      const aberta = new Promise<void>((r) => {
        soltar = r;
      });
      let passoDaPrimeira!: () => void;
      const passou = new Promise<void>((r) => {
        passoDaPrimeira = r;
      });
      // The first: its step's statements done, then held open until the second has committed.
      const primeira = handle.db.transaction(async (tx) => {
        await passo(tx as unknown as Database, a, 'RECEBER_METADADOS');
        passoDaPrimeira();
        await aberta;
      });
      await passou;
      // The second, on another connection: the same counter keys (agencies, creation day, statuses 2 → 3). A lock the
      // first holds would make it wait until the first commits, which waits for this one: the lock timeout says so.
      await handle.db.transaction(async (tx) => {
        await tx.execute(sql`set local lock_timeout = '5s'`);
        await passo(tx as unknown as Database, b, 'RECEBER_METADADOS');
      });
      soltar();
      await primeira;
      expect(await rows('select situacao::int as s from tramites where id in ($1, $2)', [a, b])).toEqual([{ s: 3 }, { s: 3 }]);
      expect(await rows(DIVERGENCIAS)).toEqual([]);
      expect(await pendentes()).toBe(0);
    });

  test('TRUNCATE after a step in the same transaction leaves zero counters and nothing pending', async () => {
    const id = await emDois();
    await handle.db.transaction(async (tx) => {
      await passo(tx as unknown as Database, id, 'RECEBER_METADADOS');
      await tx.execute(sql`truncate tramites cascade`);
    });
    expect(await contadores()).toEqual([]);
    expect(await pendentes()).toBe(0);
  });
});

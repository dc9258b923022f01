// Concurrency on a real PostgreSQL server (PGlite is one connection: nothing runs concurrently there).
// Many clients on one pool (and, for the auto-cancel job, two pools like two gateway instances):
// compare-and-set lets exactly one of several conflicting steps win, idempotency keys hold under
// parallel retries, interleaved walks of many trâmites never deadlock, the live-event bus delivers
// every event once in seq order while writers commit out of seq order (no lock orders them), and two
// auto-cancel runs never take the same trâmite.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDatabase, type Database, type DatabaseHandle } from '../src/db/client.js';
import { seedDemoData } from '../src/demo/seed.js';
import type { Viewer } from '../src/kernel/viewer.js';
import { ATOR_PLATAFORMA } from '../src/kernel/platform.js';
import { cancelarTramitesParados } from '../src/tramites/cancelamento-automatico.js';
import { ConflitoConcorrencia, TramiteNaoEncontrado, TransicaoInvalida } from '../src/tramites/erros.js';
import { Barramento } from '../src/feeds/barramento.js';
import { createLogger } from '../src/logger.js';
import { LOG_TRAMITES } from '../src/tramites/eventos.js';
import { fonteEventosTramite } from '../src/tramites/feed.js';
import { DIAS_PARA_CANCELAMENTO_AUTOMATICO, PASSO_POR_ACAO, PASSOS, type Situacao } from '../src/tramites/regras.js';
import { comporServicos } from '../src/http/servicos.js';
import { COMPONENTE_DE_DEMO, CONTEUDO_DE_DEMO, conduzirPasso, HASH_DE_DEMO, type PedidoDeConducao } from '../src/demo/conducao.js';
import type { PedidoPasso, ResultadoPasso } from '../src/tramites/servico.js';
import { testGatewayConfig } from './support/gateway.js';
import { BACKENDS, freshDatabase, type FreshDatabase } from './support/backends.js';
import { habilitada } from './support/configuracao.js';

/** The trâmite service as the gateway composes it (onboarding's check runs in every step). */
const servicoTramites = (db: Database) => comporServicos(db, testGatewayConfig()).tramites;

type AcaoPasso = PedidoDeConducao['acao'];
const DIA_MS = 86_400_000;
const temPostgres = BACKENDS.includes('postgres');
const SUCESSO: AcaoPasso[] = [
  'ENVIAR_COMPONENTES_DIGITAIS',
  'RECEBER_METADADOS',
  'RECEBER_COMPONENTES_DIGITAIS',
  'ENVIAR_RECIBO_CONCLUSAO',
  'RECEBER_RECIBO_CONCLUSAO',
];

if (!temPostgres) {
  console.warn(
    '[concurrency.test.ts] SKIPPED: no PostgreSQL server in this run (BACKENDS lacks "postgres"). ' +
      'Install the PostgreSQL server binaries or set TEST_DATABASE_URL to run the concurrency tests.',
  );
}

describe.skipIf(!temPostgres)(
  temPostgres ? 'postgres: concurrency' : 'postgres: concurrency (SKIPPED: no PostgreSQL server; see the warning above)',
  () => {
    let fresh: FreshDatabase;
    let handle: DatabaseHandle;
    let rem: Viewer;
    let dest: Viewer;
    let admin: Viewer;
    let unidades: { remetente: number; destinataria: number };
    let processo = 0;

    const rows = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => handle.rows<T>(sql, params);
    const viewerDoLado = (lado: string) => (lado === 'REMETENTE' ? rem : dest);

    beforeAll(async () => {
      fresh = await freshDatabase('postgres', { migrated: true });
      handle = await createDatabase({ kind: 'postgres', url: fresh.url!, poolSize: 60 });
      await seedDemoData(handle.db, new Date());
      const [par] = await rows<{ rem: number; rem_orgao: number; dest: number; dest_orgao: number }>(
        `select r.id::int as rem, r.orgao_id::int as rem_orgao, d.id::int as dest, d.orgao_id::int as dest_orgao
         from estruturas r join estruturas d on d.orgao_id <> r.orgao_id
        where ${habilitada('r', 'envio')} and ${habilitada('d', 'recebimento')} and r.pai_id is not null and d.pai_id is not null
        order by r.id, d.id limit 1`,
      );
      unidades = { remetente: par!.rem, destinataria: par!.dest };
      rem = { sujeito: 'conc.remetente', orgaoId: par!.rem_orgao, papeis: new Set(['SPE']) };
      dest = { sujeito: 'conc.destinatario', orgaoId: par!.dest_orgao, papeis: new Set(['SPE']) };
      admin = { sujeito: 'conc.pen', orgaoId: null, papeis: new Set(['PEN_ADMIN']) };
      // postgres.js opens connections lazily: open the whole pool now, so the parallel calls below
      // really run side by side instead of queueing behind connection setup.
      await Promise.all(Array.from({ length: 60 }, () => rows('select pg_sleep(0.05)')));
    });

    afterAll(async () => {
      await handle?.close();
      await fresh?.drop();
    });

    async function novo(chaveIdempotencia?: string, conteudo = CONTEUDO_DE_DEMO): Promise<ResultadoPasso> {
      processo += 1;
      return servicoTramites(handle.db).iniciarTramite({
        viewer: rem,
        agora: new Date(),
        ambiente: 'PRODUCAO',
        tipo: 'PROCESSO',
        numeroProcesso: `conc-${processo}`,
        unidadeRemetenteId: unidades.remetente,
        unidadeDestinatariaId: unidades.destinataria,
        chaveIdempotencia,
        ...conteudo,
      });
    }

    const passo = (
      acao: AcaoPasso,
      tramiteId: number,
      viewer = viewerDoLado(PASSO_POR_ACAO[acao].lado),
      extra: Partial<PedidoPasso> = {},
    ) =>
      conduzirPasso(handle.db, servicoTramites(handle.db), {
        acao,
        tramiteId,
        viewer,
        agora: new Date(),
        ...(acao === 'RECUSAR' ? { motivo: '02' as const, justificativa: 'Hash não confere.' } : {}),
        // PEN_ADMIN cancels only with the agency's request reason; for the remetente it is optional.
        ...(acao === 'CANCELAR' ? { justificativa: 'Pedido do órgão remetente.' } : {}),
        ...extra,
      });

    /** A new trâmite walked to `alvo` along the success path (1..5 only). */
    async function tramiteEm(alvo: Situacao): Promise<number> {
      const id = (await novo()).tramite.id;
      for (const acao of SUCESSO.slice(0, alvo - 1)) await passo(acao, id);
      return id;
    }

    async function eventosDe(id: number) {
      return rows<{ seq: number; de: number | null; para: number }>(
        `select seq::int as seq, de_situacao::int as de, para_situacao::int as para from tramite_eventos where tramite_id = $1 and tipo = 'SITUACAO' order by seq`,
        [id],
      );
    }
    async function linha(id: number) {
      const [r] = await rows<{ situacao: number; versao: number }>(
        'select situacao::int as situacao, versao::int as versao from tramites where id = $1',
        [id],
      );
      return r!;
    }

    test('50 parallel identical steps on one trâmite: exactly one wins, the others see the new status, one event', async () => {
      const id = (await novo()).tramite.id;
      const resultados = await Promise.allSettled(Array.from({ length: 50 }, () => passo('ENVIAR_COMPONENTES_DIGITAIS', id)));
      const vencedores = resultados.filter((r) => r.status === 'fulfilled');
      expect(vencedores).toHaveLength(1);
      const perdedores = resultados.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as unknown);
      let conflitos = 0;
      for (const erro of perdedores) {
        if (erro instanceof ConflitoConcorrencia) {
          conflitos++;
          expect({ situacao: erro.situacaoAtual, versao: erro.versaoAtual }).toEqual({ situacao: 2, versao: 2 });
        } else if (erro instanceof TransicaoInvalida) {
          expect(erro.situacaoAtual).toBe(2);
        } else {
          throw erro; // anything else (a deadlock, a pool error) fails the test as is
        }
      }
      expect(await linha(id)).toEqual({ situacao: 2, versao: 2 });
      expect((await eventosDe(id)).map((e) => [e.de, e.para])).toEqual([
        [null, 1],
        [1, 2],
      ]);
      console.log(
        `[concurrency] 50 identical steps: 1 winner, ${conflitos} ConflitoConcorrencia, ${perdedores.length - conflitos} TransicaoInvalida`,
      );
    });

    test('50 parallel different steps from 3 (cancel, refuse, receive, by both SPEs, the remetente’s gestor and PEN_ADMIN): exactly one wins', async () => {
      const gestorRem: Viewer = { ...rem, sujeito: 'conc.gestor', papeis: new Set(['GESTOR_PROTOCOLO']) };
      const id = await tramiteEm(3);
      const tentativas: Array<{ acao: AcaoPasso; viewer: Viewer }> = [];
      const opcoes: Array<{ acao: AcaoPasso; viewer: Viewer }> = [
        { acao: 'CANCELAR', viewer: rem },
        { acao: 'RECUSAR', viewer: dest },
        { acao: 'RECEBER_COMPONENTES_DIGITAIS', viewer: dest },
        { acao: 'CANCELAR', viewer: admin },
        { acao: 'CANCELAR', viewer: gestorRem },
      ];
      for (let i = 0; i < 50; i++) tentativas.push(opcoes[i % opcoes.length]!);
      const resultados = await Promise.allSettled(tentativas.map((t) => passo(t.acao, id, t.viewer)));
      const vencedores = resultados.flatMap((r, i) => (r.status === 'fulfilled' ? [{ ...tentativas[i]!, r: r.value }] : []));
      expect(vencedores).toHaveLength(1);
      const para = PASSO_POR_ACAO[vencedores[0]!.acao].para;
      expect(PASSOS.filter((p) => p.de.includes(3)).map((p) => p.para)).toContain(para);
      resultados.forEach((r, i) => {
        if (r.status === 'fulfilled') return;
        const erro = r.reason as unknown;
        if (erro instanceof ConflitoConcorrencia || erro instanceof TransicaoInvalida) expect(erro.situacaoAtual).toBe(para);
        // After a refusal (8) the destinatário no longer sees the trâmite (acesso.ts).
        else if (erro instanceof TramiteNaoEncontrado) expect([para, tentativas[i]!.viewer]).toEqual([8, dest]);
        else throw erro;
      });
      expect(await linha(id)).toEqual({ situacao: para, versao: 4 });
      expect((await eventosDe(id)).map((e) => e.para)).toEqual([1, 2, 3, para]);
    });

    test('40 trâmites walked 1 → 6 at once, steps interleaved: no error, all at 6, each event once, delivered once in seq order', async () => {
      const N = 40;
      const notificados: number[] = [];
      const parar = await handle.listen(LOG_TRAMITES.canal, (payload) => notificados.push(Number(payload)));
      const bus = new Barramento(handle, fonteEventosTramite(handle.db), createLogger('silent'), { pollMs: 100 });
      const entregues: number[] = [];
      await bus.iniciar();
      bus.adicionar({ entregar: (e) => entregues.push(e.seq) });
      const seqsDoTeste: number[] = [];
      let ids: number[];
      try {
        ids = await Promise.all(
          Array.from({ length: N }, async () => {
            const inicio = await novo();
            const id = inicio.tramite.id;
            const seqs = [inicio.evento.seq];
            for (const acao of SUCESSO) {
              const r = await passo(acao, id);
              expect(r.repetida).toBe(false);
              seqs.push(r.evento.seq);
            }
            // Within one trâmite, each step commits after the previous one: seqs increase.
            expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
            seqsDoTeste.push(...seqs);
            return id;
          }),
        );
        // Notifications arrive after commit; wait (bounded) until all of them are in.
        for (let i = 0; i < 100 && notificados.length < N * 6; i++) await new Promise((r) => setTimeout(r, 50));
        const ultimo = Math.max(...seqsDoTeste);
        for (let i = 0; i < 200 && bus.posicao < ultimo; i++) await new Promise((r) => setTimeout(r, 50));
      } finally {
        await parar();
        await bus.parar();
      }
      for (const id of ids) {
        expect(await linha(id)).toEqual({ situacao: 6, versao: 6 });
        const eventos = await eventosDe(id);
        expect(eventos.map((e) => [e.de, e.para])).toEqual([
          [null, 1],
          [1, 2],
          [2, 3],
          [3, 4],
          [4, 5],
          [5, 6],
        ]);
      }
      const [contagem] = await rows<{ total: number; distintos: number; situacoes: number }>(
        `select count(*)::int as total, count(distinct seq)::int as distintos, (count(*) filter (where tipo = 'SITUACAO'))::int as situacoes
           from tramite_eventos where tramite_id in (${ids.join(',')})`,
      );
      // Per trâmite six status changes, the component received and the two receipts.
      expect(contagem).toEqual({ total: N * 9, distintos: N * 9, situacoes: N * 6 });
      // Each of these transactions appended its events in one statement and notified its highest seq once (in commit
      // order, which no lock makes seq order any more): the start; the upload (component, 1 → 2, recibo de envio);
      // 2 → 3; 3 → 4; 4 → 5 with the recibo de conclusão; 5 → 6. The bus delivered each event once, in seq order.
      const maiores: number[] = [];
      for (const id of ids) {
        const todos = (
          await rows<{ seq: number }>('select seq::int as seq from tramite_eventos where tramite_id = $1 order by seq', [id])
        ).map((r) => r.seq);
        maiores.push(...[0, 3, 4, 5, 7, 8].map((i) => todos[i]!));
      }
      expect(notificados).toHaveLength(N * 6);
      expect([...notificados].sort((a, b) => a - b)).toEqual(maiores.sort((a, b) => a - b));
      const inversoes = notificados.filter((seq, i) => i > 0 && seq < notificados[i - 1]!).length;
      console.log(`[concurrency] ${inversoes} of ${notificados.length} commits came after a later seq's`);
      for (let i = 1; i < entregues.length; i++) expect(entregues[i]!, `delivery ${i}`).toBeGreaterThan(entregues[i - 1]!);
      expect(entregues.filter((seq) => seqsDoTeste.includes(seq)).sort((a, b) => a - b)).toEqual([...seqsDoTeste].sort((a, b) => a - b));
    });

    test('identical bytes uploaded to 20 trâmites at once: every upload stored (→ 2), the content held once', async () => {
      const ids = await Promise.all(Array.from({ length: 20 }, async () => (await novo()).tramite.id));
      const resultados = await Promise.allSettled(ids.map((id) => passo('ENVIAR_COMPONENTES_DIGITAIS', id)));
      expect(resultados.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
      for (const id of ids) expect((await linha(id)).situacao).toBe(2);
      const [{ n }] = (await rows<{ n: number }>('select count(*)::int as n from conteudos where hash = $1', [HASH_DE_DEMO])) as [
        { n: number },
      ];
      expect(n).toBe(1);
    });

    test('bytes never held before, uploaded to 20 trâmites at once (first one component, then the last): the content held once, every component on it', async () => {
      const novos = Buffer.from(`%PDF-1.4 conteudo inedito ${Date.now()} ${Math.random()}`);
      const hashNovo = createHash('sha256').update(novos).digest('base64');
      const [documento] = CONTEUDO_DE_DEMO.documentos as Array<{ componentes: Array<Record<string, unknown>> }>;
      const conteudo = {
        ...CONTEUDO_DE_DEMO,
        documentos: [
          {
            ...documento,
            componentes: [
              ...documento!.componentes,
              { ...documento!.componentes[0], ordem: 2, nome: 'anexo.pdf', hash: hashNovo, tamanhoEmBytes: novos.byteLength },
            ],
          },
        ],
      } as typeof CONTEUDO_DE_DEMO;
      const ids = await Promise.all(Array.from({ length: 20 }, async () => (await novo(undefined, conteudo)).tramite.id));
      const enviar = (tramiteId: number, hash: string, bytes: Uint8Array) =>
        servicoTramites(handle.db).receberComponente({
          viewer: rem,
          tramiteId,
          hash,
          mimeType: 'application/pdf',
          bytes: (async function* () {
            yield bytes;
          })(),
          agora: new Date(),
        });
      // The new bytes first (not the last component: no move), then the demo's (the last: the move to 2).
      const primeiros = await Promise.all(ids.map((id) => enviar(id, hashNovo, novos)));
      expect(primeiros.map((r) => [r.jaGuardado, r.evento, r.componentes.length])).toEqual(ids.map(() => [false, null, 1]));
      const ultimos = await Promise.all(ids.map((id) => enviar(id, HASH_DE_DEMO, COMPONENTE_DE_DEMO)));
      expect(ultimos.map((r) => r.evento?.paraSituacao)).toEqual(ids.map(() => 2));
      for (const id of ids) expect((await linha(id)).situacao).toBe(2);
      const guardados = await rows<{ id: number; blocos: number }>(
        'select c.id::int as id, (select count(*)::int from conteudo_blocos b where b.conteudo_id = c.id) as blocos from conteudos c where hash = $1',
        [hashNovo],
      );
      expect(guardados).toEqual([{ id: expect.any(Number), blocos: 1 }]);
      const marcas = await rows<{ hash: string; conteudo: number; recebidos: number }>(
        `select c.hash, c.conteudo_id::int as conteudo,
                (select count(*)::int from tramite_eventos e where e.componente_id = c.id and e.tipo = 'COMPONENTE_RECEBIDO') as recebidos
           from tramite_componentes c where c.tramite_id = any($1::bigint[]) and c.hash = $2`,
        [ids, hashNovo],
      );
      expect(marcas).toEqual(ids.map(() => ({ hash: hashNovo, conteudo: guardados[0]!.id, recebidos: 1 })));
      const [{ provisorios }] = (await rows<{ provisorios: number }>(
        "select count(*)::int as provisorios from conteudos where hash like 'parcial:%'",
      )) as [{ provisorios: number }];
      expect(provisorios).toBe(0);
    });

    test('20 parallel retries of a step with the same idempotency key: one event, all answer the same evento.seq', async () => {
      // 1 → 2 is the platform's (an upload takes no key): the retried step is the recipient's 2 → 3.
      const id = await tramiteEm(2);
      const chaveIdempotencia = `conc-passo-${id}`;
      const resultados = await Promise.all(Array.from({ length: 20 }, () => passo('RECEBER_METADADOS', id, dest, { chaveIdempotencia })));
      expect(new Set(resultados.map((r) => r.evento.seq)).size).toBe(1);
      expect(resultados.filter((r) => !r.repetida)).toHaveLength(1);
      expect(resultados.every((r) => r.tramite.id === id && r.evento.paraSituacao === 3)).toBe(true);
      expect((await eventosDe(id)).map((e) => e.para)).toEqual([1, 2, 3]);
      expect(await linha(id)).toEqual({ situacao: 3, versao: 3 });
    });

    test('20 parallel retries of iniciarTramite with the same key: one trâmite, one event, the same answer', async () => {
      const antes = (await rows<{ n: number }>('select count(*)::int as n from tramites'))[0]!.n;
      const chaveIdempotencia = 'conc-inicio-0001';
      processo += 1;
      const pedido = {
        viewer: rem,
        ambiente: 'PRODUCAO' as const,
        tipo: 'PROCESSO' as const,
        numeroProcesso: `conc-idem-${processo}`,
        unidadeRemetenteId: unidades.remetente,
        unidadeDestinatariaId: unidades.destinataria,
        chaveIdempotencia,
        ...CONTEUDO_DE_DEMO,
      };
      const resultados = await Promise.all(
        Array.from({ length: 20 }, () => servicoTramites(handle.db).iniciarTramite({ ...pedido, agora: new Date() })),
      );
      expect(new Set(resultados.map((r) => r.tramite.id)).size).toBe(1);
      expect(new Set(resultados.map((r) => r.evento.seq)).size).toBe(1);
      expect(resultados.filter((r) => !r.repetida)).toHaveLength(1);
      expect((await rows<{ n: number }>('select count(*)::int as n from tramites'))[0]!.n).toBe(antes + 1);
      expect((await eventosDe(resultados[0]!.tramite.id)).length).toBe(1);
    });

    test('two auto-cancel runs on two pools race: every stale trâmite cancelled exactly once, the fresh ones untouched', async () => {
      const segundo = await createDatabase({ kind: 'postgres', url: fresh.url!, poolSize: 10 });
      try {
        const agora = new Date();
        const dias = DIAS_PARA_CANCELAMENTO_AUTOMATICO;
        const emQue = PASSO_POR_ACAO.CANCELAR_AUTOMATICAMENTE.de;
        // 60 to become stale and 20 fresh, spread over 1-4, created concurrently.
        const velhos = await Promise.all(Array.from({ length: 60 }, (_, i) => tramiteEm(emQue[i % emQue.length]!)));
        const novos = await Promise.all(Array.from({ length: 20 }, (_, i) => tramiteEm(emQue[i % emQue.length]!)));
        await rows(`update tramites set situacao_alterada_em = $1::timestamptz where id in (${velhos.join(',')})`, [
          new Date(agora.getTime() - (dias + 1) * DIA_MS).toISOString(),
        ]);
        const limite = new Date(agora.getTime() - dias * DIA_MS).toISOString();
        const parados = await rows<{ id: number; situacao: number; versao: number }>(
          'select id::int as id, situacao::int as situacao, versao::int as versao from tramites where situacao between 1 and 4 and situacao_alterada_em < $1::timestamptz order by id',
          [limite],
        );
        expect(parados.map((p) => p.id)).toEqual(expect.arrayContaining(velhos));
        const outros = await rows<{ id: number; situacao: number; versao: number }>(
          'select id::int as id, situacao::int as situacao, versao::int as versao from tramites where id not in (select id from tramites where situacao between 1 and 4 and situacao_alterada_em < $1::timestamptz) order by id',
          [limite],
        );
        expect(outros.map((p) => p.id)).toEqual(expect.arrayContaining(novos));
        const [{ n: eventosAntes }] = (await rows<{ n: number }>('select count(*)::int as n from tramite_eventos')) as [{ n: number }];

        const [a, b] = await Promise.all([
          cancelarTramitesParados(handle.db, { agora, dias, lote: 7 }),
          cancelarTramitesParados(segundo.db, { agora, dias, lote: 7 }),
        ]);
        console.log(`[concurrency] auto-cancel race: instance A cancelled ${a}, instance B ${b}, stale ${parados.length}`);
        expect(a + b).toBe(parados.length);

        const ids = parados.map((p) => p.id).join(',');
        const depois = await rows<{ id: number; situacao: number; versao: number }>(
          `select id::int as id, situacao::int as situacao, versao::int as versao from tramites where id in (${ids}) order by id`,
        );
        expect(depois).toEqual(parados.map((p) => ({ id: p.id, situacao: 10, versao: p.versao + 1 })));
        const eventos10 = await rows<{ tramite_id: number; n: number; de: number; ator: string; lado: string; orgao: number | null }>(
          `select tramite_id::int as tramite_id, count(*)::int as n, min(de_situacao)::int as de, min(ator_sujeito) as ator, min(ator_lado) as lado, min(ator_orgao_id)::int as orgao
           from tramite_eventos where para_situacao = 10 and tramite_id in (${ids}) group by tramite_id order by tramite_id`,
        );
        expect(eventos10).toEqual(
          parados.map((p) => ({ tramite_id: p.id, n: 1, de: p.situacao, ator: ATOR_PLATAFORMA, lado: 'PLATAFORMA', orgao: null })),
        );
        const [{ n: eventosDepois }] = (await rows<{ n: number }>('select count(*)::int as n from tramite_eventos')) as [{ n: number }];
        expect(eventosDepois).toBe(eventosAntes + parados.length);
        const outrosDepois = await rows<{ id: number; situacao: number; versao: number }>(
          `select id::int as id, situacao::int as situacao, versao::int as versao from tramites where id in (${outros.map((p) => p.id).join(',')}) order by id`,
        );
        expect(outrosDepois).toEqual(outros);
        // Nothing left for a third run.
        expect(await cancelarTramitesParados(segundo.db, { agora, dias, lote: 7 })).toBe(0);
      } finally {
        await segundo.close();
      }
    });
  },
);

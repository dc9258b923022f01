// Property-based (fast-check), on both backends: random sequences of sends between three agencies'
// SPEs, each trâmite ending in success, refusal or cancellation (or left open), through the real
// service. After every command: one open trâmite per process at most, the NRE constant from the first
// success on, the holder always the last successful recipient (the first sender before any), and the
// service's answer to each start the one custody predicts (docs/domain.md §2).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDatabase, type Database, type DatabaseHandle } from '../src/db/client.js';
import { seedDemoData } from '../src/demo/seed.js';
import { comporServicos } from '../src/http/servicos.js';
import { AMBIENTES, type Ambiente } from '../src/kernel/ambiente.js';
import type { Viewer } from '../src/kernel/viewer.js';
import { filtroTramitesSql } from '../src/tramites/filtro.js';
import { tramites } from '../src/tramites/tables.js';
import { lerProcesso } from '../src/tramites/consultas.js';
import { ErroTramite } from '../src/tramites/erros.js';
import { estadoDoProcesso } from '../src/tramites/regras.js';
import { CONTEUDO_DE_DEMO, conduzirPasso, type PedidoDeConducao } from '../src/demo/conducao.js';
import { BACKENDS, freshDatabase, type FreshDatabase } from './support/backends.js';
import { testGatewayConfig } from './support/gateway.js';
import { habilitada } from './support/configuracao.js';

const NUM_RUNS = 25;
const servico = (db: Database) => comporServicos(db, testGatewayConfig()).tramites;

type Fim = 'SUCESSO' | 'RECUSA' | 'CANCELAMENTO' | 'ABERTO';
const CAMINHO: Record<Exclude<Fim, 'ABERTO'>, Array<[PedidoDeConducao['acao'], 'REM' | 'DEST']>> = {
  SUCESSO: [
    ['ENVIAR_COMPONENTES_DIGITAIS', 'REM'],
    ['RECEBER_METADADOS', 'DEST'],
    ['RECEBER_COMPONENTES_DIGITAIS', 'DEST'],
    ['ENVIAR_RECIBO_CONCLUSAO', 'DEST'],
    ['RECEBER_RECIBO_CONCLUSAO', 'REM'],
  ],
  RECUSA: [
    ['ENVIAR_COMPONENTES_DIGITAIS', 'REM'],
    ['RECEBER_METADADOS', 'DEST'],
    ['RECUSAR', 'DEST'],
    ['DAR_CIENCIA_RECUSA', 'REM'],
  ],
  CANCELAMENTO: [['CANCELAR', 'REM']],
};

/** One send: from agency `de` to agency `para` (indices into three), ending as `fim`. */
const envio = fc.record({
  de: fc.integer({ min: 0, max: 2 }),
  salto: fc.integer({ min: 1, max: 2 }),
  fim: fc.constantFrom<Fim>('SUCESSO', 'SUCESSO', 'RECUSA', 'CANCELAMENTO', 'ABERTO'),
  nomeiaNre: fc.boolean(),
  // Each send in one of the two worlds: the same process number is one process per environment.
  ambiente: fc.constantFrom<Ambiente>('PRODUCAO', 'HOMOLOGACAO'),
});

describe.each(BACKENDS)('%s', (backend) => {
  let fresh: FreshDatabase;
  let handle: DatabaseHandle;
  const agencias: Array<{ viewer: Viewer; unidade: number; orgaoId: number }> = [];

  beforeAll(async () => {
    fresh = await freshDatabase(backend);
    handle = await createDatabase(fresh.options);
    await seedDemoData(handle.db, new Date());
    const aptas = await handle.rows<{ orgao: number; unidade: number }>(
      `select r.id::int as orgao,
              (select min(u.id)::int from estruturas u where u.orgao_id = r.id and u.pai_id is not null and ${habilitada('u', 'envio')} and ${habilitada('u', 'recebimento')}) as unidade
         from estruturas r where r.pai_id is null order by r.id`,
    );
    for (const a of aptas.filter((x) => x.unidade != null).slice(0, 3)) {
      agencias.push({
        viewer: { sujeito: `prop.spe.${a.orgao}`, orgaoId: a.orgao, papeis: new Set(['SPE']) },
        unidade: a.unidade,
        orgaoId: a.orgao,
      });
    }
    expect(agencias).toHaveLength(3);
  });

  afterAll(async () => {
    await handle?.close();
    await fresh?.drop();
  });

  test(`random sends between three agencies keep one open trâmite, a constant NRE and the holder, each environment apart and never visible from the other (${NUM_RUNS} runs × ≤ 8 sends)`, async () => {
    let rodada = 0;
    let aceitos = 0;
    let recusados = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(envio, { minLength: 1, maxLength: 8 }), async (envios) => {
        rodada += 1;
        const numeroProcesso = `prop-custodia-${backend}-${rodada}-${Date.now()}`;
        // The model, written from the domain's words, not from regras.ts: one process per environment.
        const modelos = new Map(
          AMBIENTES.map((a) => [
            a,
            {
              detentor: null as number | null,
              aberto: null as { id: number; de: number; para: number } | null,
              nreDoProcesso: null as string | null,
              ultimoNre: null as string | null,
            },
          ]),
        );

        for (const e of envios) {
          const modelo = modelos.get(e.ambiente)!;
          let { detentor, aberto, nreDoProcesso, ultimoNre } = modelo;
          const de = e.de;
          const para = (e.de + e.salto) % 3;
          const previsto = detentor !== null && detentor !== de ? 'PROCESSO_NAO_DETIDO' : aberto ? 'PROCESSO_EM_ANDAMENTO' : 'SUCESSO';
          let obtido: string;
          let tramite: { id: number; nre: string } | null = null;
          try {
            const r = await servico(handle.db).iniciarTramite({
              viewer: agencias[de]!.viewer,
              agora: new Date(),
              ambiente: e.ambiente,
              tipo: 'PROCESSO',
              numeroProcesso,
              nre: e.nomeiaNre ? ultimoNre : null,
              unidadeRemetenteId: agencias[de]!.unidade,
              unidadeDestinatariaId: agencias[para]!.unidade,
              ...CONTEUDO_DE_DEMO,
            });
            obtido = 'SUCESSO';
            tramite = r.tramite;
          } catch (error) {
            if (!(error instanceof ErroTramite)) throw error;
            obtido = error.codigo;
          }
          expect(obtido, `send ${de} → ${para}, holder ${detentor}, open ${JSON.stringify(aberto)}`).toBe(previsto);

          if (tramite) {
            aceitos++;
            if (nreDoProcesso) expect(tramite.nre, 'the NRE is constant once the process succeeded').toBe(nreDoProcesso);
            ultimoNre = tramite.nre;
            detentor ??= de;
            aberto = { id: tramite.id, de, para };
            if (e.fim !== 'ABERTO') {
              for (const [acao, lado] of CAMINHO[e.fim]) {
                await conduzirPasso(handle.db, servico(handle.db), {
                  acao,
                  tramiteId: tramite.id,
                  viewer: agencias[lado === 'REM' ? de : para]!.viewer,
                  agora: new Date(),
                  ...(acao === 'RECUSAR' ? { motivo: '99' as const, justificativa: 'Unidade não configurada.' } : {}),
                });
              }
              if (e.fim === 'SUCESSO') {
                detentor = para;
                nreDoProcesso ??= tramite.nre;
              }
              aberto = null;
            }
          } else {
            recusados++;
          }

          Object.assign(modelo, { detentor, aberto, nreDoProcesso, ultimoNre });

          // The invariants, from the database, in the send's environment.
          const historico = await handle.rows<{ nre: string; situacao: number; remetente: number; destinatario: number }>(
            `select nre, situacao::int, remetente_orgao_id::int as remetente, destinatario_orgao_id::int as destinatario
               from tramites where numero_processo = $1 and ambiente = $2 order by criado_em, id`,
            [numeroProcesso, e.ambiente],
          );
          expect(historico.filter((t) => ![6, 7, 9, 10].includes(t.situacao)).length, 'one open trâmite per process').toBeLessThanOrEqual(
            1,
          );
          const primeiroSucesso = historico.findIndex((t) => t.situacao === 6);
          if (primeiroSucesso >= 0) {
            expect(new Set(historico.slice(primeiroSucesso).map((t) => t.nre)).size, 'one NRE from the first success on').toBe(1);
          }
          const sucessos = historico.filter((t) => t.situacao === 6);
          const detentorSql = sucessos.length ? sucessos.at(-1)!.destinatario : (historico[0]?.remetente ?? null);
          expect(detentorSql === null ? null : agencias.findIndex((a) => a.orgaoId === detentorSql)).toBe(detentor);
          const lido = await lerProcesso(handle.db, e.ambiente, { numeroProcesso });
          expect(lido ? (estadoDoProcesso(lido.historico).detentor?.orgaoId ?? null) : null).toBe(detentorSql);
          // No trâmite is ever visible in the other environment: not in its process, not in its lists.
          for (const ambiente of AMBIENTES) {
            const daqui = new Set(
              (
                await handle.rows<{ id: number }>('select id::int from tramites where numero_processo = $1 and ambiente = $2', [
                  numeroProcesso,
                  ambiente,
                ])
              ).map((r) => r.id),
            );
            const processo = await lerProcesso(handle.db, ambiente, { numeroProcesso });
            expect((processo?.historico ?? []).map((t) => t.id).sort()).toEqual([...daqui].sort());
            for (const { viewer } of agencias) {
              const lista = await handle.db
                .select({ id: tramites.id })
                .from(tramites)
                .where(filtroTramitesSql(tramites, viewer, { ambiente, numeroProcesso }, new Date()));
              for (const t of lista) expect(daqui.has(t.id), `trâmite ${t.id} listed in ${ambiente}`).toBe(true);
            }
          }
        }
      }),
      { numRuns: NUM_RUNS, endOnFailure: true },
    );
    expect(aceitos).toBeGreaterThan(0);
    expect(recusados).toBeGreaterThan(0);
    console.log(`[${backend}] ${rodada} runs: ${aceitos} sends accepted, ${recusados} refused by custody`);
  });
});

// Property: random sequences of actions by random viewers against the service (each step as its SPE takes it:
// the upload for 1 → 2, the hashes for 3 → 4, the signed receipt for 4 → 5; and the platform's auto-cancel) never leave the status graph. Each success moves along a PASSO edge from the
// previous status, by a side allowed to take it; each failure (or idempotent replay) leaves the status,
// the version and the event log alone; the outcome is the one the rules predict; and replaying the
// event log (ordered by seq) reproduces the trâmite, with versao = number of events.
//
// One fresh trâmite per run (iniciarTramite issues a new NRE, so the one-open-trâmite-per-process rule
// never interferes). Bounded: 30 runs of at most 15 actions per backend, no shrinking.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDatabase, type Database, type DatabaseHandle } from '../src/db/client.js';
import { seedDemoData } from '../src/demo/seed.js';
import { isPenAdmin, type Viewer } from '../src/kernel/viewer.js';
import { canReadTramite } from '../src/tramites/acesso.js';
import { ATOR_PLATAFORMA } from '../src/kernel/platform.js';
import { cancelarTramitesParados } from '../src/tramites/cancelamento-automatico.js';
import { DadosInvalidos, ErroTramite } from '../src/tramites/erros.js';
import {
  acoesPermitidas,
  DIAS_PARA_CANCELAMENTO_AUTOMATICO,
  autorizarPasso,
  MOTIVOS_RECUSA,
  PASSO_POR_ACAO,
  PASSOS,
  type MotivoRecusa,
  type Situacao,
} from '../src/tramites/regras.js';
import { comporServicos } from '../src/http/servicos.js';
import { CONTEUDO_DE_DEMO, conduzirPasso, type PedidoDeConducao } from '../src/demo/conducao.js';
import { testGatewayConfig } from './support/gateway.js';
import { BACKENDS, freshDatabase, type FreshDatabase } from './support/backends.js';
import { habilitada } from './support/configuracao.js';

/** The trâmite service as the gateway composes it (onboarding's check runs in every step). */
const servicoTramites = (db: Database) => comporServicos(db, testGatewayConfig()).tramites;

type AcaoPasso = PedidoDeConducao['acao'];
const ACOES_PASSO = PASSOS.filter((p) => p.acao !== 'INICIAR' && p.lado !== 'PLATAFORMA').map((p) => p.acao as AcaoPasso);
const MOTIVOS = Object.keys(MOTIVOS_RECUSA) as MotivoRecusa[];
const DIA_MS = 86_400_000;
const NUM_RUNS = 30;
const MAX_ACOES = 15;

/** One action of a run. `quem`: index into the viewers (remetente, destinatário, PEN_ADMIN, unrelated). */
type AcaoDoTeste =
  | {
      tipo: 'aleatoria';
      acao: AcaoPasso;
      quem: number;
      esperado: 'nenhum' | 'certo' | 'errado';
      chave: number | null;
      motivo: MotivoRecusa | null;
      justificativa: string | null;
    }
  | { tipo: 'permitida'; k: number; chave: number | null }
  | { tipo: 'automatica' }
  /** The last request that carried an idempotency key, sent again (a client retrying). */
  | { tipo: 'repetir' };

const acaoArb: fc.Arbitrary<AcaoDoTeste> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.record({
      tipo: fc.constant('aleatoria' as const),
      acao: fc.constantFrom(...ACOES_PASSO),
      quem: fc.integer({ min: 0, max: 3 }),
      esperado: fc.constantFrom('nenhum' as const, 'certo' as const, 'errado' as const),
      chave: fc.option(fc.integer({ min: 0, max: 2 }), { freq: 3 }),
      motivo: fc.option(fc.constantFrom(...MOTIVOS), { freq: 6 }),
      justificativa: fc.option(fc.constantFrom('Formato não aceito.', 'Hash não confere.', '  '), { freq: 6 }),
    }),
  },
  {
    weight: 10,
    arbitrary: fc.record({
      tipo: fc.constant('permitida' as const),
      // Mostly the first option (a step forward), sometimes a cancellation or refusal.
      k: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat({ max: 5 }) }),
      chave: fc.option(fc.integer({ min: 0, max: 2 }), { freq: 2 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ tipo: 'automatica' as const }) },
  { weight: 3, arbitrary: fc.constant({ tipo: 'repetir' as const }) },
);

interface Linha {
  situacao: number;
  versao: number;
  eventos: number;
}

describe.each(BACKENDS)('%s', (backend) => {
  let fresh: FreshDatabase;
  let handle: DatabaseHandle;
  let unidadeRemetente: number;
  let unidadeDestinataria: number;
  let viewers: Viewer[];
  let rodada = 0;

  const rows = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => handle.rows<T>(sql, params);

  beforeAll(async () => {
    fresh = await freshDatabase(backend, { migrated: true });
    handle = await createDatabase(fresh.options);
    await seedDemoData(handle.db, new Date());
    // A sender unit and a recipient unit of two different agencies, and a third agency: by SQL.
    const [par] = await rows<{ rem: number; rem_orgao: number; dest: number; dest_orgao: number }>(
      `select r.id::int as rem, r.orgao_id::int as rem_orgao, d.id::int as dest, d.orgao_id::int as dest_orgao
         from estruturas r join estruturas d on d.orgao_id <> r.orgao_id
        where ${habilitada('r', 'envio')} and ${habilitada('d', 'recebimento')} and r.pai_id is not null and d.pai_id is not null
        order by r.id, d.id limit 1`,
    );
    const [terceiro] = await rows<{ id: number }>(
      'select id::int as id from estruturas where pai_id is null and id not in ($1, $2) order by id limit 1',
      [par!.rem_orgao, par!.dest_orgao],
    );
    unidadeRemetente = par!.rem;
    unidadeDestinataria = par!.dest;
    viewers = [
      { sujeito: 'prop.remetente', orgaoId: par!.rem_orgao, papeis: new Set(['SPE']) },
      { sujeito: 'prop.destinatario', orgaoId: par!.dest_orgao, papeis: new Set(['SPE']) },
      { sujeito: 'prop.pen', orgaoId: null, papeis: new Set(['PEN_ADMIN']) },
      { sujeito: 'prop.outro', orgaoId: terceiro!.id, papeis: new Set(['SPE']) },
    ];
    // The auto-cancel action runs with a clock in 2000: nothing else in the database is that old.
    const [velhos] = await rows<{ n: number }>("select count(*)::int as n from tramites where situacao_alterada_em < '2000-06-01'");
    expect(velhos!.n).toBe(0);
  });

  afterAll(async () => {
    await handle?.close();
    await fresh?.drop();
  });

  async function linha(id: number): Promise<Linha> {
    const [r] = await rows<Linha>(
      `select situacao::int as situacao, versao::int as versao, (select count(*)::int from tramite_eventos e where e.tramite_id = t.id and e.tipo = 'SITUACAO') as eventos from tramites t where id = $1`,
      [id],
    );
    return r!;
  }

  /** The step that `permitida` picks: the k-th step someone may take now, with a viewer allowed to. */
  function escolherPermitida(situacao: Situacao, participantes: { remetenteOrgaoId: number; destinatarioOrgaoId: number }, k: number) {
    const opcoes: Array<{ acao: AcaoPasso; quem: number }> = [];
    viewers.forEach((v, quem) => {
      for (const p of acoesPermitidas(v, { ...participantes, situacao })) {
        if (canReadTramite(v, { ...participantes, situacao })) opcoes.push({ acao: p.acao as AcaoPasso, quem });
      }
    });
    // Forward steps first; cancelling and refusing end the run's interesting part sooner.
    const adiante = (acao: AcaoPasso) => (acao === 'CANCELAR' || acao === 'RECUSAR' ? 1 : 0);
    opcoes.sort((x, y) => adiante(x.acao) - adiante(y.acao));
    return opcoes.length === 0 ? null : opcoes[k % opcoes.length]!;
  }

  test(`random actions by random viewers never leave the graph (${NUM_RUNS} runs × ≤ ${MAX_ACOES} actions)`, {
    timeout: 240_000,
  }, async () => {
    let sucessos = 0;
    let falhas = 0;
    let repetidas = 0;
    const finais = new Set<number>();

    await fc.assert(
      fc.asyncProperty(fc.array(acaoArb, { minLength: 5, maxLength: MAX_ACOES, size: 'max' }), async (acoes) => {
        rodada += 1;
        const agora = new Date();
        const inicio = await servicoTramites(handle.db).iniciarTramite({
          viewer: viewers[0]!,
          agora,
          ambiente: 'PRODUCAO',
          tipo: 'PROCESSO',
          numeroProcesso: `prop-${backend}-${rodada}`,
          unidadeRemetenteId: unidadeRemetente,
          unidadeDestinatariaId: unidadeDestinataria,
          ...CONTEUDO_DE_DEMO,
        });
        const id = inicio.tramite.id;
        const participantes = {
          remetenteOrgaoId: inicio.tramite.remetenteOrgaoId,
          destinatarioOrgaoId: inicio.tramite.destinatarioOrgaoId,
        };
        /** Keys this run bound: `${sujeito}|${chave}` → operation. */
        const chaves = new Map<string, string>();
        let ultimoComChave: { pedido: PedidoDeConducao; quem: number } | null = null;

        for (const a of acoes) {
          const antes = await linha(id);
          const s = antes.situacao as Situacao;

          if (a.tipo === 'automatica') {
            // Only this trâmite is that old: the platform's job may cancel it and nothing else.
            await rows("update tramites set situacao_alterada_em = '2000-01-01T00:00:00Z' where id = $1", [id]);
            const n = await cancelarTramitesParados(handle.db, {
              agora: new Date(Date.UTC(2000, 0, 1) + (DIAS_PARA_CANCELAMENTO_AUTOMATICO + 1) * DIA_MS),
              dias: DIAS_PARA_CANCELAMENTO_AUTOMATICO,
            });
            const depois = await linha(id);
            const podia = PASSO_POR_ACAO.CANCELAR_AUTOMATICAMENTE.de.includes(s);
            expect(n).toBe(podia ? 1 : 0);
            if (podia) {
              expect(depois).toEqual({ situacao: 10, versao: antes.versao + 1, eventos: antes.eventos + 1 });
              sucessos++;
            } else {
              expect(depois).toEqual(antes);
              falhas++;
            }
            continue;
          }

          let pedido: PedidoDeConducao;
          let quem: number;
          if (a.tipo === 'repetir') {
            if (!ultimoComChave) continue;
            quem = ultimoComChave.quem;
            pedido = { ...ultimoComChave.pedido, agora: new Date() };
          } else if (a.tipo === 'permitida') {
            const escolha = escolherPermitida(s, participantes, a.k);
            if (!escolha) continue; // a final status: nobody can act
            quem = escolha.quem;
            pedido = {
              acao: escolha.acao,
              tramiteId: id,
              viewer: viewers[quem]!,
              agora: new Date(),
              chaveIdempotencia: a.chave === null ? null : `prop-${rodada}-${a.chave}`,
              ...(escolha.acao === 'RECUSAR' ? { motivo: '99' as const, justificativa: 'Outro motivo.' } : {}),
              ...(escolha.acao === 'CANCELAR' ? { justificativa: 'Pedido do órgão.' } : {}),
            };
          } else {
            quem = a.quem;
            pedido = {
              acao: a.acao,
              tramiteId: id,
              viewer: viewers[quem]!,
              agora: new Date(),
              esperado:
                a.esperado === 'nenhum'
                  ? undefined
                  : a.esperado === 'certo'
                    ? { situacao: s, versao: antes.versao }
                    : { versao: antes.versao + 1 },
              chaveIdempotencia: a.chave === null ? null : `prop-${rodada}-${a.chave}`,
              motivo: a.motivo,
              justificativa: a.justificativa,
            };
          }
          if (pedido.chaveIdempotencia) ultimoComChave = { pedido, quem };
          const viewer = viewers[quem]!;
          const passo = PASSO_POR_ACAO[pedido.acao];
          const operacao = `${pedido.acao}:${id}`;
          const chaveModelo = pedido.chaveIdempotencia ? `${viewer.sujeito}|${pedido.chaveIdempotencia}` : null;

          // What the rules predict, in the service's documented order of checks.
          const t = { ...participantes, situacao: s };
          const autorizacao = autorizarPasso(viewer, passo, t);
          // PEN_ADMIN cancels only on an agency's request, with its reason (docs/domain.md §5).
          const cancelamentoPenSemMotivo = pedido.acao === 'CANCELAR' && isPenAdmin(viewer) && !pedido.justificativa?.trim();
          const justificativaOk =
            (pedido.acao !== 'RECUSAR' || (!!pedido.motivo && !!pedido.justificativa?.trim())) && !cancelamentoPenSemMotivo;
          // The upload takes no idempotency key nor expectation, and the platform moves the trâmite (quemMuda, envio.ts).
          // The hash confirmation compares the hashes on the step's own read, after the read rule, so it checks its key
          // in the same order as every other step (servico.ts).
          const naoLe = !canReadTramite(viewer, t);
          const upload = pedido.acao === 'ENVIAR_COMPONENTES_DIGITAIS';
          let previsto: string;
          if (upload)
            previsto = naoLe
              ? 'TRAMITE_NAO_ENCONTRADO'
              : !autorizacao.ok
                ? autorizacao.motivo === 'LADO'
                  ? 'ACAO_NAO_PERMITIDA'
                  : 'PAPEL_SEM_PERMISSAO'
                : !passo.de.includes(s)
                  ? 'TRANSICAO_INVALIDA'
                  : 'SUCESSO';
          else if (!justificativaOk) previsto = 'DADOS_INVALIDOS';
          else if (chaveModelo && chaves.has(chaveModelo)) {
            // A replay answers with the trâmite as it is now, under the read rule of now.
            if (chaves.get(chaveModelo) !== operacao) previsto = 'CHAVE_IDEMPOTENCIA_REUTILIZADA';
            else previsto = canReadTramite(viewer, t) ? 'REPETIDA' : 'TRAMITE_NAO_ENCONTRADO';
          } else if (!canReadTramite(viewer, t)) previsto = 'TRAMITE_NAO_ENCONTRADO';
          else if (pedido.esperado?.versao != null && pedido.esperado.versao !== antes.versao) previsto = 'CONFLITO';
          else if (!autorizacao.ok) previsto = autorizacao.motivo === 'LADO' ? 'ACAO_NAO_PERMITIDA' : 'PAPEL_SEM_PERMISSAO';
          else if (!passo.de.includes(s)) previsto = 'TRANSICAO_INVALIDA';
          else previsto = 'SUCESSO';

          let obtido: string;
          try {
            const r = await conduzirPasso(handle.db, servicoTramites(handle.db), pedido);
            const depois = await linha(id);
            if (r.repetida) {
              obtido = 'REPETIDA';
              repetidas++;
              expect(depois, 'a replay changes nothing').toEqual(antes);
              expect(r.evento.tramiteId).toBe(id);
            } else {
              obtido = 'SUCESSO';
              sucessos++;
              // Along a PASSO edge from the previous status, by a side allowed to take it.
              expect(passo.de).toContain(s);
              expect(autorizacao.ok).toBe(true);
              expect(depois).toEqual({ situacao: passo.para, versao: antes.versao + 1, eventos: antes.eventos + 1 });
              expect(r.tramite).toMatchObject({ id, situacao: passo.para, versao: antes.versao + 1 });
              expect(r.evento).toMatchObject({
                tramiteId: id,
                deSituacao: s,
                paraSituacao: passo.para,
                ...(passo.quemMuda === 'PLATAFORMA'
                  ? { atorSujeito: ATOR_PLATAFORMA, atorLado: 'PLATAFORMA', atorPenAdmin: false, atorOrgaoId: null }
                  : {
                      atorSujeito: viewer.sujeito,
                      atorLado: autorizacao.ok ? autorizacao.lado : null,
                      atorPenAdmin: isPenAdmin(viewer),
                      atorOrgaoId: isPenAdmin(viewer) ? null : viewer.orgaoId,
                    }),
              });
              if (chaveModelo && !upload) chaves.set(chaveModelo, operacao);
            }
          } catch (error) {
            if (!(error instanceof ErroTramite)) throw error;
            obtido = error.codigo;
            falhas++;
            expect(await linha(id), `${error.codigo}: nothing changed`).toEqual(antes);
          }
          expect(obtido, `${pedido.acao} by ${viewer.sujeito} at ${s} (${JSON.stringify(a)})`).toBe(previsto);
        }

        // Replaying the log reproduces the trâmite.
        const eventos = await rows<{ de: number | null; para: number; lado: string; ator: string; pen: boolean }>(
          `select de_situacao::int as de, para_situacao::int as para, ator_lado as lado, ator_sujeito as ator, ator_pen_admin as pen from tramite_eventos where tramite_id = $1 and tipo = 'SITUACAO' order by seq`,
          [id],
        );
        let atual: Situacao | null = null;
        for (const e of eventos) {
          expect(e.de).toBe(atual);
          const aresta = PASSOS.find((p) => p.para === e.para && (atual === null ? p.de.length === 0 : p.de.includes(atual)));
          expect(aresta, `${atual} → ${e.para}`).toBeDefined();
          // The step's side; PEN staff cancelling on request acts as the platform, for no side.
          const quemMuda = aresta!.quemMuda ?? aresta!.lado;
          expect(e.lado).toBe(e.pen ? 'PLATAFORMA' : quemMuda);
          if (e.pen) expect(aresta!.acao).toBe('CANCELAR');
          if (quemMuda === 'PLATAFORMA') expect(e.ator).toBe(ATOR_PLATAFORMA);
          atual = e.para as Situacao;
        }
        const fim = await linha(id);
        expect(fim.situacao).toBe(atual);
        expect(fim.versao).toBe(eventos.length);
        finais.add(fim.situacao);
      }),
      { numRuns: NUM_RUNS, endOnFailure: true },
    );

    // The runs went somewhere: successes, refusals, replays, and more than one status reached.
    expect(sucessos).toBeGreaterThan(0);
    expect(falhas).toBeGreaterThan(0);
    expect(finais.size).toBeGreaterThan(1);
    console.log(
      `[${backend}] ${rodada} runs: ${sucessos} moves, ${falhas} refusals, ${repetidas} replays; statuses reached at the end: ${[...finais].sort((a, b) => a - b).join(', ')}`,
    );
  });

  test('RECUSAR through the service needs a motivo (null or absent) and a justificativa', async () => {
    const inicio = await servicoTramites(handle.db).iniciarTramite({
      viewer: viewers[0]!,
      agora: new Date(),
      ambiente: 'PRODUCAO',
      tipo: 'DOCUMENTO_AVULSO',
      numeroProcesso: `prop-${backend}-recusa`,
      unidadeRemetenteId: unidadeRemetente,
      unidadeDestinatariaId: unidadeDestinataria,
      ...CONTEUDO_DE_DEMO,
    });
    const id = inicio.tramite.id;
    for (const [acao, quem] of [
      ['ENVIAR_COMPONENTES_DIGITAIS', 0],
      ['RECEBER_METADADOS', 1],
    ] as Array<[AcaoPasso, number]>) {
      await conduzirPasso(handle.db, servicoTramites(handle.db), { acao, tramiteId: id, viewer: viewers[quem]!, agora: new Date() });
    }
    const antes = await linha(id);
    const casos: Array<{ motivo?: MotivoRecusa | null; justificativa?: string | null; campos: string[] }> = [
      { motivo: null, justificativa: 'Sem motivo.', campos: ['motivo'] },
      { justificativa: 'Sem motivo.', campos: ['motivo'] },
      { motivo: '01', justificativa: null, campos: ['justificativa'] },
      { motivo: '01', justificativa: ' ', campos: ['justificativa'] },
    ];
    for (const caso of casos) {
      const erro = await servicoTramites(handle.db)
        .executarPasso({
          acao: 'RECUSAR',
          tramiteId: id,
          viewer: viewers[1]!,
          agora: new Date(),
          motivo: caso.motivo,
          justificativa: caso.justificativa,
        })
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(erro, JSON.stringify(caso)).toBeInstanceOf(DadosInvalidos);
      expect((erro as DadosInvalidos).problemas.map((p) => p.campo)).toEqual(caso.campos);
    }
    expect(await linha(id)).toEqual(antes);
    const ok = await servicoTramites(handle.db).executarPasso({
      acao: 'RECUSAR',
      tramiteId: id,
      viewer: viewers[1]!,
      agora: new Date(),
      motivo: '04',
      justificativa: 'Espécie não mapeada.',
    });
    expect(ok.evento).toMatchObject({ paraSituacao: 8, motivo: '04', justificativa: 'Espécie não mapeada.' });
  });
});

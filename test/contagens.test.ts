// The counters (`tramite_contagens`) against a full count: after random sequences of starts (at creation instants
// across month and day boundaries), steps by the viewers allowed to take them and the platform's automatic
// cancellation, every count the counters answer (each agency × side × period × viewer, the platform, each SPE) equals
// counting the rows with the list's own condition (`filtroTramitesSql`). And the migration's backfill, run again from
// the rows alone, rebuilds the same counters. Bounded: 12 runs of at most 12 actions per backend, no shrinking.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { count } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../src/db/client.js';
import { CONTEUDO_DE_DEMO, conduzirPasso, type PedidoDeConducao } from '../src/demo/conducao.js';
import { seedDemoData } from '../src/demo/seed.js';
import { comporServicos } from '../src/http/servicos.js';
import type { Viewer } from '../src/kernel/viewer.js';
import { cancelarTramitesParados } from '../src/tramites/cancelamento-automatico.js';
import { contarPorSituacao, escopoDosContadores, partesDoPeriodo } from '../src/tramites/contagens.js';
import { ErroDeNegocio } from '../src/kernel/erros.js';
import { filtroTramitesSql, type FiltroTramites, type PapelNoTramite } from '../src/tramites/filtro.js';
import { acoesPermitidas, DIAS_PARA_CANCELAMENTO_AUTOMATICO, type Situacao } from '../src/tramites/regras.js';
import type { ServicoTramites } from '../src/tramites/servico.js';
import { tramites } from '../src/tramites/tables.js';
import { BACKENDS, freshDatabase, type FreshDatabase } from './support/backends.js';
import { testGatewayConfig } from './support/gateway.js';
import { paresDeUnidades } from './support/configuracao.js';

const HORA = 3_600_000;
const DIA = 24 * HORA;
/** Creation instants from here over ~70 days: a year boundary, two more month boundaries and many day boundaries inside. */
const BASE = Date.UTC(2025, 11, 29, 20);
const NUM_RUNS = 12;
const MAX_ACOES = 12;

type Acao =
  | { tipo: 'iniciar'; par: number; horas: number }
  | { tipo: 'passo'; qual: number; k: number }
  | { tipo: 'automatica'; qual: number };

const acaoArb: fc.Arbitrary<Acao> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({ tipo: fc.constant('iniciar' as const), par: fc.nat(), horas: fc.integer({ min: 0, max: 70 * 24 }) }),
  },
  { weight: 6, arbitrary: fc.record({ tipo: fc.constant('passo' as const), qual: fc.nat(), k: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ tipo: fc.constant('automatica' as const), qual: fc.nat() }) },
);

const periodoArb = fc.record({
  desde: fc.option(fc.integer({ min: -5 * 24, max: 75 * 24 * 60 }), { freq: 3 }),
  ate: fc.option(fc.integer({ min: -5 * 24, max: 75 * 24 * 60 }), { freq: 3 }),
});

test('a period splits into years, months, days and exact ends that cover it once', () => {
  const d = (s: string) => new Date(s);
  expect(partesDoPeriodo(null, null)).toEqual({ baldes: [{ escala: 'A', de: null, ate: null }], bordas: [] });
  expect(partesDoPeriodo(d('2026-01-30T10:00:00Z'), d('2026-03-02T05:00:00Z'))).toEqual({
    baldes: [
      { escala: 'D', de: '2026-01-31', ate: '2026-02-01' },
      { escala: 'M', de: '2026-02-01', ate: '2026-03-01' },
      { escala: 'D', de: '2026-03-01', ate: '2026-03-02' },
    ],
    bordas: [
      { de: d('2026-01-30T10:00:00Z'), ate: d('2026-01-31T00:00:00Z'), ateInclusivo: false },
      { de: d('2026-03-02T00:00:00Z'), ate: d('2026-03-02T05:00:00Z'), ateInclusivo: true },
    ],
  });
  // Whole years inside, months and days at their edges; an open end is open at the coarsest scale.
  expect(partesDoPeriodo(d('2024-11-30T00:00:00Z'), d('2026-02-03T12:00:00Z')).baldes).toEqual([
    { escala: 'D', de: '2024-11-30', ate: '2024-12-01' },
    { escala: 'M', de: '2024-12-01', ate: '2025-01-01' },
    { escala: 'A', de: '2025-01-01', ate: '2026-01-01' },
    { escala: 'M', de: '2026-01-01', ate: '2026-02-01' },
    { escala: 'D', de: '2026-02-01', ate: '2026-02-03' },
  ]);
  expect(partesDoPeriodo(null, d('2026-03-01T00:00:00Z')).baldes).toEqual([
    { escala: 'A', de: null, ate: '2026-01-01' },
    { escala: 'M', de: '2026-01-01', ate: '2026-03-01' },
  ]);
  expect(partesDoPeriodo(d('2026-01-30T10:00:00Z'), d('2026-01-30T12:00:00Z'))).toEqual({
    baldes: [],
    bordas: [{ de: d('2026-01-30T10:00:00Z'), ate: d('2026-01-30T12:00:00Z'), ateInclusivo: true }],
  });
});

describe.each(BACKENDS)('%s', (backend) => {
  let fresh: FreshDatabase;
  let handle: DatabaseHandle;
  let servico: ServicoTramites;
  /** Start-able pairs of units of different agencies, with an SPE viewer for each side. */
  const pares: { rem: number; dest: number; remetente: Viewer; destinatario: Viewer }[] = [];
  let orgaos: number[] = [];
  let sistemas: number[] = [];
  const admin: Viewer = { sujeito: 'contagens.pen', orgaoId: null, papeis: new Set(['PEN_ADMIN']) };
  const criados: { id: number; pares: number }[] = [];
  let processo = 0;

  const rows = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => handle.rows<T>(sql, params);
  const spe = (orgaoId: number): Viewer => ({ sujeito: `contagens.spe.${orgaoId}`, orgaoId, papeis: new Set(['SPE']) });

  beforeAll(async () => {
    fresh = await freshDatabase(backend, { migrated: true });
    handle = await createDatabase(fresh.options);
    await seedDemoData(handle.db, new Date());
    servico = comporServicos(handle.db, testGatewayConfig()).tramites;
    const candidatos = await paresDeUnidades(rows);
    // The pairs both of whose agencies are admitted in production: tried once, the trial trâmite kept.
    for (const c of candidatos) {
      if (pares.length >= 4) break;
      const par = { rem: c.rem, dest: c.dest, remetente: spe(c.rem_orgao), destinatario: spe(c.dest_orgao) };
      try {
        const r = await iniciar(par, 0);
        criados.push({ id: r, pares: pares.length });
        pares.push(par);
      } catch (error) {
        if (!(error instanceof ErroDeNegocio)) throw error;
      }
    }
    expect(pares.length).toBeGreaterThanOrEqual(2);
    orgaos = [...new Set(pares.flatMap((p) => [p.remetente.orgaoId!, p.destinatario.orgaoId!]))];
    sistemas = (await rows<{ id: number }>('select id::int as id from sistemas order by id')).map((s) => s.id);
  });

  afterAll(async () => {
    await handle?.close();
    await fresh?.drop();
  });

  async function iniciar(par: (typeof pares)[number], horas: number): Promise<number> {
    processo += 1;
    const r = await servico.iniciarTramite({
      viewer: par.remetente,
      agora: new Date(BASE + horas * HORA + (processo % 60) * 60_000),
      ambiente: 'PRODUCAO',
      tipo: 'PROCESSO',
      numeroProcesso: `contagens-${backend}-${processo}`,
      unidadeRemetenteId: par.rem,
      unidadeDestinatariaId: par.dest,
      ...CONTEUDO_DE_DEMO,
    });
    return r.tramite.id;
  }

  async function passo(id: number, par: (typeof pares)[number], k: number): Promise<void> {
    const [t] = await rows<{ situacao: number }>('select situacao::int as situacao from tramites where id = $1', [id]);
    const participantes = {
      remetenteOrgaoId: par.remetente.orgaoId!,
      destinatarioOrgaoId: par.destinatario.orgaoId!,
      situacao: t!.situacao as Situacao,
    };
    const opcoes = [par.remetente, par.destinatario, admin].flatMap((viewer) =>
      acoesPermitidas(viewer, participantes).map((p) => ({ viewer, acao: p.acao as PedidoDeConducao['acao'] })),
    );
    if (opcoes.length === 0) return;
    const { viewer, acao } = opcoes[k % opcoes.length]!;
    await conduzirPasso(handle.db, servico, {
      acao,
      tramiteId: id,
      viewer,
      agora: new Date(),
      ...(acao === 'RECUSAR' ? { motivo: '99' as const, justificativa: 'Outro motivo.' } : {}),
      ...(acao === 'CANCELAR' ? { justificativa: 'Pedido do órgão.' } : {}),
    });
  }

  /** The full count: the list's condition over the rows. */
  async function contarLinhas(viewer: Viewer, filtro: FiltroTramites): Promise<Map<Situacao, number>> {
    const r = await handle.db
      .select({ situacao: tramites.situacao, n: count() })
      .from(tramites)
      .where(filtroTramitesSql(tramites, viewer, filtro, new Date()))
      .groupBy(tramites.situacao);
    return new Map(r.filter((x) => x.n > 0).map((x) => [x.situacao as Situacao, Number(x.n)]));
  }

  async function conferir(periodos: { desde: number | null; ate: number | null }[]): Promise<number> {
    let conferidos = 0;
    const casos: { viewer: Viewer; filtro: FiltroTramites; quem: string }[] = [];
    for (const p of periodos) {
      const criadoDesde = p.desde == null ? null : new Date(BASE + p.desde * 60_000);
      const criadoAte = p.ate == null ? null : new Date(BASE + p.ate * 60_000);
      if (criadoDesde && criadoAte && criadoDesde > criadoAte) continue;
      const periodo = { ambiente: 'PRODUCAO' as const, criadoDesde, criadoAte };
      casos.push({ viewer: admin, filtro: periodo, quem: 'platform' });
      for (const orgaoId of orgaos) {
        casos.push({ viewer: spe(orgaoId), filtro: periodo, quem: `own list of ${orgaoId}` });
        for (const papel of ['ORIGEM', 'DESTINO', 'QUALQUER'] as PapelNoTramite[]) {
          casos.push({ viewer: admin, filtro: { ...periodo, orgaoId, papel }, quem: `admin ${orgaoId} ${papel}` });
          casos.push({ viewer: spe(orgaoId), filtro: { ...periodo, orgaoId, papel }, quem: `${orgaoId} ${papel}` });
        }
        for (const sistemaId of sistemas)
          for (const papel of ['ORIGEM', 'DESTINO'] as PapelNoTramite[])
            casos.push({
              viewer: spe(orgaoId),
              filtro: { ...periodo, orgaoId, papel, sistemaId },
              quem: `${orgaoId} ${papel} spe ${sistemaId}`,
            });
      }
      for (const sistemaId of sistemas)
        for (const papel of ['ORIGEM', 'DESTINO'] as PapelNoTramite[])
          casos.push({ viewer: admin, filtro: { ...periodo, papel, sistemaId }, quem: `platform ${papel} spe ${sistemaId}` });
    }
    for (const { viewer, filtro, quem } of casos) {
      // Each of these is a filter the counters answer: the test compares counters, not two row counts.
      expect(escopoDosContadores(viewer, filtro), quem).not.toBeNull();
      const esperado = await contarLinhas(viewer, filtro);
      expect(await contarPorSituacao(handle.db, viewer, filtro, new Date()), `${quem} ${JSON.stringify(filtro)}`).toEqual(esperado);
      conferidos += 1;
    }
    return conferidos;
  }

  test(`counters equal full counts after random steps (${NUM_RUNS} runs × ≤ ${MAX_ACOES} actions)`, { timeout: 240_000 }, async () => {
    let conferidos = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(acaoArb, { minLength: 3, maxLength: MAX_ACOES }),
        fc.array(periodoArb, { minLength: 1, maxLength: 2 }),
        async (acoes, periodos) => {
          for (const a of acoes) {
            if (a.tipo === 'iniciar') {
              const par = a.par % pares.length;
              criados.push({ id: await iniciar(pares[par]!, a.horas), pares: par });
            } else if (a.tipo === 'passo') {
              // Mostly the latest trâmites, so runs reach the later statuses (refused, concluded, cancelled).
              const t = criados[Math.max(0, criados.length - 1 - (a.qual % 3))]!;
              await passo(t.id, pares[t.pares]!, a.k);
            } else {
              // Only this trâmite is that old: the platform's job may cancel it (in 1-4) and nothing else.
              const t = criados[a.qual % criados.length]!;
              await rows("update tramites set situacao_alterada_em = '2000-01-01T00:00:00Z' where id = $1", [t.id]);
              await cancelarTramitesParados(handle.db, {
                agora: new Date(Date.UTC(2000, 0, 1) + (DIAS_PARA_CANCELAMENTO_AUTOMATICO + 1) * DIA),
                dias: DIAS_PARA_CANCELAMENTO_AUTOMATICO,
              });
            }
          }
          conferidos += await conferir([{ desde: null, ate: null }, ...periodos]);
        },
      ),
      { numRuns: NUM_RUNS, endOnFailure: true },
    );
    expect(conferidos).toBeGreaterThan(NUM_RUNS);
    const [finais] = await rows<{ n: number }>('select count(distinct situacao)::int as n from tramites where numero_processo like $1', [
      `contagens-${backend}-%`,
    ]);
    expect(finais!.n).toBeGreaterThan(1);
  });

  test('the migration’s backfill rebuilds the counters from the rows alone', async () => {
    const antes = await rows('select * from tramite_contagens where quantidade <> 0 order by 1, 2, 3, 4, 5, 6');
    const dir = join(import.meta.dirname, '..', 'drizzle');
    const pasta = readdirSync(dir).find((p) => p.endsWith('_contagens'))!;
    const migracao = readFileSync(join(dir, pasta, 'migration.sql'), 'utf8').split('--> statement-breakpoint');
    const backfill = migracao.at(-1)!;
    expect(backfill).toMatch(/INSERT INTO tramite_contagens/);
    await rows('delete from tramite_contagens');
    await rows(backfill);
    expect(await rows('select * from tramite_contagens where quantidade <> 0 order by 1, 2, 3, 4, 5, 6')).toEqual(antes);
    expect(antes.length).toBeGreaterThan(0);
    expect(
      await conferir([
        { desde: null, ate: null },
        { desde: 3 * 24 * 60 + 17, ate: 40 * 24 * 60 + 5 },
      ]),
    ).toBeGreaterThan(0);
  });

  test('the year buckets’ backfill rebuilds them from the months', async () => {
    const anos = 'select * from tramite_contagens where escala = $1 and quantidade <> 0 order by 1, 2, 3, 4, 5, 6';
    const antes = await rows(anos, ['A']);
    const dir = join(import.meta.dirname, '..', 'drizzle');
    const pasta = readdirSync(dir).find((p) => p.endsWith('_contagens_anos'))!;
    const backfill = readFileSync(join(dir, pasta, 'migration.sql'), 'utf8')
      .split('--> statement-breakpoint')
      .at(-1)!;
    expect(backfill).toMatch(/INSERT INTO tramite_contagens/);
    await rows("delete from tramite_contagens where escala = 'A'");
    await rows(backfill);
    expect(await rows(anos, ['A'])).toEqual(antes);
    expect(antes.length).toBeGreaterThan(0);
  });
});

// The demo seed: plausible data whose every trâmite history is a legal walk of the status machine, and whose every
// trâmite carries what its status says: documents and components with real bytes, receipts that verify.
import { createHash, generateKeyPairSync } from 'node:crypto';
import { compactVerify, createLocalJWKSet } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CHAVE_RECIBOS_DEMO } from '../src/demo/chaves-spe.js';
import { assinaturaConfere, conteudoReciboDeConclusao, criarAssinadorDeRecibos, textoReciboDeConclusao } from '../src/tramites/recibos.js';
import { createDatabase, type DatabaseHandle } from '../src/db/client.js';
import { marcarSemente, trazerAoPresente } from '../src/demo/modelo.js';
import { DEMO_ACCOUNTS, DEMO_UNIDADE_TESTES_PRODUCAO, seedDemoData } from '../src/demo/seed.js';
import { DIAS_PARA_CANCELAMENTO_AUTOMATICO, MOTIVOS_RECUSA, PASSOS, SITUACOES, SITUACOES_FINAIS } from '../src/tramites/regras.js';
import { BACKENDS, freshDatabase, type FreshDatabase } from './support/backends.js';
import { AMBIENTES, type Ambiente } from '../src/kernel/ambiente.js';
import { centralizadora, habilitada } from './support/configuracao.js';

/** The environment every configured agency of the demo has (the ones still onboarding, only that one). */
const H: Ambiente = 'HOMOLOGACAO';

const NOW = new Date('2026-03-15T13:45:12.345Z');
const DIA = 86_400_000;
const NOW_MS = NOW.getTime();

interface TramiteRow {
  id: number;
  tipo: string;
  idt: number;
  nre: string;
  numero_processo: string;
  descricao: string | null;
  situacao: number;
  versao: number;
  criado_em: number;
  atualizado_em: number;
  situacao_alterada_em: number;
  remetente_orgao_id: number;
  destinatario_orgao_id: number;
}

interface EventoRow {
  seq: number;
  tipo: string;
  componente_id: number | null;
  recibo: string | null;
  tramite_id: number;
  de_situacao: number | null;
  para_situacao: number;
  ator_sujeito: string;
  ator_orgao_id: number | null;
  ator_lado: string;
  ator_pen_admin: boolean;
  motivo: string | null;
  justificativa: string | null;
  em: number;
}

/**
 * Each backend twice: seeded at NOW, and as `npm start` gets it from the build's template (src/demo/modelo.ts): seeded
 * 40 days and a fraction of a second earlier, then brought to NOW, its recibos de envio signed again with another key
 * (a RECEIPT_SIGNING_KEY): every check below holds for both.
 */
const ORIGENS = [
  ['seeded at NOW', false],
  ['from the template: seeded 40 days earlier, brought to NOW', true],
] as const;
const CHAVE_DO_GATEWAY = {
  pem: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  alg: 'ES256',
} as const;

const ms = (col: string) => `(extract(epoch from ${col}) * 1000)::float8 as ${col.replace(/^.*\./, '')}`;

describe.each(BACKENDS.flatMap((backend) => ORIGENS.map(([origem, modelo]) => [backend, origem, modelo] as const)))(
  '%s, %s',
  (backend, _origem, doModelo) => {
    const chaveDeRecibos = doModelo ? CHAVE_DO_GATEWAY : CHAVE_RECIBOS_DEMO;
    let fresh: FreshDatabase;
    let handle: DatabaseHandle;
    let statements = 0;
    let counting = false;
    let result: Awaited<ReturnType<typeof seedDemoData>>;
    let tramites: TramiteRow[];
    /** The status changes (SITUACAO events): the history the walk tests read. */
    let eventos: EventoRow[];
    /** Every event, the other kinds included. */
    let todosOsEventos: EventoRow[];
    const eventosPorTramite = new Map<number, EventoRow[]>();
    const count = async (sql: string, params: unknown[] = []) => (await handle.rows<{ n: number }>(sql, params))[0]!.n;

    beforeAll(async () => {
      fresh = await freshDatabase(backend, { migrated: true });
      handle = await createDatabase(fresh.options, { onQuery: () => void (counting && statements++) });
      const semeadoEm = doModelo ? new Date(NOW_MS - 40 * DIA - 678) : NOW;
      counting = true;
      result = await seedDemoData(handle.db, semeadoEm);
      counting = false;
      if (doModelo) {
        await marcarSemente(handle.db, semeadoEm);
        expect(await trazerAoPresente(handle.db, NOW, { chaveDeRecibos })).toEqual({ ajustado: true, segundos: 40 * 86_400 });
      }
      tramites = await handle.rows<TramiteRow>(
        `select id::int, idt::float8 as idt, nre, numero_processo, tipo::text as tipo, descricao, situacao, versao, remetente_orgao_id, destinatario_orgao_id,
              ${ms('criado_em')}, ${ms('atualizado_em')}, ${ms('situacao_alterada_em')}
         from tramites order by idt`,
      );
      eventos = await handle.rows<EventoRow>(
        `select seq::int, tipo::text as tipo, componente_id::int, recibo::text as recibo, tramite_id::int, de_situacao, para_situacao, ator_sujeito, ator_orgao_id, ator_lado, ator_pen_admin,
              motivo, justificativa, (extract(epoch from ocorrido_em) * 1000)::float8 as em
         from tramite_eventos order by seq`,
      );
      todosOsEventos = eventos;
      eventos = eventos.filter((e) => e.tipo === 'SITUACAO');
      for (const e of eventos) {
        const lista = eventosPorTramite.get(e.tramite_id) ?? [];
        lista.push(e);
        eventosPorTramite.set(e.tramite_id, lista);
      }
    });

    afterAll(async () => {
      await handle?.close();
      await fresh?.drop();
    });

    test('seeds agencies, units, ~150-250 trâmites (plus onboarding tests) and their events, in few statements', async () => {
      expect(result.seeded).toBe(true);
      expect(result.orgaos).toBe(await count('select count(*)::int n from estruturas where pai_id is null'));
      expect(result.unidades).toBe(await count('select count(*)::int n from estruturas where pai_id is not null'));
      expect(result.tramites).toBe(tramites.length);
      expect(result.eventos).toBe(todosOsEventos.length);
      expect(result.orgaos).toBeGreaterThanOrEqual(8);
      // The traffic, plus the test trâmites that met the onboarding requirements (src/demo/onboarding.ts).
      const trafego = tramites.filter((t) => !t.descricao?.startsWith('TESTE'));
      expect(trafego.length).toBeGreaterThanOrEqual(150);
      expect(trafego.length).toBeLessThanOrEqual(250);
      expect(tramites.length).toBeLessThanOrEqual(300);
      expect(await count('select count(*)::int n from repositorios')).toBeGreaterThanOrEqual(3);
      // Batched inserts, not one statement per row (~300 trâmites with their documents, components, contents,
      // receipts and events, and the gestores: per-row inserts would be thousands of statements).
      expect(statements).toBeLessThan(60);
    });

    test('every status 1-10 is present', () => {
      expect(new Set(tramites.map((t) => t.situacao))).toEqual(new Set(SITUACOES));
    });

    test('every event log walks PASSOS from nothing to the trâmite status, and the trâmite mirrors it', () => {
      for (const t of tramites) {
        const log = eventosPorTramite.get(t.id) ?? [];
        expect(log.length, `IDT ${t.idt}`).toBeGreaterThan(0);
        let atual: number | null = null;
        let anterior = -Infinity;
        for (const e of log) {
          expect(e.de_situacao, `IDT ${t.idt} seq ${e.seq}`).toBe(atual);
          const passo = PASSOS.find(
            (p) => p.para === e.para_situacao && (atual === null ? p.de.length === 0 : (p.de as readonly number[]).includes(atual)),
          );
          expect(passo, `IDT ${t.idt}: ${atual} -> ${e.para_situacao}`).toBeDefined();
          // The step's side; PEN staff cancelling on request acts as the platform.
          // The platform moves to 2 itself (quemMuda).
          expect(e.ator_lado).toBe(e.ator_pen_admin ? 'PLATAFORMA' : (passo!.quemMuda ?? passo!.lado));
          expect(e.em).toBeGreaterThan(anterior);
          anterior = e.em;
          atual = e.para_situacao;
        }
        expect(atual).toBe(t.situacao);
        expect(t.versao).toBe(log.length);
        expect(t.criado_em).toBe(log[0]!.em);
        expect(t.situacao_alterada_em).toBe(log.at(-1)!.em);
        expect(t.atualizado_em).toBe(log.at(-1)!.em);
      }
    });

    test('seq order is time order, and nothing happens in the future or before the ~60-day window (but onboarding tests)', () => {
      for (let i = 1; i < todosOsEventos.length; i++) expect(todosOsEventos[i]!.em).toBeGreaterThanOrEqual(todosOsEventos[i - 1]!.em);
      expect(todosOsEventos.at(-1)!.em).toBeLessThanOrEqual(NOW_MS);
      // Agencies implanted before the window met their onboarding tests before it: only those are older.
      const testes = new Set(tramites.filter((t) => t.descricao?.startsWith('TESTE')).map((t) => t.id));
      expect(eventos.filter((e) => e.em < NOW_MS - 62 * DIA && !testes.has(e.tramite_id))).toEqual([]);
      expect(eventos[0]!.em).toBeGreaterThanOrEqual(NOW_MS - 3 * 365 * DIA);
      // Timestamps come from `now` with millisecond precision.
      expect(eventos.every((e) => Number.isInteger(e.em))).toBe(true);
    });

    test('actors: each side acts for its agency, the platform for nobody, refusals carry a reason', () => {
      const porId = new Map(tramites.map((t) => [t.id, t]));
      for (const e of eventos) {
        const t = porId.get(e.tramite_id)!;
        if (e.ator_pen_admin) {
          // PEN staff only cancels, on request, with the reason, as the platform (docs/domain.md §5).
          expect([e.ator_lado, e.ator_orgao_id, e.para_situacao]).toEqual(['PLATAFORMA', null, 7]);
          expect(e.justificativa!.length).toBeGreaterThan(0);
        } else if (e.ator_lado === 'PLATAFORMA') {
          expect(e.ator_orgao_id).toBeNull();
          expect(e.ator_sujeito).toBe('tramita-gov-br');
        } else {
          expect(e.ator_orgao_id).toBe(e.ator_lado === 'REMETENTE' ? t.remetente_orgao_id : t.destinatario_orgao_id);
          // Every protocol step is the agency's SPE's; only a cancellation may be its gestor's.
          if (e.para_situacao !== 7) expect(e.ator_sujeito, `event ${e.seq}`).toMatch(/^spe:/);
        }
        if (e.para_situacao === 8) {
          expect(Object.keys(MOTIVOS_RECUSA)).toContain(e.motivo);
          expect(e.justificativa!.length).toBeGreaterThan(0);
          expect(e.justificativa!.length).toBeLessThanOrEqual(1000);
        } else {
          expect(e.motivo).toBeNull();
          if (!e.ator_pen_admin) expect(e.justificativa).toBeNull();
        }
      }
      expect(eventos.some((e) => e.ator_pen_admin)).toBe(true);
    });

    test('at most one trâmite in progress per NRE; identifiers are well formed', () => {
      const emAndamento = new Map<string, number>();
      for (const t of tramites) {
        expect(t.nre).toMatch(/^\d{16}$/);
        expect(t.numero_processo).toMatch(/^\d{5}\.\d{6}\/\d{4}-\d{2}$/);
        expect(t.descricao!.length).toBeLessThanOrEqual(100);
        if (!(SITUACOES_FINAIS as readonly number[]).includes(t.situacao)) {
          emAndamento.set(t.nre, (emAndamento.get(t.nre) ?? 0) + 1);
        }
      }
      expect(Math.max(...emAndamento.values())).toBe(1);
      // A process keeps its NRE and its number across trâmites, and some processes have several.
      const processos = new Map<string, Set<string>>();
      for (const t of tramites) processos.set(t.nre, (processos.get(t.nre) ?? new Set()).add(t.numero_processo));
      expect([...processos.values()].every((numeros) => numeros.size === 1)).toBe(true);
      expect(processos.size).toBeLessThan(tramites.length);
      // Within a process, a trâmite starts only after the previous one ended.
      const porNre = new Map<string, TramiteRow[]>();
      for (const t of tramites) porNre.set(t.nre, [...(porNre.get(t.nre) ?? []), t]);
      for (const lista of porNre.values()) {
        for (let i = 1; i < lista.length; i++) expect(lista[i]!.criado_em).toBeGreaterThan(lista[i - 1]!.situacao_alterada_em);
      }
    });

    test('every process’s history is one custody allows (docs/domain.md §2): each trâmite started by the holder, one number per process, the NRE constant from the first success', () => {
      const porNumero = new Map<string, TramiteRow[]>();
      for (const t of [...tramites].sort((x, y) => x.criado_em - y.criado_em || x.id - y.id)) {
        if (t.tipo !== 'PROCESSO') continue;
        porNumero.set(t.numero_processo, [...(porNumero.get(t.numero_processo) ?? []), t]);
      }
      let comVarios = 0;
      for (const [numero, lista] of porNumero) {
        if (lista.length > 1) comVarios++;
        let detentor: number | null = null;
        let nreDoSucesso: string | null = null;
        for (const t of lista) {
          if (detentor !== null) expect(t.remetente_orgao_id, `${numero}: started by its holder`).toBe(detentor);
          if (nreDoSucesso) expect(t.nre, `${numero}: the NRE of its first success`).toBe(nreDoSucesso);
          detentor ??= t.remetente_orgao_id;
          if (t.situacao === 6) {
            detentor = t.destinatario_orgao_id;
            nreDoSucesso ??= t.nre;
          }
        }
      }
      expect(comVarios).toBeGreaterThan(0);
    });

    test('remetente units may send, destinatário units may receive (in the trâmite’s environment), and the agencies are the units’ agencies', async () => {
      expect(
        await count(
          `select count(*)::int n from tramites t
           join estruturas r on r.id = t.remetente_unidade_id
           join estruturas d on d.id = t.destinatario_unidade_id
          where not (${AMBIENTES.map((a) => `t.ambiente = '${a}' and ${habilitada('r', 'envio', a)} and ${habilitada('d', 'recebimento', a)}`).join(' or ')})
             or r.orgao_id <> t.remetente_orgao_id or d.orgao_id <> t.destinatario_orgao_id
             or t.remetente_orgao_id = t.destinatario_orgao_id`,
        ),
      ).toBe(0);
    });

    test('unit trees: roots are their own agency, units point at their root, one centralizadora per configured agency', async () => {
      expect(await count('select count(*)::int n from estruturas where pai_id is null and orgao_id <> id')).toBe(0);
      // Walk up from every unit: its root is its orgao_id.
      expect(
        await count(
          `with recursive subida(id, atual, orgao_id) as (
           select id, pai_id, orgao_id from estruturas where pai_id is not null
           union all
           select s.id, e.pai_id, s.orgao_id from subida s join estruturas e on e.id = s.atual where e.pai_id is not null
         )
         select count(*)::int n from subida s join estruturas e on e.id = s.atual
          where e.pai_id is null and e.id <> s.orgao_id`,
        ),
      ).toBe(0);
      expect(await count('select count(*)::int n from estruturas where pai_id is not null and orgao_id is null')).toBe(0);
      const porOrgao = await handle.rows<{
        sigla: string;
        centralizadoras: number;
        envio: number;
        recebimento: number;
        so_envio: number;
        so_recebimento: number;
        nenhuma: number;
        profundidade: number;
      }>(
        `with recursive arvore(id, orgao_id, nivel) as (
         select id, id, 0 from estruturas where pai_id is null
         union all
         select e.id, a.orgao_id, a.nivel + 1 from estruturas e join arvore a on e.pai_id = a.id
       )
       select o.sigla,
              count(*) filter (where ${centralizadora('u', H)})::int centralizadoras,
              count(*) filter (where ${habilitada('u', 'envio', H)})::int envio,
              count(*) filter (where ${habilitada('u', 'recebimento', H)})::int recebimento,
              count(*) filter (where ${habilitada('u', 'envio', H)} and not ${habilitada('u', 'recebimento', H)})::int so_envio,
              count(*) filter (where ${habilitada('u', 'recebimento', H)} and not ${habilitada('u', 'envio', H)})::int so_recebimento,
              count(*) filter (where not ${habilitada('u', 'envio', H)} and not ${habilitada('u', 'recebimento', H)})::int nenhuma,
              max(a.nivel)::int profundidade
         from arvore a join estruturas u on u.id = a.id join estruturas o on o.id = a.orgao_id
        -- Agencies whose registration PEN has not approved configure nothing yet (checked below).
        where not exists (select 1 from onboardings ob where ob.orgao_id = o.id and ob.etapa in ('ANALISE_CADASTRO', 'CADASTRO_REJEITADO'))
        group by o.sigla`,
      );
      for (const o of porOrgao) {
        expect(o.centralizadoras, o.sigla).toBe(1);
        expect(o.envio, o.sigla).toBeGreaterThan(0);
        expect(o.recebimento, o.sigla).toBeGreaterThan(0);
        expect(o.profundidade, o.sigla).toBeGreaterThanOrEqual(2);
        expect(o.profundidade, o.sigla).toBeLessThanOrEqual(3);
      }
      expect(porOrgao.some((o) => o.so_envio > 0)).toBe(true);
      expect(porOrgao.some((o) => o.so_recebimento > 0)).toBe(true);
      expect(porOrgao.every((o) => o.nenhuma > 0)).toBe(true);
      for (const ambiente of AMBIENTES) {
        expect(
          await count(
            `select count(*)::int n from estruturas where ${centralizadora('estruturas', ambiente)} and not (${habilitada('estruturas', 'envio', ambiente)} and ${habilitada('estruturas', 'recebimento', ambiente)})`,
          ),
        ).toBe(0);
      }
      // Per environment: none before the approval, homologação's only until production access, then the same in both
      // (as production access copied it; the seed's agencies without onboarding operate in both).
      const porEtapa = await handle.rows<{ etapa: string | null; homologacao: number; producao: number; diferentes: number }>(
        `select ob.etapa::text as etapa,
              count(*) filter (where c.ambiente = 'HOMOLOGACAO')::int homologacao,
              count(*) filter (where c.ambiente = 'PRODUCAO')::int producao,
              count(*) filter (where c.ambiente = 'PRODUCAO' and not exists (
                select 1 from configuracoes_unidade h where h.estrutura_id = c.estrutura_id and h.ambiente = 'HOMOLOGACAO'
                   and (h.habilitada_envio, h.habilitada_recebimento, h.centralizadora, h.centralizadora_id)
                       is not distinct from (c.habilitada_envio, c.habilitada_recebimento, c.centralizadora, c.centralizadora_id)))::int diferentes
         from estruturas e left join onboardings ob on ob.orgao_id = e.orgao_id
         left join configuracoes_unidade c on c.estrutura_id = e.id
        group by ob.etapa`,
      );
      const antesDoAcesso = [
        'ANALISE_CADASTRO',
        'CADASTRO_REJEITADO',
        'CONFIGURACAO_ESTRUTURA',
        'IMPLANTACAO_HOMOLOGACAO',
        'VALIDACAO_HOMOLOGACAO',
      ];
      for (const e of porEtapa) {
        if (e.etapa === 'ANALISE_CADASTRO' || e.etapa === 'CADASTRO_REJEITADO')
          expect(e, String(e.etapa)).toMatchObject({ homologacao: 0, producao: 0 });
        else if (antesDoAcesso.includes(e.etapa ?? '')) expect(e, String(e.etapa)).toMatchObject({ producao: 0 });
        else expect(e, String(e.etapa)).toMatchObject({ producao: e.homologacao, diferentes: 0 });
        if (e.etapa !== 'ANALISE_CADASTRO' && e.etapa !== 'CADASTRO_REJEITADO') expect(e.homologacao, String(e.etapa)).toBeGreaterThan(0);
      }
    });

    test('no trâmite in 1-4 has gone 8 days unchanged; "parados" exist; auto-cancellations waited 8 days', () => {
      const limite = DIAS_PARA_CANCELAMENTO_AUTOMATICO * DIA;
      const parado = (t: TramiteRow) => NOW_MS - t.situacao_alterada_em;
      const ativos = tramites.filter((t) => t.situacao >= 1 && t.situacao <= 4);
      expect(ativos.every((t) => parado(t) < limite)).toBe(true);
      expect(ativos.some((t) => parado(t) >= 3 * DIA && parado(t) <= 7 * DIA)).toBe(true);
      for (const s of [5, 8]) {
        expect(
          tramites.some((t) => t.situacao === s && parado(t) >= 10 * DIA && parado(t) <= 30 * DIA),
          `status ${s}`,
        ).toBe(true);
      }
      for (const log of eventosPorTramite.values()) {
        // Every gap while the trâmite sat in 1-4 is under 8 days, except the one the platform acted on.
        for (let i = 1; i < log.length; i++) {
          const gap = log[i]!.em - log[i - 1]!.em;
          if (log[i]!.para_situacao === 10) expect(gap).toBeGreaterThanOrEqual(limite);
          else if (log[i - 1]!.para_situacao <= 4) expect(gap).toBeLessThan(limite);
        }
      }
    });

    test('DISIS (MGI) exists, sends and receives, and got the production tests', async () => {
      const disis = await handle.rows<{
        nome: string;
        orgao: string;
        envio: boolean;
        recebimento: boolean;
        numero: number;
        repositorio: number;
      }>(
        `select u.nome, o.nome orgao, ${habilitada('u', 'envio')} envio, ${habilitada('u', 'recebimento')} recebimento,
              u.numero_identificacao numero, u.repositorio_id repositorio
         from estruturas u join estruturas o on o.id = u.orgao_id
        where u.sigla = 'DISIS'`,
      );
      expect(disis).toEqual([
        {
          nome: 'Divisão de Gestão de Sistemas de Documentação e Informação',
          orgao: 'Ministério da Gestão e da Inovação em Serviços Públicos',
          envio: true,
          recebimento: true,
          numero: DEMO_UNIDADE_TESTES_PRODUCAO.estrutura,
          repositorio: DEMO_UNIDADE_TESTES_PRODUCAO.repositorio,
        },
      ]);
      expect(await count(`select count(*)::int n from tramites where descricao like 'TESTE – %'`)).toBeGreaterThanOrEqual(3);
    });

    test('demo accounts point at seeded agencies', async () => {
      expect(DEMO_ACCOUNTS.some((a) => a.papeis.includes('PEN_ADMIN') && a.orgao === null)).toBe(true);
      for (const a of DEMO_ACCOUNTS.filter((x) => x.orgao)) {
        expect(
          await count('select count(*)::int n from estruturas where repositorio_id = $1 and numero_identificacao = $2 and pai_id is null', [
            a.orgao!.repositorio,
            a.orgao!.estrutura,
          ]),
          a.sujeito,
        ).toBe(1);
      }
    });

    // ---- what each trâmite carries (docs/domain.md §4), consistent with its status walk ----

    interface ComponenteRow {
      id: number;
      tramite_id: number;
      hash: string;
      tamanho: number;
      conteudo_id: number | null;
      enviado_em: number | null;
      bytes: Buffer | Uint8Array | null;
    }
    const componentesDe = async () => {
      const linhas = await handle.rows<ComponenteRow>(
        `select c.id::int, c.tramite_id::int, c.hash, c.tamanho::int, c.conteudo_id::int,
              (extract(epoch from c.enviado_em) * 1000)::float8 as enviado_em,
              (select string_agg(b.dados, ''::bytea order by b.n) from conteudo_blocos b where b.conteudo_id = c.conteudo_id) as bytes
         from tramite_componentes c order by c.id`,
      );
      const porTramite = new Map<number, ComponenteRow[]>();
      for (const c of linhas) porTramite.set(c.tramite_id, [...(porTramite.get(c.tramite_id) ?? []), c]);
      return porTramite;
    };
    const alcancou = (t: TramiteRow, s: number) => (eventosPorTramite.get(t.id) ?? []).find((e) => e.para_situacao === s);

    test('every trâmite carries its process metadata and documents, each with digital components', async () => {
      const semProcesso = await count(
        'select count(*)::int n from tramites t where not exists (select 1 from tramite_processos p where p.tramite_id = t.id)',
      );
      expect(semProcesso).toBe(0);
      expect(
        await count(
          'select count(*)::int n from tramites t where not exists (select 1 from tramite_documentos d where d.tramite_id = t.id and exists (select 1 from tramite_componentes c where c.documento_id = d.id))',
        ),
      ).toBe(0);
      expect(
        await count(
          'select count(*)::int n from tramite_documentos d where not exists (select 1 from tramite_componentes c where c.documento_id = d.id)',
        ),
      ).toBe(0);
      // Restricted documents carry their hipótese legal; some exist.
      expect(await count('select count(*)::int n from tramite_documentos where nivel_de_sigilo = 2 and hipotese_legal_id is null')).toBe(0);
      expect(await count('select count(*)::int n from tramite_documentos where nivel_de_sigilo = 2')).toBeGreaterThan(0);
    });

    test('at 2 and after every component is held and its stored bytes hash to the declared SHA-256; before 2 one is missing', async () => {
      const porTramite = await componentesDe();
      let conferidos = 0;
      for (const t of tramites) {
        const componentes = porTramite.get(t.id)!;
        const a2 = alcancou(t, 2);
        if (!a2) {
          expect(
            componentes.some((c) => c.conteudo_id == null),
            `IDT ${t.idt}`,
          ).toBe(true);
          continue;
        }
        for (const c of componentes) {
          expect(c.conteudo_id, `IDT ${t.idt}`).not.toBeNull();
          expect(c.enviado_em!).toBeLessThan(a2.em);
          expect(c.enviado_em!).toBeGreaterThan(t.criado_em);
          const bytes = Buffer.from(c.bytes!);
          expect(bytes.byteLength).toBe(c.tamanho);
          expect(createHash('sha256').update(bytes).digest('base64'), `IDT ${t.idt}`).toBe(c.hash);
          conferidos++;
        }
      }
      expect(conferidos).toBeGreaterThan(200);
      // Held bytes are shared by hash: a handful of contents for hundreds of components.
      expect(await count('select count(*)::int n from conteudos')).toBeLessThan(20);
    });

    test('a recibo de envio exactly for the trâmites that reached 2, verifying with the JWKS key, over their components', async () => {
      const porTramite = await componentesDe();
      const recibos = await handle.rows<{ tramite_id: number; jws: string; em: number }>(
        `select tramite_id::int, jws, (extract(epoch from emitido_em) * 1000)::float8 as em from recibos_de_envio`,
      );
      const porId = new Map(recibos.map((r) => [r.tramite_id, r]));
      const jwks = createLocalJWKSet(await criarAssinadorDeRecibos(chaveDeRecibos).jwks());
      for (const t of tramites) {
        const a2 = alcancou(t, 2);
        const recibo = porId.get(t.id);
        expect(!!recibo, `IDT ${t.idt}`).toBe(!!a2);
        if (!a2 || !recibo) continue;
        expect(recibo.em).toBe(a2.em);
        const { payload, protectedHeader } = await compactVerify(recibo.jws, jwks);
        expect(protectedHeader.alg).toBe('ES256');
        expect(JSON.parse(new TextDecoder().decode(payload))).toEqual({
          IDT: String(t.idt),
          NRE: t.nre,
          dataDeRecebimentoDoUltimoComponenteDigital: new Date(a2.em).toISOString(),
          hashesDosComponentesDigitais: [...new Set(porTramite.get(t.id)!.map((c) => c.hash))].sort(),
        });
      }
    });

    test('a recibo de conclusão exactly for the trâmites that reached 5, signed over the rebuilt text, verifying with the recipient SPE’s registered key', async () => {
      const porTramite = await componentesDe();
      const recibos = await handle.rows<{
        tramite_id: number;
        texto: string;
        assinatura: string;
        chave: string;
        registrada: string | null;
        em: number;
      }>(
        `select r.tramite_id::int, r.texto_assinado texto, r.hash_da_assinatura assinatura, r.chave_publica_pem chave, k.pem registrada,
              (extract(epoch from r.recebido_em) * 1000)::float8 as em
         from recibos_de_conclusao r join tramites t on t.id = r.tramite_id
         left join chaves_publicas_spe k on k.orgao_id = t.destinatario_orgao_id and k.ambiente = t.ambiente`,
      );
      const porId = new Map(recibos.map((r) => [r.tramite_id, r]));
      let verificados = 0;
      for (const t of tramites) {
        const a5 = alcancou(t, 5);
        const recibo = porId.get(t.id);
        expect(!!recibo, `IDT ${t.idt}`).toBe(!!a5);
        if (!a5 || !recibo) continue;
        expect(recibo.em).toBe(a5.em);
        const texto = textoReciboDeConclusao(
          conteudoReciboDeConclusao(
            t,
            porTramite.get(t.id)!.map((c) => c.hash),
            new Date(alcancou(t, 4)!.em),
          ),
        );
        expect(recibo.texto).toBe(texto);
        expect(recibo.registrada, `IDT ${t.idt}: the recipient has a registered key`).not.toBeNull();
        expect(assinaturaConfere(texto, recibo.assinatura, recibo.registrada!)).toBe(true);
        expect(recibo.chave).toBe(recibo.registrada);
        verificados++;
      }
      expect(verificados).toBeGreaterThan(20);
    });

    test('the events of the other kinds: one per upload and per receipt, by who acted, changing no status', async () => {
      const porTramite = await componentesDe();
      const porId = new Map(tramites.map((t) => [t.id, t]));
      const outros = todosOsEventos.filter((e) => e.tipo !== 'SITUACAO');
      for (const e of outros) {
        expect(e.de_situacao, `seq ${e.seq}`).toBe(e.para_situacao);
        expect(e.motivo).toBeNull();
        expect(e.justificativa).toBeNull();
      }
      const todosDe = (id: number) => todosOsEventos.filter((e) => e.tramite_id === id);
      for (const t of tramites) {
        const deste = todosDe(t.id);
        const inicio = eventosPorTramite.get(t.id)![0]!;
        // Each held component once, by the sender's start actor, at its upload, in status 1.
        const held = porTramite.get(t.id)!.filter((c) => c.conteudo_id != null);
        const doComponente = deste.filter((e) => e.tipo === 'COMPONENTE_RECEBIDO');
        expect(doComponente.map((e) => e.componente_id).sort(), `IDT ${t.idt}`).toEqual(held.map((c) => c.id).sort());
        for (const e of doComponente) {
          expect(e.para_situacao).toBe(1);
          expect(e.em).toBe(held.find((c) => c.id === e.componente_id)!.enviado_em);
          expect([e.ator_sujeito, e.ator_lado, e.ator_orgao_id]).toEqual([
            inicio.ator_sujeito,
            'REMETENTE',
            porId.get(t.id)!.remetente_orgao_id,
          ]);
        }
        // Each receipt right after the status change that issued it.
        const recibos = deste.filter((e) => e.tipo === 'RECIBO_EMITIDO');
        const esperados = [alcancou(t, 2) && 'ENVIO', alcancou(t, 5) && 'CONCLUSAO'].filter(Boolean);
        expect(
          recibos.map((e) => e.recibo),
          `IDT ${t.idt}`,
        ).toEqual(esperados);
        for (const r of recibos) {
          const situacao = r.recibo === 'ENVIO' ? 2 : 5;
          const causa = alcancou(t, situacao)!;
          expect(deste[deste.indexOf(causa) + 1]).toBe(r);
          expect([r.para_situacao, r.em, r.ator_lado, r.ator_sujeito]).toEqual([situacao, causa.em, causa.ator_lado, causa.ator_sujeito]);
        }
      }
      expect(outros.some((e) => e.tipo === 'COMPONENTE_RECEBIDO')).toBe(true);
    });

    // Only a database copied from the template carries the mark (the other variant seeds at NOW).
    if (doModelo)
      test('the template is brought to the present once: its mark is gone', async () => {
        const antes = await count('select count(*)::int n from tramites where situacao_alterada_em <= $1', [NOW.toISOString()]);
        expect(await trazerAoPresente(handle.db, new Date(NOW_MS + DIA))).toEqual({ ajustado: false, segundos: 0 });
        expect(await count('select count(*)::int n from tramites where situacao_alterada_em <= $1', [NOW.toISOString()])).toBe(antes);
        expect(antes).toBe(tramites.length);
      });

    test('seeding again is a no-op', async () => {
      const antes = await count(
        'select ((select count(*) from estruturas) + (select count(*) from tramites) + (select count(*) from tramite_eventos))::int n',
      );
      expect(await seedDemoData(handle.db, new Date(NOW_MS + DIA))).toEqual({
        seeded: false,
        orgaos: 0,
        unidades: 0,
        tramites: 0,
        eventos: 0,
      });
      expect(
        await count(
          'select ((select count(*) from estruturas) + (select count(*) from tramites) + (select count(*) from tramite_eventos))::int n',
        ),
      ).toBe(antes);
    });
  },
);

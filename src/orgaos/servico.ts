/**
 * Structure configuration by the agency's gestores de protocolo (MTO "Configuração da estrutura"): each unit's
 * operation mode, the centralising units and the units they receive for. One transaction per command; every unit
 * changed is one row of the structure log (who, when, before and after); nothing is written on a refusal.
 */
import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/client.js';
import { anexarAoLog, type EventLog, type Transaction } from '../db/log.js';
import { DadosInvalidos, validar } from '../kernel/erros.js';
import { ADVISORY_LOCKS } from '../kernel/locks.js';
import type { Viewer } from '../kernel/viewer.js';
import {
  CentralizacaoInvalida,
  ConfiguracaoNaoPermitida,
  HierarquiaImportada,
  UnidadeDeOutroOrgao,
  UnidadeNaoEncontrada,
} from './erros.js';
import { habilitacaoDoModo, hierarquiaEditavelPeloOrgao, type ModoTramitacao } from './regras.js';
import { estruturaEventos, estruturas } from './tables.js';

export type EstruturaRow = typeof estruturas.$inferSelect;
export type EventoEstrutura = typeof estruturaEventos.$inferSelect;

export const LOG_ESTRUTURAS: EventLog = {
  tabela: estruturaEventos,
  seq: estruturaEventos.seq,
  canal: 'estrutura_eventos',
};

export type TipoAlteracaoEstrutura = 'UNIDADE_CADASTRADA' | 'MODO_TRAMITACAO' | 'CENTRALIZADORA' | 'UNIDADE_CENTRALIZADORA';

export interface ResultadoConfiguracao {
  unidades: EstruturaRow[];
  eventos: EventoEstrutura[];
}

/** The configuration fields a change records, before and after. */
const configuracao = (u: EstruturaRow) => ({
  habilitadaEnvio: u.habilitadaEnvio,
  habilitadaRecebimento: u.habilitadaRecebimento,
  centralizadora: u.centralizadora,
  centralizadoraId: u.centralizadoraId,
});

interface Pedido {
  viewer: Viewer;
  agora: Date;
}

/** The agency a gestor configures: its own, and only with the GESTOR_PROTOCOLO role. */
function orgaoDoGestor(viewer: Viewer): number {
  if (viewer.orgaoId == null || !viewer.papeis.has('GESTOR_PROTOCOLO')) throw new ConfiguracaoNaoPermitida();
  return viewer.orgaoId;
}

/** The units named, locked for the change, each checked to be of the gestor's agency (else nothing is written). */
async function unidadesDoOrgao(tx: Transaction, orgaoId: number, ids: number[], campo: string): Promise<EstruturaRow[]> {
  if (ids.length === 0) return [];
  const linhas = await tx.select().from(estruturas).where(inArray(estruturas.id, ids)).for('update');
  for (const id of ids) {
    const u = linhas.find((l) => l.id === id);
    if (!u) throw new UnidadeNaoEncontrada(campo);
    if ((u.orgaoId ?? u.id) !== orgaoId) throw new UnidadeDeOutroOrgao(u.sigla);
  }
  return ids.map((id) => linhas.find((l) => l.id === id)!);
}

/** Applies one change per unit and logs each that changed anything. */
async function aplicar(
  tx: Transaction,
  pedido: Pedido,
  orgaoId: number,
  tipo: TipoAlteracaoEstrutura,
  mudancas: Array<{ antes: EstruturaRow; valores: Partial<EstruturaRow> }>,
): Promise<ResultadoConfiguracao> {
  const unidades: EstruturaRow[] = [];
  const registros: Array<typeof estruturaEventos.$inferInsert> = [];
  for (const { antes, valores } of mudancas) {
    const [depois] = await tx.update(estruturas).set(valores).where(eq(estruturas.id, antes.id)).returning();
    unidades.push(depois!);
    const [a, d] = [configuracao(antes), configuracao(depois!)];
    if (JSON.stringify(a) === JSON.stringify(d)) continue;
    registros.push({
      estruturaId: antes.id,
      orgaoId,
      tipo,
      alteracao: { antes: a, depois: d },
      atorSujeito: pedido.viewer.sujeito,
      ocorridoEm: pedido.agora,
    });
  }
  const eventos = registros.length ? await anexarAoLog(() => tx.insert(estruturaEventos).values(registros).returning()) : [];
  return { unidades, eventos };
}

/** "Enviar e Receber", "Somente enviar", "Somente receber" or not enabled, for one unit of the gestor's agency. */
export function definirModoTramitacao(
  db: Database,
  pedido: Pedido & { unidadeId: number; modo: ModoTramitacao },
): Promise<ResultadoConfiguracao> {
  const orgaoId = orgaoDoGestor(pedido.viewer);
  return db.transaction(async (tx) => {
    const [unidade] = await unidadesDoOrgao(tx, orgaoId, [pedido.unidadeId], 'unidade');
    const habilitacao = habilitacaoDoModo(pedido.modo);
    if (unidade!.centralizadora && !habilitacao.habilitadaRecebimento) {
      throw new CentralizacaoInvalida(`A unidade ${unidade!.sigla} é centralizadora: ela precisa continuar habilitada para receber.`);
    }
    return aplicar(tx, pedido, orgaoId, 'MODO_TRAMITACAO', [{ antes: unidade!, valores: habilitacao }]);
  });
}

/**
 * Marks a unit as centralising (it must be enabled to receive), or unmarks it: then the units it received for
 * receive again themselves (each change logged).
 */
export function definirCentralizadora(
  db: Database,
  pedido: Pedido & { unidadeId: number; centralizadora: boolean },
): Promise<ResultadoConfiguracao> {
  const orgaoId = orgaoDoGestor(pedido.viewer);
  return db.transaction(async (tx) => {
    const [unidade] = await unidadesDoOrgao(tx, orgaoId, [pedido.unidadeId], 'unidade');
    if (pedido.centralizadora) {
      if (!unidade!.habilitadaRecebimento || !unidade!.ativo) {
        throw new CentralizacaoInvalida(
          `A unidade ${unidade!.sigla} precisa estar ativa e habilitada para receber para ser centralizadora.`,
        );
      }
      if (unidade!.centralizadoraId != null) {
        throw new CentralizacaoInvalida(`A unidade ${unidade!.sigla} é recebida por outra centralizadora: desfaça isso antes.`);
      }
      return aplicar(tx, pedido, orgaoId, 'CENTRALIZADORA', [{ antes: unidade!, valores: { centralizadora: true } }]);
    }
    const cobertas = await tx
      .select()
      .from(estruturas)
      .where(eq(estruturas.centralizadoraId, unidade!.id))
      .orderBy(estruturas.id)
      .for('update');
    const soltas = await aplicar(
      tx,
      pedido,
      orgaoId,
      'UNIDADE_CENTRALIZADORA',
      cobertas.map((c) => ({ antes: c, valores: { centralizadoraId: null } })),
    );
    const propria = await aplicar(tx, pedido, orgaoId, 'CENTRALIZADORA', [{ antes: unidade!, valores: { centralizadora: false } }]);
    return { unidades: [...propria.unidades, ...soltas.unidades], eventos: [...soltas.eventos, ...propria.eventos] };
  });
}

/**
 * The units a centralising unit receives for, as a whole list: those named now point at it, those it covered
 * and are not named receive again themselves. All of the gestor's agency; none may itself be centralising.
 */
export function definirUnidadesCentralizadas(
  db: Database,
  pedido: Pedido & { centralizadoraId: number; unidadeIds: number[] },
): Promise<ResultadoConfiguracao> {
  const orgaoId = orgaoDoGestor(pedido.viewer);
  const ids = [...new Set(pedido.unidadeIds)];
  return db.transaction(async (tx) => {
    const [central] = await unidadesDoOrgao(tx, orgaoId, [pedido.centralizadoraId], 'centralizadora');
    const unidades = await unidadesDoOrgao(tx, orgaoId, ids, 'unidades');
    if (!central!.centralizadora) throw new CentralizacaoInvalida(`A unidade ${central!.sigla} não é centralizadora: marque-a antes.`);
    for (const u of unidades) {
      if (u.id === central!.id || u.centralizadora) {
        throw new CentralizacaoInvalida(`A unidade ${u.sigla} é centralizadora: recebe por si mesma, não por outra.`);
      }
    }
    const anteriores = await tx
      .select()
      .from(estruturas)
      .where(and(isNotNull(estruturas.centralizadoraId), eq(estruturas.centralizadoraId, central!.id)))
      .orderBy(estruturas.id)
      .for('update');
    const mudancas = [
      ...anteriores.filter((a) => !ids.includes(a.id)).map((a) => ({ antes: a, valores: { centralizadoraId: null } })),
      ...unidades.map((u) => ({ antes: u, valores: { centralizadoraId: central!.id } })),
    ];
    return aplicar(tx, pedido, orgaoId, 'UNIDADE_CENTRALIZADORA', mudancas);
  });
}

const novaUnidadeSchema = z.object({
  sigla: z.string().trim().min(1, 'obrigatória').max(30, 'no máximo 30 caracteres'),
  nome: z.string().trim().min(1, 'obrigatório').max(200, 'no máximo 200 caracteres'),
});

/**
 * A gestor of a body outside SIORG adds a unit to its tree (under `paiId`, the agency itself when null): numbered after
 * the highest of its repositório (under the lock an access request numbers new agencies with), not enabled until its
 * mode is set, logged like every configuration change. SIORG's trees are imported, never edited here.
 */
export function cadastrarUnidade(
  db: Database,
  pedido: Pedido & { paiId: number | null; sigla: string; nome: string },
): Promise<ResultadoConfiguracao> {
  const orgaoId = orgaoDoGestor(pedido.viewer);
  const { sigla, nome } = validar(novaUnidadeSchema, pedido);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${ADVISORY_LOCKS.novoOrgao})`);
    const [pai] = await unidadesDoOrgao(tx, orgaoId, [pedido.paiId ?? orgaoId], 'pai');
    if (!hierarquiaEditavelPeloOrgao(pai!.repositorioId)) throw new HierarquiaImportada();
    if (!pai!.ativo) throw new DadosInvalidos([{ campo: 'pai', mensagem: `a unidade ${pai!.sigla} está inativa` }]);
    const [mesmaSigla] = await tx
      .select({ id: estruturas.id })
      .from(estruturas)
      .where(and(eq(estruturas.orgaoId, orgaoId), sql`upper(${estruturas.sigla}) = upper(${sigla})`));
    if (mesmaSigla) throw new DadosInvalidos([{ campo: 'sigla', mensagem: `o órgão já tem uma unidade ${sigla}` }]);
    const [{ proximo }] = (await tx
      .select({ proximo: sql<number>`(coalesce(max(${estruturas.numeroIdentificacao}), 0) + 1)::int` })
      .from(estruturas)
      .where(eq(estruturas.repositorioId, pai!.repositorioId))) as [{ proximo: number }];
    const [unidade] = await tx
      .insert(estruturas)
      .values({
        repositorioId: pai!.repositorioId,
        numeroIdentificacao: proximo,
        sigla,
        nome,
        paiId: pai!.id,
        orgaoId,
        criadaEm: pedido.agora,
      })
      .returning();
    const eventos = await anexarAoLog(() =>
      tx
        .insert(estruturaEventos)
        .values({
          estruturaId: unidade!.id,
          orgaoId,
          tipo: 'UNIDADE_CADASTRADA' satisfies TipoAlteracaoEstrutura,
          alteracao: { antes: configuracao(unidade!), depois: configuracao(unidade!) },
          atorSujeito: pedido.viewer.sujeito,
          ocorridoEm: pedido.agora,
        })
        .returning(),
    );
    return { unidades: [unidade!], eventos };
  });
}

/** A unit's configuration history, newest first (its agency's gestores and PEN read it). */
export function historicoDaEstrutura(db: Database, estruturaId: number, limite: number): Promise<EventoEstrutura[]> {
  return db
    .select()
    .from(estruturaEventos)
    .where(eq(estruturaEventos.estruturaId, estruturaId))
    .orderBy(sql`${estruturaEventos.seq} desc`)
    .limit(limite);
}

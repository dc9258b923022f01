/**
 * Structure configuration by the agency's gestores de protocolo (MTO "Configuração da estrutura"): each unit's
 * operation mode, the centralising units and the units they receive for. One transaction per command; every unit
 * changed is one row of the structure log (who, when, before and after); nothing is written on a refusal.
 */
import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { anexarAoLog, type EventLog, type Transaction } from '../db/log.js';
import type { Viewer } from '../kernel/viewer.js';
import { CentralizacaoInvalida, ConfiguracaoNaoPermitida, UnidadeDeOutroOrgao, UnidadeNaoEncontrada } from './erros.js';
import { habilitacaoDoModo, type ModoTramitacao } from './regras.js';
import { estruturaEventos, estruturas } from './tables.js';

export type EstruturaRow = typeof estruturas.$inferSelect;
export type EventoEstrutura = typeof estruturaEventos.$inferSelect;

export const LOG_ESTRUTURAS: EventLog = {
  tabela: estruturaEventos,
  seq: estruturaEventos.seq,
  canal: 'estrutura_eventos',
};

export type TipoAlteracaoEstrutura = 'MODO_TRAMITACAO' | 'CENTRALIZADORA' | 'UNIDADE_CENTRALIZADORA';

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

/** A unit's configuration history, newest first (its agency's gestores and PEN read it). */
export function historicoDaEstrutura(db: Database, estruturaId: number, limite: number): Promise<EventoEstrutura[]> {
  return db
    .select()
    .from(estruturaEventos)
    .where(eq(estruturaEventos.estruturaId, estruturaId))
    .orderBy(sql`${estruturaEventos.seq} desc`)
    .limit(limite);
}

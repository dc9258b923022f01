/** Reads of trâmites that are not a page of rows: the control panel's counts, a process's history. No GraphQL here. */
import { and, eq, or, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import type { Ambiente } from '../kernel/ambiente.js';
import type { Viewer } from '../kernel/viewer.js';
import { filtroTramitesSql, type PapelNoTramite } from './filtro.js';
import { SITUACOES, type Situacao } from './regras.js';
import { tramites } from './tables.js';

export interface ContagemPorSituacao {
  situacao: Situacao;
  quantidade: number;
}
export interface Contagens {
  total: number;
  porSituacao: ContagemPorSituacao[];
}
export interface PainelData {
  ambiente: Ambiente;
  orgaoId: number | null;
  desde: Date | null;
  ate: Date | null;
  comoOrigem: Contagens;
  comoDestino: Contagens;
}

/**
 * Counts per status for one agency as origin and as destination, in one statement; with no agency, the whole
 * platform (every trâmite has both an origin and a destination). Each side's count is `filtroTramitesSql` with that
 * side's `papel`, the very condition of the `tramites` list, so a panel number always opens into the list it counts
 * (a refused trâmite counts for its sender only). Every status is listed, with zero where there is none, so a
 * frontend draws the same ten bars every time.
 */
export async function contarPainel(
  db: Database,
  viewer: Viewer,
  ambiente: Ambiente,
  orgaoId: number | null,
  desde: Date | null,
  ate: Date | null,
  agora: Date,
): Promise<PainelData> {
  const doLado = (papel: PapelNoTramite) =>
    filtroTramitesSql(tramites, viewer, { ambiente, orgaoId, papel, criadoDesde: desde, criadoAte: ate }, agora);
  const origem = doLado('ORIGEM');
  const destino = doLado('DESTINO');
  const rows = await db
    .select({
      situacao: tramites.situacao,
      comoOrigem: sql<number>`(count(*) filter (where ${origem}))::int`,
      comoDestino: sql<number>`(count(*) filter (where ${destino}))::int`,
    })
    .from(tramites)
    .where(or(origem, destino))
    .groupBy(tramites.situacao);
  const contagens = (pick: (r: (typeof rows)[number]) => number): Contagens => {
    const porSituacao = SITUACOES.map((situacao) => {
      const row = rows.find((r) => r.situacao === situacao);
      return { situacao, quantidade: row ? pick(row) : 0 };
    });
    return { total: porSituacao.reduce((sum, c) => sum + c.quantidade, 0), porSituacao };
  };
  return { ambiente, orgaoId, desde, ate, comoOrigem: contagens((r) => r.comoOrigem), comoDestino: contagens((r) => r.comoDestino) };
}

type TramiteRow = typeof tramites.$inferSelect;

/** A process's trâmites in the order they were started: the history its identity and custody follow (regras.ts). */
export function historicoDoProcesso(db: Pick<Database, 'select'>, ambiente: Ambiente, numeroProcesso: string): Promise<TramiteRow[]> {
  return db
    .select()
    .from(tramites)
    .where(and(eq(tramites.tipo, 'PROCESSO'), eq(tramites.ambiente, ambiente), eq(tramites.numeroProcesso, numeroProcesso)))
    .orderBy(tramites.criadoEm, tramites.id);
}

export interface ProcessoLido {
  tipo: 'PROCESSO' | 'DOCUMENTO_AVULSO';
  numeroProcesso: string;
  historico: TramiteRow[];
}

/**
 * A process (or a documento avulso, which has one NRE per sending) by its NRE or its number, in one environment; null
 * if it never travelled there. The same number in the other environment is another process.
 */
export async function lerProcesso(
  db: Database,
  ambiente: Ambiente,
  chave: { nre: string } | { numeroProcesso: string },
): Promise<ProcessoLido | null> {
  if ('numeroProcesso' in chave) {
    const historico = await historicoDoProcesso(db, ambiente, chave.numeroProcesso);
    return historico.length ? { tipo: 'PROCESSO', numeroProcesso: chave.numeroProcesso, historico } : null;
  }
  const doNre = and(eq(tramites.nre, chave.nre), eq(tramites.ambiente, ambiente));
  const [umDeles] = await db.select().from(tramites).where(doNre).orderBy(tramites.criadoEm, tramites.id).limit(1);
  if (!umDeles) return null;
  if (umDeles.tipo === 'DOCUMENTO_AVULSO') {
    const historico = await db.select().from(tramites).where(doNre).orderBy(tramites.criadoEm, tramites.id);
    return { tipo: 'DOCUMENTO_AVULSO', numeroProcesso: umDeles.numeroProcesso, historico };
  }
  return {
    tipo: 'PROCESSO',
    numeroProcesso: umDeles.numeroProcesso,
    historico: await historicoDoProcesso(db, ambiente, umDeles.numeroProcesso),
  };
}

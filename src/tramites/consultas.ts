/** Reads of trâmites that are not a page of rows: the control panel's counts, a process's history. No GraphQL here. */
import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import type { Ambiente } from '../kernel/ambiente.js';
import type { Viewer } from '../kernel/viewer.js';
import { contarPorSituacaoDeCada } from './contagens.js';
import type { PapelNoTramite } from './filtro.js';
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
  /** Only the sides this SPE operates (`FiltroTramites.sistemaId`). */
  sistemaId: number | null;
  desde: Date | null;
  ate: Date | null;
  comoOrigem: Contagens;
  comoDestino: Contagens;
}

/**
 * Counts per status for one agency as origin and as destination; with no agency, the whole platform (every trâmite has
 * both an origin and a destination); with `sistemaId`, only the sides that SPE operates. Each side's count is
 * `contarPorSituacaoDeCada` of the `tramites` filter with that side's `papel`, the very condition of the list, so a panel
 * number always opens into the list it counts (a refused trâmite counts for its sender only); the counters answer it
 * (contagens.ts). Every status is listed, with zero where there is none, so a frontend draws the same ten bars every time.
 */
export async function contarPainel(
  db: Database,
  viewer: Viewer,
  filtro: { ambiente: Ambiente; orgaoId: number | null; sistemaId: number | null; desde: Date | null; ate: Date | null },
  agora: Date,
): Promise<PainelData> {
  const { ambiente, orgaoId, sistemaId, desde, ate } = filtro;
  const doLado = (papel: PapelNoTramite) => ({ ambiente, orgaoId, sistemaId, papel, criadoDesde: desde, criadoAte: ate });
  const [origem, destino] = await contarPorSituacaoDeCada(db, viewer, [doLado('ORIGEM'), doLado('DESTINO')], agora);
  const contagens = (porLado: Map<Situacao, number>): Contagens => {
    const porSituacao = SITUACOES.map((situacao) => ({ situacao, quantidade: porLado.get(situacao) ?? 0 }));
    return { total: porSituacao.reduce((sum, c) => sum + c.quantidade, 0), porSituacao };
  };
  return { ambiente, orgaoId, sistemaId, desde, ate, comoOrigem: contagens(origem), comoDestino: contagens(destino) };
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

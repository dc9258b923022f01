/**
 * An agency's configuration per environment (docs/domain.md §6: gestores, SPE credential and onboarding state exist
 * per environment and never cross): its gestores de protocolo, registered and removed by a gestor of the agency, and
 * production access, which replicates homologação's configuration into produção as a starting point the agency then
 * confirms (the gate of SOLICITAR_VALIDACAO_PRODUCAO). Every change is one transaction with its onboarding event.
 *
 * What is replicated: the gestores, and the units' modes and centralising links (orgaos `configuracoes_unidade`, one
 * row per unit and environment). What is not: the SPE key (produção has its own certificate, §6: a shared one lets
 * the wrong system take trâmites), shown side by side so the agency sees it still has to register it.
 */
import { and, asc, count, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/client.js';
import { anexarAoLog, type Transaction } from '../db/log.js';
import type { Ambiente } from '../kernel/ambiente.js';
import { validar } from '../kernel/erros.js';
import type { Viewer } from '../kernel/viewer.js';
import { configuracaoDaLinha, type ConfiguracaoUnidade } from '../orgaos/configuracoes.js';
import { AmbienteNaoConfiguravel } from '../orgaos/erros.js';
import type { EstruturaRow, TipoAlteracaoEstrutura } from '../orgaos/servico.js';
import { configuracoesUnidade, estruturaEventos, estruturas } from '../orgaos/tables.js';
import { chavePublicaDoSpe, type ChavePublicaSpeRow } from './chaves-spe.js';
import {
  CriteriosNaoAtendidos,
  EtapaInvalida,
  GestorJaCadastrado,
  GestorNaoEncontrado,
  OnboardingNaoEncontrado,
  PapelNaoPermitido,
  UltimoGestor,
} from './erros.js';
import { registrarEventosOnboarding, type EventoOnboarding } from './eventos.js';
import { ETAPA_DOS_REQUISITOS, ETAPAS_DA_CONFIGURACAO, faltasDaConfiguracao, podeAgir, type Etapa } from './regras.js';
import { cpfValido, soDigitos } from './solicitacao.js';
import { gestoresProtocolo, onboardings } from './tables.js';

export type GestorRow = typeof gestoresProtocolo.$inferSelect;
type OnboardingRow = typeof onboardings.$inferSelect;

export interface ResultadoGestor {
  onboarding: OnboardingRow;
  evento: EventoOnboarding;
  gestores: GestorRow[];
}

const texto = (max: number) => z.string().trim().min(1, 'obrigatório').max(max, `no máximo ${max} caracteres`);
const cpfSchema = z.string().refine(cpfValido, 'CPF inválido (dígitos verificadores)').transform(soDigitos);
export const gestorSchema = z.object({ nome: texto(200), cpf: cpfSchema, email: z.email('e-mail inválido') }).loose();

/** The gestores of an agency in an environment, by name. */
export function gestoresDoAmbiente(db: Database | Transaction, orgaoId: number, ambiente: Ambiente): Promise<GestorRow[]> {
  return db
    .select()
    .from(gestoresProtocolo)
    .where(and(eq(gestoresProtocolo.orgaoId, orgaoId), eq(gestoresProtocolo.ambiente, ambiente)))
    .orderBy(asc(gestoresProtocolo.nome), asc(gestoresProtocolo.cpf));
}

/** The onboarding, locked, if the viewer (a gestor of the agency) may change this environment's configuration now. */
async function onboardingParaConfigurar(
  tx: Transaction,
  orgaoId: number,
  ambiente: Ambiente,
  acao: 'REGISTRAR_GESTOR' | 'REMOVER_GESTOR' | 'CONFIRMAR_CONFIGURACAO_PRODUCAO',
): Promise<OnboardingRow> {
  const [atual] = await tx.select().from(onboardings).where(eq(onboardings.orgaoId, orgaoId)).for('update');
  if (!atual) throw new OnboardingNaoEncontrado();
  if (!ETAPAS_DA_CONFIGURACAO[ambiente].includes(atual.etapa as Etapa)) throw new EtapaInvalida(atual.etapa, acao, []);
  return atual;
}

async function registrarMudanca(
  tx: Transaction,
  atual: OnboardingRow,
  agora: Date,
  evento: Pick<EventoOnboarding, 'tipo' | 'ambiente' | 'atorSujeito'> & { gestorCpf?: string | null; motivo?: string | null },
  valores: Partial<OnboardingRow> = {},
): Promise<{ onboarding: OnboardingRow; evento: EventoOnboarding }> {
  const [onboarding] = await tx
    .update(onboardings)
    .set({ ...valores, versao: atual.versao + 1, atualizadoEm: agora })
    .where(eq(onboardings.orgaoId, atual.orgaoId))
    .returning();
  const [registrado] = await registrarEventosOnboarding(tx, [
    { orgaoId: atual.orgaoId, deEtapa: atual.etapa, paraEtapa: atual.etapa, ocorridoEm: agora, ...evento },
  ]);
  return { onboarding: onboarding!, evento: registrado! };
}

export interface PedidoGestor {
  viewer: Viewer;
  orgaoId: number;
  ambiente: Ambiente;
  agora: Date;
  /** Unvalidated: nome, cpf, email (registrar); cpf (remover). */
  gestor: unknown;
}

/** A gestor of the agency registers another gestor de protocolo in one environment. */
export async function registrarGestor(db: Database, pedido: PedidoGestor): Promise<ResultadoGestor> {
  if (!podeAgir(pedido.viewer, 'ORGAO', pedido.orgaoId)) throw new PapelNaoPermitido('ORGAO');
  const gestor = validar(gestorSchema, pedido.gestor);
  return db.transaction(async (tx) => {
    const atual = await onboardingParaConfigurar(tx, pedido.orgaoId, pedido.ambiente, 'REGISTRAR_GESTOR');
    const inseridos = await tx
      .insert(gestoresProtocolo)
      .values({
        orgaoId: pedido.orgaoId,
        ambiente: pedido.ambiente,
        cpf: gestor.cpf,
        nome: gestor.nome,
        email: gestor.email,
        registradoPor: pedido.viewer.sujeito,
        registradoEm: pedido.agora,
      })
      .onConflictDoNothing()
      .returning();
    if (inseridos.length === 0) throw new GestorJaCadastrado();
    const r = await registrarMudanca(tx, atual, pedido.agora, {
      tipo: 'GESTOR_REGISTRADO',
      ambiente: pedido.ambiente,
      gestorCpf: gestor.cpf,
      atorSujeito: pedido.viewer.sujeito,
    });
    return { ...r, gestores: await gestoresDoAmbiente(tx, pedido.orgaoId, pedido.ambiente) };
  });
}

/** A gestor of the agency removes a gestor de protocolo from one environment (never the last one there). */
export async function removerGestor(db: Database, pedido: PedidoGestor): Promise<ResultadoGestor> {
  if (!podeAgir(pedido.viewer, 'ORGAO', pedido.orgaoId)) throw new PapelNaoPermitido('ORGAO');
  const { cpf } = validar(z.object({ cpf: cpfSchema }).loose(), pedido.gestor);
  return db.transaction(async (tx) => {
    const atual = await onboardingParaConfigurar(tx, pedido.orgaoId, pedido.ambiente, 'REMOVER_GESTOR');
    const doAmbiente = and(eq(gestoresProtocolo.orgaoId, pedido.orgaoId), eq(gestoresProtocolo.ambiente, pedido.ambiente));
    const [{ n }] = (await tx.select({ n: count() }).from(gestoresProtocolo).where(doAmbiente)) as [{ n: number }];
    const removidos = await tx
      .delete(gestoresProtocolo)
      .where(and(doAmbiente, eq(gestoresProtocolo.cpf, cpf)))
      .returning();
    if (removidos.length === 0) throw new GestorNaoEncontrado();
    if (Number(n) <= 1) throw new UltimoGestor(); // the transaction rolls the delete back
    const r = await registrarMudanca(tx, atual, pedido.agora, {
      tipo: 'GESTOR_REMOVIDO',
      ambiente: pedido.ambiente,
      gestorCpf: cpf,
      atorSujeito: pedido.viewer.sujeito,
    });
    return { ...r, gestores: await gestoresDoAmbiente(tx, pedido.orgaoId, pedido.ambiente) };
  });
}

/** The first gestor, from the approved access request, joins homologação's gestores (inside the approval). */
export async function registrarPrimeiroGestor(
  tx: Transaction,
  orgaoId: number,
  gestor: { nome: string; cpf: string; email: string; registradoPor: string },
  agora: Date,
): Promise<void> {
  await tx
    .insert(gestoresProtocolo)
    .values({ orgaoId, ambiente: 'HOMOLOGACAO', ...gestor, registradoEm: agora })
    .onConflictDoNothing();
}

/**
 * Whether the agency keeps a configuration in the environment now (orgaos' configuration mutations ask, wired at
 * composition): homologação from the approved registration on, produção from production access on (regras.ts
 * `ETAPAS_DA_CONFIGURACAO`); an agency with no onboarding predates it and keeps both.
 */
export async function verificarAmbienteDaConfiguracao(tx: Transaction, orgaoId: number, ambiente: Ambiente): Promise<void> {
  const [linha] = await tx.select({ etapa: onboardings.etapa }).from(onboardings).where(eq(onboardings.orgaoId, orgaoId));
  if (linha && !ETAPAS_DA_CONFIGURACAO[ambiente].includes(linha.etapa as Etapa)) throw new AmbienteNaoConfiguravel(ambiente, linha.etapa);
}

/** Logged as the configuration change of each unit that production access copied into produção. */
const TIPO_REPLICACAO: TipoAlteracaoEstrutura = 'CONFIGURACAO_REPLICADA';

/**
 * Production access (inside the step that grants it): homologação's gestores, and its units' modes and centralising
 * links, copied into produção as they are now, a starting point the agency confirms; any earlier confirmation is
 * void. Produção's unit configuration becomes homologação's exactly (a unit configured in produção but not in
 * homologação is reset), each unit whose configuration changed logged in produção's structure history.
 */
export async function replicarConfiguracaoParaProducao(tx: Transaction, orgaoId: number, ator: string, agora: Date): Promise<void> {
  const origem = await gestoresDoAmbiente(tx, orgaoId, 'HOMOLOGACAO');
  if (origem.length > 0) {
    await tx
      .insert(gestoresProtocolo)
      .values(origem.map((g) => ({ ...g, ambiente: 'PRODUCAO' as const, registradoPor: ator, registradoEm: agora })))
      .onConflictDoNothing();
  }
  const [homologacao, producao] = await Promise.all([
    unidadesConfiguradas(tx, orgaoId, 'HOMOLOGACAO'),
    unidadesConfiguradas(tx, orgaoId, 'PRODUCAO'),
  ]);
  const daUnidade = (lista: UnidadeNoAmbiente[], id: number) => configuracaoDaLinha(lista.find((u) => u.unidade.id === id));
  const ids = [...new Set([...homologacao, ...producao].map((u) => u.unidade.id))];
  const mudancas = ids
    .map((id) => ({ id, antes: daUnidade(producao, id), depois: daUnidade(homologacao, id) }))
    .filter((m) => JSON.stringify(m.antes) !== JSON.stringify(m.depois));
  await tx
    .delete(configuracoesUnidade)
    .where(
      and(
        eq(configuracoesUnidade.ambiente, 'PRODUCAO'),
        sql`${configuracoesUnidade.estruturaId} in (select ${estruturas.id} from ${estruturas} where ${estruturas.orgaoId} = ${orgaoId})`,
      ),
    );
  if (homologacao.length > 0) {
    await tx
      .insert(configuracoesUnidade)
      .values(homologacao.map((u) => ({ estruturaId: u.unidade.id, ambiente: 'PRODUCAO' as const, ...configuracaoDaLinha(u) })));
  }
  if (mudancas.length > 0) {
    await anexarAoLog(() =>
      tx
        .insert(estruturaEventos)
        .values(
          mudancas.map((m) => ({
            estruturaId: m.id,
            orgaoId,
            ambiente: 'PRODUCAO' as const,
            tipo: TIPO_REPLICACAO,
            alteracao: { antes: { ...m.antes }, depois: { ...m.depois } },
            atorSujeito: ator,
            ocorridoEm: agora,
          })),
        )
        .returning(),
    );
  }
  await tx.update(onboardings).set({ producaoConfirmadaEm: null, producaoConfirmadaPor: null }).where(eq(onboardings.orgaoId, orgaoId));
}

/** A unit of the agency with its configuration in one environment. */
export interface UnidadeNoAmbiente extends ConfiguracaoUnidade {
  unidade: EstruturaRow;
  ambiente: Ambiente;
}

/** The agency's units configured in the environment (a row there: enabled, centralising or centralised), by sigla. */
export async function unidadesConfiguradas(db: Database | Transaction, orgaoId: number, ambiente: Ambiente): Promise<UnidadeNoAmbiente[]> {
  const linhas = await db
    .select({ unidade: estruturas, configuracao: configuracoesUnidade })
    .from(configuracoesUnidade)
    .innerJoin(estruturas, eq(estruturas.id, configuracoesUnidade.estruturaId))
    .where(and(eq(estruturas.orgaoId, orgaoId), eq(configuracoesUnidade.ambiente, ambiente)))
    .orderBy(asc(estruturas.sigla), asc(estruturas.id));
  return linhas
    .map((l) => ({ unidade: l.unidade, ambiente, ...configuracaoDaLinha(l.configuracao) }))
    .filter((u) => u.habilitadaEnvio || u.habilitadaRecebimento || u.centralizadora || u.centralizadoraId != null);
}

export interface ConfiguracaoAmbiente {
  ambiente: Ambiente;
  gestores: GestorRow[];
  chaveSpe: ChavePublicaSpeRow | null;
  /** The units configured there (modes, centralising role and links). */
  unidades: UnidadeNoAmbiente[];
}

export async function configuracaoDoAmbiente(
  db: Database | Transaction,
  orgaoId: number,
  ambiente: Ambiente,
): Promise<ConfiguracaoAmbiente> {
  const [gestores, chaveSpe, unidades] = await Promise.all([
    gestoresDoAmbiente(db, orgaoId, ambiente),
    chavePublicaDoSpe(db, orgaoId, ambiente),
    unidadesConfiguradas(db, orgaoId, ambiente),
  ]);
  return { ambiente, gestores, chaveSpe, unidades };
}

/** What keeps the produção configuration from being confirmed (empty: it may be). */
export async function faltasDaConfiguracaoProducao(db: Database | Transaction, orgaoId: number): Promise<string[]> {
  const c = await configuracaoDoAmbiente(db, orgaoId, 'PRODUCAO');
  const ativas = c.unidades.filter((u) => u.unidade.ativo);
  return faltasDaConfiguracao({
    gestores: c.gestores.length,
    chaveSpe: c.chaveSpe !== null,
    unidadesEnvio: ativas.filter((u) => u.habilitadaEnvio).length,
    unidadesRecebimento: ativas.filter((u) => u.habilitadaRecebimento).length,
  });
}

/** The agency confirms its produção configuration (once it has gestores and its own SPE key there). */
export async function confirmarConfiguracaoProducao(
  db: Database,
  pedido: { viewer: Viewer; orgaoId: number; agora: Date },
): Promise<{ onboarding: OnboardingRow; evento: EventoOnboarding }> {
  if (!podeAgir(pedido.viewer, 'ORGAO', pedido.orgaoId)) throw new PapelNaoPermitido('ORGAO');
  return db.transaction(async (tx) => {
    const atual = await onboardingParaConfigurar(tx, pedido.orgaoId, 'PRODUCAO', 'CONFIRMAR_CONFIGURACAO_PRODUCAO');
    if (atual.etapa !== ETAPA_DOS_REQUISITOS.PRODUCAO) throw new EtapaInvalida(atual.etapa, 'CONFIRMAR_CONFIGURACAO_PRODUCAO', []);
    const faltas = await faltasDaConfiguracaoProducao(tx, pedido.orgaoId);
    if (faltas.length > 0) throw new CriteriosNaoAtendidos(faltas);
    return registrarMudanca(
      tx,
      atual,
      pedido.agora,
      { tipo: 'CONFIGURACAO_CONFIRMADA', ambiente: 'PRODUCAO', atorSujeito: pedido.viewer.sujeito },
      { producaoConfirmadaEm: pedido.agora, producaoConfirmadaPor: pedido.viewer.sujeito },
    );
  });
}

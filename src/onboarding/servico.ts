/**
 * The onboarding service: every move is one transaction that checks the rules (regras.ts) and the
 * gates against the database, updates the agency's stage or checklist, and appends to the
 * onboarding event log (which feeds the live subscription). No GraphQL here.
 */
import { randomUUID } from 'node:crypto';
import type { Ambiente } from '../kernel/ambiente.js';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/client.js';
import type { Transaction } from '../db/log.js';
import { DadosInvalidos, validar } from '../kernel/erros.js';
import type { Viewer } from '../kernel/viewer.js';
import { configuracoesUnidade, estruturas, repositorios } from '../orgaos/tables.js';
import { sistemaOrgaos, sistemas } from '../sistemas/tables.js';
import type { Evento } from '../tramites/eventos.js';
import { OrgaoNaoAdmitidoNoAmbiente } from '../tramites/erros.js';
import type { TramiteRow } from '../tramites/servico.js';
import {
  CriteriosNaoAtendidos,
  DocumentoInvalido,
  EtapaInvalida,
  OnboardingNaoEncontrado,
  OrgaoJaCadastrado,
  OrgaoJaEmProducao,
  PapelNaoPermitido,
  SolicitacaoEmAberto,
  TestesJaIniciados,
} from './erros.js';
import { cepValido, cnpjValido, comecaComoPdf, cpfValido, type MotivoRecusaAcesso, soDigitos, ufValida } from './solicitacao.js';
import type { ComponentStore } from '../tramites/componentes.js';
import { TamanhoNaoConfere } from '../tramites/erros.js';
import { ADVISORY_LOCKS } from '../kernel/locks.js';
import {
  ACAO_ACESSO_PRODUCAO,
  AMBIENTE_DA_ETAPA,
  ETAPA_DOS_REQUISITOS,
  ETAPA_DOS_TESTES_DE_PRODUCAO,
  avisoTestesIniciados,
  PASSO_ONBOARDING,
  REQUISITO_SATISFEITO,
  admitidoNoAmbiente,
  descricaoDeTeste,
  passosOnboardingAPartirDe,
  podeAgir,
  proximaSituacaoRequisito,
  requisitoAtendidoPorTramite,
  type AcaoOnboarding,
  type Condicao,
  type Etapa,
  type AcaoRequisito,
} from './regras.js';
import { registrarEventosOnboarding, type EventoOnboarding } from './eventos.js';
import { avisosEmail, onboardings, requisitosMinimos, requisitosOrgao, solicitacoesAcesso } from './tables.js';
import { ATOR_PLATAFORMA } from '../kernel/platform.js';
import { faltasDaConfiguracaoProducao, registrarPrimeiroGestor, replicarConfiguracaoParaProducao } from './configuracao.js';

export type OnboardingRow = typeof onboardings.$inferSelect;

export interface ResultadoOnboarding {
  onboarding: OnboardingRow;
  evento: EventoOnboarding;
}

const motivoSchema = z.object({ motivo: z.string().trim().max(1000, 'no máximo 1.000 caracteres').nullish() }).loose();

/** What keeps a gate closed, in words for people; empty when it is open. */
export async function pendenciasDaCondicao(db: Database | Transaction, orgaoId: number, condicao: Condicao): Promise<string[]> {
  if (condicao === 'CONFIGURACAO_PRODUCAO_CONFIRMADA') {
    const [linha] = await db.select({ em: onboardings.producaoConfirmadaEm }).from(onboardings).where(eq(onboardings.orgaoId, orgaoId));
    if (linha?.em) return [];
    const faltas = await faltasDaConfiguracaoProducao(db, orgaoId);
    return [...faltas, 'confirmar a configuração de produção (replicada da homologação)'];
  }
  if (condicao === 'UNIDADES_DEFINIDAS') {
    // The structure as its gestores configured it (orgaos/servico.ts) in the environment this gate opens (concluding
    // the configuration opens homologação's implantation); inactive units do not count.
    const ambiente = AMBIENTE_DA_ETAPA[PASSO_ONBOARDING.CONCLUIR_CONFIGURACAO.para];
    const [linha] = await db
      .select({
        envio: sql<number>`(count(*) filter (where ${configuracoesUnidade.habilitadaEnvio}))::int`,
        recebimento: sql<number>`(count(*) filter (where ${configuracoesUnidade.habilitadaRecebimento}))::int`,
      })
      .from(configuracoesUnidade)
      .innerJoin(estruturas, eq(estruturas.id, configuracoesUnidade.estruturaId))
      .where(and(eq(estruturas.orgaoId, orgaoId), eq(estruturas.ativo, true), eq(configuracoesUnidade.ambiente, ambiente)));
    const faltas: string[] = [];
    if (!linha?.envio) faltas.push('definir ao menos uma unidade habilitada para envio');
    if (!linha?.recebimento) faltas.push('definir ao menos uma unidade habilitada para recebimento');
    return faltas;
  }
  const ambiente: Ambiente = condicao === 'REQUISITOS_HOMOLOGACAO' ? 'HOMOLOGACAO' : 'PRODUCAO';
  const itens = await checklist(db, orgaoId, ambiente);
  return itens
    .filter((i) => i.exigido && !(REQUISITO_SATISFEITO as readonly string[]).includes(i.situacao))
    .map(
      (i) =>
        `requisito ${i.codigo} em ${ambiente.toLowerCase()} (${i.descricao})${i.situacao === 'REGISTRADO' ? ': aguardando confirmação do PEN' : ''}`,
    );
}

export interface ItemChecklist {
  codigo: string;
  ordem: number;
  descricao: string;
  tipo: (typeof requisitosMinimos.$inferSelect)['tipo'];
  exigido: boolean;
  ambiente: Ambiente;
  situacao: 'PENDENTE' | (typeof requisitosOrgao.$inferSelect)['situacao'];
  registro: typeof requisitosOrgao.$inferSelect | null;
}

/** The agency's minimum requirements in one environment: the catalogue, each with its state. */
export async function checklist(db: Database | Transaction, orgaoId: number, ambiente: Ambiente): Promise<ItemChecklist[]> {
  const linhas = await db
    .select({ requisito: requisitosMinimos, registro: requisitosOrgao })
    .from(requisitosMinimos)
    .leftJoin(
      requisitosOrgao,
      and(
        eq(requisitosOrgao.codigo, requisitosMinimos.codigo),
        eq(requisitosOrgao.orgaoId, orgaoId),
        eq(requisitosOrgao.ambiente, ambiente),
      ),
    )
    .orderBy(requisitosMinimos.ordem);
  return linhas.map(({ requisito, registro }) => ({
    ...requisito,
    ambiente,
    situacao: registro?.situacao ?? 'PENDENTE',
    registro,
  }));
}

/** What blocks the agency's next forward move (the PEN team's work list). */
export async function bloqueios(db: Database, onboarding: OnboardingRow): Promise<string[]> {
  const avancos = passosOnboardingAPartirDe(onboarding.etapa).filter((p) => !p.exigeMotivo && p.acao !== 'REJEITAR_CADASTRO');
  const pendencias: string[] = [];
  for (const passo of avancos) {
    if (passo.responsavel === 'PEN' && passo.condicoes.length === 0) pendencias.push('aguardando a equipe do PEN');
    for (const condicao of passo.condicoes) pendencias.push(...(await pendenciasDaCondicao(db, onboarding.orgaoId, condicao)));
    if (passo.responsavel === 'PEN' && pendencias.length === 0) pendencias.push('aguardando validação da equipe do PEN');
  }
  return [...new Set(pendencias)];
}

export interface PedidoOnboarding {
  acao: AcaoOnboarding;
  orgaoId: number;
  viewer: Viewer;
  agora: Date;
  motivo?: string | null;
  /** REJEITAR_CADASTRO: the grounds of the "Guia Operacional para Recusa de Acesso" (solicitacao.ts). */
  motivosRecusa?: readonly MotivoRecusaAcesso[] | null;
  versaoEsperada?: number | null;
}

/** The steps taken without content; the access request is taken only with its content (`solicitarAcessoComDados`). */
export type PassoSemConteudo = Exclude<AcaoOnboarding, 'SOLICITAR_ACESSO'>;

/** Moves an agency's onboarding one stage, if the viewer owns the step and its gate is open. */
export async function executarPassoOnboarding(
  db: Database,
  pedido: PedidoOnboarding & { acao: PassoSemConteudo },
): Promise<ResultadoOnboarding> {
  const passo = PASSO_ONBOARDING[pedido.acao];
  const { motivo } = validar(
    passo.exigeMotivo ? motivoSchema.refine((p) => !!p.motivo, { path: ['motivo'], message: 'obrigatório para esta ação' }) : motivoSchema,
    pedido,
  );
  if (pedido.motivosRecusa?.length && pedido.acao !== 'REJEITAR_CADASTRO') {
    throw new DadosInvalidos([{ campo: 'motivosRecusa', mensagem: 'só ao rejeitar um cadastro' }]);
  }
  if (!podeAgir(pedido.viewer, passo.responsavel, pedido.orgaoId)) throw new PapelNaoPermitido(passo.responsavel);
  return db.transaction(async (tx) => {
    const resultado = await moverEtapa(tx, pedido, motivo ?? null);
    // Production access replicates homologação's configuration into produção (its stage event records when and by whom).
    if (pedido.acao === ACAO_ACESSO_PRODUCAO)
      await replicarConfiguracaoParaProducao(tx, pedido.orgaoId, pedido.viewer.sujeito, pedido.agora);
    if (pedido.acao === 'APROVAR_CADASTRO' || pedido.acao === 'REJEITAR_CADASTRO') {
      // PEN's analysis closes the open request with its content (none for a request made without it).
      const analisadas = await tx
        .update(solicitacoesAcesso)
        .set({
          situacao: pedido.acao === 'APROVAR_CADASTRO' ? 'APROVADA' : 'REJEITADA',
          motivosRecusa: pedido.acao === 'REJEITAR_CADASTRO' ? [...new Set(pedido.motivosRecusa ?? [])] : null,
          analisadoPor: pedido.viewer.sujeito,
          analisadoEm: pedido.agora,
        })
        .where(and(eq(solicitacoesAcesso.orgaoId, pedido.orgaoId), eq(solicitacoesAcesso.situacao, 'EM_ANALISE')))
        .returning();
      for (const s of pedido.acao === 'APROVAR_CADASTRO' ? analisadas : []) {
        await vincularSistemaAprovado(tx, s);
        await registrarPrimeiroGestor(
          tx,
          pedido.orgaoId,
          { nome: s.gestorNome, cpf: s.gestorCpf, email: s.gestorEmail, registradoPor: s.solicitadoPor },
          pedido.agora,
        );
      }
    }
    return resultado;
  });
}

/** The stage move itself, inside the caller's transaction (the caller checked who acts). */
async function moverEtapa(tx: Transaction, pedido: PedidoOnboarding, motivo: string | null): Promise<ResultadoOnboarding> {
  const passo = PASSO_ONBOARDING[pedido.acao];
  const [orgao] = await tx.select({ id: estruturas.id, paiId: estruturas.paiId }).from(estruturas).where(eq(estruturas.id, pedido.orgaoId));
  if (!orgao || orgao.paiId !== null) throw new OnboardingNaoEncontrado();
  // Row lock: two moves of one agency's onboarding run one after the other.
  const [atual] = await tx.select().from(onboardings).where(eq(onboardings.orgaoId, pedido.orgaoId)).for('update');
  const etapa = atual?.etapa ?? null;
  if (!passo.de.includes(etapa)) {
    throw new EtapaInvalida(
      etapa,
      pedido.acao,
      passosOnboardingAPartirDe(etapa)
        .filter((p) => podeAgir(pedido.viewer, p.responsavel, pedido.orgaoId))
        .map((p) => p.acao),
    );
  }
  if (pedido.versaoEsperada != null && atual && atual.versao !== pedido.versaoEsperada) {
    throw new DadosInvalidos([{ campo: 'versaoEsperada', mensagem: `o onboarding está na versão ${atual.versao}` }]);
  }
  const pendencias: string[] = [];
  for (const condicao of passo.condicoes) pendencias.push(...(await pendenciasDaCondicao(tx, pedido.orgaoId, condicao)));
  if (pendencias.length > 0) throw new CriteriosNaoAtendidos(pendencias);

  const valores = {
    etapa: passo.para,
    atualizadoEm: pedido.agora,
    implantadoEm: passo.para === 'EM_PRODUCAO' ? pedido.agora : (atual?.implantadoEm ?? null),
  };
  const [onboarding] = atual
    ? await tx
        .update(onboardings)
        .set({ ...valores, versao: atual.versao + 1 })
        .where(eq(onboardings.orgaoId, pedido.orgaoId))
        .returning()
    : await tx
        .insert(onboardings)
        .values({ orgaoId: pedido.orgaoId, ...valores, versao: 1, iniciadoEm: pedido.agora })
        .returning();
  const [evento] = await registrarEventosOnboarding(tx, [
    {
      orgaoId: pedido.orgaoId,
      tipo: 'ETAPA',
      deEtapa: etapa,
      paraEtapa: passo.para,
      ambiente: AMBIENTE_DA_ETAPA[passo.para],
      atorSujeito: pedido.viewer.sujeito,
      motivo,
      ocorridoEm: pedido.agora,
    },
  ]);
  return { onboarding: onboarding!, evento: evento! };
}

export type { AcaoRequisito };

export interface PedidoRequisito {
  acao: AcaoRequisito;
  orgaoId: number;
  ambiente: Ambiente;
  codigo: string;
  viewer: Viewer;
  agora: Date;
  /** The agency's evidence (registrar) or PEN's reason (recusar). */
  nota?: string | null;
}

const notaSchema = z.object({ nota: z.string().trim().max(1000, 'no máximo 1.000 caracteres').nullish() }).loose();

/**
 * A configuration requirement: the agency records it with evidence, PEN confirms it or sends it back
 * with a reason. Trâmite tests are never recorded by hand: they are verified from real trâmites.
 */
export async function executarAcaoRequisito(db: Database, pedido: PedidoRequisito): Promise<ResultadoOnboarding> {
  const porPen = pedido.acao !== 'REGISTRAR_REQUISITO';
  const { nota } = validar(
    pedido.acao === 'RECUSAR_REQUISITO' || pedido.acao === 'REGISTRAR_REQUISITO'
      ? notaSchema.refine((p) => !!p.nota, { path: ['nota'], message: porPen ? 'informe o motivo' : 'descreva a evidência' })
      : notaSchema,
    pedido,
  );
  if (!podeAgir(pedido.viewer, porPen ? 'PEN' : 'ORGAO', pedido.orgaoId)) throw new PapelNaoPermitido(porPen ? 'PEN' : 'ORGAO');

  return db.transaction(async (tx) => {
    const [atual] = await tx.select().from(onboardings).where(eq(onboardings.orgaoId, pedido.orgaoId)).for('update');
    if (!atual) throw new OnboardingNaoEncontrado();
    if (atual.etapa !== ETAPA_DOS_REQUISITOS[pedido.ambiente]) throw new EtapaInvalida(atual.etapa, pedido.acao, []);
    const [requisito] = await tx.select().from(requisitosMinimos).where(eq(requisitosMinimos.codigo, pedido.codigo));
    if (!requisito) throw new DadosInvalidos([{ campo: 'codigo', mensagem: `requisito ${pedido.codigo} não existe` }]);
    if (requisito.tipo !== 'CONFIGURACAO') {
      throw new DadosInvalidos([{ campo: 'codigo', mensagem: `o requisito ${pedido.codigo} é verificado automaticamente pelos trâmites` }]);
    }
    const chave = and(
      eq(requisitosOrgao.orgaoId, pedido.orgaoId),
      eq(requisitosOrgao.ambiente, pedido.ambiente),
      eq(requisitosOrgao.codigo, pedido.codigo),
    );
    const [registro] = await tx.select().from(requisitosOrgao).where(chave);
    const proxima = proximaSituacaoRequisito(pedido.acao, registro?.situacao ?? null);
    if ('recusa' in proxima) throw new DadosInvalidos([{ campo: 'codigo', mensagem: proxima.recusa }]);
    const { situacao } = proxima;
    if (situacao === 'REGISTRADO') {
      await tx
        .insert(requisitosOrgao)
        .values({
          orgaoId: pedido.orgaoId,
          ambiente: pedido.ambiente,
          codigo: pedido.codigo,
          situacao: 'REGISTRADO',
          nota,
          registradoPor: pedido.viewer.sujeito,
          registradoEm: pedido.agora,
        })
        .onConflictDoUpdate({
          target: [requisitosOrgao.orgaoId, requisitosOrgao.ambiente, requisitosOrgao.codigo],
          set: { situacao: 'REGISTRADO', nota, registradoPor: pedido.viewer.sujeito, registradoEm: pedido.agora },
        });
    } else if (situacao === 'CONFIRMADO') {
      await tx
        .update(requisitosOrgao)
        .set({ situacao: 'CONFIRMADO', confirmadoPor: pedido.viewer.sujeito, confirmadoEm: pedido.agora })
        .where(chave);
    } else {
      await tx.delete(requisitosOrgao).where(chave);
    }
    const [onboarding] = await tx
      .update(onboardings)
      .set({ versao: atual.versao + 1, atualizadoEm: pedido.agora })
      .where(eq(onboardings.orgaoId, pedido.orgaoId))
      .returning();
    const [evento] = await registrarEventosOnboarding(tx, [
      {
        orgaoId: pedido.orgaoId,
        tipo: 'REQUISITO',
        deEtapa: atual.etapa,
        paraEtapa: atual.etapa,
        ambiente: pedido.ambiente,
        requisito: pedido.codigo,
        situacaoRequisito: situacao,
        atorSujeito: pedido.viewer.sujeito,
        motivo: pedido.acao === 'REGISTRAR_REQUISITO' ? null : nota,
        ocorridoEm: pedido.agora,
      },
    ]);
    return { onboarding: onboarding!, evento: evento! };
  });
}

export interface UnidadeTesteProducao {
  repositorio: number;
  numeroIdentificacao: number;
}

/**
 * After a trâmite step, inside its transaction: a trâmite that reached 6 or 9 satisfies a trâmite
 * test for the agencies on its sides that are doing their requirements now. In homologação any
 * counterpart counts; in produção the counterpart unit must be the production test unit (DISIS by
 * default) and the description must mark it as a test ("TESTE – <sigla>").
 */
/**
 * The gate of every trâmite start (wired at composition): each side's agency must be admitted by its onboarding in
 * the trâmite's environment (regras.ts `admitidoNoAmbiente`), else `OrgaoNaoAdmitidoNoAmbiente` names its stage.
 */
export async function verificarAdmissaoNoAmbiente(tx: Transaction, ambiente: Ambiente, orgaoIds: readonly number[]): Promise<void> {
  const ids = [...new Set(orgaoIds)];
  const etapas = await tx
    .select({ orgaoId: estruturas.id, sigla: estruturas.sigla, etapa: onboardings.etapa })
    .from(estruturas)
    .leftJoin(onboardings, eq(onboardings.orgaoId, estruturas.id))
    .where(inArray(estruturas.id, ids));
  for (const id of ids) {
    const linha = etapas.find((e) => e.orgaoId === id);
    const etapa = (linha?.etapa ?? null) as Etapa | null;
    if (!admitidoNoAmbiente(etapa, ambiente)) throw new OrgaoNaoAdmitidoNoAmbiente(linha?.sigla ?? String(id), ambiente, etapa);
  }
}

export function verificadorDeRequisitos(unidadeTeste: UnidadeTesteProducao) {
  return async function verificarRequisitosPorTramite(
    tx: Transaction,
    tramite: TramiteRow,
    evento: Pick<Evento, 'paraSituacao' | 'ocorridoEm'>,
  ): Promise<void> {
    if (evento.paraSituacao !== 6 && evento.paraSituacao !== 9) return;
    const lados = [
      { lado: 'REMETENTE' as const, orgaoId: tramite.remetenteOrgaoId, contraparteUnidadeId: tramite.destinatarioUnidadeId },
      { lado: 'DESTINATARIO' as const, orgaoId: tramite.destinatarioOrgaoId, contraparteUnidadeId: tramite.remetenteUnidadeId },
    ];
    const emRequisitos = await tx
      .select()
      .from(onboardings)
      .where(
        and(
          inArray(onboardings.orgaoId, [...new Set(lados.map((l) => l.orgaoId))]),
          inArray(onboardings.etapa, Object.values(ETAPA_DOS_REQUISITOS)),
        ),
      )
      .for('update');
    if (emRequisitos.length === 0) return;
    const [teste] = await tx
      .select({ id: estruturas.id })
      .from(estruturas)
      .where(
        and(eq(estruturas.repositorioId, unidadeTeste.repositorio), eq(estruturas.numeroIdentificacao, unidadeTeste.numeroIdentificacao)),
      );

    for (const onboarding of emRequisitos) {
      const ambiente = AMBIENTE_DA_ETAPA[onboarding.etapa as Etapa];
      for (const { lado, orgaoId, contraparteUnidadeId } of lados) {
        if (orgaoId !== onboarding.orgaoId) continue;
        const tipo = requisitoAtendidoPorTramite(evento.paraSituacao, lado);
        if (!tipo) continue;
        // A trâmite meets a test of its own environment only.
        if (tramite.ambiente !== ambiente) continue;
        if (ambiente === 'PRODUCAO' && (contraparteUnidadeId !== teste?.id || !descricaoDeTeste(tramite.descricao))) continue;
        const [requisito] = await tx
          .select()
          .from(requisitosMinimos)
          .where(eq(requisitosMinimos.tipo, tipo))
          .orderBy(requisitosMinimos.ordem)
          .limit(1);
        if (!requisito) continue;
        const inseridos = await tx
          .insert(requisitosOrgao)
          .values({
            orgaoId,
            ambiente,
            codigo: requisito.codigo,
            situacao: 'ATENDIDO_AUTOMATICAMENTE',
            evidenciaTramiteId: tramite.id,
            registradoPor: ATOR_PLATAFORMA,
            registradoEm: evento.ocorridoEm,
          })
          .onConflictDoNothing()
          .returning();
        if (inseridos.length === 0) continue; // already satisfied: the first trâmite stays the evidence
        await tx
          .update(onboardings)
          .set({ versao: sql`${onboardings.versao} + 1`, atualizadoEm: evento.ocorridoEm })
          .where(eq(onboardings.orgaoId, orgaoId));
        await registrarEventosOnboarding(tx, [
          {
            orgaoId,
            tipo: 'REQUISITO',
            deEtapa: onboarding.etapa,
            paraEtapa: onboarding.etapa,
            ambiente,
            requisito: requisito.codigo,
            situacaoRequisito: 'ATENDIDO_AUTOMATICAMENTE',
            evidenciaTramiteId: tramite.id,
            atorSujeito: ATOR_PLATAFORMA,
            ocorridoEm: evento.ocorridoEm,
          },
        ]);
      }
    }
  };
}

export interface PedidoTestesIniciados {
  orgaoId: number;
  viewer: Viewer;
  agora: Date;
  /** Where the institutional notice goes (PEN_NOTICE_EMAIL). */
  para: string;
}

/**
 * The agency records that its production tests began: the PEN team's follow-up starts. In the same
 * transaction the institutional notice to the PEN team enters the outbox (avisos.ts delivers it), so
 * the record and its notice commit together or not at all.
 */
export async function registrarInicioTestesProducao(db: Database, pedido: PedidoTestesIniciados): Promise<ResultadoOnboarding> {
  if (!podeAgir(pedido.viewer, 'ORGAO', pedido.orgaoId)) throw new PapelNaoPermitido('ORGAO');
  return db.transaction(async (tx) => {
    const [atual] = await tx.select().from(onboardings).where(eq(onboardings.orgaoId, pedido.orgaoId)).for('update');
    if (!atual) throw new OnboardingNaoEncontrado();
    if (atual.etapa !== ETAPA_DOS_TESTES_DE_PRODUCAO) throw new EtapaInvalida(atual.etapa, 'REGISTRAR_TESTES_INICIADOS', []);
    if (atual.testesIniciadosEm) throw new TestesJaIniciados(atual.testesIniciadosEm);
    const [orgao] = await tx
      .select({ nome: estruturas.nome, sigla: estruturas.sigla })
      .from(estruturas)
      .where(eq(estruturas.id, pedido.orgaoId));
    const [onboarding] = await tx
      .update(onboardings)
      .set({ versao: atual.versao + 1, atualizadoEm: pedido.agora, testesIniciadosEm: pedido.agora })
      .where(eq(onboardings.orgaoId, pedido.orgaoId))
      .returning();
    const { assunto, corpo } = avisoTestesIniciados(orgao!, pedido.viewer.sujeito, pedido.agora);
    await tx.insert(avisosEmail).values({
      orgaoId: pedido.orgaoId,
      tipo: 'TESTES_INICIADOS',
      para: pedido.para,
      assunto,
      corpo,
      messageId: `<aviso-${randomUUID()}@tramita-gateway>`,
      criadoEm: pedido.agora,
      proximaTentativaEm: pedido.agora,
    });
    const [evento] = await registrarEventosOnboarding(tx, [
      {
        orgaoId: pedido.orgaoId,
        tipo: 'TESTES_INICIADOS',
        deEtapa: atual.etapa,
        paraEtapa: atual.etapa,
        ambiente: 'PRODUCAO',
        atorSujeito: pedido.viewer.sujeito,
        ocorridoEm: pedido.agora,
      },
    ]);
    return { onboarding: onboarding!, evento: evento! };
  });
}

/** The onboarding commands that need the deployment's settings, built once at composition. */
export interface ServicoOnboarding {
  registrarInicioTestesProducao(pedido: Omit<PedidoTestesIniciados, 'para'>): Promise<ResultadoOnboarding>;
}

export function criarServicoOnboarding(db: Database, { avisos }: { avisos: { para: string } }): ServicoOnboarding {
  return {
    registrarInicioTestesProducao: (pedido) => registrarInicioTestesProducao(db, { ...pedido, para: avisos.para }),
  };
}

const texto = (max: number) => z.string().trim().min(1, 'obrigatório').max(max, `no máximo ${max} caracteres`);
const identificador = z.number().int().positive();

/** The access request's fields (MTO "Solicitação de Acesso"); every one required. */
export const dadosSolicitacaoSchema = z
  .object({
    /** A SIORG root (or any root already registered) chosen from the structures. */
    orgao: z.object({ repositorio: identificador, estrutura: identificador }).strict().optional(),
    /** Typed identification of a body outside SIORG, registered by this request. */
    identificacao: z
      .object({
        repositorio: identificador,
        nome: texto(200),
        sigla: texto(30),
        uf: z.string().refine(ufValida, 'uma UF da lista (ex.: GO, DF)'),
        cnpj: z.string().refine(cnpjValido, 'CNPJ inválido (dígitos verificadores)').transform(soDigitos),
        endereco: texto(300),
        cep: z.string().refine(cepValido, 'CEP no formato 00000-000').transform(soDigitos),
      })
      .strict()
      .optional(),
    /** The SPE ("Sistema de Governo"): an existing one, by its code… */
    sistema: z
      .object({ codigo: texto(100) })
      .strict()
      .optional(),
    /** …or a new one, with its Gestor Tecnológico ("Interno" or the company), created and linked on approval. */
    sistemaNovo: z
      .object({
        codigo: z
          .string()
          .trim()
          .regex(/^[a-z0-9][a-z0-9:._-]{1,99}$/, 'minúsculas, dígitos e ":._-" (ex.: "spe:sei.orgao.gov.br")'),
        nome: texto(200),
        sistema: texto(60),
        versao: texto(60).nullish(),
        gestorTecnologico: texto(200),
      })
      .strict()
      .optional(),
    gestor: z
      .object({
        nome: texto(200),
        cpf: z.string().refine(cpfValido, 'CPF inválido (dígitos verificadores)').transform(soDigitos),
        email: z.email('e-mail inválido'),
      })
      .strict(),
  })
  .strict()
  .refine((d) => (d.orgao ? 1 : 0) + (d.identificacao ? 1 : 0) === 1, {
    path: ['orgao'],
    message: 'informe o órgão (raiz SIORG) ou a identificação de um órgão de outro repositório, um dos dois',
  })
  .refine((d) => (d.sistema ? 1 : 0) + (d.sistemaNovo ? 1 : 0) === 1, {
    path: ['sistema'],
    message: 'informe o SPE: um já cadastrado (`sistema.codigo`) ou um novo (`sistemaNovo`), um dos dois',
  });
export type DadosSolicitacao = z.output<typeof dadosSolicitacaoSchema>;

export interface PedidoSolicitacaoAcesso {
  viewer: Viewer;
  agora: Date;
  /** Unvalidated: the JSON the client sent. */
  dados: unknown;
  documento: { nome: string; bytes: AsyncIterable<Uint8Array> } | null;
}

export type SolicitacaoRow = typeof solicitacoesAcesso.$inferSelect;

/** The SPE a request names: an existing one's id (null for a new one, whose code must still be free). */
async function sistemaDaSolicitacao(tx: Transaction, dados: DadosSolicitacao): Promise<number | null> {
  const codigo = dados.sistema?.codigo ?? dados.sistemaNovo!.codigo;
  const [existente] = await tx.select({ id: sistemas.id }).from(sistemas).where(eq(sistemas.codigo, codigo));
  if (dados.sistema && !existente) throw new DadosInvalidos([{ campo: 'sistema.codigo', mensagem: 'SPE não cadastrado' }]);
  if (dados.sistemaNovo && existente) {
    throw new DadosInvalidos([{ campo: 'sistemaNovo.codigo', mensagem: 'já há um SPE com este código: escolha-o em `sistema`' }]);
  }
  return existente?.id ?? null;
}

/**
 * On approval: the SPE the request named serves the agency from now on ("Vincular Sistemas"); a new one is created
 * first (its code taken meanwhile is a coded refusal, the approval rolled back) and the request points at it.
 */
async function vincularSistemaAprovado(tx: Transaction, solicitacao: SolicitacaoRow): Promise<void> {
  let sistemaId = solicitacao.sistemaId;
  const novo = solicitacao.sistemaNovo;
  if (sistemaId === null && novo?.codigo && novo.sistema) {
    const [criado] = await tx
      .insert(sistemas)
      .values({
        codigo: novo.codigo,
        nome: novo.nome,
        sistema: novo.sistema,
        versao: novo.versao ?? null,
        gestorTecnologico: novo.gestorTecnologico,
        criadoEm: solicitacao.analisadoEm ?? new Date(),
      })
      .onConflictDoNothing()
      .returning({ id: sistemas.id });
    if (!criado)
      throw new DadosInvalidos([{ campo: 'sistemaNovo.codigo', mensagem: `o código ${novo.codigo} já foi tomado por outro SPE` }]);
    sistemaId = criado.id;
    await tx.update(solicitacoesAcesso).set({ sistemaId }).where(eq(solicitacoesAcesso.id, solicitacao.id));
  }
  if (sistemaId !== null) await tx.insert(sistemaOrgaos).values({ sistemaId, orgaoId: solicitacao.orgaoId }).onConflictDoNothing();
}

/** The first bytes pass through unchanged; `inicio` gets the first `n` of them (or fewer: a short file). */
async function* espiar(bytes: AsyncIterable<Uint8Array>, n: number, inicio: (b: Uint8Array) => void): AsyncIterable<Uint8Array> {
  let visto: Uint8Array = new Uint8Array(0);
  let avisado = false;
  for await (const parte of bytes) {
    if (!avisado) {
      const junto = new Uint8Array(visto.byteLength + parte.byteLength);
      junto.set(visto);
      junto.set(parte, visto.byteLength);
      visto = junto.subarray(0, Math.max(n, visto.byteLength));
      if (visto.byteLength >= n) {
        avisado = true;
        inicio(visto.subarray(0, n));
      }
    }
    yield parte;
  }
  if (!avisado) inicio(visto);
}

/**
 * An access request with its content, in one transaction: the data checked (coded errors, nothing
 * written), the agency registered when it is outside SIORG (a new root in the named repositório,
 * numbered after the highest there), the supporting PDF streamed into the ComponentStore (header
 * `%PDF-` and `maxBytes` checked while it streams), the request stored and the onboarding moved to
 * ANALISE_CADASTRO. A body outside SIORG is created at request time, so the onboarding, its events and
 * PEN's queue refer to it like any other agency; a rejected one keeps its row (it may request again).
 */
export async function solicitarAcessoComDados(
  db: Database,
  store: ComponentStore,
  maxBytes: number,
  pedido: PedidoSolicitacaoAcesso,
): Promise<ResultadoOnboarding & { solicitacao: SolicitacaoRow }> {
  const dados = validar(dadosSolicitacaoSchema, pedido.dados);
  const { viewer } = pedido;
  if (dados.identificacao && !(viewer.papeis.has('GESTOR_PROTOCOLO') && viewer.orgaoId === null)) {
    // A new body is registered by its future gestor, whose token names no agency yet.
    throw new PapelNaoPermitido('ORGAO');
  }
  if (!pedido.documento) throw new DocumentoInvalido('AUSENTE', 'Envie o documento comprobatório (PDF) na parte "documento".');
  const documento = pedido.documento;

  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${ADVISORY_LOCKS.novoOrgao})`);
    let orgaoId: number;
    if (dados.orgao) {
      const [raiz] = await tx
        .select({ id: estruturas.id, paiId: estruturas.paiId })
        .from(estruturas)
        .where(and(eq(estruturas.repositorioId, dados.orgao.repositorio), eq(estruturas.numeroIdentificacao, dados.orgao.estrutura)));
      if (!raiz || raiz.paiId !== null) {
        throw new DadosInvalidos([{ campo: 'orgao', mensagem: 'não é a raiz de uma estrutura cadastrada (escolha o órgão raiz)' }]);
      }
      if (!podeAgir(viewer, 'ORGAO', raiz.id)) throw new PapelNaoPermitido('ORGAO');
      orgaoId = raiz.id;
    } else {
      const id = dados.identificacao!;
      const [repositorio] = await tx.select({ id: repositorios.id }).from(repositorios).where(eq(repositorios.id, id.repositorio));
      if (!repositorio) throw new DadosInvalidos([{ campo: 'identificacao.repositorio', mensagem: 'repositório não cadastrado' }]);
      const [mesmoCnpj] = await tx
        .select({ id: solicitacoesAcesso.id })
        .from(solicitacoesAcesso)
        .where(and(eq(solicitacoesAcesso.cnpj, id.cnpj), sql`${solicitacoesAcesso.situacao} <> 'REJEITADA'`));
      if (mesmoCnpj) throw new OrgaoJaCadastrado('cnpj');
      const [mesmaSigla] = await tx
        .select({ id: estruturas.id })
        .from(estruturas)
        .where(
          and(
            eq(estruturas.repositorioId, id.repositorio),
            sql`${estruturas.paiId} is null`,
            sql`upper(${estruturas.sigla}) = upper(${id.sigla})`,
          ),
        );
      if (mesmaSigla) throw new OrgaoJaCadastrado('sigla');
      const [{ proximo }] = (await tx
        .select({ proximo: sql<number>`(coalesce(max(${estruturas.numeroIdentificacao}), 0) + 1)::int` })
        .from(estruturas)
        .where(eq(estruturas.repositorioId, id.repositorio))) as [{ proximo: number }];
      const [novo] = await tx
        .insert(estruturas)
        .values({ repositorioId: id.repositorio, numeroIdentificacao: proximo, sigla: id.sigla, nome: id.nome, criadaEm: pedido.agora })
        .returning({ id: estruturas.id });
      await tx.update(estruturas).set({ orgaoId: novo!.id }).where(eq(estruturas.id, novo!.id));
      orgaoId = novo!.id;
    }

    const sistemaId = await sistemaDaSolicitacao(tx, dados);
    const [atual] = await tx.select({ etapa: onboardings.etapa }).from(onboardings).where(eq(onboardings.orgaoId, orgaoId)).for('update');
    if (atual?.etapa === 'ANALISE_CADASTRO') throw new SolicitacaoEmAberto();
    if (atual && atual.etapa !== 'CADASTRO_REJEITADO') throw new OrgaoJaEmProducao();

    let inicio: Uint8Array = new Uint8Array(0);
    let guardado: Awaited<ReturnType<ComponentStore['guardar']>>;
    try {
      guardado = await store.guardar(
        tx,
        espiar(documento.bytes, 5, (b) => {
          inicio = b;
          if (b.byteLength > 0 && !comecaComoPdf(b)) throw new DocumentoInvalido('NAO_PDF', 'O documento comprobatório deve ser um PDF.');
        }),
        { tamanhoEsperado: maxBytes, agora: pedido.agora },
      );
    } catch (erro) {
      if (erro instanceof TamanhoNaoConfere) {
        throw new DocumentoInvalido('GRANDE_DEMAIS', `O documento comprobatório tem mais de ${maxBytes} bytes.`);
      }
      throw erro;
    }
    if (guardado.tamanho === 0) throw new DocumentoInvalido('AUSENTE', 'O documento comprobatório está vazio.');
    if (!comecaComoPdf(inicio)) throw new DocumentoInvalido('NAO_PDF', 'O documento comprobatório deve ser um PDF.');

    const [solicitacao] = await tx
      .insert(solicitacoesAcesso)
      .values({
        orgaoId,
        situacao: 'EM_ANALISE',
        uf: dados.identificacao?.uf ?? null,
        cnpj: dados.identificacao?.cnpj ?? null,
        endereco: dados.identificacao?.endereco ?? null,
        cep: dados.identificacao?.cep ?? null,
        sistemaId,
        sistemaNovo: dados.sistemaNovo ?? null,
        gestorNome: dados.gestor.nome,
        gestorCpf: dados.gestor.cpf,
        gestorEmail: dados.gestor.email,
        documentoConteudoId: await guardado.nomear(),
        documentoNome: documento.nome,
        solicitadoPor: viewer.sujeito,
        solicitadoEm: pedido.agora,
      })
      .returning();
    const movido = await moverEtapa(tx, { acao: 'SOLICITAR_ACESSO', orgaoId, viewer, agora: pedido.agora }, null);
    return { ...movido, solicitacao: solicitacao! };
  });
}

import { z } from 'zod';
import { assinarEventos } from '../../feeds/assinatura.js';
import { ARG_A_PARTIR_DE, limitesDoContexto } from '../../schema/assinaturas.js';
import { DadosInvalidos } from '../../kernel/erros.js';
import { isPenAdmin } from '../../kernel/viewer.js';
import { Orgao } from '../../orgaos/graphql/orgao.js';
import { builder } from '../../schema/builder.js';
import { badUserInput, forbidden } from '../../schema/errors.js';
import { ErroInterface } from '../../schema/resultados.js';
import { orgaoEmFoco, requireViewer, type GatewayContext } from '../../schema/context.js';
import { canReadTramite } from '../../tramites/acesso.js';
import { Tramite } from '../../tramites/graphql/tramite.js';
import { CriteriosNaoAtendidos, EtapaInvalida, OnboardingNaoEncontrado, PapelNaoPermitido } from '../erros.js';
import { lerEventosOnboarding, podeVerOnboarding } from '../feed.js';
import {
  AMBIENTE_DA_ETAPA,
  ETAPAS,
  PASSOS_ONBOARDING,
  passosOnboardingAPartirDe,
  podeAgir,
  type AcaoOnboarding as CodigoAcao,
  type Ambiente as CodigoAmbiente,
  type Etapa,
} from '../regras.js';
import {
  bloqueios,
  checklist,
  executarAcaoRequisito,
  executarPassoOnboarding,
  type AcaoRequisito,
  type EventoOnboarding as EventoRow,
  type ItemChecklist,
  type OnboardingRow,
  type ResultadoOnboarding,
} from '../servico.js';
import type { Barramento } from '../../feeds/barramento.js';

declare module '../../schema/context.js' {
  interface Feeds {
    /** The onboarding event log's bus. */
    onboarding: Barramento<EventoRow>;
  }
}

const DESCRICAO_ETAPA: Record<Etapa, string> = {
  ANALISE_CADASTRO: 'Solicitação de acesso enviada; a equipe do PEN analisa o cadastro (homologação).',
  CADASTRO_REJEITADO: 'Cadastro rejeitado pelo PEN, com motivo; o órgão pode corrigir e solicitar de novo.',
  CONFIGURACAO_ESTRUTURA: 'Cadastro aprovado: certificado, unidades, gestores e unidades de envio/recebimento (homologação).',
  IMPLANTACAO_HOMOLOGACAO: 'Implantação do módulo de conexão e requisitos mínimos em homologação.',
  VALIDACAO_HOMOLOGACAO: 'A equipe técnica do PEN valida os requisitos de homologação.',
  ACESSO_PRODUCAO: 'Acesso à produção: configuração replicada e TODOS os requisitos de novo, com testes com a unidade de testes (DISIS/MGI).',
  VALIDACAO_PRODUCAO: 'A equipe do PEN acompanha e valida os testes em produção.',
  EM_PRODUCAO: 'Implantado: em produção, com data de implantação registrada.',
};

export const EtapaOnboarding = builder.enumType('EtapaOnboarding', {
  description: 'Etapas do caminho de um órgão até a produção.',
  values: Object.fromEntries(ETAPAS.map((e) => [e, { description: DESCRICAO_ETAPA[e] }])) as Record<Etapa, { description: string }>,
});

export const Ambiente = builder.enumType('Ambiente', {
  description: 'Ambiente do Tramita.GOV.BR.',
  values: {
    HOMOLOGACAO: { description: 'Homologação: onde o órgão se implanta e testa.' },
    PRODUCAO: { description: 'Produção.' },
  } as const,
});

const NOME_ACAO: Record<CodigoAcao, { mutacao: string; descricao: string }> = {
  SOLICITAR_ACESSO: { mutacao: 'solicitarAcesso', descricao: 'O gestor de protocolo solicita o acesso do órgão (ou solicita de novo após rejeição).' },
  APROVAR_CADASTRO: { mutacao: 'aprovarCadastro', descricao: 'PEN aprova o cadastro: o órgão configura sua estrutura.' },
  REJEITAR_CADASTRO: { mutacao: 'rejeitarCadastro', descricao: 'PEN rejeita o cadastro, com motivo.' },
  CONCLUIR_CONFIGURACAO: { mutacao: 'concluirConfiguracaoEstrutura', descricao: 'O gestor conclui a configuração (exige unidades habilitadas para envio e para recebimento).' },
  SOLICITAR_VALIDACAO_HOMOLOGACAO: { mutacao: 'solicitarValidacaoHomologacao', descricao: 'O gestor pede a validação da homologação (exige todos os requisitos de homologação).' },
  VALIDAR_HOMOLOGACAO: { mutacao: 'validarHomologacao', descricao: 'PEN valida a homologação: o órgão ganha acesso à produção.' },
  REPROVAR_HOMOLOGACAO: { mutacao: 'reprovarHomologacao', descricao: 'PEN reprova a validação da homologação, com motivo: volta à implantação.' },
  SOLICITAR_VALIDACAO_PRODUCAO: { mutacao: 'solicitarValidacaoProducao', descricao: 'O gestor pede a validação em produção (exige todos os requisitos de produção).' },
  VALIDAR_PRODUCAO: { mutacao: 'validarProducao', descricao: 'PEN valida em produção: o órgão está implantado.' },
  REPROVAR_PRODUCAO: { mutacao: 'reprovarProducao', descricao: 'PEN reprova a validação em produção, com motivo.' },
};

export const AcaoOnboarding = builder.enumType('AcaoOnboarding', {
  description: 'Os passos do onboarding.',
  values: Object.fromEntries(PASSOS_ONBOARDING.map((p) => [p.acao, { description: NOME_ACAO[p.acao].descricao }])) as Record<
    CodigoAcao,
    { description: string }
  >,
});

const TipoRequisito = builder.enumType('TipoRequisito', {
  description: 'Como um requisito mínimo é cumprido.',
  values: {
    TRAMITE_ENVIADO_COM_SUCESSO: { description: 'Teste de trâmite: processo enviado com sucesso (verificado automaticamente).' },
    TRAMITE_RECEBIDO_COM_SUCESSO: { description: 'Teste de trâmite: processo recebido com sucesso (verificado automaticamente).' },
    RECUSA_COMO_DESTINATARIO: { description: 'Teste de trâmite: recusa de recebimento como destinatário (verificado automaticamente).' },
    CONFIGURACAO: { description: 'Item de configuração: registrado pelo órgão com evidência e confirmado pelo PEN.' },
  } as const,
});

const SituacaoRequisito = builder.enumType('SituacaoRequisito', {
  description: 'Estado de um requisito mínimo num ambiente.',
  values: {
    PENDENTE: { description: 'Ainda não cumprido.' },
    REGISTRADO: { description: 'Registrado pelo órgão com evidência; aguarda confirmação do PEN.' },
    CONFIRMADO: { description: 'Confirmado pela equipe do PEN.' },
    ATENDIDO_AUTOMATICAMENTE: { description: 'Cumprido por um trâmite real deste sistema (a evidência).' },
  } as const,
});

/** The evidence trâmite, when the viewer may read it. */
async function evidencia(ctx: GatewayContext, tramiteId: number | null | undefined) {
  if (tramiteId == null) return null;
  const tramite = await ctx.db.query.tramites.findFirst({ where: { id: tramiteId } });
  return tramite && canReadTramite(requireViewer(ctx), tramite) ? tramite : null;
}

const ItemChecklistRef = builder.objectRef<ItemChecklist>('ItemChecklist').implement({
  description: 'Um requisito mínimo do órgão num ambiente.',
  fields: (t) => ({
    codigo: t.exposeString('codigo', { description: 'Letra do requisito (a a i).' }),
    descricao: t.exposeString('descricao', { description: 'O que o requisito pede.' }),
    tipo: t.field({ type: TipoRequisito, description: 'Como é cumprido.', resolve: (i) => i.tipo }),
    exigido: t.exposeBoolean('exigido', { description: 'Exigido para a validação.' }),
    ambiente: t.field({ type: Ambiente, description: 'Ambiente.', resolve: (i) => i.ambiente }),
    situacao: t.field({ type: SituacaoRequisito, description: 'Estado.', resolve: (i) => i.situacao }),
    evidencia: t.field({
      type: Tramite,
      nullable: true,
      description: 'O trâmite que cumpriu o requisito (se você puder vê-lo).',
      resolve: (i, _a, ctx) => evidencia(ctx, i.registro?.evidenciaTramiteId),
    }),
    nota: t.string({ nullable: true, description: 'Evidência descrita pelo órgão.', resolve: (i) => i.registro?.nota ?? null }),
    registradoPor: t.string({ nullable: true, description: 'Quem registrou.', resolve: (i) => i.registro?.registradoPor ?? null }),
    registradoEm: t.field({ type: 'DateTime', nullable: true, description: 'Quando registrou.', resolve: (i) => i.registro?.registradoEm ?? null }),
    confirmadoPor: t.string({ nullable: true, description: 'Quem do PEN confirmou.', resolve: (i) => i.registro?.confirmadoPor ?? null }),
    confirmadoEm: t.field({ type: 'DateTime', nullable: true, description: 'Quando foi confirmado.', resolve: (i) => i.registro?.confirmadoEm ?? null }),
  }),
});

const EventoOnboardingRef = builder.objectRef<EventoRow>('EventoOnboarding').implement({
  description: 'Uma mudança no onboarding de um órgão: de etapa, ou de um requisito do checklist.',
  fields: (t) => ({
    cursor: t.string({ description: 'Posição global do evento (para retomar a assinatura).', resolve: (e) => String(e.seq) }),
    tipo: t.exposeString('tipo', { description: 'ETAPA (mudança de etapa) ou REQUISITO (mudança no checklist).' }),
    orgao: t.field({
      type: Orgao,
      description: 'O órgão.',
      resolve: (e, _a, ctx) => ctx.db.query.estruturas.findFirst({ where: { id: e.orgaoId } }).then((o) => o!),
    }),
    etapaAnterior: t.field({ type: EtapaOnboarding, nullable: true, description: 'Etapa antes do evento.', resolve: (e) => e.deEtapa }),
    etapa: t.field({ type: EtapaOnboarding, description: 'Etapa depois do evento.', resolve: (e) => e.paraEtapa }),
    ambiente: t.field({ type: Ambiente, nullable: true, description: 'Ambiente afetado.', resolve: (e) => e.ambiente }),
    requisito: t.exposeString('requisito', { nullable: true, description: 'Letra do requisito, nos eventos de checklist.' }),
    situacaoRequisito: t.field({
      type: SituacaoRequisito,
      nullable: true,
      description: 'Novo estado do requisito, nos eventos de checklist.',
      resolve: (e) => e.situacaoRequisito as ItemChecklist['situacao'] | null,
    }),
    evidencia: t.field({
      type: Tramite,
      nullable: true,
      description: 'Trâmite que cumpriu o requisito automaticamente (se você puder vê-lo).',
      resolve: (e, _a, ctx) => evidencia(ctx, e.evidenciaTramiteId),
    }),
    ator: t.exposeString('atorSujeito', { description: 'Quem agiu (sujeito do token; "tramita-gov-br" para verificações automáticas).' }),
    motivo: t.exposeString('motivo', { nullable: true, description: 'Motivo (rejeição, reprovação, recusa de requisito).' }),
    ocorridoEm: t.field({ type: 'DateTime', description: 'Quando.', resolve: (e) => e.ocorridoEm }),
  }),
});

const OnboardingRef = builder.objectRef<OnboardingRow>('Onboarding').implement({
  description: 'Onde um órgão está no caminho até a produção, o que falta e o histórico.',
  fields: (t) => ({
    orgao: t.field({
      type: Orgao,
      description: 'O órgão.',
      resolve: (o, _a, ctx) => ctx.db.query.estruturas.findFirst({ where: { id: o.orgaoId } }).then((r) => r!),
    }),
    etapa: t.field({ type: EtapaOnboarding, description: 'Etapa atual.', resolve: (o) => o.etapa }),
    ambiente: t.field({ type: Ambiente, description: 'Ambiente da etapa atual.', resolve: (o) => AMBIENTE_DA_ETAPA[o.etapa] }),
    versao: t.exposeInt('versao', { description: 'Cresce a cada mudança.' }),
    iniciadoEm: t.field({ type: 'DateTime', description: 'Quando o acesso foi solicitado pela primeira vez.', resolve: (o) => o.iniciadoEm }),
    atualizadoEm: t.field({ type: 'DateTime', description: 'Última mudança.', resolve: (o) => o.atualizadoEm }),
    implantadoEm: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Data de implantação (validação em produção); nula enquanto "em implantação".',
      resolve: (o) => o.implantadoEm,
    }),
    checklist: t.field({
      type: [ItemChecklistRef],
      description: 'Os requisitos mínimos num ambiente (padrão: o da etapa atual).',
      args: { ambiente: t.arg({ type: Ambiente, required: false, description: 'Ambiente do checklist.' }) },
      resolve: (o, args, ctx) => checklist(ctx.db, o.orgaoId, args.ambiente ?? AMBIENTE_DA_ETAPA[o.etapa]),
    }),
    bloqueios: t.stringList({
      description: 'O que impede o próximo avanço agora (vazio quando nada impede).',
      resolve: (o, _a, ctx) => bloqueios(ctx.db, o),
    }),
    acoesPermitidas: t.field({
      type: [AcaoOnboarding],
      description: 'Os passos que você pode dar agora (os critérios de cada um são conferidos ao agir).',
      resolve: (o, _a, ctx) =>
        passosOnboardingAPartirDe(o.etapa)
          .filter((p) => podeAgir(requireViewer(ctx), p.responsavel, o.orgaoId))
          .map((p) => p.acao),
    }),
    historico: t.field({
      type: [EventoOnboardingRef],
      description: 'Todos os eventos do onboarding do órgão, em ordem.',
      resolve: (o, _a, ctx) => ctx.db.query.onboardingEventos.findMany({ where: { orgaoId: o.orgaoId }, orderBy: { seq: 'asc' } }),
    }),
  }),
});

builder.queryFields((t) => ({
  onboarding: t.field({
    type: OnboardingRef,
    nullable: true,
    description: 'O onboarding de um órgão (o seu, por padrão). Nulo se o órgão ainda não solicitou acesso.',
    args: { orgao: t.arg.globalID({ for: [Orgao], required: false, description: 'Órgão (PEN_ADMIN: qualquer um).' }) },
    resolve: async (_root, args, ctx) => {
      const orgaoId = orgaoEmFoco(requireViewer(ctx), args.orgao);
      if (orgaoId == null) throw badUserInput('orgao', 'informe o órgão (seu token não representa um).');
      return (await ctx.db.query.onboardings.findFirst({ where: { orgaoId } })) ?? null;
    },
  }),
  onboardings: t.field({
    type: [OnboardingRef],
    description: 'Para a equipe do PEN (PEN_ADMIN): todos os órgãos em onboarding, por etapa e ambiente, os mais antigos primeiro.',
    args: {
      etapas: t.arg({ type: [EtapaOnboarding], required: false, description: 'Só estas etapas.' }),
      ambiente: t.arg({ type: Ambiente, required: false, description: 'Só etapas deste ambiente.' }),
    },
    resolve: async (_root, args, ctx) => {
      if (!isPenAdmin(requireViewer(ctx))) throw forbidden('Só a equipe do PEN (PEN_ADMIN) vê todos os onboardings.');
      const etapas = ETAPAS.filter(
        (e) => (!args.etapas?.length || args.etapas.includes(e)) && (!args.ambiente || AMBIENTE_DA_ETAPA[e] === args.ambiente),
      );
      return ctx.db.query.onboardings.findMany({ where: { etapa: { in: etapas } }, orderBy: { atualizadoEm: 'asc', orgaoId: 'asc' } });
    },
  }),
}));

// ---- mutations ------------------------------------------------------------------------------

builder.objectType(OnboardingNaoEncontrado, { name: 'ErroOnboardingNaoEncontrado', description: 'O órgão não tem onboarding (ou não existe).', interfaces: [ErroInterface] });
builder.objectType(EtapaInvalida, {
  name: 'ErroEtapaInvalida',
  description: 'A ação não é possível na etapa atual.',
  interfaces: [ErroInterface],
  fields: (t) => ({
    etapaAtual: t.field({ type: EtapaOnboarding, nullable: true, description: 'Etapa atual (nula: sem solicitação).', resolve: (e) => e.etapaAtual }),
    acoesPossiveis: t.field({ type: [AcaoOnboarding], description: 'O que você pode fazer agora.', resolve: (e) => e.acoesPossiveis }),
  }),
});
builder.objectType(PapelNaoPermitido, {
  name: 'ErroPapelNaoPermitido',
  description: 'A ação é de outro papel (gestor do órgão ou equipe do PEN).',
  interfaces: [ErroInterface],
});
builder.objectType(CriteriosNaoAtendidos, {
  name: 'ErroCriteriosNaoAtendidos',
  description: 'Os critérios de saída da etapa ainda não foram cumpridos.',
  interfaces: [ErroInterface],
  fields: (t) => ({
    pendencias: t.stringList({ description: 'Cada critério que falta.', resolve: (e) => e.pendencias }),
  }),
});

const ERROS_ONBOARDING = [OnboardingNaoEncontrado, EtapaInvalida, PapelNaoPermitido, CriteriosNaoAtendidos, DadosInvalidos];

const OnboardingAtualizado = builder.objectRef<ResultadoOnboarding>('OnboardingAtualizado').implement({
  description: 'A ação foi feita: o onboarding como ficou e o evento registrado.',
  fields: (t) => ({
    onboarding: t.field({ type: OnboardingRef, description: 'O onboarding depois da ação.', resolve: (r) => r.onboarding }),
    evento: t.field({ type: EventoOnboardingRef, description: 'O evento registrado.', resolve: (r) => r.evento }),
  }),
});

const AcaoOnboardingInput = builder.inputType('AcaoOnboardingInput', {
  description: 'Entrada dos passos do onboarding.',
  fields: (t) => ({
    orgao: t.globalID({ required: true, for: [Orgao], description: 'O órgão.' }),
    motivo: t.string({ description: 'Motivo (obrigatório para rejeitar e reprovar; até 1.000 caracteres).' }),
    versaoEsperada: t.int({ description: 'Se informada, só age se o onboarding ainda estiver nesta versão.' }),
  }),
});

for (const passo of PASSOS_ONBOARDING) {
  const { mutacao, descricao } = NOME_ACAO[passo.acao];
  builder.mutationField(mutacao, (t) =>
    t.field({
      type: OnboardingAtualizado,
      description: `${descricao} Quem age: ${passo.responsavel === 'PEN' ? 'PEN_ADMIN' : 'gestor de protocolo do órgão'}.`,
      errors: { types: ERROS_ONBOARDING, directResult: true, union: { description: `Resultado de \`${mutacao}\`.` } },
      args: { input: t.arg({ type: AcaoOnboardingInput, required: true, description: 'Dados da ação.' }) },
      resolve: (_root, { input }, ctx) =>
        executarPassoOnboarding(ctx.db, {
          acao: passo.acao,
          orgaoId: Number(input.orgao.id),
          viewer: requireViewer(ctx),
          agora: ctx.clock(),
          motivo: input.motivo,
          versaoEsperada: input.versaoEsperada,
        }),
    }),
  );
}

const RequisitoInput = builder.inputType('RequisitoInput', {
  description: 'Um requisito de configuração do checklist de um órgão num ambiente.',
  fields: (t) => ({
    orgao: t.globalID({ required: true, for: [Orgao], description: 'O órgão.' }),
    ambiente: t.field({ type: Ambiente, required: true, description: 'Ambiente do checklist.' }),
    codigo: t.string({ required: true, description: 'Letra do requisito (ex.: "e").', validate: z.string().regex(/^[a-z]$/, 'uma letra minúscula') }),
    nota: t.string({ description: 'Evidência (ao registrar) ou motivo (ao recusar); até 1.000 caracteres.' }),
  }),
});

const MUTACOES_REQUISITO: Array<{ nome: string; acao: AcaoRequisito; descricao: string }> = [
  { nome: 'registrarRequisito', acao: 'REGISTRAR_REQUISITO', descricao: 'O gestor do órgão registra um requisito de configuração, com evidência.' },
  { nome: 'confirmarRequisito', acao: 'CONFIRMAR_REQUISITO', descricao: 'PEN_ADMIN confirma um requisito registrado.' },
  { nome: 'recusarRequisito', acao: 'RECUSAR_REQUISITO', descricao: 'PEN_ADMIN devolve um requisito registrado ou confirmado, com motivo: volta a pendente.' },
];

for (const { nome, acao, descricao } of MUTACOES_REQUISITO) {
  builder.mutationField(nome, (t) =>
    t.field({
      type: OnboardingAtualizado,
      description: `${descricao} Só na etapa em que o ambiente faz seus requisitos.`,
      errors: { types: ERROS_ONBOARDING, directResult: true, union: { description: `Resultado de \`${nome}\`.` } },
      args: { input: t.arg({ type: RequisitoInput, required: true, description: 'O requisito.' }) },
      resolve: (_root, { input }, ctx) =>
        executarAcaoRequisito(ctx.db, {
          acao,
          orgaoId: Number(input.orgao.id),
          ambiente: input.ambiente as CodigoAmbiente,
          codigo: input.codigo,
          nota: input.nota,
          viewer: requireViewer(ctx),
          agora: ctx.clock(),
        }),
    }),
  );
}

// ---- live -----------------------------------------------------------------------------------

builder.subscriptionField('eventosOnboarding', (t) =>
  t.field({
    type: EventoOnboardingRef,
    description: 'Mudanças de etapa e de checklist ao vivo: de um órgão (o seu, por padrão) ou, para PEN_ADMIN sem `orgao`, de todos. Retomável por cursor.',
    args: {
      orgao: t.arg.globalID({ for: [Orgao], required: false, description: 'Órgão.' }),
      aPartirDe: t.arg.string(ARG_A_PARTIR_DE),
    },
    subscribe: (_root, args, ctx) => {
      const viewer = requireViewer(ctx);
      const orgaoId = orgaoEmFoco(viewer, args.orgao);
      return assinarEventos<EventoRow>({
        barramento: ctx.feeds.onboarding,
        passa: (e) => (orgaoId == null || e.orgaoId === orgaoId) && podeVerOnboarding(viewer, e.orgaoId),
        lerHistorico: (depoisDe, ate, limite) => lerEventosOnboarding(ctx.db, depoisDe, limite, ate, orgaoId),
        aPartirDe: args.aPartirDe == null ? null : Number(args.aPartirDe),
        ...limitesDoContexto(ctx),
      });
    },
    resolve: (evento) => evento as EventoRow,
  }),
);

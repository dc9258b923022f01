/**
 * An agency's onboarding (a Relay node, keyed by its agency): its stage, checklist and history,
 * the root fields that read it, and every mutation that moves it.
 */
import { z } from 'zod';
import { DadosInvalidos } from '../../kernel/erros.js';
import { isPenAdmin } from '../../kernel/viewer.js';
import { Orgao } from '../../orgaos/graphql/orgao.js';
import { AUTHENTICATED, builder, registerReadRule } from '../../schema/builder.js';
import { orgaoEmFoco } from '../../schema/context.js';
import { badUserInput, forbidden } from '../../schema/errors.js';
import { ErroInterface } from '../../schema/resultados.js';
import { CriteriosNaoAtendidos, EtapaInvalida, OnboardingNaoEncontrado, PapelNaoPermitido } from '../erros.js';
import { podeVerOnboarding } from '../feed.js';
import { AMBIENTE_DA_ETAPA, ETAPAS, PASSOS_ONBOARDING, passosOnboardingAPartirDe, podeAgir } from '../regras.js';
import type { Ambiente as CodigoAmbiente } from '../../kernel/ambiente.js';
import {
  bloqueios,
  checklist,
  executarAcaoRequisito,
  executarPassoOnboarding,
  type AcaoRequisito,
  type OnboardingRow,
  type ResultadoOnboarding,
} from '../servico.js';
import { Ambiente } from '../../schema/ambiente.js';
import { AcaoOnboarding, EtapaOnboarding, NOME_ACAO } from './etapa.js';
import { EventoOnboardingRef } from './evento-onboarding.js';
import { ItemChecklistRef } from './requisito.js';

export const OnboardingRef = builder.drizzleNode('onboardings', {
  name: 'Onboarding',
  id: { column: (o) => o.orgaoId },
  description: 'Onde um órgão está no caminho até a produção, o que falta e o histórico.',
  fields: (t) => ({
    orgao: t.relation('orgao', { type: Orgao, description: 'O órgão.' }),
    etapa: t.field({ type: EtapaOnboarding, description: 'Etapa atual.', resolve: (o) => o.etapa }),
    ambiente: t.field({ type: Ambiente, description: 'Ambiente da etapa atual.', resolve: (o) => AMBIENTE_DA_ETAPA[o.etapa] }),
    versao: t.exposeInt('versao', { description: 'Cresce a cada mudança.' }),
    iniciadoEm: t.field({
      type: 'DateTime',
      description: 'Quando o acesso foi solicitado pela primeira vez.',
      resolve: (o) => o.iniciadoEm,
    }),
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
      // An object field, reached only through a root field behind the authenticated scope: the viewer is there.
      resolve: (o, _a, ctx) =>
        passosOnboardingAPartirDe(o.etapa)
          .filter((p) => podeAgir(ctx.viewer!, p.responsavel, o.orgaoId))
          .map((p) => p.acao),
    }),
    historico: t.relation('eventos', {
      type: EventoOnboardingRef,
      description: 'Todos os eventos do onboarding do órgão, em ordem.',
      query: { orderBy: { seq: 'asc' } },
    }),
  }),
});

// An agency's people see their own agency's onboarding; PEN_ADMIN every one.
registerReadRule<OnboardingRow>(
  'Onboarding',
  (viewer, o) => podeVerOnboarding(viewer, o.orgaoId),
  (db, orgaoId) => db.query.onboardings.findFirst({ where: { orgaoId: Number(orgaoId) } }),
);

builder.queryFields((t) => ({
  onboarding: t.withAuth(AUTHENTICATED).drizzleField({
    type: OnboardingRef,
    nullable: true,
    description: 'O onboarding de um órgão (o seu, por padrão). Nulo se o órgão ainda não solicitou acesso.',
    args: { orgao: t.arg.globalID({ for: [Orgao], required: false, description: 'Órgão (PEN_ADMIN: qualquer um).' }) },
    resolve: async (query, _root, args, ctx) => {
      const orgaoId = orgaoEmFoco(ctx.viewer, args.orgao);
      if (orgaoId == null) throw badUserInput('orgao', 'informe o órgão (seu token não representa um).');
      return (await ctx.db.query.onboardings.findFirst(query({ where: { orgaoId } }))) ?? null;
    },
  }),
  onboardings: t.withAuth(AUTHENTICATED).drizzleField({
    type: [OnboardingRef],
    description: 'Para a equipe do PEN (PEN_ADMIN): todos os órgãos em onboarding, por etapa e ambiente, os mais antigos primeiro.',
    args: {
      etapas: t.arg({ type: [EtapaOnboarding], required: false, description: 'Só estas etapas.' }),
      ambiente: t.arg({ type: Ambiente, required: false, description: 'Só etapas deste ambiente.' }),
    },
    resolve: async (query, _root, args, ctx) => {
      if (!isPenAdmin(ctx.viewer)) throw forbidden('Só a equipe do PEN (PEN_ADMIN) vê todos os onboardings.');
      const etapas = ETAPAS.filter(
        (e) => (!args.etapas?.length || args.etapas.includes(e)) && (!args.ambiente || AMBIENTE_DA_ETAPA[e] === args.ambiente),
      );
      return ctx.db.query.onboardings.findMany(
        query({ where: { etapa: { in: etapas } }, orderBy: { atualizadoEm: 'asc', orgaoId: 'asc' } }),
      );
    },
  }),
}));

// ---- mutations ------------------------------------------------------------------------------

builder.objectType(OnboardingNaoEncontrado, {
  name: 'ErroOnboardingNaoEncontrado',
  description: 'O órgão não tem onboarding (ou não existe).',
  interfaces: [ErroInterface],
});
builder.objectType(EtapaInvalida, {
  name: 'ErroEtapaInvalida',
  description: 'A ação não é possível na etapa atual.',
  interfaces: [ErroInterface],
  fields: (t) => ({
    etapaAtual: t.field({
      type: EtapaOnboarding,
      nullable: true,
      description: 'Etapa atual (nula: sem solicitação).',
      resolve: (e) => e.etapaAtual,
    }),
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
    t.withAuth(AUTHENTICATED).field({
      type: OnboardingAtualizado,
      description: `${descricao} Quem age: ${passo.responsavel === 'PEN' ? 'PEN_ADMIN' : 'gestor de protocolo do órgão'}.`,
      errors: { types: ERROS_ONBOARDING, directResult: true, union: { description: `Resultado de \`${mutacao}\`.` } },
      args: { input: t.arg({ type: AcaoOnboardingInput, required: true, description: 'Dados da ação.' }) },
      resolve: (_root, { input }, ctx) =>
        executarPassoOnboarding(ctx.db, {
          acao: passo.acao,
          orgaoId: Number(input.orgao.id),
          viewer: ctx.viewer,
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
    codigo: t.string({
      required: true,
      description: 'Letra do requisito (ex.: "e").',
      validate: z.string().regex(/^[a-z]$/, 'uma letra minúscula'),
    }),
    nota: t.string({ description: 'Evidência (ao registrar) ou motivo (ao recusar); até 1.000 caracteres.' }),
  }),
});

const MUTACOES_REQUISITO: Array<{ nome: string; acao: AcaoRequisito; descricao: string }> = [
  {
    nome: 'registrarRequisito',
    acao: 'REGISTRAR_REQUISITO',
    descricao: 'O gestor do órgão registra um requisito de configuração, com evidência.',
  },
  { nome: 'confirmarRequisito', acao: 'CONFIRMAR_REQUISITO', descricao: 'PEN_ADMIN confirma um requisito registrado.' },
  {
    nome: 'recusarRequisito',
    acao: 'RECUSAR_REQUISITO',
    descricao: 'PEN_ADMIN devolve um requisito registrado ou confirmado, com motivo: volta a pendente.',
  },
];

for (const { nome, acao, descricao } of MUTACOES_REQUISITO) {
  builder.mutationField(nome, (t) =>
    t.withAuth(AUTHENTICATED).field({
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
          viewer: ctx.viewer,
          agora: ctx.clock(),
        }),
    }),
  );
}

/**
 * An agency's configuration per environment in GraphQL: its gestores de protocolo, the produção configuration
 * beside homologação's (replicated at production access), and the mutations that keep them.
 */
import type { Ambiente as CodigoAmbiente } from '../../kernel/ambiente.js';
import { AMBIENTES } from '../../kernel/ambiente.js';
import { DadosInvalidos } from '../../kernel/erros.js';
import { centralizadoraDaConfiguracao, ModoTramitacao, Orgao, UnidadeAdministrativa } from '../../orgaos/graphql/orgao.js';
import { modoTramitacao } from '../../orgaos/regras.js';
import { Ambiente } from '../../schema/ambiente.js';
import { AUTHENTICATED, builder } from '../../schema/builder.js';
import { ErroInterface } from '../../schema/resultados.js';
import {
  configuracaoDoAmbiente,
  confirmarConfiguracaoProducao,
  gestoresDoAmbiente,
  registrarGestor,
  removerGestor,
  type ConfiguracaoAmbiente,
  type GestorRow,
  type ResultadoGestor,
  type UnidadeNoAmbiente,
} from '../configuracao.js';
import {
  CriteriosNaoAtendidos,
  EtapaInvalida,
  GestorJaCadastrado,
  GestorNaoEncontrado,
  OnboardingNaoEncontrado,
  PapelNaoPermitido,
  UltimoGestor,
} from '../erros.js';
import { AMBIENTE_DA_ETAPA } from '../regras.js';
import { ChavePublicaSpe } from './chave-spe.js';
import { EventoOnboardingRef } from './evento-onboarding.js';
import { OnboardingAtualizado, OnboardingRef } from './onboarding.js';

export const GestorProtocolo = builder.objectRef<GestorRow>('GestorProtocolo').implement({
  description: 'Um gestor de protocolo do órgão num ambiente (pessoa com login gov.br, cadastrada pelo CPF).',
  fields: (t) => ({
    ambiente: t.field({ type: Ambiente, description: 'Ambiente em que é gestor.', resolve: (g) => g.ambiente }),
    nome: t.exposeString('nome', { description: 'Nome.' }),
    cpf: t.exposeString('cpf', { description: 'CPF, só dígitos.' }),
    email: t.exposeString('email', { description: 'E-mail.' }),
    registradoPor: t.exposeString('registradoPor', { description: 'Quem o cadastrou (sujeito do token).' }),
    registradoEm: t.field({ type: 'DateTime', description: 'Quando foi cadastrado.', resolve: (g) => g.registradoEm }),
  }),
});

const UnidadeConfiguradaRef = builder.objectRef<UnidadeNoAmbiente>('UnidadeConfiguradaNoAmbiente').implement({
  description: 'Uma unidade do órgão configurada num ambiente: o seu modo de tramitação e a sua centralização ali.',
  fields: (t) => ({
    unidade: t.field({
      type: UnidadeAdministrativa,
      description: 'A unidade (os seus campos de configuração leem, por padrão, este ambiente).',
      resolve: (u) => ({ ...u.unidade, ambiente: u.ambiente }),
    }),
    modoTramitacao: t.field({ type: ModoTramitacao, description: 'Como ela tramita neste ambiente.', resolve: (u) => modoTramitacao(u) }),
    centralizadora: t.exposeBoolean('centralizadora', { description: 'Se é centralizadora neste ambiente.' }),
    unidadeCentralizadora: t.field({
      type: UnidadeAdministrativa,
      nullable: true,
      description: 'A centralizadora que recebe por ela neste ambiente; nula se ela mesma recebe.',
      resolve: (u, _a, ctx) => centralizadoraDaConfiguracao(u, ctx),
    }),
  }),
});

const ConfiguracaoAmbienteRef = builder
  .objectRef<ConfiguracaoAmbiente & { confirmadaEm: Date | null; confirmadaPor: string | null }>('ConfiguracaoAmbiente')
  .implement({
    description:
      'A configuração do órgão num ambiente: gestores, unidades habilitadas e centralizadoras, e chave do SPE. A de produção começa como cópia da homologação (gestores, modos das unidades e centralizações; a chave do SPE é outra, o certificado de produção é outro) e o órgão a confirma.',
    fields: (t) => ({
      ambiente: t.field({ type: Ambiente, description: 'O ambiente.', resolve: (c) => c.ambiente }),
      gestores: t.field({
        type: [GestorProtocolo],
        description: 'Os gestores de protocolo neste ambiente, por nome.',
        resolve: (c) => c.gestores,
      }),
      unidades: t.field({
        type: [UnidadeConfiguradaRef],
        description:
          'As unidades configuradas neste ambiente (habilitadas para enviar ou receber, centralizadoras ou centralizadas), por sigla; as demais não tramitam nele.',
        resolve: (c) => c.unidades,
      }),
      chaveSpe: t.field({
        type: ChavePublicaSpe,
        nullable: true,
        description: 'A chave pública do SPE registrada neste ambiente (nula: ainda não registrada).',
        resolve: (c) => c.chaveSpe,
      }),
      confirmadaEm: t.field({
        type: 'DateTime',
        nullable: true,
        description: 'Produção: quando o órgão confirmou esta configuração (nula: não confirmada). Homologação: sempre nula.',
        resolve: (c) => c.confirmadaEm,
      }),
      confirmadaPor: t.string({ nullable: true, description: 'Quem confirmou (produção).', resolve: (c) => c.confirmadaPor }),
    }),
  });

builder.drizzleObjectFields(OnboardingRef, (t) => ({
  gestores: t.field({
    type: [GestorProtocolo],
    description: 'Os gestores de protocolo do órgão num ambiente (padrão: o da etapa atual).',
    args: { ambiente: t.arg({ type: Ambiente, required: false, description: 'O ambiente.' }) },
    resolve: (o, args, ctx) =>
      gestoresDoAmbiente(ctx.db, o.orgaoId, (args.ambiente as CodigoAmbiente | null) ?? AMBIENTE_DA_ETAPA[o.etapa]),
  }),
  configuracoes: t.field({
    type: [ConfiguracaoAmbienteRef],
    description: 'A configuração do órgão em cada ambiente, lado a lado (homologação, produção).',
    resolve: (o, _a, ctx) =>
      Promise.all(
        AMBIENTES.map(async (ambiente) => ({
          ...(await configuracaoDoAmbiente(ctx.db, o.orgaoId, ambiente)),
          confirmadaEm: ambiente === 'PRODUCAO' ? o.producaoConfirmadaEm : null,
          confirmadaPor: ambiente === 'PRODUCAO' ? o.producaoConfirmadaPor : null,
        })),
      ),
  }),
}));

for (const [classe, nome, descricao] of [
  [GestorJaCadastrado, 'ErroGestorJaCadastrado', 'Já há um gestor com este CPF neste órgão e ambiente.'],
  [GestorNaoEncontrado, 'ErroGestorNaoEncontrado', 'Não há gestor com este CPF neste órgão e ambiente.'],
  [UltimoGestor, 'ErroUltimoGestor', 'O único gestor de um ambiente não pode ser removido.'],
] as const) {
  builder.objectType(classe, { name: nome, description: descricao, interfaces: [ErroInterface] });
}

const ERROS_GESTOR = [
  OnboardingNaoEncontrado,
  EtapaInvalida,
  PapelNaoPermitido,
  DadosInvalidos,
  GestorJaCadastrado,
  GestorNaoEncontrado,
  UltimoGestor,
];

const GestorAtualizado = builder.objectRef<ResultadoGestor>('GestoresAtualizados').implement({
  description: 'A mudança foi feita: os gestores do ambiente como ficaram, o onboarding e o evento registrado.',
  fields: (t) => ({
    gestores: t.field({ type: [GestorProtocolo], description: 'Os gestores do ambiente depois da mudança.', resolve: (r) => r.gestores }),
    onboarding: t.field({ type: OnboardingRef, description: 'O onboarding depois da mudança.', resolve: (r) => r.onboarding }),
    evento: t.field({ type: EventoOnboardingRef, description: 'O evento registrado (quem e quando).', resolve: (r) => r.evento }),
  }),
});

const GestorInput = builder.inputType('GestorProtocoloInput', {
  description: 'Um gestor de protocolo a cadastrar num ambiente.',
  fields: (t) => ({
    orgao: t.globalID({ required: true, for: [Orgao], description: 'O órgão (o seu).' }),
    ambiente: t.field({ type: Ambiente, required: true, description: 'O ambiente.' }),
    nome: t.string({ required: true, description: 'Nome completo.' }),
    cpf: t.string({ required: true, description: 'CPF (com ou sem pontuação; dígitos verificadores conferidos).' }),
    email: t.string({ required: true, description: 'E-mail.' }),
  }),
});

const RemoverGestorInput = builder.inputType('RemoverGestorProtocoloInput', {
  description: 'O gestor de protocolo a remover de um ambiente.',
  fields: (t) => ({
    orgao: t.globalID({ required: true, for: [Orgao], description: 'O órgão (o seu).' }),
    ambiente: t.field({ type: Ambiente, required: true, description: 'O ambiente.' }),
    cpf: t.string({ required: true, description: 'CPF do gestor.' }),
  }),
});

builder.mutationFields((t) => ({
  registrarGestorProtocolo: t.withAuth(AUTHENTICATED).field({
    type: GestorAtualizado,
    description:
      'Um gestor de protocolo do órgão cadastra outro gestor num ambiente (homologação desde a aprovação do cadastro; produção desde o acesso à produção). Registrado no histórico do onboarding.',
    errors: { types: ERROS_GESTOR, directResult: true, union: { description: 'Resultado de `registrarGestorProtocolo`.' } },
    args: { input: t.arg({ type: GestorInput, required: true, description: 'O gestor.' }) },
    resolve: (_root, { input }, ctx) =>
      registrarGestor(ctx.db, {
        viewer: ctx.viewer,
        orgaoId: Number(input.orgao.id),
        ambiente: input.ambiente as CodigoAmbiente,
        agora: ctx.clock(),
        gestor: { nome: input.nome, cpf: input.cpf, email: input.email },
      }),
  }),
  removerGestorProtocolo: t.withAuth(AUTHENTICATED).field({
    type: GestorAtualizado,
    description: 'Um gestor de protocolo do órgão remove um gestor de um ambiente (nunca o último). Registrado no histórico do onboarding.',
    errors: { types: ERROS_GESTOR, directResult: true, union: { description: 'Resultado de `removerGestorProtocolo`.' } },
    args: { input: t.arg({ type: RemoverGestorInput, required: true, description: 'O gestor.' }) },
    resolve: (_root, { input }, ctx) =>
      removerGestor(ctx.db, {
        viewer: ctx.viewer,
        orgaoId: Number(input.orgao.id),
        ambiente: input.ambiente as CodigoAmbiente,
        agora: ctx.clock(),
        gestor: { cpf: input.cpf },
      }),
  }),
  confirmarConfiguracaoProducao: t.withAuth(AUTHENTICATED).field({
    type: OnboardingAtualizado,
    description:
      'O gestor do órgão confirma a configuração de produção (replicada da homologação no acesso à produção: gestores, modos das unidades e centralizações; ajuste-a com as mutações de configuração e `ambiente: PRODUCAO`): com gestores, a chave do SPE de produção e unidades habilitadas para enviar e para receber em produção. Sem ela não se solicita a validação em produção.',
    errors: {
      types: [OnboardingNaoEncontrado, EtapaInvalida, PapelNaoPermitido, CriteriosNaoAtendidos, DadosInvalidos],
      directResult: true,
      union: { description: 'Resultado de `confirmarConfiguracaoProducao`.' },
    },
    args: {
      input: t.arg({
        type: builder.inputType('ConfirmarConfiguracaoProducaoInput', {
          description: 'O órgão que confirma a sua configuração de produção.',
          fields: (f) => ({ orgao: f.globalID({ required: true, for: [Orgao], description: 'O órgão (o seu).' }) }),
        }),
        required: true,
        description: 'O órgão.',
      }),
    },
    resolve: (_root, { input }, ctx) =>
      confirmarConfiguracaoProducao(ctx.db, { viewer: ctx.viewer, orgaoId: Number(input.orgao.id), agora: ctx.clock() }),
  }),
}));

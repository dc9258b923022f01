/** Homologação's automatic test counterparts in GraphQL: the list, and the agency gestor's two requests. */
import { DadosInvalidos } from '../../kernel/erros.js';
import { Orgao, UnidadeAdministrativa } from '../../orgaos/graphql/orgao.js';
import { AUTHENTICATED, builder } from '../../schema/builder.js';
import { ErroInterface } from '../../schema/resultados.js';
import { OrgaoNaoAdmitidoNoAmbiente, ProcessoEmAndamento, UnidadeNaoHabilitada } from '../../tramites/erros.js';
import '../../tramites/graphql/mutacoes.js';
import { Tramite } from '../../tramites/graphql/tramite.js';
import type { ResultadoPasso } from '../../tramites/servico.js';
import type { Contraparte, PedidoRecusaRow, ServicoContrapartes } from '../contrapartes.js';
import { ContraparteNaoEncontrada, PapelNaoPermitido } from '../erros.js';
import './onboarding.js';

declare module '../../schema/context.js' {
  interface GatewayContext {
    /** Homologação's automatic test counterparts (onboarding/contrapartes.ts). */
    contrapartes: ServicoContrapartes;
  }
}

const ContraparteDeTeste = builder.objectRef<Contraparte>('ContraparteDeTeste').implement({
  description:
    'Uma contraparte de teste automática de homologação ("Órgão de Teste 1…4", como os SEIs de teste da equipe PEN): um órgão operado pela própria plataforma que recebe o que se envia a ele (baixa os componentes, confere os hashes, assina o recibo de conclusão), envia um processo de teste quando pedido e recusa o próximo quando pedido. Seus atos aparecem no histórico com o ator `tramita-gov-br/contraparte-de-teste/<sigla>`. Não existe em produção.',
  fields: (t) => ({
    numero: t.exposeInt('numero', { description: 'Número da contraparte (1 a 4).' }),
    sigla: t.exposeString('sigla', { description: 'Sigla (ORGAO1 … ORGAO4).' }),
    nome: t.exposeString('nome', { description: 'Nome ("Órgão de Teste N").' }),
    sistema: t.exposeString('sistema', {
      description: 'Código do SPE que a plataforma opera por ela (`sei.orgaoN.tramita.processoeletronico.gov.br`).',
    }),
    orgao: t.field({
      type: Orgao,
      nullable: true,
      description: 'O órgão da contraparte.',
      resolve: (c, _args, ctx) => ctx.db.query.estruturas.findFirst({ where: { id: c.orgaoId } }),
    }),
    unidade: t.field({
      type: UnidadeAdministrativa,
      nullable: true,
      description: 'A unidade que envia e recebe por ela (destino dos trâmites de teste).',
      resolve: (c, _args, ctx) => ctx.db.query.estruturas.findFirst({ where: { id: c.unidadeId } }),
    }),
  }),
});

builder.objectType(ContraparteNaoEncontrada, {
  name: 'ErroContraparteNaoEncontrada',
  description: 'Não há contraparte de teste com este número (são 1 a 4).',
  interfaces: [ErroInterface],
  fields: (t) => ({ numero: t.exposeInt('numero', { description: 'O número pedido.' }) }),
});

builder.queryField('contrapartesDeTeste', (t) =>
  t.withAuth(AUTHENTICATED).field({
    type: [ContraparteDeTeste],
    description:
      'As contrapartes de teste automáticas de homologação: com elas um órgão cumpre sozinho os requisitos mínimos (a) enviar, (b) receber e (c) recusar como destinatário.',
    resolve: (_root, _args, ctx) => ctx.contrapartes.listar(ctx.clock()),
  }),
);

const TramiteDeTesteEnviado = builder.objectRef<ResultadoPasso>('TramiteDeTesteEnviado').implement({
  description: 'A contraparte iniciou o trâmite de teste e enviou seu documento: ele aguarda o seu SPE (situação 2).',
  fields: (t) => ({
    tramite: t.field({ type: Tramite, description: 'O trâmite de teste, enviado ao seu órgão.', resolve: (r) => r.tramite }),
  }),
});

const SolicitarTramiteDeTesteInput = builder.inputType('SolicitarTramiteDeTesteInput', {
  description: 'Para qual unidade do seu órgão a contraparte envia o processo de teste.',
  fields: (t) => ({
    unidadeDestinataria: t.globalID({
      required: true,
      for: [UnidadeAdministrativa],
      description: 'Unidade do seu órgão habilitada para recebimento.',
    }),
    contraparte: t.int({ description: 'Qual contraparte envia (1 a 4; padrão 1).' }),
  }),
});

builder.mutationField('solicitarTramiteDeTeste', (t) =>
  t.withAuth(AUTHENTICATED).field({
    type: TramiteDeTesteEnviado,
    description:
      'Em homologação, "envie-me um processo de teste": a contraparte inicia um trâmite com um pequeno PDF para a unidade indicada do seu órgão e o envia (situação 2). Receba-o com o seu SPE até 6 (requisito b) ou recuse-o como destinatário (requisito c: a contraparte dá ciência, 9). Quem pede: um gestor de protocolo do órgão.',
    errors: {
      types: [
        PapelNaoPermitido,
        ContraparteNaoEncontrada,
        DadosInvalidos,
        OrgaoNaoAdmitidoNoAmbiente,
        UnidadeNaoHabilitada,
        ProcessoEmAndamento,
      ],
      directResult: true,
      union: { description: 'Resultado de `solicitarTramiteDeTeste`.' },
    },
    args: { input: t.arg({ type: SolicitarTramiteDeTesteInput, required: true, description: 'O pedido.' }) },
    resolve: (_root, { input }, ctx) =>
      ctx.contrapartes.enviarTramiteDeTeste({
        viewer: ctx.viewer,
        agora: ctx.clock(),
        unidadeDestinatariaId: Number(input.unidadeDestinataria.id),
        contraparte: input.contraparte,
      }),
  }),
);

const RecusaDeTesteSolicitada = builder.objectRef<PedidoRecusaRow>('RecusaDeTesteSolicitada').implement({
  description: 'O pedido de recusa: a contraparte recusará (motivo 99) o próximo trâmite que o seu órgão lhe enviar.',
  fields: (t) => ({
    justificativa: t.exposeString('justificativa', { description: 'A justificativa que a recusa levará.' }),
    pedidoEm: t.field({ type: 'DateTime', description: 'Quando foi pedido.', resolve: (p) => p.pedidoEm }),
    pedidoPor: t.exposeString('pedidoPor', { description: 'Quem pediu (`sub` do token).' }),
    atendidoEm: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Quando a contraparte recusou (null: ainda aguarda o trâmite).',
      resolve: (p) => p.atendidoEm,
    }),
  }),
});

const SolicitarRecusaDeTesteInput = builder.inputType('SolicitarRecusaDeTesteInput', {
  description: 'Qual contraparte recusa o próximo trâmite do seu órgão, e com que justificativa.',
  fields: (t) => ({
    contraparte: t.int({ description: 'A contraparte (1 a 4; padrão 1).' }),
    justificativa: t.string({ description: 'Justificativa da recusa (até 1.000 caracteres; padrão: uma recusa de teste).' }),
  }),
});

builder.mutationField('solicitarRecusaDeTeste', (t) =>
  t.withAuth(AUTHENTICATED).field({
    type: RecusaDeTesteSolicitada,
    description:
      'Em homologação, "recuse o meu próximo": a contraparte recusa (motivo 99, com a justificativa) o próximo trâmite que o seu órgão lhe enviar, para testar a recusa do lado do remetente (dar ciência, 8 → 9). Não é um requisito mínimo: o requisito (c) é recusar como destinatário (veja `solicitarTramiteDeTeste`). Quem pede: um gestor de protocolo do órgão.',
    errors: {
      types: [PapelNaoPermitido, ContraparteNaoEncontrada, DadosInvalidos],
      directResult: true,
      union: { description: 'Resultado de `solicitarRecusaDeTeste`.' },
    },
    args: { input: t.arg({ type: SolicitarRecusaDeTesteInput, required: true, description: 'O pedido.' }) },
    resolve: (_root, { input }, ctx) =>
      ctx.contrapartes.pedirRecusaDeTeste({
        viewer: ctx.viewer,
        agora: ctx.clock(),
        contraparte: input.contraparte,
        justificativa: input.justificativa,
      }),
  }),
);

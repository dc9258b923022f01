import { Orgao, UnidadeAdministrativa } from '../../orgaos/graphql/orgao.js';
import { Ambiente } from '../../schema/ambiente.js';
import { AUTHENTICATED, builder, type BuilderTypes } from '../../schema/builder.js';
import { DadosInvalidos } from '../../kernel/erros.js';
import { ErroInterface } from '../../schema/resultados.js';
import {
  AcaoNaoPermitida,
  AssinaturaInvalida,
  ChaveIdempotenciaReutilizada,
  ChavePublicaNaoRegistrada,
  ConflitoConcorrencia,
  NreInconsistente,
  OrgaoNaoAdmitidoNoAmbiente,
  OrgaoNaoServido,
  PapelSemPermissao,
  ProcessoEmAndamento,
  ProcessoNaoDetido,
  TramiteNaoEncontrado,
  TransicaoInvalida,
  UnidadeNaoHabilitada,
} from '../erros.js';
import { DocumentoInput, MetadadosDoProcessoInput } from './documento.js';
import { EventoTramite } from './evento-tramite.js';
import { AcaoTramite, LadoTramite, MotivoRecusa, MUTACAO_POR_ACAO, SituacaoTramite, TipoTramitavel, Tramite } from './tramite.js';
import { PAPEIS_POR_ACAO, PASSO_POR_ACAO, type Acao, type MotivoRecusa as CodigoMotivo } from '../regras.js';
import { paraOrgao, type PAPEIS, type Viewer } from '../../kernel/viewer.js';
import type { PedidoPasso, ResultadoPasso, ServicoTramites } from '../servico.js';

declare module '../../schema/context.js' {
  interface GatewayContext {
    /** The trâmite commands, built once at composition with the work other domains run in every step. */
    tramites: ServicoTramites;
  }
}

builder.mutationType({
  authScopes: AUTHENTICATED,
  description: 'Ações sobre trâmites. Cada uma é um passo oficial do fluxo, feito pelo lado dono do passo, numa transação.',
});

// ---- errors as result types (the `Erro` interface and ErroValidacao live in schema/resultados.ts)

builder.objectType(TramiteNaoEncontrado, {
  name: 'ErroTramiteNaoEncontrado',
  description: 'O trâmite não existe ou você não é parte dele.',
  interfaces: [ErroInterface],
});
builder.objectType(TransicaoInvalida, {
  name: 'ErroTransicaoInvalida',
  description: 'A ação não é possível na situação atual do trâmite.',
  interfaces: [ErroInterface],
  fields: (t) => ({
    situacaoAtual: t.field({ type: SituacaoTramite, description: 'Situação em que o trâmite está.', resolve: (e) => e.situacaoAtual }),
    acaoSolicitada: t.field({ type: AcaoTramite, description: 'A ação pedida.', resolve: (e) => e.acao }),
    acoesPossiveis: t.field({
      type: [AcaoTramite],
      description: 'As ações que você pode fazer agora neste trâmite.',
      resolve: (e) => e.acoesPossiveis,
    }),
  }),
});
builder.objectType(AcaoNaoPermitida, {
  name: 'ErroAcaoNaoPermitida',
  description: 'A ação é do outro lado do trâmite (ou da plataforma).',
  interfaces: [ErroInterface],
  fields: (t) => ({
    ladoExigido: t.field({ type: LadoTramite, description: 'Lado que faz esta ação.', resolve: (e) => e.ladoExigido }),
    seusLados: t.field({ type: [LadoTramite], description: 'Lados pelos quais você age neste trâmite.', resolve: (e) => e.ladosDoAtor }),
  }),
});
builder.objectType(ConflitoConcorrencia, {
  name: 'ErroConflito',
  description: 'O trâmite mudou desde que você o leu (ou outra ação venceu a corrida).',
  interfaces: [ErroInterface],
  fields: (t) => ({
    situacaoAtual: t.field({ type: SituacaoTramite, description: 'Situação atual do trâmite.', resolve: (e) => e.situacaoAtual }),
    versaoAtual: t.int({ description: 'Versão atual do trâmite.', resolve: (e) => e.versaoAtual }),
  }),
});
builder.objectType(UnidadeNaoHabilitada, {
  name: 'ErroUnidadeNaoHabilitada',
  description: 'A unidade não está habilitada para enviar ou receber.',
  interfaces: [ErroInterface],
  fields: (t) => ({
    sigla: t.string({ description: 'Sigla da unidade.', resolve: (e) => e.sigla }),
  }),
});
builder.objectType(ProcessoEmAndamento, {
  name: 'ErroProcessoEmAndamento',
  description: 'O processo já tem um trâmite em andamento (erro 0044 da plataforma).',
  interfaces: [ErroInterface],
  fields: (t) => ({
    nre: t.string({ description: 'NRE do processo.', resolve: (e) => e.nre }),
  }),
});
builder.objectType(NreInconsistente, {
  name: 'ErroNreInconsistente',
  description:
    'O NRE informado não é deste processo (é de outro processo, de um documento avulso, ou nunca foi emitido): a "Inconsistência no número de protocolo do processo tramitado por este NRE" da plataforma. O NRE é emitido e recuperado pela plataforma.',
  interfaces: [ErroInterface],
  fields: (t) => ({
    nre: t.string({ description: 'O NRE informado.', resolve: (e) => e.nre }),
    numeroProcesso: t.string({ description: 'O número do processo informado.', resolve: (e) => e.numeroProcesso }),
  }),
});
builder.objectType(ProcessoNaoDetido, {
  name: 'ErroProcessoNaoDetido',
  description: 'O processo está com outro órgão (o detentor): só quem o recebeu por último com sucesso pode iniciar o próximo trâmite.',
  interfaces: [ErroInterface],
  fields: (t) => ({
    numeroProcesso: t.string({ description: 'Número do processo.', resolve: (e) => e.numeroProcesso }),
  }),
});
builder.objectType(OrgaoNaoAdmitidoNoAmbiente, {
  name: 'ErroOrgaoNaoAdmitidoNoAmbiente',
  description:
    'Um dos órgãos do trâmite ainda não troca trâmites neste ambiente: em homologação, só depois do cadastro aprovado e da estrutura configurada; em produção, só depois do acesso à produção concedido (os testes com a unidade de testes também). Os dois lados de um trâmite estão sempre no mesmo ambiente.',
  interfaces: [ErroInterface],
  fields: (t) => ({
    sigla: t.string({ description: 'Sigla do órgão não admitido.', resolve: (e) => e.sigla }),
    ambiente: t.field({ type: Ambiente, description: 'O ambiente do trâmite.', resolve: (e) => e.ambiente }),
    etapa: t.string({
      nullable: true,
      description: 'A etapa do onboarding em que o órgão está (um valor de EtapaOnboarding); nulo se nunca solicitou acesso.',
      resolve: (e) => e.etapa,
    }),
  }),
});
builder.objectType(OrgaoNaoServido, {
  name: 'ErroOrgaoNaoServido',
  description:
    'A credencial não age pelo órgão da operação: um SPE que informa um órgão que não atende, um SPE que atende vários e não informa `orgao`, ou uma pessoa que informa outro órgão. Nada foi gravado.',
  interfaces: [ErroInterface],
});

/** The viewer acting for the agency the operation names (`orgao`), or the refusal as its error. */
export function viewerDaOperacao(viewer: Viewer, orgao: { id: string | number } | null | undefined): Viewer {
  const r = paraOrgao(viewer, orgao == null ? null : Number(orgao.id));
  if ('recusa' in r) throw new OrgaoNaoServido(r.recusa);
  return r.viewer;
}

export const DESCRICAO_ORGAO_DA_OPERACAO =
  'Órgão pelo qual a credencial age nesta operação: obrigatório para um SPE que atende vários órgãos (ErroOrgaoNaoServido se não atende o informado); para os demais, omita ou informe o próprio.';

const PapelDoToken = builder.enumType('PapelDoToken', {
  description: 'Os papéis de um token (claim `roles`).',
  values: {
    GESTOR_PROTOCOLO: {
      description: 'Pessoa gestora de protocolo do órgão: lê, usa o painel, configura estruturas e onboarding, cancela trâmites do órgão.',
    },
    SPE: {
      description: 'O sistema de processo eletrônico do órgão (SEI, SUAP, SAPIENS…), com a credencial dele: faz os passos do protocolo.',
    },
    PEN_ADMIN: {
      description: 'Equipe PEN (administração da plataforma): lê tudo e cancela a pedido de um órgão, com o motivo; nunca age por um lado.',
    },
  } satisfies Record<(typeof PAPEIS)[number], { description: string }>,
});
builder.objectType(PapelSemPermissao, {
  name: 'ErroPapelSemPermissao',
  description: 'Seu papel não faz esta ação (ex.: um gestor de protocolo num passo do SPE, ou a equipe PEN num passo de um lado).',
  interfaces: [ErroInterface],
  fields: (t) => ({
    papeisExigidos: t.field({ type: [PapelDoToken], description: 'Os papéis que fazem esta ação.', resolve: (e) => [...e.papeisExigidos] }),
  }),
});
builder.objectType(ChaveIdempotenciaReutilizada, {
  name: 'ErroChaveIdempotenciaReutilizada',
  description: 'A chave de idempotência já foi usada para outra operação.',
  interfaces: [ErroInterface],
});

const ERROS_PASSO = [
  TramiteNaoEncontrado,
  OrgaoNaoServido,
  TransicaoInvalida,
  AcaoNaoPermitida,
  PapelSemPermissao,
  ConflitoConcorrencia,
  DadosInvalidos,
  ChaveIdempotenciaReutilizada,
];
const ERROS_INICIO = [
  OrgaoNaoServido,
  AcaoNaoPermitida,
  PapelSemPermissao,
  UnidadeNaoHabilitada,
  ProcessoEmAndamento,
  ProcessoNaoDetido,
  NreInconsistente,
  OrgaoNaoAdmitidoNoAmbiente,
  OrgaoNaoServido,
  DadosInvalidos,
  ChaveIdempotenciaReutilizada,
];

// ---- success --------------------------------------------------------------------------------

const ResultadoTransicao = builder.objectRef<ResultadoPasso>('TransicaoRealizada').implement({
  description: 'A ação foi feita (ou repetida por chave de idempotência): o trâmite como ficou e o evento registrado.',
  fields: (t) => ({
    tramite: t.field({ type: Tramite, description: 'O trâmite depois da ação.', resolve: (r) => r.tramite }),
    evento: t.field({ type: EventoTramite, description: 'O evento registrado no histórico.', resolve: (r) => r.evento }),
    repetida: t.exposeBoolean('repetida', {
      description: 'Verdadeiro quando a chave de idempotência já tinha sido usada: devolve o primeiro resultado e nada foi feito agora.',
    }),
  }),
});

// ---- inputs ---------------------------------------------------------------------------------

const camposComuns = (t: PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>) => ({
  tramite: t.globalID({ required: true, for: [Tramite], description: 'O trâmite.' }),
  situacaoEsperada: t.field({
    type: SituacaoTramite,
    description: 'Se informada, a ação só é feita se o trâmite ainda estiver nesta situação (senão: ErroConflito).',
  }),
  versaoEsperada: t.int({ description: 'Se informada, a ação só é feita se o trâmite ainda estiver nesta versão (senão: ErroConflito).' }),
  chaveIdempotencia: t.string({
    description: 'Chave (8 a 200 caracteres) para repetir o pedido com segurança: a mesma chave devolve o primeiro resultado.',
  }),
  orgao: t.globalID({ for: [Orgao], description: DESCRICAO_ORGAO_DA_OPERACAO }),
});

const AcaoTramiteInput = builder.inputType('AcaoTramiteInput', {
  description: 'Entrada comum das ações sobre um trâmite existente.',
  fields: (t) => camposComuns(t),
});
const CancelarTramiteInput = builder.inputType('CancelarTramiteInput', {
  description: 'Entrada do cancelamento (pelo remetente, ou pela equipe PEN a pedido do órgão).',
  fields: (t) => ({
    ...camposComuns(t),
    justificativa: t.string({
      description: 'Por que cancela (até 1.000 caracteres); obrigatória quando a equipe PEN cancela a pedido de um órgão.',
    }),
  }),
});
const RecusarTramiteInput = builder.inputType('RecusarTramiteInput', {
  description: 'Entrada da recusa pelo destinatário.',
  fields: (t) => ({
    ...camposComuns(t),
    motivo: t.field({ type: MotivoRecusa, required: true, description: 'Motivo da recusa.' }),
    justificativa: t.string({ required: true, description: 'Justificativa (até 1.000 caracteres).' }),
  }),
});

// ---- one mutation per official step ---------------------------------------------------------

type InputRef = typeof AcaoTramiteInput | typeof CancelarTramiteInput | typeof RecusarTramiteInput;

const MUTACOES: Array<{ acao: PedidoPasso['acao']; input: InputRef; descricao: string }> = [
  { acao: 'RECEBER_METADADOS', input: AcaoTramiteInput, descricao: 'O destinatário recebeu os metadados: 2 → 3.' },
  {
    acao: 'RECEBER_RECIBO_CONCLUSAO',
    input: AcaoTramiteInput,
    descricao: 'O remetente recebeu o recibo de conclusão: 5 → 6 (concluído com sucesso).',
  },
  { acao: 'CANCELAR', input: CancelarTramiteInput, descricao: 'O remetente cancela o trâmite (de 1 a 4): → 7.' },
  {
    acao: 'RECUSAR',
    input: RecusarTramiteInput,
    descricao: 'O destinatário recusa o trâmite, com motivo e justificativa (de 3 ou 4): → 8.',
  },
  { acao: 'DAR_CIENCIA_RECUSA', input: AcaoTramiteInput, descricao: 'O remetente dá ciência da recusa: 8 → 9 (concluído com recusa).' },
];

/** Who takes a step, in the schema's words (from the rules: regras.ts PAPEIS_POR_ACAO). */
function quemFaz(acao: Acao): string {
  const lado = PASSO_POR_ACAO[acao].lado === 'REMETENTE' ? 'remetente' : 'destinatário';
  const papeis = PAPEIS_POR_ACAO[acao];
  const partes = [`o SPE do órgão ${lado} (papel SPE)`];
  if (papeis.includes('GESTOR_PROTOCOLO')) partes.push(`um gestor de protocolo do órgão ${lado}`);
  const texto = `Quem faz: ${partes.join(' ou ')}`;
  return papeis.includes('PEN_ADMIN')
    ? `${texto}; ou a equipe PEN (PEN_ADMIN) a pedido do órgão, com a justificativa do pedido, registrada como a plataforma.`
    : `${texto}.`;
}

for (const { acao, input, descricao } of MUTACOES) {
  const nome = MUTACAO_POR_ACAO[acao]!;
  builder.mutationField(nome, (t) =>
    t.withAuth(AUTHENTICATED).field({
      type: ResultadoTransicao,
      description: `${descricao} ${quemFaz(acao)}`,
      errors: {
        types: ERROS_PASSO,
        directResult: true,
        union: { description: `Resultado de \`${nome}\`: a transição feita ou o motivo de não ter sido.` },
      },
      args: { input: t.arg({ type: input, required: true, description: 'Dados da ação.' }) },
      resolve: (_root, { input: dados }, ctx) => {
        // Only cancel and refuse inputs carry these two; for the others they are absent.
        const entrada = dados as typeof dados & { motivo?: CodigoMotivo | null; justificativa?: string | null };
        return ctx.tramites.executarPasso({
          acao,
          tramiteId: Number(entrada.tramite.id),
          viewer: viewerDaOperacao(ctx.viewer, entrada.orgao),
          agora: ctx.clock(),
          esperado: { situacao: entrada.situacaoEsperada, versao: entrada.versaoEsperada },
          chaveIdempotencia: entrada.chaveIdempotencia,
          motivo: entrada.motivo,
          justificativa: entrada.justificativa,
        });
      },
    }),
  );
}

builder.objectType(AssinaturaInvalida, {
  name: 'ErroAssinaturaInvalida',
  description:
    'A assinatura do recibo de conclusão está malformada ou não confere com a chave pública registrada do SPE destinatário; o trâmite continua em 4.',
  interfaces: [ErroInterface],
  fields: (t) => ({
    textoAssinado: t.string({
      description: 'O texto que o gateway reconstruiu e que o SPE deve assinar (RSA-SHA256).',
      resolve: (e) => e.textoAssinado,
    }),
    chaveId: t.string({
      description: 'Identificador (JWK thumbprint) da chave registrada usada na verificação.',
      resolve: (e) => e.chaveId,
    }),
  }),
});
builder.objectType(ChavePublicaNaoRegistrada, {
  name: 'ErroChavePublicaNaoRegistrada',
  description: 'O órgão destinatário não registrou a chave pública do seu SPE neste ambiente (`registrarChavePublicaSpe`).',
  interfaces: [ErroInterface],
});

const EnviarReciboConclusaoInput = builder.inputType('EnviarReciboConclusaoInput', {
  description:
    'O recibo de conclusão assinado pelo SPE destinatário. Como no módulo de conexão, só vão a data e a assinatura: o gateway reconstrói o texto `<recibo><IDT>…</IDT><NRE>…</NRE><dataDeRecebimento>…</dataDeRecebimento><hashDoComponenteDigital>…</hashDoComponenteDigital>…</recibo>` (hashes em ordem) e o verifica.',
  fields: (t) => ({
    ...camposComuns(t),
    hashDaAssinatura: t.string({
      required: true,
      description:
        'Assinatura RSA-SHA256 do texto do recibo, em base64, com a chave privada do SPE (a pública registrada com `registrarChavePublicaSpe`).',
    }),
    dataDeRecebimento: t.field({
      type: 'DateTime',
      description: 'Quando o trâmite chegou a 4 (opcional; se enviada, deve ser a da plataforma, em segundos).',
    }),
  }),
});

builder.mutationField(MUTACAO_POR_ACAO.ENVIAR_RECIBO_CONCLUSAO!, (t) =>
  t.withAuth(AUTHENTICATED).field({
    type: ResultadoTransicao,
    description: `O destinatário envia o recibo de conclusão assinado: 4 → 5. Uma assinatura inválida responde ErroAssinaturaInvalida e o trâmite fica em 4. ${quemFaz('ENVIAR_RECIBO_CONCLUSAO')}`,
    errors: {
      types: [...ERROS_PASSO, AssinaturaInvalida, ChavePublicaNaoRegistrada],
      directResult: true,
      union: { description: 'Resultado de `enviarReciboConclusao`: a transição feita ou o motivo de não ter sido.' },
    },
    args: { input: t.arg({ type: EnviarReciboConclusaoInput, required: true, description: 'O recibo assinado.' }) },
    resolve: (_root, { input }, ctx) =>
      ctx.tramites.executarPasso({
        acao: 'ENVIAR_RECIBO_CONCLUSAO',
        tramiteId: Number(input.tramite.id),
        viewer: viewerDaOperacao(ctx.viewer, input.orgao),
        agora: ctx.clock(),
        esperado: { situacao: input.situacaoEsperada, versao: input.versaoEsperada },
        chaveIdempotencia: input.chaveIdempotencia,
        recibo: { hashDaAssinatura: input.hashDaAssinatura, dataDeRecebimento: input.dataDeRecebimento },
      }),
  }),
);

const HashCalculadoInput = builder.inputType('HashCalculadoInput', {
  description: 'O SHA-256 que o destinatário calculou sobre um componente baixado.',
  fields: (t) => ({
    documento: t.int({ required: true, description: 'Ordem do documento.' }),
    componente: t.int({ required: true, description: 'Ordem do componente no documento.' }),
    hash: t.string({ required: true, description: 'SHA-256 calculado, em base64.' }),
  }),
});

const ConfirmarRecebimentoInput = builder.inputType('ConfirmarRecebimentoDeComponentesInput', {
  description: 'Confirmação, pelo destinatário, de todos os componentes digitais baixados, com os hashes calculados.',
  fields: (t) => ({
    ...camposComuns(t),
    hashes: t.field({ type: [HashCalculadoInput], required: true, description: 'Um hash por componente declarado do trâmite.' }),
  }),
});

builder.mutationField('confirmarRecebimentoDeComponentes', (t) =>
  t.withAuth(AUTHENTICATED).field({
    type: ResultadoTransicao,
    description:
      'O destinatário confirma cada componente com o SHA-256 que calculou: 3 → 4 se todos conferem; se um diverge, o trâmite é recusado automaticamente com o motivo 02 ("Hash do componente digital de ordem N não confere com o valor informado pelo remetente."): 3 → 8. Lado: destinatário.',
    errors: { types: ERROS_PASSO, directResult: true, union: { description: 'Resultado de `confirmarRecebimentoDeComponentes`.' } },
    args: { input: t.arg({ type: ConfirmarRecebimentoInput, required: true, description: 'Hashes calculados.' }) },
    resolve: (_root, { input }, ctx) =>
      ctx.tramites.confirmarRecebimento({
        tramiteId: Number(input.tramite.id),
        viewer: viewerDaOperacao(ctx.viewer, input.orgao),
        agora: ctx.clock(),
        esperado: { situacao: input.situacaoEsperada, versao: input.versaoEsperada },
        chaveIdempotencia: input.chaveIdempotencia,
        hashes: input.hashes,
      }),
  }),
);

const IniciarTramiteInput = builder.inputType('IniciarTramiteInput', {
  description: 'Metadados para iniciar um trâmite (situação 1).',
  fields: (t) => ({
    tipo: t.field({ type: TipoTramitavel, required: true, description: 'Processo ou documento avulso.' }),
    ambiente: t.field({
      type: Ambiente,
      description:
        'Ambiente do trâmite (padrão: o da implantação, AMBIENTE_PADRAO). Os dois órgãos precisam estar admitidos nele pelo onboarding; o processo é procurado só nele.',
    }),
    numeroProcesso: t.string({ required: true, description: 'Número do processo (NUP) ou protocolo do documento (até 50 caracteres).' }),
    nre: t.string({
      description:
        'NRE que o SPE guardou do processo (16 dígitos), se houver. A plataforma emite o NRE: recupera o do processo (o do seu primeiro trâmite concluído) ou emite um novo (sempre, para documento avulso); um NRE que não é deste processo responde ErroNreInconsistente.',
    }),
    descricao: t.string({ description: 'Descrição (até 100 caracteres).' }),
    unidadeRemetente: t.globalID({
      required: true,
      for: [UnidadeAdministrativa],
      description: 'Unidade que envia (habilitada para envio).',
    }),
    unidadeDestinataria: t.globalID({
      required: true,
      for: [UnidadeAdministrativa],
      description: 'Unidade que recebe (habilitada para recebimento).',
    }),
    chaveIdempotencia: t.string({ description: 'Chave (8 a 200 caracteres) para repetir o pedido com segurança.' }),
    orgao: t.globalID({ for: [Orgao], description: DESCRICAO_ORGAO_DA_OPERACAO }),
    enviarApenasComponentesDigitaisPendentes: t.boolean({
      description:
        'Com `nre`: componentes que a plataforma já guarda de trâmites anteriores deste processo contam como enviados; só os pendentes precisam ir (e, se nenhum faltar, o trâmite passa a 2 de imediato).',
    }),
    processo: t.field({ type: MetadadosDoProcessoInput, required: true, description: 'Metadados do processo.' }),
    documentos: t.field({
      type: [DocumentoInput],
      required: true,
      description:
        'Documentos, em ordem (ao menos um, cada um com ao menos um componente digital). A plataforma passa o trâmite a 2 sozinha quando o último componente chega (`enviarComponentesDigitais` ou POST /tramites/<idt>/componentes).',
    }),
  }),
});

builder.mutationField(MUTACAO_POR_ACAO.INICIAR!, (t) =>
  t.withAuth(AUTHENTICATED).field({
    type: ResultadoTransicao,
    description:
      'Inicia o trâmite de um processo ou documento avulso: → 1. Quem faz: o SPE do órgão remetente (papel SPE), que precisa ser o detentor do processo (quem o recebeu por último com sucesso; no primeiro trâmite, quem o envia). Um processo só tem um trâmite em andamento por vez (0044) e fica bloqueado no remetente enquanto isso.',
    errors: { types: ERROS_INICIO, directResult: true, union: { description: 'Resultado de `iniciarTramite`.' } },
    args: { input: t.arg({ type: IniciarTramiteInput, required: true, description: 'Metadados do trâmite.' }) },
    resolve: (_root, { input }, ctx) =>
      ctx.tramites.iniciarTramite({
        viewer: viewerDaOperacao(ctx.viewer, input.orgao),
        agora: ctx.clock(),
        ambiente: input.ambiente ?? ctx.ambientePadrao,
        tipo: input.tipo,
        numeroProcesso: input.numeroProcesso,
        nre: input.nre,
        descricao: input.descricao,
        unidadeRemetenteId: Number(input.unidadeRemetente.id),
        unidadeDestinatariaId: Number(input.unidadeDestinataria.id),
        chaveIdempotencia: input.chaveIdempotencia,
        processo: input.processo,
        documentos: input.documentos,
        enviarApenasComponentesDigitaisPendentes: input.enviarApenasComponentesDigitaisPendentes,
      }),
  }),
);

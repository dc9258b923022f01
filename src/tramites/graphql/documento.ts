/**
 * What a trâmite carries, in GraphQL: its process metadata, its documents and their digital components
 * (types, the inputs `iniciarTramite` takes, and the fields added to Tramite).
 */
import { isPenAdmin } from '../../kernel/viewer.js';
import { builder } from '../../schema/builder.js';
import { type TIPOS_DE_CONTEUDO, descricaoVisivelATerceiros, type NivelDeSigilo as CodigoSigilo } from '../conteudo.js';
import { EspecieDocumental, HipoteseLegal, MotivoUrgencia } from './referencias.js';
import { Tramite } from './tramite.js';

export const NivelDeSigilo = builder.enumType('NivelDeSigilo', {
  description: 'Nível de acesso de um processo ou documento.',
  values: {
    PUBLICO: { value: 1, description: '1 — Público.' },
    RESTRITO: { value: 2, description: '2 — Restrito: exige uma hipótese legal.' },
    SIGILOSO: { value: 3, description: '3 — Sigiloso: não pode ser tramitado (recusado no início do trâmite).' },
  } as const,
});

export const TipoDeConteudo = builder.enumType('TipoDeConteudo', {
  description: 'Tipo de conteúdo de um componente digital.',
  values: {
    txt: { description: 'Texto.' },
    img: { description: 'Imagem.' },
    aud: { description: 'Áudio.' },
    vid: { description: 'Vídeo.' },
    out: { description: 'Outro.' },
  } satisfies Record<(typeof TIPOS_DE_CONTEUDO)[number], { description: string }>,
});

/** The route of the download (src/http/componentes.ts), relative to the gateway's origin. */
export const urlDeDownload = (componenteId: number) => `/componentes/${componenteId}`;

export const ComponenteDigital = builder.drizzleObject('tramiteComponentes', {
  name: 'ComponenteDigital',
  description: 'Um arquivo de um documento: declarado pelo remetente com seu hash SHA-256 e enviado à plataforma.',
  fields: (t) => ({
    ordem: t.exposeInt('ordem', { description: 'Ordem no documento (a partir de 1).' }),
    nome: t.exposeString('nome', { description: 'Nome do arquivo.' }),
    hash: t.exposeString('hash', { description: 'SHA-256 dos bytes, em base64 (algoritmo SHA256 da plataforma).' }),
    algoritmoDoHash: t.string({ description: 'Sempre SHA256.', resolve: () => 'SHA256' }),
    tamanhoEmBytes: t.exposeInt('tamanho', { description: 'Tamanho declarado, em bytes.' }),
    mimeType: t.exposeString('mimeType', { description: 'Tipo MIME declarado (ex.: application/pdf).' }),
    tipoDeConteudo: t.field({
      type: TipoDeConteudo,
      description: 'Tipo de conteúdo.',
      resolve: (c) => c.tipoDeConteudo as (typeof TIPOS_DE_CONTEUDO)[number],
    }),
    recebidoPelaPlataforma: t.boolean({
      description: 'Verdadeiro quando a plataforma já guarda os bytes, conferidos com o hash e o tamanho declarados.',
      resolve: (c) => c.conteudoId != null,
    }),
    enviadoEm: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Quando os bytes chegaram à plataforma.',
      resolve: (c) => c.enviadoEm,
    }),
    urlDeDownload: t.string({
      description: 'Caminho do download por HTTP GET (mesmo token Bearer; aceita Range; ETag e Digest trazem o SHA-256).',
      resolve: (c) => urlDeDownload(c.id),
    }),
  }),
});

export const Documento = builder.drizzleObject('tramiteDocumentos', {
  name: 'Documento',
  description: 'Um documento do processo, com seus componentes digitais.',
  fields: (t) => ({
    ordem: t.exposeInt('ordem', { description: 'Ordem no processo (a partir de 1).' }),
    especie: t.relation('especie', { type: EspecieDocumental, description: 'Espécie documental.' }),
    descricao: t.string({
      nullable: true,
      description: 'Descrição (até 100 caracteres). Num documento restrito, só os dois lados do trâmite a veem (nula para os demais).',
      resolve: (d, _args, ctx) => (descricaoVisivelATerceiros(d.nivelDeSigilo) || !isPenAdmin(ctx.viewer!) ? d.descricao : null),
    }),
    nivelDeSigilo: t.field({ type: NivelDeSigilo, description: 'Nível de acesso.', resolve: (d) => d.nivelDeSigilo as CodigoSigilo }),
    hipoteseLegal: t.relation('hipoteseLegal', {
      type: HipoteseLegal,
      nullable: true,
      description: 'Hipótese legal, num documento restrito.',
    }),
    produtor: t.exposeString('produtor', { nullable: true, description: 'Quem produziu o documento.' }),
    dataHoraDeProducao: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Quando foi produzido.',
      resolve: (d) => d.dataHoraDeProducao,
    }),
    componentes: t.relation('componentes', { description: 'Componentes digitais, em ordem.', query: { orderBy: { ordem: 'asc' } } }),
  }),
});

export const MetadadosDoProcesso = builder.drizzleObject('tramiteProcessos', {
  name: 'MetadadosDoProcesso',
  description: 'Metadados do processo enviados no início do trâmite.',
  fields: (t) => ({
    nivelDeSigilo: t.field({
      type: NivelDeSigilo,
      description: 'Nível de acesso do processo.',
      resolve: (p) => p.nivelDeSigilo as CodigoSigilo,
    }),
    hipoteseLegal: t.field({
      type: HipoteseLegal,
      nullable: true,
      description: 'Hipótese legal, num processo restrito.',
      resolve: async (p, _args, ctx) =>
        p.hipoteseLegalId == null ? null : ((await ctx.db.query.hipotesesLegais.findFirst({ where: { id: p.hipoteseLegalId } })) ?? null),
    }),
    processoDeNegocio: t.exposeString('processoDeNegocio', { nullable: true, description: 'Tipo de processo (até 100 caracteres).' }),
    produtor: t.exposeString('produtor', { nullable: true, description: 'Quem produziu o processo.' }),
    interessados: t.stringList({ description: 'Nomes dos interessados.', resolve: (p) => p.interessados }),
    dataHoraDeProducao: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Quando foi produzido.',
      resolve: (p) => p.dataHoraDeProducao,
    }),
    urgente: t.exposeBoolean('urgente', { description: 'Trâmite urgente.' }),
    motivoUrgencia: t.field({
      type: MotivoUrgencia,
      nullable: true,
      description: 'Motivo da urgência.',
      resolve: async (p, _args, ctx) =>
        p.motivoUrgenciaCodigo == null
          ? null
          : ((await ctx.db.query.motivosUrgencia.findFirst({ where: { codigo: p.motivoUrgenciaCodigo } })) ?? null),
    }),
  }),
});

builder.drizzleObjectFields(Tramite, (t) => ({
  processo: t.relation('processo', {
    type: MetadadosDoProcesso,
    nullable: true,
    description: 'Metadados do processo (nulo num trâmite iniciado sem eles).',
  }),
  documentos: t.relation('documentos', {
    description: 'Documentos, em ordem, com seus componentes digitais.',
    query: { orderBy: { ordem: 'asc' } },
  }),
  totalDeDocumentos: t.int({
    description: 'Quantos documentos o trâmite leva.',
    select: { with: { documentos: { columns: { id: true } } } },
    resolve: (r) => r.documentos.length,
  }),
  totalDeComponentes: t.int({
    description: 'Quantos componentes digitais o trâmite leva.',
    select: { with: { componentes: { columns: { id: true } } } },
    resolve: (r) => r.componentes.length,
  }),
  tamanhoTotalEmBytes: t.float({
    description: 'Soma dos tamanhos declarados dos componentes, em bytes.',
    select: { with: { componentes: { columns: { tamanho: true } } } },
    resolve: (r) => r.componentes.reduce((soma, c) => soma + c.tamanho, 0),
  }),
  componentesPendentesDeEnvio: t.relation('componentes', {
    description:
      'Componentes que o remetente ainda precisa enviar (a plataforma não os guarda): o trâmite passa a 2 quando a lista esvazia.',
    query: { where: { conteudoId: { isNull: true } }, orderBy: { id: 'asc' } },
  }),
}));

// ---- inputs of iniciarTramite ----------------------------------------------------------------

export const ComponenteDigitalInput = builder.inputType('ComponenteDigitalInput', {
  description: 'Um componente digital declarado no início do trâmite; os bytes vão depois, por POST /tramites/<idt>/componentes.',
  fields: (t) => ({
    ordem: t.int({ required: true, description: 'Ordem no documento (1 a n).' }),
    nome: t.string({ required: true, description: 'Nome do arquivo (até 255 caracteres).' }),
    hash: t.string({ required: true, description: 'SHA-256 dos bytes, em base64 (44 caracteres).' }),
    tamanhoEmBytes: t.int({ required: true, description: 'Tamanho em bytes (até o máximo por componente do gateway).' }),
    mimeType: t.string({ required: true, description: 'Tipo MIME (ex.: application/pdf).' }),
    tipoDeConteudo: t.field({ type: TipoDeConteudo, required: true, description: 'Tipo de conteúdo.' }),
  }),
});

export const DocumentoInput = builder.inputType('DocumentoInput', {
  description: 'Um documento do processo, com seus componentes digitais.',
  fields: (t) => ({
    ordem: t.int({ required: true, description: 'Ordem no processo (1 a n).' }),
    especie: t.int({ required: true, description: 'Código da espécie documental (`especiesDocumentais`).' }),
    descricao: t.string({ description: 'Descrição (até 100 caracteres).' }),
    nivelDeSigilo: t.field({ type: NivelDeSigilo, required: true, description: 'Nível de acesso; SIGILOSO é recusado.' }),
    hipoteseLegal: t.int({ description: 'Identificação da hipótese legal (`hipotesesLegais`), obrigatória se RESTRITO.' }),
    produtor: t.string({ description: 'Quem produziu o documento (até 150 caracteres).' }),
    dataHoraDeProducao: t.field({ type: 'DateTime', description: 'Quando foi produzido.' }),
    componentes: t.field({ type: [ComponenteDigitalInput], required: true, description: 'Componentes digitais (ao menos um).' }),
  }),
});

export const MetadadosDoProcessoInput = builder.inputType('MetadadosDoProcessoInput', {
  description: 'Metadados do processo no início do trâmite.',
  fields: (t) => ({
    nivelDeSigilo: t.field({ type: NivelDeSigilo, required: true, description: 'Nível de acesso; SIGILOSO é recusado.' }),
    hipoteseLegal: t.int({ description: 'Identificação da hipótese legal, obrigatória se RESTRITO.' }),
    processoDeNegocio: t.string({ description: 'Tipo de processo (até 100 caracteres).' }),
    produtor: t.string({ description: 'Quem produziu o processo (até 150 caracteres).' }),
    interessados: t.stringList({ description: 'Nomes dos interessados (até 150 caracteres cada).' }),
    dataHoraDeProducao: t.field({ type: 'DateTime', description: 'Quando foi produzido.' }),
    urgente: t.boolean({ description: 'Trâmite urgente (exige `motivoUrgencia`).' }),
    motivoUrgencia: t.int({ description: 'Código do motivo de urgência (`motivosUrgencia`).' }),
  }),
});

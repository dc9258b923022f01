/**
 * The upload of digital components through GraphQL (the multipart request spec). The bytes never pass
 * through here whole: src/http/graphql-multipart.ts hands each file part over as a stream, and this
 * mutation feeds it, part after part, to the same command as the REST route (`receberComponente`).
 */
import { DadosInvalidos } from '../../kernel/erros.js';
import { AUTHENTICATED, builder } from '../../schema/builder.js';
import { ErroInterface } from '../../schema/resultados.js';
import {
  AcaoNaoPermitida,
  ComponenteNaoDeclarado,
  HashNaoConfere,
  MimeTypeNaoConfere,
  OrgaoNaoServido,
  PapelSemPermissao,
  TamanhoNaoConfere,
  TramiteNaoEncontrado,
  TransicaoInvalida,
} from '../erros.js';
import type { ComponenteRow } from '../envio.js';
import type { Evento } from '../eventos.js';
import { EventoTramite } from './evento-tramite.js';
import type { TramiteRow } from '../servico.js';
import { ComponenteDigital } from './documento.js';
import { DESCRICAO_ORGAO_DA_OPERACAO, viewerDaOperacao } from './mutacoes.js';
import { Orgao } from '../../orgaos/graphql/orgao.js';
import { Tramite } from './tramite.js';

/** One file part of a multipart request, as the HTTP layer hands it over. */
export interface ArquivoDoPedido {
  bytes: AsyncIterable<Uint8Array>;
  mimeType: string;
}

/** The request's file parts by slot name (the `Upload` value), each resolved when its part arrives. */
export type ArquivosDoPedido = Map<string, Promise<ArquivoDoPedido>>;

declare module '../../schema/context.js' {
  interface GatewayContext {
    /** Set only for a GraphQL multipart request. */
    arquivosDoPedido?: ArquivosDoPedido;
  }
}

builder.objectType(ComponenteNaoDeclarado, {
  name: 'ErroComponenteNaoDeclarado',
  description: 'Nenhum componente digital do trâmite foi declarado com este hash; nada foi guardado.',
  interfaces: [ErroInterface],
  fields: (t) => ({ hash: t.string({ description: 'O hash informado.', resolve: (e) => e.hash }) }),
});
builder.objectType(HashNaoConfere, {
  name: 'ErroHashNaoConfere',
  description: 'Os bytes recebidos não têm o SHA-256 declarado; nada foi guardado.',
  interfaces: [ErroInterface],
  fields: (t) => ({
    hashDeclarado: t.string({ description: 'O SHA-256 declarado (base64).', resolve: (e) => e.hashDeclarado }),
    hashRecebido: t.string({ description: 'O SHA-256 dos bytes recebidos (base64).', resolve: (e) => e.hashRecebido }),
  }),
});
builder.objectType(TamanhoNaoConfere, {
  name: 'ErroTamanhoNaoConfere',
  description: 'Chegaram mais (ou menos) bytes que o declarado; nada foi guardado.',
  interfaces: [ErroInterface],
  fields: (t) => ({
    tamanhoDeclarado: t.float({ description: 'Bytes declarados.', resolve: (e) => e.tamanhoDeclarado }),
    tamanhoRecebido: t.float({ description: 'Bytes recebidos (até onde o envio foi interrompido).', resolve: (e) => e.tamanhoRecebido }),
  }),
});
builder.objectType(MimeTypeNaoConfere, {
  name: 'ErroMimeTypeNaoConfere',
  description: 'O arquivo veio com outro tipo MIME que o declarado; nada foi guardado.',
  interfaces: [ErroInterface],
  fields: (t) => ({
    declarado: t.string({ description: 'Tipo MIME declarado.', resolve: (e) => e.declarado }),
    recebido: t.string({ description: 'Tipo MIME do envio.', resolve: (e) => e.recebido }),
  }),
});

interface Recebido {
  hash: string;
  jaGuardado: boolean;
  componentes: ComponenteRow[];
}

const ComponenteRecebido = builder.objectRef<Recebido>('ComponenteRecebido').implement({
  description: 'Um arquivo recebido neste envio.',
  fields: (t) => ({
    hash: t.exposeString('hash', { description: 'O SHA-256 declarado que os bytes conferiram.' }),
    jaGuardado: t.exposeBoolean('jaGuardado', {
      description: 'Verdadeiro quando a plataforma já tinha estes bytes: nada foi gravado de novo.',
    }),
    componentes: t.field({
      type: [ComponenteDigital],
      description: 'Os componentes deste trâmite que estes bytes satisfazem.',
      resolve: (r) => r.componentes,
    }),
  }),
});

const ComponentesEnviados = builder
  .objectRef<{ tramite: TramiteRow; recebidos: Recebido[]; evento: Evento | null }>('ComponentesDigitaisEnviados')
  .implement({
    description: 'Os componentes digitais recebidos, e o trâmite depois deles (em 2 quando chegou o último).',
    fields: (t) => ({
      tramite: t.field({ type: Tramite, description: 'O trâmite.', resolve: (r) => r.tramite }),
      evento: t.field({
        type: EventoTramite,
        nullable: true,
        description: 'A passagem a 2 feita pela plataforma, quando este envio trouxe o último componente que faltava; nulo nos demais.',
        resolve: (r) => r.evento,
      }),
      recebidos: t.field({
        type: [ComponenteRecebido],
        description: 'Um item por arquivo, na ordem do envio.',
        resolve: (r) => r.recebidos,
      }),
    }),
  });

const ArquivoDeComponenteInput = builder.inputType('ArquivoDeComponenteInput', {
  description: 'Um arquivo e o componente declarado que ele é.',
  fields: (t) => ({
    hash: t.string({ required: true, description: 'O SHA-256 (base64) declarado do componente em `iniciarTramite`.' }),
    arquivo: t.field({ type: 'Upload', required: true, description: 'O arquivo (uma parte da requisição multipart).' }),
  }),
});

builder.mutationField('enviarComponentesDigitais', (t) =>
  t.withAuth(AUTHENTICATED).field({
    type: ComponentesEnviados,
    description:
      'O remetente envia os bytes de um ou mais componentes digitais declarados, numa requisição multipart do GraphQL (GraphQL multipart request spec), cada arquivo gravado enquanto chega, conferido com o hash e o tamanho declarados. Cada arquivo é uma transação: um erro para o envio nele, e os anteriores ficam guardados (reenviar um guardado não faz nada). Quando chega o último componente que faltava, a plataforma passa o trâmite a 2 e emite o recibo de envio. Mesmo comando que `POST /tramites/<idt>/componentes`. Quem faz: o SPE do órgão remetente, na situação 1.',
    errors: {
      types: [
        TramiteNaoEncontrado,
        OrgaoNaoServido,
        TransicaoInvalida,
        AcaoNaoPermitida,
        PapelSemPermissao,
        ComponenteNaoDeclarado,
        HashNaoConfere,
        TamanhoNaoConfere,
        MimeTypeNaoConfere,
        DadosInvalidos,
      ],
      directResult: true,
      union: { description: 'Resultado de `enviarComponentesDigitais`.' },
    },
    args: {
      tramite: t.arg.globalID({ required: true, for: [Tramite], description: 'O trâmite (em 1).' }),
      arquivos: t.arg({ type: [ArquivoDeComponenteInput], required: true, description: 'Os arquivos, na ordem das partes do pedido.' }),
      orgao: t.arg.globalID({ for: [Orgao], description: DESCRICAO_ORGAO_DA_OPERACAO }),
    },
    resolve: async (_root, args, ctx) => {
      const tramiteId = Number(args.tramite.id);
      const viewer = viewerDaOperacao(ctx.viewer, args.orgao);
      const recebidos: Recebido[] = [];
      let tramite: TramiteRow | null = null;
      let evento: Evento | null = null;
      for (const { hash, arquivo } of args.arquivos) {
        const parte = ctx.arquivosDoPedido?.get(arquivo);
        if (!parte) throw new TypeError('arquivo ausente do pedido multipart');
        const { bytes, mimeType } = await parte;
        const r = await ctx.tramites.receberComponente({ viewer, tramiteId, hash, mimeType, bytes, agora: ctx.clock() });
        recebidos.push({ hash, jaGuardado: r.jaGuardado, componentes: r.componentes });
        tramite = r.tramite;
        evento ??= r.evento;
      }
      if (!tramite) throw new DadosInvalidos([{ campo: 'arquivos', mensagem: 'ao menos um arquivo' }]);
      return { tramite, recebidos, evento };
    },
  }),
);

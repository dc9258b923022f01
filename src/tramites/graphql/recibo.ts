/**
 * The receipts of a trâmite in GraphQL: the recibo de envio the platform signed at 2 (a compact JWS), and
 * the recibo de conclusão the recipient's SPE signed at 5 (RSA-SHA256 over an XML text), with its key.
 */
import { createPublicKey } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { builder } from '../../schema/builder.js';
import type { ConteudoReciboDeEnvio } from '../recibos.js';
import type { recibosDeConclusao, recibosDeEnvio } from '../tables.js';
import { Tramite } from './tramite.js';

/** Where the gateway publishes the receipts' public keys (src/http/componentes.ts serves it). */
export const CAMINHO_JWKS = '/.well-known/jwks.json';

type ReciboRow = typeof recibosDeEnvio.$inferSelect;
// The payload is JSON (not a JWT), but decodeJwt reads any JSON-object payload of a compact JWS.
const conteudo = (r: ReciboRow) => decodeJwt(r.jws) as unknown as ConteudoReciboDeEnvio;

export const ReciboDeEnvio = builder.objectRef<ReciboRow>('ReciboDeEnvio').implement({
  description:
    'Recibo de envio: a plataforma atesta que todos os componentes digitais chegaram íntegros. Assinado pelo gateway (JWS compacto); verifique com a chave pública publicada em `chavesPublicasUrl` (JWKS), pelo `kid` do cabeçalho.',
  fields: (t) => ({
    jws: t.exposeString('jws', { description: 'O recibo assinado (JWS compacto, RFC 7515); o conteúdo é o JSON dos campos abaixo.' }),
    idt: t.string({ description: 'IDT do trâmite.', resolve: (r) => conteudo(r).IDT }),
    nre: t.string({ description: 'NRE do processo.', resolve: (r) => conteudo(r).NRE }),
    dataDeRecebimentoDoUltimoComponenteDigital: t.field({
      type: 'DateTime',
      description: 'Quando o último componente digital chegou à plataforma.',
      resolve: (r) => new Date(conteudo(r).dataDeRecebimentoDoUltimoComponenteDigital),
    }),
    hashesDosComponentesDigitais: t.stringList({
      description: 'SHA-256 (base64) de cada componente, em ordem.',
      resolve: (r) => conteudo(r).hashesDosComponentesDigitais,
    }),
    algoritmo: t.string({ description: 'Algoritmo da assinatura (ex.: ES256).', resolve: (r) => String(decodeProtectedHeader(r.jws).alg) }),
    chaveId: t.string({
      description: 'Identificador (`kid`) da chave que assinou, no JWKS.',
      resolve: (r) => String(decodeProtectedHeader(r.jws).kid),
    }),
    chavesPublicasUrl: t.string({ description: 'Caminho do JWKS com as chaves públicas do gateway.', resolve: () => CAMINHO_JWKS }),
    emitidoEm: t.field({ type: 'DateTime', description: 'Quando a plataforma emitiu o recibo.', resolve: (r) => r.emitidoEm }),
  }),
});

builder.drizzleObjectFields(Tramite, (t) => ({
  reciboDeEnvio: t.field({
    type: ReciboDeEnvio,
    nullable: true,
    description: 'Recibo de envio assinado pela plataforma ao chegar à situação 2 (nulo antes, ou num trâmite sem componentes declarados).',
    select: { with: { reciboDeEnvio: true } },
    resolve: (r) => r.reciboDeEnvio ?? null,
  }),
}));

type ReciboDeConclusaoRow = typeof recibosDeConclusao.$inferSelect;

export const ReciboDeConclusao = builder.objectRef<ReciboDeConclusaoRow>('ReciboDeConclusao').implement({
  description:
    'Recibo de conclusão do trâmite: o SPE destinatário atesta que recebeu tudo. Assinado por ele (RSA-SHA256) sobre `textoAssinado`; o gateway o verificou com a chave pública registrada do órgão, copiada aqui para que qualquer um o verifique offline (ex.: `crypto.verify("sha256", texto, chavePublicaPem, base64(hashDaAssinatura))`).',
  fields: (t) => ({
    idt: t.string({ description: 'IDT do trâmite.', resolve: (r) => /<IDT>(\d+)<\/IDT>/.exec(r.textoAssinado)![1]! }),
    nre: t.string({ description: 'NRE do processo.', resolve: (r) => /<NRE>(\d+)<\/NRE>/.exec(r.textoAssinado)![1]! }),
    dataDeRecebimento: t.field({
      type: 'DateTime',
      description: 'Quando o trâmite chegou a 4 (componentes recebidos pelo destinatário), como assinado.',
      resolve: (r) => r.dataDeRecebimento,
    }),
    hashesDosComponentesDigitais: t.stringList({
      description: 'SHA-256 (base64) de cada componente, em ordem, como assinados.',
      resolve: (r) => [...r.textoAssinado.matchAll(/<hashDoComponenteDigital>([^<]+)<\/hashDoComponenteDigital>/g)].map((m) => m[1]!),
    }),
    textoAssinado: t.exposeString('textoAssinado', { description: 'O texto exato que o SPE assinou (UTF-8).' }),
    hashDaAssinatura: t.exposeString('hashDaAssinatura', { description: 'A assinatura RSA-SHA256 do texto, em base64.' }),
    algoritmo: t.string({ description: 'Algoritmo da assinatura: SHA256withRSA (RSASSA-PKCS1-v1_5).', resolve: () => 'SHA256withRSA' }),
    chaveId: t.exposeString('chaveId', { description: 'Identificador da chave pública do SPE (JWK thumbprint, RFC 7638).' }),
    chavePublicaPem: t.exposeString('chavePublicaPem', { description: 'A chave pública do SPE que verificou a assinatura (PEM, SPKI).' }),
    chavePublicaJwk: t.string({
      description: 'A mesma chave como JWK (JSON), para `jose` e afins.',
      resolve: (r) => JSON.stringify({ ...createPublicKey(r.chavePublicaPem).export({ format: 'jwk' }), kid: r.chaveId, alg: 'RS256' }),
    }),
    recebidoEm: t.field({
      type: 'DateTime',
      description: 'Quando a plataforma recebeu e verificou o recibo.',
      resolve: (r) => r.recebidoEm,
    }),
  }),
});

builder.drizzleObjectFields(Tramite, (t) => ({
  reciboDeConclusao: t.field({
    type: ReciboDeConclusao,
    nullable: true,
    description:
      'Recibo de conclusão assinado pelo SPE destinatário, verificado pela plataforma ao chegar a 5 (nulo antes, ou num trâmite sem componentes declarados que chegou a 5 sem assinatura).',
    select: { with: { reciboDeConclusao: true } },
    resolve: (r) => r.reciboDeConclusao ?? null,
  }),
}));

/** The receipts of a trâmite in GraphQL: the recibo de envio the platform signed at 2 (a compact JWS). */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { builder } from '../../schema/builder.js';
import type { ConteudoReciboDeEnvio } from '../recibos.js';
import type { recibosDeEnvio } from '../tables.js';
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

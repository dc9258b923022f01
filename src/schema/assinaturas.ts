import { GraphQLError } from 'graphql';
import { z } from 'zod';
import type { GatewayContext } from './context.js';
import { ConsumidorLento, ServidorEmDesligamento } from '../feeds/fila.js';
import type { OpcoesAssinatura } from '../feeds/assinatura.js';

/** The `aPartirDe` argument every resumable subscription takes. */
export const ARG_A_PARTIR_DE = {
  required: false,
  description:
    'Cursor do último evento recebido: primeiro vêm os eventos já gravados depois dele, depois os ao vivo. Sem ele, só os novos.',
  validate: z.string().regex(/^\d{1,18}$/, 'cursor inválido: use o `cursor` de um evento'),
} as const;

/** WebSocket close codes of the feeds (documented in the schema and the README). */
export const CODIGO_FECHAMENTO = { tokenExpirado: 4401, consumidorLento: 4430, desligamento: 1001 } as const;

/**
 * The limits every subscription of a request gets: its queue bound, the token's expiry, and how a
 * stream that ends in error closes a WebSocket connection (so the client knows to resume by cursor).
 */
export function limitesDoContexto(
  ctx: GatewayContext,
): Pick<OpcoesAssinatura<never>, 'limiteFila' | 'expiresAt' | 'erroExpiracao' | 'aoFalhar'> {
  return {
    limiteFila: ctx.feeds.limiteFila,
    expiresAt: ctx.expiresAt,
    erroExpiracao: () =>
      new GraphQLError('Token expirado: reconecte com um token novo e retome pelo último cursor.', {
        extensions: { code: 'TOKEN_EXPIRED' },
      }),
    aoFalhar: (erro) => {
      ctx.log.info({ reason: erro.message }, 'subscription ended');
      if (erro instanceof ConsumidorLento) ctx.encerrarConexao?.(CODIGO_FECHAMENTO.consumidorLento, 'Consumidor lento');
      else if (erro instanceof ServidorEmDesligamento) ctx.encerrarConexao?.(CODIGO_FECHAMENTO.desligamento, 'Servidor em desligamento');
      else ctx.encerrarConexao?.(CODIGO_FECHAMENTO.tokenExpirado, 'Token expirado');
    },
  };
}

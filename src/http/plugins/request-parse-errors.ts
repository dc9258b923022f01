import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

function badRequest(message: string, status = 400): GraphQLError {
  return new GraphQLError(message, { extensions: { code: status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'BAD_REQUEST', http: { status } } });
}

/**
 * A body yoga cannot read answers a coded 4xx, never "Unexpected error." with a 500: JSON nested
 * beyond the parser's stack, broken `variables` in a GET, a multipart body without its fields, or a
 * content type no parser takes (yoga's own answer there is an empty 415).
 */
export function requestParseErrors(): Plugin {
  return {
    onRequestParse({ requestParser, setRequestParser }) {
      setRequestParser(async (request) => {
        if (!requestParser)
          throw badRequest(`Tipo de conteúdo não aceito: ${request.headers.get('content-type') ?? '(nenhum)'}. Use application/json.`, 415);
        try {
          return await requestParser(request);
        } catch (error) {
          if (error instanceof GraphQLError && typeof error.extensions?.code === 'string') throw error;
          const message =
            error instanceof GraphQLError ? error.message : 'Pedido ilegível: o corpo ou os parâmetros não são um pedido GraphQL válido.';
          throw badRequest(message);
        }
      });
    },
  };
}

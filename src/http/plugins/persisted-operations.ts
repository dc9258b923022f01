import { createInMemoryAPQStore, useAPQ } from '@graphql-yoga/plugin-apq';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { GraphQLError } from 'graphql';
import type { GraphQLParams, Plugin } from 'graphql-yoga';
import type { TrustedDocuments } from '../../trusted-documents.js';

export interface PersistedOperationsOptions {
  /** When set, only these documents run (trusted documents); otherwise Apollo's automatic persisted queries. */
  trustedDocuments: TrustedDocuments | null;
}

/** The id a client sends instead of the text: `documentId` (codegen's client preset) or Apollo's `persistedQuery` hash. */
export function persistedOperationId(params: Pick<GraphQLParams, 'extensions'> & { documentId?: unknown }): string | null {
  if (typeof params.documentId === 'string') return params.documentId;
  const persisted = (params.extensions as { persistedQuery?: { version?: unknown; sha256Hash?: unknown } } | undefined)?.persistedQuery;
  return persisted?.version === 1 && typeof persisted.sha256Hash === 'string' ? persisted.sha256Hash : null;
}

const notTrusted = () =>
  new GraphQLError(
    'Operação fora da lista de documentos confiáveis deste gateway (TRUSTED_DOCUMENTS): envie o id de um documento publicado.',
    {
      extensions: { code: 'PERSISTED_QUERY_NOT_IN_LIST', http: { status: 400 } },
    },
  );

/**
 * yoga's own plugins: `useAPQ` (Apollo's protocol: a hash miss answers PERSISTED_QUERY_NOT_FOUND, on
 * which Apollo's link resends with the text) or, with a manifest, `usePersistedOperations`, which
 * refuses every other operation. APQ's store is per instance: a miss on another instance costs one retry.
 */
export function persistedOperations({ trustedDocuments }: PersistedOperationsOptions): Plugin {
  if (!trustedDocuments) {
    // Bounded, and kept an hour (the plugin's default keeps a hash 36 s, so most page loads would miss).
    return useAPQ({ store: createInMemoryAPQStore({ max: 1_000, ttl: 3_600_000 }), responseConfig: { forceStatusCodeOk: true } });
  }
  return usePersistedOperations({
    allowArbitraryOperations: false,
    extractPersistedOperationId: (params) => persistedOperationId(params as GraphQLParams & { documentId?: unknown }),
    getPersistedOperation: (id) => trustedDocuments.get(id) ?? null,
    customErrors: { notFound: notTrusted, keyNotFound: notTrusted, persistedQueryOnly: notTrusted },
  });
}

/**
 * graphql-ws messages don't pass yoga's params hooks: with trusted documents, the text to run for a
 * subscribe payload (looked up by id, or the payload's own text when it is one of the documents), or
 * the error to answer.
 */
export function trustedWebSocketQuery(
  trustedDocuments: TrustedDocuments | null,
  payload: { query: string; extensions?: Record<string, unknown> | null },
): string | GraphQLError {
  if (!trustedDocuments) return payload.query;
  const id = persistedOperationId({
    extensions: payload.extensions ?? undefined,
    documentId: (payload as { documentId?: unknown }).documentId,
  });
  const byId = id ? trustedDocuments.get(id) : undefined;
  if (byId) return byId;
  return documentTexts(trustedDocuments).has(payload.query) ? payload.query : notTrusted();
}

const texts = new WeakMap<TrustedDocuments, ReadonlySet<string>>();
function documentTexts(trustedDocuments: TrustedDocuments): ReadonlySet<string> {
  let set = texts.get(trustedDocuments);
  if (!set) {
    set = new Set(trustedDocuments.values());
    texts.set(trustedDocuments, set);
  }
  return set;
}

import type { DocumentNode } from 'graphql';
import { LRUCache } from 'lru-cache';

/**
 * Yoga's parse cache keeps 1,024 documents keyed by the full query text (stack.md trap 18): with
 * big documents that is gigabytes. These caches are bounded by the bytes of the texts they key
 * (the AST a text produces grows with it); a document above an eighth of the budget is not cached.
 * The validation cache is keyed by these documents (a WeakMap), so it is bounded with them.
 */
export function boundedParseCaches(maxBytes: number) {
  const options = {
    maxSize: maxBytes,
    maxEntrySize: Math.max(1, Math.floor(maxBytes / 8)),
    sizeCalculation: (_value: unknown, key: string) => Math.max(1, Buffer.byteLength(key)),
  };
  return {
    documentCache: new LRUCache<string, DocumentNode>(options),
    errorCache: new LRUCache<string, object>(options),
  };
}

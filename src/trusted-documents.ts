import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** Operation id (sha256 of the document text, as the manifests write it) → document text. */
export type TrustedDocuments = ReadonlyMap<string, string>;

// GraphQL Code Generator's client preset (`persistedDocuments: true`) writes `{ "<sha256>": "<document>" }`;
// Apollo's generate-persisted-query-manifest writes `{ format, version: 1, operations: [{ id, body, … }] }`.
const codegenManifest = z.record(z.string().min(1), z.string().min(1));
const apolloManifest = z.object({
  format: z.literal('apollo-persisted-query-manifest'),
  version: z.literal(1),
  operations: z.array(z.object({ id: z.string().min(1), body: z.string().min(1) }).loose()),
});

/** Reads a trusted-documents manifest; throws an Error saying what is wrong with the file. */
export function loadTrustedDocuments(path: string): TrustedDocuments {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read ${path} as JSON: ${(error as Error).message}`);
  }
  const apollo = apolloManifest.safeParse(json);
  const entries: [string, string][] = apollo.success
    ? apollo.data.operations.map((o) => [o.id, o.body])
    : (() => {
        const codegen = codegenManifest.safeParse(json);
        if (!codegen.success) {
          throw new Error(
            `${path} is neither a GraphQL Code Generator persisted-documents map ({ "<hash>": "<document>" }) nor an Apollo persisted query manifest`,
          );
        }
        return Object.entries(codegen.data);
      })();
  if (entries.length === 0) throw new Error(`${path} lists no operation`);
  return new Map(entries);
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

// Introspection as partner tools send it: the standard query (every option of getIntrospectionQuery)
// passes and rebuilds the published SDL; hostile nested introspection is refused with a code; the depth
// measurement is linear in fragment spreads. One backend: this is the GraphQL layer.
import { readFileSync } from 'node:fs';
import {
  buildClientSchema,
  buildSchema,
  getIntrospectionQuery,
  lexicographicSortSchema,
  printSchema,
  type IntrospectionQuery,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SCHEMA_FILE } from '../src/http/schema.js';
import { BACKENDS } from './support/backends.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { PEN_ADMIN } from './support/accounts.js';

const STANDARD = getIntrospectionQuery({
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  schemaDescription: true,
  inputValueDeprecation: true,
  oneOf: true,
});

const sorted = (sdl: string) => printSchema(lexicographicSortSchema(buildSchema(sdl)));

describe(`${BACKENDS[0]}`, () => {
  let gw: TestGateway;
  let gestor: string;

  beforeAll(async () => {
    gw = await startTestGateway(BACKENDS[0]!, { seed: false });
    gestor = await gw.tokenOf(PEN_ADMIN);
  });

  afterAll(async () => {
    await gw?.close();
  });

  test('the standard introspection query (all options) answers, anonymously, and rebuilds schema/schema.graphql', async () => {
    for (const token of [null, gestor]) {
      const res = await gw.gql<IntrospectionQuery>(STANDARD, {}, token);
      expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
      expect(res.status).toBe(200);
      const rebuilt = printSchema(lexicographicSortSchema(buildClientSchema(res.data!)));
      expect(rebuilt).toBe(sorted(readFileSync(SCHEMA_FILE, 'utf8')));
    }
  });

  test('nested type lists (`__type { fields { type { fields { type { fields ... } } } } }`) are refused as INTROSPECTION_TOO_DEEP', async () => {
    const hostile = `{ __type(name: "Tramite") { fields { type { fields { type { fields { type { fields { name } } } } } } } } }`;
    for (const token of [null, gestor]) {
      const res = await gw.gql(hostile, {}, token);
      expect(res.data ?? null).toBeNull();
      expect(res.errors?.map((e) => e.extensions?.code)).toContain('INTROSPECTION_TOO_DEEP');
      // graphql-js's own rule reports it (swapped by identity in the depth plugin): one coded pt-BR error, no English one left.
      expect(res.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([
        ['INTROSPECTION_TOO_DEEP', expect.stringMatching(/^Introspecção aninhada demais: listas de tipos/)],
      ]);
    }
    // The same through fragments and under __schema.
    const viaFragments = `
      fragment T on __Type { fields { type { ...U } } }
      fragment U on __Type { fields { type { ...T } } name }
      { __schema { types { ...U } } }`;
    const res = await gw.gql(viaFragments, {}, null);
    expect(res.errors?.map((e) => e.extensions?.code)).toContain('INTROSPECTION_TOO_DEEP');
  });

  test('introspection deeper than the standard query (a long ofType chain) is refused; __schema is not exempt', async () => {
    const chain = (n: number): string => (n === 0 ? 'name' : `name ofType { ${chain(n - 1)} }`);
    // __schema(1) types(2) fields(3) type(4) + ofType levels.
    const tooDeep = `{ __schema { types { fields { type { ${chain(12)} } } } } }`;
    const res = await gw.gql(tooDeep, {}, null);
    expect(res.errors?.[0]?.extensions?.code, JSON.stringify(res.errors)).toBe('INTROSPECTION_TOO_DEEP');
    expect(res.errors?.[0]?.message).toMatch(/17 níveis \(máximo 15\)/);
    const atTheBound = await gw.gql(`{ __schema { types { fields { type { ${chain(10)} } } } } }`, {}, null);
    expect(atTheBound.errors, JSON.stringify(atTheBound.errors)).toBeUndefined();
  });

  test('operation depth does not count introspection, and introspection does not raise the operation bound', async () => {
    const nest = (levels: number): string => (levels === 0 ? 'sigla' : `sigla subunidades { ${nest(levels - 1)} }`);
    const deep = `{ __typename orgao(repositorio: 1, numeroIdentificacao: 1) { unidades { ${nest(11)} } } }`;
    const res = await gw.gql(deep, {}, gestor);
    expect(res.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_DEEP');
  });

  test('a document of fragments spreading each other 2^40 times is measured at once (memoised, not exponential)', async () => {
    let doc = 'fragment F0 on Tramite { idt }\n';
    for (let i = 1; i <= 40; i++) doc += `fragment F${i} on Tramite { ...F${i - 1} ...F${i - 1} }\n`;
    doc += '{ tramites(first: 1) { nodes { ...F40 } } }';
    const started = performance.now();
    const res = await gw.gql(doc, {}, gestor);
    // Generous bound: an exponential count would not finish at all.
    expect(performance.now() - started).toBeLessThan(5_000);
    // Depth is fine (3), so the operation runs; graphql-js may still object to overlapping fields: no error code of ours.
    expect(res.errors?.some((e) => e.extensions?.code === 'QUERY_TOO_DEEP') ?? false).toBe(false);
  });
});

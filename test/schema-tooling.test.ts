// Tooling for partner teams: the graphql-config file, and the breaking-change check CI runs between
// the committed SDL and the merge base's.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { loadConfig } from '../src/config.js';
import { compareSchemas } from '../scripts/schema-breaking-changes.js';
import { SCHEMA_FILE } from '../src/http/schema.js';

const BASE = `
type Query { tramite(id: ID!): Tramite, tramites(first: Int): [Tramite!]! }
type Tramite { id: ID!, nre: String, situacao: Situacao! }
enum Situacao { A B }
`;

describe('compareSchemas', () => {
  test('additions are not breaking; a new enum value is only dangerous', () => {
    const head = BASE.replace('situacao: Situacao!', 'situacao: Situacao!, novo: Int').replace(
      'enum Situacao { A B }',
      'enum Situacao { A B C }',
    );
    const result = compareSchemas(BASE, head, [], false);
    expect(result.breaking).toEqual([]);
    expect(result.unacknowledged).toEqual([]);
    expect(result.dangerous).toEqual(['VALUE_ADDED_TO_ENUM: C was added to enum type Situacao.']);
  });

  test('a removed field, a type change or a new required argument is breaking and unacknowledged', () => {
    const head = BASE.replace('nre: String, ', '')
      .replace('tramite(id: ID!)', 'tramite(id: ID!, x: Int!)')
      .replace('first: Int', 'first: String');
    const result = compareSchemas(BASE, head, [], false);
    expect(result.breaking).toEqual(
      expect.arrayContaining([
        'FIELD_REMOVED: Tramite.nre was removed.',
        'REQUIRED_ARG_ADDED: A required arg x on Query.tramite was added.',
        'ARG_CHANGED_KIND: Query.tramites arg first has changed type from Int to String.',
      ]),
    );
    expect(result.unacknowledged).toEqual(result.breaking);
  });

  test('a breaking change listed in the deliberate file, or announced in a commit, passes; others still fail', () => {
    const head = BASE.replace('nre: String, ', '').replace('enum Situacao { A B }', 'enum Situacao { A }');
    const listed = compareSchemas(BASE, head, ['# removed on purpose', 'FIELD_REMOVED: Tramite.nre was removed.'], false);
    expect(listed.breaking).toHaveLength(2);
    expect(listed.unacknowledged).toEqual(['VALUE_REMOVED_FROM_ENUM: B was removed from enum type Situacao.']);
    expect(compareSchemas(BASE, head, [], true).unacknowledged).toEqual([]);
  });
});

describe('.graphqlrc.json', () => {
  test('points at the published SDL and at the endpoint `npm start` serves', () => {
    const rc = JSON.parse(readFileSync(new URL('../.graphqlrc.json', import.meta.url), 'utf8'));
    expect(new URL(`../${rc.schema}`, import.meta.url).pathname).toBe(SCHEMA_FILE);
    const defaults = loadConfig({});
    const urls = Object.values(rc.extensions.endpoints as Record<string, { url: string }>).map((e) => e.url);
    expect(urls).toContain(`http://${defaults.host}:${defaults.port}/graphql`);
  });
});

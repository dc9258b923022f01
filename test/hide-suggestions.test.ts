// graphql-js offers no code or class for its "Did you mean …?" hints: hide-suggestions.ts matches their text.
// These checks pin that wording on the graphql version installed, so an upgrade that changes it fails here
// instead of leaking the schema's names to anonymous clients.
import { buildSchema, GraphQLError, parse, validate } from 'graphql';
import { describe, expect, test } from 'vitest';
import { withoutSuggestions } from '../src/http/plugins/hide-suggestions.js';

const schema = buildSchema(`
  enum Situacao { RECEBIDO RECUSADO }
  type Query { tramite(situacao: Situacao): Int tramites: Int }
`);
const messages = (query: string) => validate(schema, parse(query)).map((e) => e.message);

describe('graphql-js suggestions, as hide-suggestions.ts reads them', () => {
  test('a misspelt field: the hint is removed, the rest of the message kept', () => {
    const errors = validate(schema, parse('{ tramit }'));
    expect(errors.map((e) => e.message)).toEqual(['Cannot query field "tramit" on type "Query". Did you mean "tramite" or "tramites"?']);
    expect(withoutSuggestions(errors).map((e) => e.message)).toEqual(['Cannot query field "tramit" on type "Query".']);
  });

  test('a misspelt enum value and argument: no "Did you mean" left', () => {
    const found = [...messages('{ tramite(situacao: RECEBID) }'), ...messages('{ tramite(situaca: RECEBIDO) }')];
    expect(found).toHaveLength(2);
    for (const message of found) expect(message).toMatch(/ Did you mean [^?]*\?$/);
    const stripped = withoutSuggestions(found.map((m) => new GraphQLError(m))).map((e) => e.message);
    expect(stripped).toEqual([
      'Value "RECEBID" does not exist in "Situacao" enum.',
      'Unknown argument "situaca" on field "Query.tramite".',
    ]);
  });

  test('errors without a hint pass untouched (the same object)', () => {
    const [error] = validate(schema, parse('{ naoExiste }'));
    expect(error!.message).toBe('Cannot query field "naoExiste" on type "Query".');
    expect(withoutSuggestions([error!])[0]).toBe(error);
  });
});

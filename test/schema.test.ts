// The published schema: no drift from the code, every element described, the ten official statuses.
import { readFileSync } from 'node:fs';
import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
  isUnionType,
  type GraphQLEnumType,
  type GraphQLNamedType,
} from 'graphql';
import { describe, expect, test } from 'vitest';
import { printPublishedSchema, schema, SCHEMA_FILE } from '../src/http/schema.js';
import { SITUACAO_INFO, SITUACOES } from '../src/tramites/regras.js';

const described = (d: string | null | undefined) => typeof d === 'string' && d.trim().length > 0;

/** Every named type the published schema defines itself (no built-in scalars, no __ types). */
function ownTypes(): GraphQLNamedType[] {
  return Object.values(schema.getTypeMap()).filter((t) => !isIntrospectionType(t) && !isSpecifiedScalarType(t));
}

describe('schema/schema.graphql', () => {
  test('equals printPublishedSchema() (no drift between the code and the published SDL)', () => {
    const published = readFileSync(SCHEMA_FILE, 'utf8');
    const printed = printPublishedSchema();
    // toBe shows the diff; the message says how to fix it.
    expect(published, 'schema/schema.graphql is out of date: run `npm run schema:print` and commit the result').toBe(printed);
  });
});

describe('descriptions', () => {
  test('every type, field, argument, input field and enum value has a non-empty description', () => {
    const missing: string[] = [];
    for (const type of ownTypes()) {
      if (!described(type.description)) missing.push(`type ${type.name}`);
      if (isObjectType(type) || isInterfaceType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!described(field.description)) missing.push(`field ${type.name}.${field.name}`);
          for (const arg of field.args) {
            if (!described(arg.description)) missing.push(`argument ${type.name}.${field.name}(${arg.name})`);
          }
        }
      } else if (isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!described(field.description)) missing.push(`input field ${type.name}.${field.name}`);
        }
      } else if (isEnumType(type)) {
        for (const value of type.getValues()) {
          if (!described(value.description)) missing.push(`enum value ${type.name}.${value.name}`);
        }
      } else if (isUnionType(type)) {
        // A union has only its own description, checked above.
      }
    }
    expect(missing, `elements without a description:\n${missing.join('\n')}`).toEqual([]);
  });

  test('the check covers the whole schema (queries, connections, inputs and enums are all there)', () => {
    const names = ownTypes().map((t) => t.name);
    for (const name of [
      'Query',
      'Tramite',
      'Orgao',
      'UnidadeAdministrativa',
      'FiltroTramites',
      'SituacaoTramite',
      'PageInfo',
      'Node',
      'DateTime',
    ]) {
      expect(names).toContain(name);
    }
    expect(names.some((n) => n.endsWith('Connection'))).toBe(true);
  });
});

describe('SituacaoTramite', () => {
  const situacao = schema.getType('SituacaoTramite') as GraphQLEnumType;

  test('has exactly the ten official statuses, with numeric codes 1..10 matching SITUACAO_INFO', () => {
    expect(isEnumType(situacao)).toBe(true);
    const values = situacao.getValues();
    expect(values).toHaveLength(10);
    expect(values.map((v) => v.value as number).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect([...SITUACOES]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const codigo of SITUACOES) {
      const value = situacao.getValue(SITUACAO_INFO[codigo].chave);
      expect(value, `code ${codigo}`).toBeDefined();
      expect(value!.value).toBe(codigo);
      // The description carries the code and the official name.
      expect(value!.description).toContain(`${codigo} — ${SITUACAO_INFO[codigo].nome}`);
    }
  });

  test('the enum serializes each code to its name and back', () => {
    for (const codigo of SITUACOES) {
      const chave = SITUACAO_INFO[codigo].chave;
      expect(situacao.serialize(codigo)).toBe(chave);
      expect(situacao.parseValue(chave)).toBe(codigo);
    }
  });
});

// The access request's pure rules: identifiers checked by their check digits (against numbers
// published as valid: the Receita's examples and well-known public bodies), UF, CEP, the PDF header.
import { describe, expect, test } from 'vitest';
import {
  cepValido,
  cnpjValido,
  comecaComoPdf,
  cpfValido,
  MOTIVOS_RECUSA_ACESSO,
  soDigitos,
  ufValida,
  UFS,
} from '../src/onboarding/solicitacao.js';

describe('CNPJ', () => {
  test.each(['11.222.333/0001-81', '00000000000191', '00.394.460/0058-87'])('%s is valid', (c) => expect(cnpjValido(c)).toBe(true));
  test('changing any single digit breaks a check digit', () => {
    const base = soDigitos('11.222.333/0001-81');
    for (let i = 0; i < base.length; i++) {
      const outro = base.slice(0, i) + String((Number(base[i]) + 1) % 10) + base.slice(i + 1);
      expect(cnpjValido(outro), outro).toBe(false);
    }
  });
  test.each(['', '1122233300018', '112223330001811', '11111111111111', 'ab.cde.fgh/ijkl-mn'])('%j is invalid', (c) =>
    expect(cnpjValido(c)).toBe(false),
  );
});

describe('CPF', () => {
  test.each(['529.982.247-25', '11144477735'])('%s is valid', (c) => expect(cpfValido(c)).toBe(true));
  test('changing any single digit breaks a check digit', () => {
    const base = '52998224725';
    for (let i = 0; i < base.length; i++) {
      const outro = base.slice(0, i) + String((Number(base[i]) + 1) % 10) + base.slice(i + 1);
      expect(cpfValido(outro), outro).toBe(false);
    }
  });
  test.each(['', '5299822472', '000.000.000-00', '529.982.247-2x'])('%j is invalid', (c) => expect(cpfValido(c)).toBe(false));
});

test('UF: the 27 units, upper case only', () => {
  expect(UFS).toHaveLength(27);
  expect(new Set(UFS).size).toBe(27);
  expect(ufValida('DF')).toBe(true);
  expect(ufValida('df')).toBe(false);
  expect(ufValida('XX')).toBe(false);
});

test('CEP: eight digits, with or without the hyphen', () => {
  expect(cepValido('70040-906')).toBe(true);
  expect(cepValido('70040906')).toBe(true);
  for (const c of ['7004-0906', '70040-90', '70040-9066', 'abcde-fgh', '']) expect(cepValido(c), c).toBe(false);
});

test('a PDF starts with %PDF-', () => {
  expect(comecaComoPdf(new TextEncoder().encode('%PDF-1.7\n...'))).toBe(true);
  expect(comecaComoPdf(new TextEncoder().encode('%PDF'))).toBe(false);
  expect(comecaComoPdf(new TextEncoder().encode('PK\u0003\u0004'))).toBe(false);
});

test('the refusal grounds are data with pt-BR texts, OUTRO among them', () => {
  expect(Object.keys(MOTIVOS_RECUSA_ACESSO)).toContain('OUTRO');
  for (const texto of Object.values(MOTIVOS_RECUSA_ACESSO)) expect(texto).toMatch(/\.$/);
});

/**
 * The access request's content (docs/domain.md, "Onboarding", stage 1) as pure rules: the Brazilian
 * identifiers with their check digits, the UF list, the CEP format, the supporting document's type,
 * and the grounds PEN names when it refuses a request. No database, no GraphQL.
 */

/** The 27 federative units (26 states and the Distrito Federal). */
export const UFS = [
  'AC',
  'AL',
  'AM',
  'AP',
  'BA',
  'CE',
  'DF',
  'ES',
  'GO',
  'MA',
  'MG',
  'MS',
  'MT',
  'PA',
  'PB',
  'PE',
  'PI',
  'PR',
  'RJ',
  'RN',
  'RO',
  'RR',
  'RS',
  'SC',
  'SE',
  'SP',
  'TO',
] as const;
export type Uf = (typeof UFS)[number];

export function ufValida(uf: string): uf is Uf {
  return (UFS as readonly string[]).includes(uf);
}

/** Only the digits of a formatted identifier ("12.345.678/0001-95" → "12345678000195"). */
export function soDigitos(valor: string): string {
  return valor.replace(/[.\-/\s]/g, '');
}

/** A mod-11 check digit over `digitos` with weights `pesos` (CPF and CNPJ share the rule). */
function digitoVerificador(digitos: string, pesos: readonly number[]): number {
  let soma = 0;
  for (let i = 0; i < pesos.length; i++) soma += Number(digitos[i]) * pesos[i]!;
  const resto = soma % 11;
  return resto < 2 ? 0 : 11 - resto;
}

const PESOS_CNPJ_1 = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2] as const;
const PESOS_CNPJ_2 = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2] as const;

/** A CNPJ (formatted or digits only): 14 digits, not all equal, both check digits right. */
export function cnpjValido(valor: string): boolean {
  const d = soDigitos(valor);
  if (!/^\d{14}$/.test(d) || /^(\d)\1{13}$/.test(d)) return false;
  return digitoVerificador(d, PESOS_CNPJ_1) === Number(d[12]) && digitoVerificador(d, PESOS_CNPJ_2) === Number(d[13]);
}

/** A CPF (formatted or digits only): 11 digits, not all equal, both check digits right. */
export function cpfValido(valor: string): boolean {
  const d = soDigitos(valor);
  if (!/^\d{11}$/.test(d) || /^(\d)\1{10}$/.test(d)) return false;
  const pesos = (n: number) => Array.from({ length: n }, (_, i) => n + 1 - i);
  return digitoVerificador(d, pesos(9)) === Number(d[9]) && digitoVerificador(d, pesos(10)) === Number(d[10]);
}

/** A CEP: eight digits, written "00000-000" or "00000000". */
export function cepValido(valor: string): boolean {
  return /^\d{5}-?\d{3}$/.test(valor.trim());
}

/** `%PDF-`: every PDF starts with it (ISO 32000-1, 7.5.2, the file header). */
export const ASSINATURA_PDF = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d]);

/** Whether the first bytes of a file are a PDF's header. */
export function comecaComoPdf(inicio: Uint8Array): boolean {
  if (inicio.byteLength < ASSINATURA_PDF.byteLength) return false;
  return ASSINATURA_PDF.every((b, i) => inicio[i] === b);
}

/**
 * The grounds of the "Guia Operacional para Recusa de Acesso" that the manual names, as data; PEN picks
 * one or more and adds free text. The guide lists ten; the ones not named in our sources come under
 * OUTRO until the list is completed (a change here is data, not a rule).
 */
export const MOTIVOS_RECUSA_ACESSO = {
  HOMOLOGACAO_NAO_CONCLUIDA: 'Homologação não concluída.',
  DOCUMENTACAO_INCOMPLETA: 'Documentação incompleta ou ilegível.',
  ORGAO_NAO_ELEGIVEL: 'Órgão ou entidade não elegível.',
  ORGAO_JA_CADASTRADO: 'Órgão ou entidade já cadastrado.',
  UNIDADE_SEM_AUTONOMIA: 'Unidade sem autonomia administrativa.',
  OUTRO: 'Outro motivo (descrito no texto).',
} as const;
export type MotivoRecusaAcesso = keyof typeof MOTIVOS_RECUSA_ACESSO;

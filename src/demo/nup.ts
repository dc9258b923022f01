/**
 * NUP check digits (Portaria SLTI/MP nº 3/2003): over the 15 digits, weights 2, 3, 4... from the right,
 * DV = 11 - (sum mod 11), 10 → 0 and 11 → 1; the second DV repeats this over the 16 digits.
 */
function digitoNup(digitos: string): number {
  let soma = 0;
  for (let i = 0; i < digitos.length; i++) soma += Number(digitos[digitos.length - 1 - i]) * (i + 2);
  const dv = 11 - (soma % 11);
  return dv >= 10 ? dv - 10 : dv;
}

/** A NUP (número único de protocolo) with its check digits: PPPPP.SSSSSS/AAAA-DD. */
export function nup(prefixo: string, sequencial: number, ano: number): string {
  const seq = String(sequencial).padStart(6, '0');
  const base = `${prefixo}${seq}${ano}`;
  const dv1 = digitoNup(base);
  const dv2 = digitoNup(`${base}${dv1}`);
  return `${prefixo}.${seq}/${ano}-${dv1}${dv2}`;
}

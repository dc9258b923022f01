import type { z } from 'zod';

/**
 * Business errors: what an action answers instead of success. Plain classes: services throw them
 * (which also rolls their transaction back) and the GraphQL layer exposes each one as a member of
 * the action's result union (the `Erro` interface).
 */
export abstract class ErroDeNegocio extends Error {
  abstract readonly codigo: string;
  /** The Tramita.GOV.BR `codigoErro` of the same refusal, where the platform has one (e.g. `0044`). */
  readonly codigoPlataforma: string | null = null;
}

export interface Problema {
  campo: string;
  mensagem: string;
}

export class DadosInvalidos extends ErroDeNegocio {
  readonly codigo = 'DADOS_INVALIDOS';
  constructor(readonly problemas: Problema[]) {
    super(`Dados inválidos: ${problemas.map((p) => `${p.campo}: ${p.mensagem}`).join('; ')}`);
  }
}

/** Validates with zod; every problem becomes one DadosInvalidos naming its field. */
export function validar<S extends z.ZodType>(schema: S, valor: unknown): z.output<S> {
  const parsed = schema.safeParse(valor);
  if (parsed.success) return parsed.data;
  throw new DadosInvalidos(parsed.error.issues.map((i) => ({ campo: i.path.join('.') || '(pedido)', mensagem: i.message })));
}

/** The `Ambiente` enum (src/kernel/ambiente.ts) and the optional argument every read of trâmites takes. */
import type { Ambiente as AmbienteValor } from '../kernel/ambiente.js';
import { builder } from './builder.js';

export const Ambiente = builder.enumType('Ambiente', {
  description: 'Ambiente do Tramita.GOV.BR: homologação e produção são mundos separados, que nunca se misturam.',
  values: {
    HOMOLOGACAO: { description: 'Homologação: onde o órgão se implanta e testa.' },
    PRODUCAO: { description: 'Produção.' },
  } as const satisfies Record<AmbienteValor, { description: string }>,
});

export const DESCRICAO_ARG_AMBIENTE = 'Ambiente lido; padrão: o da implantação (AMBIENTE_PADRAO). Nunca mistura os dois.';

/**
 * Homologação and produção are separate worlds (docs/domain.md §6): every trâmite, process, event, feed, painel,
 * pendências list and receipt belongs to exactly one, and no read or write ever mixes them.
 */
export const AMBIENTES = ['HOMOLOGACAO', 'PRODUCAO'] as const;
export type Ambiente = (typeof AMBIENTES)[number];

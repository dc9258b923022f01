/** The actor recorded when Tramita.GOV.BR itself acts (automatic cancellation, automatic requirement checks). */
export const ATOR_PLATAFORMA = 'tramita-gov-br';

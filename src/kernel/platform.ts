/** The actor recorded when Tramita.GOV.BR itself acts (automatic cancellation, automatic requirement checks). */
export const ATOR_PLATAFORMA = 'tramita-gov-br';
/**
 * The prefix of the actor recorded when one of homologação's automatic test counterparts acts (the platform's own test
 * SEIs, onboarding/contrapartes.ts): `tramita-gov-br/contraparte-de-teste/ORGAO1`. Never an actor in produção.
 */
export const ATOR_CONTRAPARTE_TESTE = `${ATOR_PLATAFORMA}/contraparte-de-teste`;

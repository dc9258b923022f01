// The demo accounts by subject (`sub`), the one name that identifies an account; descriptions are for people.
import { DEMO_CONTAS_ONBOARDING } from '../../src/demo/onboarding.js';
import { DEMO_ACCOUNTS, type DemoAccount } from '../../src/demo/seed.js';

export const PEN_ADMIN = 'pen.admin';
export const GESTORA_MGI = 'gestor.ana@mgi';
export const SPE_MGI = 'spe:sei.mgi.gov.br';
export const GESTOR_SAUDE = 'gestor.carlos@saude';
export const SPE_SAUDE = 'spe:sei.saude.gov.br';

export function demoAccount(sujeito: string): DemoAccount {
  const account = [...DEMO_ACCOUNTS, ...DEMO_CONTAS_ONBOARDING].find((a) => a.sujeito === sujeito);
  if (!account) throw new Error(`no demo account with subject "${sujeito}"`);
  return account;
}

/** The demo SPE account of an agency (the credential that takes its protocol steps), if it has one. */
export function speDoOrgao(orgao: DemoAccount['orgao']): DemoAccount | undefined {
  if (!orgao) return undefined;
  return [...DEMO_ACCOUNTS, ...DEMO_CONTAS_ONBOARDING].find(
    (a) => a.papeis.includes('SPE') && a.orgao?.repositorio === orgao.repositorio && a.orgao.estrutura === orgao.estrutura,
  );
}

import type { Papel } from '../kernel/viewer.js';

/** A demo account: the token minting script and the start-up log use them. */
export interface DemoAccount {
  sujeito: string;
  descricao: string;
  papeis: Papel[];
  /** The agency the account acts for, by (repositório id, número de identificação of the root). */
  orgao: { repositorio: number; estrutura: number } | null;
  /** An SPE's account: the system's `codigo` (the token's `spe` claim; src/sistemas). */
  spe?: string | null;
}

/** The SPE `codigo` of a demo system account (`spe:sei.mgi.gov.br` → `sei.mgi.gov.br`). */
export const codigoDoSpe = (sujeito: string) => sujeito.replace(/^spe:/, '');

/** The unit that receives the production tests of agencies being onboarded (docs/domain.md, step 6). */
export const DEMO_UNIDADE_TESTES_PRODUCAO = { repositorio: 1, estrutura: 187_432, sigla: 'DISIS' } as const;

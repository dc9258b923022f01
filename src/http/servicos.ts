import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import { verificadorDeRequisitos } from '../onboarding/servico.js';
import { criarServicoTramites, type ServicoTramites } from '../tramites/servico.js';

export interface Servicos {
  tramites: ServicoTramites;
}

/**
 * The domains' services wired together, once: every trâmite step runs onboarding's automatic
 * requirement check in its transaction. The gateway, the tests and the benches all build them here,
 * so none of them runs a path production does not.
 */
export function comporServicos(db: Database, config: Pick<Config, 'onboarding'>): Servicos {
  return { tramites: criarServicoTramites(db, [verificadorDeRequisitos(config.onboarding.unidadeTesteProducao)]) };
}

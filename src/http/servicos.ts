import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import { chavePublicaDoDestinatario } from '../onboarding/chaves-spe.js';
import { verificarAmbienteDaConfiguracao } from '../onboarding/configuracao.js';
import type { OpcoesConfiguracaoEstrutura } from '../orgaos/servico.js';
import { criarServicoContrapartes, recusarContrapartesForaDeHomologacao, type ServicoContrapartes } from '../onboarding/contrapartes.js';
import {
  criarServicoOnboarding,
  type ServicoOnboarding,
  verificarAdmissaoNoAmbiente,
  verificadorDeRequisitos,
} from '../onboarding/servico.js';
import { type ComponentStore, postgresComponentStore } from '../tramites/componentes.js';
import { criarAssinadorDeRecibos, type AssinadorDeRecibos } from '../tramites/recibos.js';
import { criarServicoTramites, type OpcoesServicoTramites, type ServicoTramites } from '../tramites/servico.js';

export interface Servicos {
  tramites: ServicoTramites;
  /** Onboarding commands with deployment settings (the PEN notice's recipient). */
  onboarding: ServicoOnboarding;
  /** Where digital components' bytes live (the download route reads it). */
  store: ComponentStore;
  /** The gateway's receipt signer (the JWKS route publishes its key). */
  assinador: AssinadorDeRecibos;
  /** Homologação's automatic test counterparts: their gestores' requests and the worker's runs. */
  contrapartes: ServicoContrapartes;
  /** The structure configuration's gate: the environments an agency configures are its onboarding's. */
  configuracaoEstrutura: OpcoesConfiguracaoEstrutura;
}

/**
 * The domains' services wired together, once: every trâmite step runs onboarding's automatic
 * requirement check in its transaction, every start onboarding's gate of both sides in the trâmite's
 * environment, and every recibo de conclusão the recipient's registered key. The gateway, the tests and the
 * benches all build them here, so none of them runs a path production does not.
 */
export function comporServicos(
  db: Database,
  config: Pick<Config, 'onboarding' | 'componentes' | 'recibos' | 'avisos' | 'contrapartes'>,
): Servicos {
  const assinador = criarAssinadorDeRecibos(config.recibos);
  const opcoesTramites: OpcoesServicoTramites = {
    assinador,
    efeitos: [verificadorDeRequisitos(config.onboarding.unidadeTesteProducao)],
    // Onboarding's gate of both sides, and the test counterparts refused outside homologação.
    admissao: async (tx, ambiente, orgaoIds) => {
      await recusarContrapartesForaDeHomologacao(tx, ambiente, orgaoIds);
      await verificarAdmissaoNoAmbiente(tx, ambiente, orgaoIds);
    },
    store: postgresComponentStore,
    limiteComponente: config.componentes.maxBytes,
    // The recipient's key in the trâmite's own environment (one certificate per environment).
    chaveDoDestinatario: chavePublicaDoDestinatario,
  };
  const tramites = criarServicoTramites(db, opcoesTramites);
  return {
    configuracaoEstrutura: { verificarAmbiente: verificarAmbienteDaConfiguracao },
    store: postgresComponentStore,
    assinador,
    onboarding: criarServicoOnboarding(db, { avisos: config.avisos }),
    tramites,
    contrapartes: criarServicoContrapartes(db, {
      tramites,
      // The same commands inside the worker's transaction (drizzle nests them as savepoints).
      tramitesNaTransacao: (tx) => criarServicoTramites(tx as unknown as Database, opcoesTramites),
      store: postgresComponentStore,
      chavePrivadaPem: config.contrapartes.chavePrivadaPem,
    }),
  };
}

import { defineRelations } from 'drizzle-orm';
import {
  ambiente,
  etapaOnboarding,
  onboardingEventos,
  onboardings,
  requisitosMinimos,
  requisitosOrgao,
  situacaoRequisito,
  tipoRequisito,
} from '../onboarding/tables.js';
import { estruturas, repositorios } from '../orgaos/tables.js';
import { idempotencia, idtSequence, tipoTramitavel, tramiteEventos, tramites } from '../tramites/tables.js';

export const tables = {
  repositorios,
  estruturas,
  tipoTramitavel,
  idtSequence,
  tramites,
  tramiteEventos,
  idempotencia,
  ambiente,
  etapaOnboarding,
  tipoRequisito,
  situacaoRequisito,
  requisitosMinimos,
  onboardings,
  requisitosOrgao,
  onboardingEventos,
};

export const relations = defineRelations(tables, (r) => ({
  repositorios: {
    estruturas: r.many.estruturas(),
  },
  estruturas: {
    repositorio: r.one.repositorios({ from: r.estruturas.repositorioId, to: r.repositorios.id, optional: false }),
    pai: r.one.estruturas({ from: r.estruturas.paiId, to: r.estruturas.id, alias: 'hierarquia' }),
    unidades: r.many.estruturas({ from: r.estruturas.id, to: r.estruturas.paiId, alias: 'hierarquia' }),
    orgao: r.one.estruturas({ from: r.estruturas.orgaoId, to: r.estruturas.id, alias: 'orgao' }),
    todasUnidades: r.many.estruturas({ from: r.estruturas.id, to: r.estruturas.orgaoId, alias: 'orgao' }),
  },
  tramites: {
    remetenteUnidade: r.one.estruturas({
      from: r.tramites.remetenteUnidadeId,
      to: r.estruturas.id,
      alias: 'remetenteUnidade',
      optional: false,
    }),
    remetenteOrgao: r.one.estruturas({
      from: r.tramites.remetenteOrgaoId,
      to: r.estruturas.id,
      alias: 'remetenteOrgao',
      optional: false,
    }),
    destinatarioUnidade: r.one.estruturas({
      from: r.tramites.destinatarioUnidadeId,
      to: r.estruturas.id,
      alias: 'destinatarioUnidade',
      optional: false,
    }),
    destinatarioOrgao: r.one.estruturas({
      from: r.tramites.destinatarioOrgaoId,
      to: r.estruturas.id,
      alias: 'destinatarioOrgao',
      optional: false,
    }),
    eventos: r.many.tramiteEventos(),
  },
  onboardings: {
    orgao: r.one.estruturas({ from: r.onboardings.orgaoId, to: r.estruturas.id, optional: false }),
    eventos: r.many.onboardingEventos({ from: r.onboardings.orgaoId, to: r.onboardingEventos.orgaoId }),
  },
  onboardingEventos: {
    orgao: r.one.estruturas({ from: r.onboardingEventos.orgaoId, to: r.estruturas.id, optional: false }),
  },
  tramiteEventos: {
    tramite: r.one.tramites({ from: r.tramiteEventos.tramiteId, to: r.tramites.id, optional: false }),
    atorOrgao: r.one.estruturas({ from: r.tramiteEventos.atorOrgaoId, to: r.estruturas.id }),
  },
}));

import { defineRelations } from 'drizzle-orm';
import {
  etapaOnboarding,
  onboardingEventos,
  onboardings,
  requisitosMinimos,
  requisitosOrgao,
  situacaoRequisito,
  tipoRequisito,
} from '../onboarding/tables.js';
import { estruturas, repositorios } from '../orgaos/tables.js';
import { sistemaOrgaos, sistemas } from '../sistemas/tables.js';
import {
  ambiente,
  conteudoBlocos,
  conteudos,
  especiesDocumentais,
  hipotesesLegais,
  idempotencia,
  idtHomologacaoSequence,
  idtSequence,
  motivosUrgencia,
  recibosDeEnvio,
  tipoTramitavel,
  tramiteComponentes,
  tramiteDocumentos,
  tramiteEventos,
  tramiteProcessos,
  tramites,
} from '../tramites/tables.js';

export const tables = {
  repositorios,
  estruturas,
  sistemas,
  sistemaOrgaos,
  tipoTramitavel,
  idtSequence,
  idtHomologacaoSequence,
  tramites,
  tramiteEventos,
  idempotencia,
  especiesDocumentais,
  hipotesesLegais,
  motivosUrgencia,
  tramiteProcessos,
  tramiteDocumentos,
  conteudos,
  conteudoBlocos,
  tramiteComponentes,
  recibosDeEnvio,
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
    sistemas: r.many.sistemas({
      from: r.estruturas.id.through(r.sistemaOrgaos.orgaoId),
      to: r.sistemas.id.through(r.sistemaOrgaos.sistemaId),
    }),
  },
  sistemas: {
    orgaos: r.many.estruturas({
      from: r.sistemas.id.through(r.sistemaOrgaos.sistemaId),
      to: r.estruturas.id.through(r.sistemaOrgaos.orgaoId),
    }),
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
    processo: r.one.tramiteProcessos({ from: r.tramites.id, to: r.tramiteProcessos.tramiteId }),
    documentos: r.many.tramiteDocumentos(),
    componentes: r.many.tramiteComponentes(),
    reciboDeEnvio: r.one.recibosDeEnvio({ from: r.tramites.id, to: r.recibosDeEnvio.tramiteId }),
  },
  tramiteDocumentos: {
    tramite: r.one.tramites({ from: r.tramiteDocumentos.tramiteId, to: r.tramites.id, optional: false }),
    especie: r.one.especiesDocumentais({ from: r.tramiteDocumentos.especieCodigo, to: r.especiesDocumentais.codigo, optional: false }),
    hipoteseLegal: r.one.hipotesesLegais({ from: r.tramiteDocumentos.hipoteseLegalId, to: r.hipotesesLegais.id }),
    componentes: r.many.tramiteComponentes(),
  },
  tramiteComponentes: {
    tramite: r.one.tramites({ from: r.tramiteComponentes.tramiteId, to: r.tramites.id, optional: false }),
    documento: r.one.tramiteDocumentos({ from: r.tramiteComponentes.documentoId, to: r.tramiteDocumentos.id, optional: false }),
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

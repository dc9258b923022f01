/** An onboarding event (a stage change or a checklist change) and its live, resumable feed. */
import type { Barramento } from '../../feeds/barramento.js';
import { ATOR_PLATAFORMA } from '../../kernel/platform.js';
import { Orgao } from '../../orgaos/graphql/orgao.js';
import { Tramite } from '../../tramites/graphql/tramite.js';
import { ARG_A_PARTIR_DE, limitesDoContexto } from '../../schema/assinaturas.js';
import { AUTHENTICATED, builder } from '../../schema/builder.js';
import { orgaoEmFoco } from '../../schema/context.js';
import { assinarEventos } from '../../feeds/assinatura.js';
import { lerEventosOnboarding, podeVerOnboarding } from '../feed.js';
import type { EventoOnboarding as EventoRow } from '../eventos.js';
import type { ItemChecklist } from '../servico.js';
import { Ambiente } from '../../schema/ambiente.js';
import { EtapaOnboarding } from './etapa.js';
import { evidencia, SituacaoRequisito } from './requisito.js';

declare module '../../schema/context.js' {
  interface Feeds {
    /** The onboarding event log's bus. */
    onboarding: Barramento<EventoRow>;
  }
}

export const EventoOnboardingRef = builder.drizzleObject('onboardingEventos', {
  name: 'EventoOnboarding',
  description: 'Uma mudança no onboarding de um órgão: de etapa, ou de um requisito do checklist.',
  fields: (t) => ({
    cursor: t.string({ description: 'Posição global do evento (para retomar a assinatura).', resolve: (e) => String(e.seq) }),
    tipo: t.exposeString('tipo', {
      description:
        'ETAPA (mudança de etapa), REQUISITO (mudança no checklist), TESTES_INICIADOS, GESTOR_REGISTRADO, GESTOR_REMOVIDO (gestores de protocolo) ou CONFIGURACAO_CONFIRMADA (configuração de produção confirmada pelo órgão).',
    }),
    gestorCpf: t.exposeString('gestorCpf', {
      nullable: true,
      description: 'CPF do gestor cadastrado ou removido, nos eventos de gestores.',
    }),
    orgao: t.relation('orgao', { type: Orgao, description: 'O órgão.' }),
    etapaAnterior: t.field({ type: EtapaOnboarding, nullable: true, description: 'Etapa antes do evento.', resolve: (e) => e.deEtapa }),
    etapa: t.field({ type: EtapaOnboarding, description: 'Etapa depois do evento.', resolve: (e) => e.paraEtapa }),
    ambiente: t.field({ type: Ambiente, nullable: true, description: 'Ambiente afetado.', resolve: (e) => e.ambiente }),
    requisito: t.exposeString('requisito', { nullable: true, description: 'Letra do requisito, nos eventos de checklist.' }),
    situacaoRequisito: t.field({
      type: SituacaoRequisito,
      nullable: true,
      description: 'Novo estado do requisito, nos eventos de checklist.',
      resolve: (e) => e.situacaoRequisito as ItemChecklist['situacao'] | null,
    }),
    evidencia: t.field({
      type: Tramite,
      nullable: true,
      description: 'Trâmite que cumpriu o requisito automaticamente (se você puder vê-lo).',
      // The event's environment is the evidence's: the Tramite read rule compares them (read-rules.ts).
      select: { columns: { ambiente: true, evidenciaTramiteId: true } },
      resolve: (e, _a, ctx) => evidencia(ctx, e.evidenciaTramiteId),
    }),
    ator: t.exposeString('atorSujeito', {
      description: `Quem agiu (sujeito do token; "${ATOR_PLATAFORMA}" para verificações automáticas).`,
    }),
    motivo: t.exposeString('motivo', { nullable: true, description: 'Motivo (rejeição, reprovação, recusa de requisito).' }),
    ocorridoEm: t.field({ type: 'DateTime', description: 'Quando.', resolve: (e) => e.ocorridoEm }),
  }),
});

builder.subscriptionField('eventosOnboarding', (t) =>
  t.withAuth(AUTHENTICATED).field({
    type: EventoOnboardingRef,
    description:
      'Mudanças de etapa e de checklist ao vivo: de um órgão (o seu, por padrão) ou, para PEN_ADMIN sem `orgao`, de todos. Retomável por cursor.',
    args: {
      orgao: t.arg.globalID({ for: [Orgao], required: false, description: 'Órgão.' }),
      aPartirDe: t.arg.string(ARG_A_PARTIR_DE),
    },
    subscribe: (_root, args, ctx) => {
      const { viewer } = ctx;
      const orgaoId = orgaoEmFoco(viewer, args.orgao);
      return assinarEventos<EventoRow>({
        barramento: ctx.feeds.onboarding,
        passa: (e) => (orgaoId == null || e.orgaoId === orgaoId) && podeVerOnboarding(viewer, e.orgaoId),
        lerHistorico: (depoisDe, ate, limite) => lerEventosOnboarding(ctx.db, depoisDe, limite, ate, orgaoId),
        aPartirDe: args.aPartirDe == null ? null : Number(args.aPartirDe),
        ...limitesDoContexto(ctx),
      });
    },
    resolve: (evento) => evento as EventoRow,
  }),
);

import { assinarEventos } from '../../feeds/assinatura.js';
import { ARG_A_PARTIR_DE, limitesDoContexto } from '../../schema/assinaturas.js';
import { Orgao } from '../../orgaos/graphql/orgao.js';
import { builder } from '../../schema/builder.js';
import { badUserInput, notFound } from '../../schema/errors.js';
import { orgaoEmFoco, requireViewer, type GatewayContext } from '../../schema/context.js';
import { canReadTramite } from '../acesso.js';
import { lerEventosTramite, passaNoFeed, type EventoComTramite, type FiltroFeed } from '../feed.js';
import { EventoTramite, PapelNoTramite, SituacaoTramite, Tramite } from './tramite.js';
import type { Barramento } from '../../feeds/barramento.js';
import type { Situacao } from '../regras.js';

declare module '../../schema/context.js' {
  interface Feeds {
    /** The trâmite event log's bus. */
    tramites: Barramento<EventoComTramite>;
  }
}

builder.subscriptionType({
  description:
    'Mudanças de situação ao vivo (graphql-ws em /graphql, ou GraphQL sobre SSE no mesmo endereço). Cada evento traz `cursor`: passe o último recebido em `aPartirDe` ao reconectar para receber o que perdeu, sem lacunas nem repetições. Os campos escalares do evento e do trâmite vêm prontos; relações (órgãos, unidades, histórico) custam uma consulta ao banco por evento: peça-as só se precisar. Fechamentos do WebSocket: 4401 token expirado, 4430 consumidor lento (retome pelo cursor), 1001 servidor em desligamento (reconecte e retome).',
});


function abrirFluxo(ctx: GatewayContext, filtro: FiltroFeed, aPartirDe: string | null | undefined) {
  const viewer = requireViewer(ctx);
  return assinarEventos<EventoComTramite>({
    barramento: ctx.feeds.tramites,
    passa: (evento) => passaNoFeed(viewer, filtro, evento),
    lerHistorico: (depoisDe, ate, limite) => lerEventosTramite(ctx.db, depoisDe, limite, ate, filtro.tramiteId ?? null),
    aPartirDe: aPartirDe == null ? null : Number(aPartirDe),
    ...limitesDoContexto(ctx),
  });
}

builder.subscriptionField('eventosTramite', (t) =>
  t.field({
    type: EventoTramite,
    description: 'As mudanças de situação de um trâmite que você pode ver.',
    args: {
      tramite: t.arg.globalID({ for: [Tramite], required: true, description: 'O trâmite.' }),
      aPartirDe: t.arg.string(ARG_A_PARTIR_DE),
    },
    subscribe: async (_root, args, ctx) => {
      const viewer = requireViewer(ctx);
      const tramiteId = Number(args.tramite.id);
      const atual = await ctx.db.query.tramites.findFirst({ where: { id: tramiteId } });
      if (!atual || !canReadTramite(viewer, atual)) throw notFound('Trâmite');
      return abrirFluxo(ctx, { tramiteId }, args.aPartirDe);
    },
    resolve: (evento) => evento as EventoComTramite,
  }),
);

builder.subscriptionField('eventosTramites', (t) =>
  t.field({
    type: EventoTramite,
    description:
      'As mudanças de situação dos trâmites de um órgão (o seu, por padrão; PEN_ADMIN: qualquer um, ou todos sem `orgao`), opcionalmente por papel e situação.',
    args: {
      orgao: t.arg.globalID({ for: [Orgao], required: false, description: 'Órgão; padrão: o do seu token.' }),
      papel: t.arg({ type: PapelNoTramite, required: false, defaultValue: 'QUALQUER', description: 'Como origem, destino ou qualquer um.' }),
      situacoes: t.arg({ type: [SituacaoTramite], required: false, description: 'Só eventos que levam a estas situações.' }),
      aPartirDe: t.arg.string(ARG_A_PARTIR_DE),
    },
    subscribe: (_root, args, ctx) => {
      const viewer = requireViewer(ctx);
      const orgaoId = orgaoEmFoco(viewer, args.orgao);
      if (args.situacoes && args.situacoes.length === 0) throw badUserInput('situacoes', 'informe ao menos uma situação, ou omita.');
      return abrirFluxo(ctx, { orgaoId, papel: args.papel, situacoes: args.situacoes as Situacao[] | null | undefined }, args.aPartirDe);
    },
    resolve: (evento) => evento as EventoComTramite,
  }),
);

/** An event of a trâmite (one row of its event log: a status change, a component received, a receipt issued), and the live feeds that deliver them. */
import { Ambiente, DESCRICAO_ARG_AMBIENTE } from '../../schema/ambiente.js';
import { assinarEventos } from '../../feeds/assinatura.js';
import { ARG_A_PARTIR_DE, limitesDoContexto } from '../../schema/assinaturas.js';
import { Orgao } from '../../orgaos/graphql/orgao.js';
import { AUTHENTICATED, builder } from '../../schema/builder.js';
import { badUserInput, notFound } from '../../schema/errors.js';
import { orgaosEmFoco, type AuthenticatedContext } from '../../schema/context.js';
import { canReadTramite } from '../acesso.js';
import { lerEventosTramite, passaNoFeed, type EventoComTramite, type FiltroFeed } from '../feed.js';
import type { tramites } from '../tables.js';
import { LadoTramite, MotivoRecusa, PapelNoTramite, SituacaoTramite, Tramite } from './tramite.js';
import { ComponenteDigital } from './documento.js';
import { ReciboDeConclusao, ReciboDeEnvio } from './recibo.js';
import type { TipoEvento, TipoRecibo } from '../eventos.js';
import type { Barramento } from '../../feeds/barramento.js';
import type { MOTIVOS_RECUSA, Situacao } from '../regras.js';

declare module '../../schema/context.js' {
  interface Feeds {
    /** The trâmite event log's bus. */
    tramites: Barramento<EventoComTramite>;
  }
}

export const TipoEventoTramite = builder.enumType('TipoEventoTramite', {
  description: 'O que aconteceu num evento de trâmite.',
  values: {
    SITUACAO: { description: 'Mudança de situação ("Situações" no Painel de Controle): o histórico do trâmite.' },
    COMPONENTE_RECEBIDO: {
      description:
        'Um componente digital chegou à plataforma, conferido com o hash e o tamanho declarados (envio do remetente, na situação 1). Só o remetente o vê.',
    },
    RECIBO_EMITIDO: {
      description:
        'Um recibo foi emitido: o recibo de envio da plataforma ao chegar a 2 (só o remetente o vê) ou o recibo de conclusão do destinatário ao chegar a 5 (os dois lados o veem).',
    },
  } as const satisfies Record<TipoEvento, unknown>,
});

export const TipoDeRecibo = builder.enumType('TipoDeRecibo', {
  description: 'Qual recibo de um trâmite.',
  values: {
    ENVIO: { description: 'Recibo de envio: assinado pela plataforma quando todos os componentes chegaram (situação 2).' },
    CONCLUSAO: { description: 'Recibo de conclusão: assinado pelo SPE destinatário e verificado pela plataforma (situação 5).' },
  } as const satisfies Record<TipoRecibo, unknown>,
});

export const EventoTramite = builder.drizzleObject('tramiteEventos', {
  name: 'EventoTramite',
  description:
    'Um evento de um trâmite, registrado uma única vez: uma mudança de situação ("Situações" no Painel de Controle), um componente digital recebido pela plataforma ou um recibo emitido (`tipo`).',
  // What the object fields below read from the row (the trâmite, the receipts); each scalar field selects its own
  // column (exposed, or its `select`), so a history reads the columns the operation names. A live event's row is
  // whole: its fields answer from it.
  select: { columns: { tramiteId: true, recibo: true } },
  fields: (t) => ({
    tipo: t.field({
      type: TipoEventoTramite,
      description: 'O que aconteceu: mudança de situação, componente recebido ou recibo emitido.',
      select: { columns: { tipo: true } },
      resolve: (e) => e.tipo,
    }),
    cursor: t.string({
      description:
        'Posição global do evento no registro de eventos: as assinaturas entregam em ordem crescente de cursor, sem lacunas; passe o último recebido em `aPartirDe` para retomar.',
      select: { columns: { seq: true } },
      resolve: (e) => String(e.seq),
    }),
    situacaoAnterior: t.field({
      type: SituacaoTramite,
      nullable: true,
      description:
        'Situação antes da mudança; nula no evento que cria o trâmite. Num evento que não é de SITUACAO, a mesma de `situacao` (nada mudou).',
      select: { columns: { deSituacao: true } },
      resolve: (e) => e.deSituacao as Situacao | null,
    }),
    situacao: t.field({
      type: SituacaoTramite,
      description: 'Situação depois da mudança; num evento que não é de SITUACAO, a situação em que o trâmite estava.',
      select: { columns: { paraSituacao: true } },
      resolve: (e) => e.paraSituacao as Situacao,
    }),
    lado: t.field({
      type: LadoTramite,
      description: 'Lado que agiu.',
      select: { columns: { atorLado: true } },
      resolve: (e) => e.atorLado as 'REMETENTE' | 'DESTINATARIO' | 'PLATAFORMA',
    }),
    ator: t.string({
      description: 'Quem agiu: sujeito (`sub`) do token da pessoa ou sistema.',
      select: { columns: { atorSujeito: true } },
      resolve: (r) => r.atorSujeito,
    }),
    orgaoAtor: t.relation('atorOrgao', {
      type: Orgao,
      nullable: true,
      description: 'Órgão em nome do qual agiu; nulo para a plataforma e a equipe do PEN.',
    }),
    porAdministradorPen: t.boolean({
      description: 'Verdadeiro quando um administrador do PEN agiu por este lado (suporte ou testes).',
      select: { columns: { atorPenAdmin: true } },
      resolve: (r) => r.atorPenAdmin,
    }),
    motivoRecusa: t.field({
      type: MotivoRecusa,
      nullable: true,
      description: 'Motivo, quando o evento é uma recusa.',
      select: { columns: { motivo: true } },
      resolve: (e) => (e.motivo as keyof typeof MOTIVOS_RECUSA | null) ?? null,
    }),
    justificativa: t.exposeString('justificativa', { nullable: true, description: 'Justificativa da recusa ou do cancelamento.' }),
    ocorridoEm: t.expose('ocorridoEm', { type: 'DateTime', description: 'Quando o evento foi registrado.' }),
    componente: t.relation('componente', {
      type: ComponenteDigital,
      nullable: true,
      description: 'O componente digital recebido (com seu `hash` SHA-256), num evento COMPONENTE_RECEBIDO; nulo nos demais.',
    }),
    recibo: t.field({
      type: TipoDeRecibo,
      nullable: true,
      description: 'Qual recibo foi emitido, num evento RECIBO_EMITIDO; nulo nos demais.',
      resolve: (e) => e.recibo,
    }),
    reciboDeEnvio: t.field({
      type: ReciboDeEnvio,
      nullable: true,
      description: 'O recibo de envio emitido, num evento RECIBO_EMITIDO de ENVIO (uma consulta ao banco por evento); nulo nos demais.',
      resolve: async (e, _args, ctx) =>
        e.recibo === 'ENVIO' ? ((await ctx.db.query.recibosDeEnvio.findFirst({ where: { tramiteId: e.tramiteId } })) ?? null) : null,
    }),
    reciboDeConclusao: t.field({
      type: ReciboDeConclusao,
      nullable: true,
      description:
        'O recibo de conclusão recebido, num evento RECIBO_EMITIDO de CONCLUSAO (uma consulta ao banco por evento); nulo nos demais.',
      resolve: async (e, _args, ctx) =>
        e.recibo === 'CONCLUSAO'
          ? ((await ctx.db.query.recibosDeConclusao.findFirst({ where: { tramiteId: e.tramiteId } })) ?? null)
          : null,
    }),
  }),
});

const DESCRICAO_ARG_TIPOS =
  'Só eventos destes tipos; padrão: só SITUACAO (as mudanças de situação). Peça COMPONENTE_RECEBIDO e RECIBO_EMITIDO para acompanhar componentes e recibos.';

function tiposPedidos(tipos: readonly TipoEvento[] | null | undefined): readonly TipoEvento[] | null {
  if (tipos && tipos.length === 0) throw badUserInput('tipos', 'informe ao menos um tipo, ou omita.');
  return tipos ?? null;
}

builder.drizzleObjectFields(EventoTramite, (t) => ({
  // Not a planned relation: live events arrive with their trâmite already read by the feed, and a
  // planned relation would send every subscriber back to the database for it.
  tramite: t.field({
    type: Tramite,
    description: 'O trâmite, como está agora.',
    resolve: (e, _args, ctx) =>
      (e as { tramite?: typeof tramites.$inferSelect }).tramite ??
      ctx.db.query.tramites.findFirst({ where: { id: e.tramiteId } }).then((t) => t!),
  }),
}));

builder.subscriptionType({
  authScopes: AUTHENTICATED,
  description:
    'Mudanças de situação ao vivo (graphql-ws em /graphql, ou GraphQL sobre SSE no mesmo endereço). Cada evento traz `cursor`: passe o último recebido em `aPartirDe` ao reconectar para receber o que perdeu, sem lacunas nem repetições. Os campos escalares do evento e do trâmite vêm prontos; relações (órgãos, unidades, histórico) custam uma consulta ao banco por evento: peça-as só se precisar. Fechamentos do WebSocket: 4401 token expirado, 4430 consumidor lento (retome pelo cursor), 1001 servidor em desligamento (reconecte e retome).',
});

/** A trâmite feed for the viewer: the filter and read rule of `passaNoFeed`, narrowed by `tambem` when given. */
export function abrirFluxo(
  ctx: AuthenticatedContext,
  filtro: FiltroFeed,
  aPartirDe: string | null | undefined,
  tambem: (evento: EventoComTramite) => boolean = () => true,
) {
  const { viewer } = ctx;
  return assinarEventos<EventoComTramite>({
    barramento: ctx.feeds.tramites,
    passa: (evento) => passaNoFeed(viewer, filtro, evento) && tambem(evento),
    lerHistorico: (depoisDe, ate, limite) => lerEventosTramite(ctx.db, depoisDe, limite, ate, filtro.tramiteId ?? null),
    aPartirDe: aPartirDe == null ? null : Number(aPartirDe),
    ...limitesDoContexto(ctx),
  });
}

builder.subscriptionField('eventosTramite', (t) =>
  t.withAuth(AUTHENTICATED).field({
    type: EventoTramite,
    description:
      'Os eventos de um trâmite que você pode ver: mudanças de situação e, se pedidos em `tipos`, componentes recebidos e recibos.',
    args: {
      tramite: t.arg.globalID({ for: [Tramite], required: true, description: 'O trâmite.' }),
      tipos: t.arg({ type: [TipoEventoTramite], required: false, description: DESCRICAO_ARG_TIPOS }),
      ambiente: t.arg({ type: Ambiente, required: false, description: DESCRICAO_ARG_AMBIENTE }),
      aPartirDe: t.arg.string(ARG_A_PARTIR_DE),
    },
    subscribe: async (_root, args, ctx) => {
      const { viewer } = ctx;
      const tramiteId = Number(args.tramite.id);
      const atual = await ctx.db.query.tramites.findFirst({ where: { id: tramiteId } });
      const ambiente = args.ambiente ?? ctx.ambientePadrao;
      if (!atual || atual.ambiente !== ambiente || !canReadTramite(viewer, atual)) throw notFound('Trâmite');
      return abrirFluxo(ctx, { ambiente, tramiteId, tipos: tiposPedidos(args.tipos) }, args.aPartirDe);
    },
    resolve: (evento) => evento as EventoComTramite,
  }),
);

builder.subscriptionField('eventosTramites', (t) =>
  t.withAuth(AUTHENTICATED).field({
    type: EventoTramite,
    description:
      'Os eventos dos trâmites de um órgão (o seu, por padrão; PEN_ADMIN: qualquer um, ou todos sem `orgao`): mudanças de situação e, se pedidos em `tipos`, componentes recebidos e recibos; opcionalmente por papel e situação.',
    args: {
      orgao: t.arg.globalID({
        for: [Orgao],
        required: false,
        description: 'Órgão; padrão: o do seu token (um SPE: todos os órgãos que atende).',
      }),
      papel: t.arg({
        type: PapelNoTramite,
        required: false,
        defaultValue: 'QUALQUER',
        description: 'Como origem, destino ou qualquer um.',
      }),
      situacoes: t.arg({ type: [SituacaoTramite], required: false, description: 'Só eventos que levam a estas situações.' }),
      tipos: t.arg({ type: [TipoEventoTramite], required: false, description: DESCRICAO_ARG_TIPOS }),
      ambiente: t.arg({ type: Ambiente, required: false, description: DESCRICAO_ARG_AMBIENTE }),
      aPartirDe: t.arg.string(ARG_A_PARTIR_DE),
    },
    subscribe: (_root, args, ctx) => {
      const { viewer } = ctx;
      const orgaoIds = orgaosEmFoco(viewer, args.orgao);
      if (args.situacoes && args.situacoes.length === 0) throw badUserInput('situacoes', 'informe ao menos uma situação, ou omita.');
      return abrirFluxo(
        ctx,
        {
          ambiente: args.ambiente ?? ctx.ambientePadrao,
          orgaoIds,
          papel: args.papel,
          situacoes: args.situacoes as Situacao[] | null | undefined,
          tipos: tiposPedidos(args.tipos),
        },
        args.aPartirDe,
      );
    },
    resolve: (evento) => evento as EventoComTramite,
  }),
);

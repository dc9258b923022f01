/**
 * Pending work ("pendências", the platform's `tramites/pendentes`): the trâmites waiting for an act of the viewer's
 * side now, with the act expected; its live feed; and FAQ 7.12's guidance on every trâmite.
 */
import { sql } from 'drizzle-orm';
import { assinarEventos } from '../../feeds/assinatura.js';
import type { Barramento } from '../../feeds/barramento.js';
import { Ambiente, DESCRICAO_ARG_AMBIENTE } from '../../schema/ambiente.js';
import { Orgao } from '../../orgaos/graphql/orgao.js';
import { ARG_A_PARTIR_DE, limitesDoContexto } from '../../schema/assinaturas.js';
import { planoPorValores } from '../../db/client.js';
import { AUTHENTICATED, builder, plannedRows } from '../../schema/builder.js';
import { orgaosEmFoco } from '../../schema/context.js';
import { assertCursors } from '../../schema/cursors.js';
import { alertaVale, lerAlertas, type AlertaComTramite } from '../alertas-parados.js';
import type { EventoComTramite } from '../feed.js';
import { pendenciasSql, type EscopoPendencias } from '../filtro.js';
import { z } from 'zod';
import {
  acaoEsperada,
  DIAS_PARA_CANCELAMENTO_AUTOMATICO,
  MINUTOS_ALERTA_PARADO,
  ORIENTACAO_FAQ,
  pendenteParaOrgao,
  SITUACAO_INFO,
  SITUACOES,
  type OndeEstaOProcesso,
  type Situacao,
} from '../regras.js';
import type { TramiteRow } from '../servico.js';
import type { tramites } from '../tables.js';
import { abrirFluxo } from './evento-tramite.js';
import { AcaoTramite, SituacaoTramite, Tramite } from './tramite.js';

declare module '../../schema/context.js' {
  interface Feeds {
    /** The stuck-alert log's bus (alertas-parados.ts). */
    alertas: Barramento<AlertaComTramite>;
  }
}

export const OndeEstaOProcessoEnum = builder.enumType('OndeEstaOProcesso', {
  description: '"Onde está o processo?" (FAQ 7.12 do Tramita.GOV.BR), conforme a situação do trâmite.',
  values: {
    ORIGEM: { description: 'No órgão de origem (remetente).' },
    PLATAFORMA: { description: 'No Tramita.GOV.BR.' },
    DESTINO: { description: 'No órgão de destino (destinatário).' },
  } as const satisfies Record<OndeEstaOProcesso, unknown>,
});

/** The act expected in each status, worked out once from the rules table (a page asks it of every item). */
const ACAO_ESPERADA = new Map(SITUACOES.map((s) => [s, acaoEsperada(s)]));

builder.drizzleObjectFields(Tramite, (t) => ({
  acaoEsperada: t.field({
    type: AcaoTramite,
    nullable: true,
    description: 'O passo que o lado em `quemDeveAgir` deve dar agora para o trâmite seguir; nulo nas situações finais.',
    resolve: (row) => ACAO_ESPERADA.get(row.situacao as Situacao) ?? null,
  }),
  ondeEstaOProcesso: t.field({
    type: OndeEstaOProcessoEnum,
    description: 'Onde está o processo nesta situação (FAQ 7.12).',
    resolve: (row) => ORIENTACAO_FAQ[row.situacao as Situacao].ondeEsta,
  }),
  oQuePodeSerFeito: t.string({
    nullable: true,
    description: 'O que pode ser feito nesta situação (FAQ 7.12, resumido); nulo quando não há nada a fazer.',
    resolve: (row) => ORIENTACAO_FAQ[row.situacao as Situacao].oQuePodeSerFeito,
  }),
}));

const DESCRICAO_ARG_ORGAO =
  'Órgão cujas pendências ver; padrão: o do seu token (um SPE: todos os órgãos que atende). PEN_ADMIN: qualquer um, ou sem ele as de todos os lados.';

/**
 * A page of the scope's pending trâmites, oldest in its status first: one statement (the nested units joined in).
 * For one agency (or the whole platform) it is prepared (one round trip), so PostgreSQL may reuse its generic plan,
 * which does not depend on the values: the agency's pendências in an environment are one range of
 * `tramites_pendencias_idx` in page order, walked under the LIMIT (`paradasAntesDe` bounds it), whether the agency has
 * ten or a hundred thousand; planning it with its values at every page cost about as much as running it. (While the
 * page size is `limit $n`, PostgreSQL costs that plan for a tenth of a large agency's range and keeps planning: see
 * bench/README.md.) Several agencies (an SPE serving more
 * than one) are planned with their values (`planoPorValores`): their generic plan walks the whole platform's pending
 * rows in page order filtering by agency (about every pending row for agencies with few), where the custom plan reads
 * each agency's range and sorts.
 */
function paginaDePendencias(escopo: EscopoPendencias) {
  const porValores = escopo.orgaoIds != null && escopo.orgaoIds.length > 1;
  return {
    where: {
      RAW: (tr: typeof tramites) => (porValores ? sql`${pendenciasSql(tr, escopo)} ${planoPorValores}` : pendenciasSql(tr, escopo)),
    },
    orderBy: { situacaoAlteradaEm: 'asc', id: 'asc' },
  } as const;
}

builder.queryFields((t) => ({
  pendencias: t.withAuth(AUTHENTICATED).drizzleConnection({
    type: Tramite,
    description:
      'Pendências: os trâmites que esperam agora um passo do seu lado (remetente em 1, 5 e 8; destinatário em 2, 3 e 4), com o passo em `acaoEsperada`, os mais antigos na situação primeiro. Um SPE pode integrar-se só por esta lista: dê o passo de cada item e consulte de novo.',
    args: {
      orgao: t.arg.globalID({ for: [Orgao], required: false, description: DESCRICAO_ARG_ORGAO }),
      ambiente: t.arg({ type: Ambiente, required: false, description: DESCRICAO_ARG_AMBIENTE }),
    },
    resolve: (query, _parent, args, ctx) => {
      const escopo: EscopoPendencias = { ambiente: args.ambiente ?? ctx.ambientePadrao, orgaoIds: orgaosEmFoco(ctx.viewer, args.orgao) };
      assertCursors(args, ['date', 'int'], 'PENDENCIAS');
      return plannedRows(ctx.db.query.tramites.findMany(query(paginaDePendencias(escopo))));
    },
  }),
  alertasParados: t.withAuth(AUTHENTICATED).drizzleConnection({
    type: Tramite,
    description: `Alertas de trâmites parados: as suas pendências que estão há mais de \`minutos\` na mesma situação (o módulo de conexão avisa aos 60 e aos 90 minutos), os mais antigos primeiro, para agir antes do cancelamento automático (${DIAS_PARA_CANCELAMENTO_AUTOMATICO} dias por padrão).`,
    args: {
      orgao: t.arg.globalID({ for: [Orgao], required: false, description: DESCRICAO_ARG_ORGAO }),
      ambiente: t.arg({ type: Ambiente, required: false, description: DESCRICAO_ARG_AMBIENTE }),
      minutos: t.arg.int({
        required: false,
        defaultValue: MINUTOS_ALERTA_PARADO,
        description: 'Limite em minutos sem mudança de situação (padrão: 60).',
        validate: z
          .number()
          .int()
          .min(1, 'deve ser ao menos 1')
          .max(60 * 24 * 3650, 'no máximo 10 anos'),
      }),
    },
    resolve: (query, _parent, args, ctx) => {
      const agora = ctx.clock();
      const minutos = args.minutos ?? MINUTOS_ALERTA_PARADO;
      const escopo: EscopoPendencias = {
        ambiente: args.ambiente ?? ctx.ambientePadrao,
        orgaoIds: orgaosEmFoco(ctx.viewer, args.orgao),
        paradasAntesDe: new Date(agora.getTime() - minutos * 60_000),
      };
      assertCursors(args, ['date', 'int'], 'ALERTAS_PARADOS');
      return plannedRows(ctx.db.query.tramites.findMany(query(paginaDePendencias(escopo))));
    },
  }),
}));

/** Whether a trâmite in `situacao` is in the scope's pending list (the same rule as `pendenciasSql`). */
function pendente(escopo: EscopoPendencias, tramite: TramiteRow, situacao: number | null): boolean {
  if (situacao == null) return false;
  const s = situacao as Situacao;
  if (escopo.orgaoIds == null) return SITUACAO_INFO[s].quemDeveAgir != null;
  return escopo.orgaoIds.some((orgaoId) => pendenteParaOrgao(orgaoId, { ...tramite, situacao: s }));
}

type EventoPendenciaData = EventoComTramite & { pendente: boolean };

const EventoPendencia = builder.objectRef<EventoPendenciaData>('EventoPendencia').implement({
  description: 'Uma mudança na sua lista de pendências: um trâmite entrou nela, mudou de passo esperado ou saiu dela.',
  fields: (t) => ({
    cursor: t.string({
      description: 'Posição do evento no registro de eventos; passe-a em `aPartirDe` para retomar.',
      resolve: (e) => String(e.seq),
    }),
    pendente: t.boolean({
      description: 'Verdadeiro se o trâmite está agora na sua lista (espera um passo seu); falso se saiu dela.',
      resolve: (e) => e.pendente,
    }),
    acaoEsperada: t.field({
      type: AcaoTramite,
      nullable: true,
      description: 'O passo que você deve dar agora; nulo quando o trâmite saiu da sua lista.',
      resolve: (e) => (e.pendente ? (ACAO_ESPERADA.get(e.paraSituacao as Situacao) ?? null) : null),
    }),
    ocorridoEm: t.field({ type: 'DateTime', description: 'Quando a mudança foi registrada.', resolve: (e) => e.ocorridoEm }),
    tramite: t.field({ type: Tramite, description: 'O trâmite, como está agora.', resolve: (e) => e.tramite }),
  }),
});

builder.subscriptionField('pendenciasAoVivo', (t) =>
  t.withAuth(AUTHENTICATED).field({
    type: EventoPendencia,
    description:
      'A lista de `pendencias` ao vivo: um evento quando um trâmite entra nela, muda de passo esperado ou sai dela. Com `aPartirDe`, primeiro o que foi gravado depois do cursor. Após recusar, o destinatário deixa de ver o trâmite (só o remetente o vê) e não recebe o evento da saída: ele mesmo a causou.',
    args: {
      orgao: t.arg.globalID({ for: [Orgao], required: false, description: DESCRICAO_ARG_ORGAO }),
      ambiente: t.arg({ type: Ambiente, required: false, description: DESCRICAO_ARG_AMBIENTE }),
      aPartirDe: t.arg.string(ARG_A_PARTIR_DE),
    },
    subscribe: (_root, args, ctx) => {
      const escopo: EscopoPendencias = { ambiente: args.ambiente ?? ctx.ambientePadrao, orgaoIds: orgaosEmFoco(ctx.viewer, args.orgao) };
      return abrirFluxo(
        ctx,
        { ambiente: escopo.ambiente, orgaoIds: escopo.orgaoIds },
        args.aPartirDe,
        (e) => pendente(escopo, e.tramite, e.deSituacao) || pendente(escopo, e.tramite, e.paraSituacao),
      );
    },
    resolve: (evento, args, ctx) => {
      const e = evento as EventoComTramite;
      const escopo: EscopoPendencias = { ambiente: e.tramite.ambiente, orgaoIds: orgaosEmFoco(ctx.viewer, args.orgao) };
      return { ...e, pendente: pendente(escopo, e.tramite, e.paraSituacao) };
    },
  }),
);

const EventoAlertaParado = builder.objectRef<AlertaComTramite>('EventoAlertaParado').implement({
  description:
    'Um alerta de trâmite parado: uma pendência sua passou de um limite de tempo na mesma situação (os limites vêm da configuração; padrão 60 e 90 minutos, como o monitor do módulo de conexão).',
  fields: (t) => ({
    cursor: t.string({
      description: 'Posição do alerta no registro de alertas; passe-a em `aPartirDe` para retomar.',
      resolve: (a) => String(a.seq),
    }),
    limiteEmMinutos: t.int({ description: 'O limite ultrapassado, em minutos.', resolve: (a) => a.limiarMinutos }),
    situacao: t.field({
      type: SituacaoTramite,
      description: 'A situação em que o trâmite está parado.',
      resolve: (a) => a.situacao as Situacao,
    }),
    paradoDesde: t.field({
      type: 'DateTime',
      description: 'Desde quando o trâmite está nessa situação.',
      resolve: (a) => a.situacaoAlteradaEm,
    }),
    emitidoEm: t.field({ type: 'DateTime', description: 'Quando o alerta foi emitido.', resolve: (a) => a.emitidoEm }),
    acaoEsperada: t.field({
      type: AcaoTramite,
      nullable: true,
      description: 'O passo que o seu lado deve dar.',
      resolve: (a) => ACAO_ESPERADA.get(a.situacao as Situacao) ?? null,
    }),
    tramite: t.field({ type: Tramite, description: 'O trâmite, como está agora.', resolve: (a) => a.tramite }),
  }),
});

builder.subscriptionField('alertasParadosAoVivo', (t) =>
  t.withAuth(AUTHENTICATED).field({
    type: EventoAlertaParado,
    description:
      'Os alertas de `alertasParados` ao vivo: um evento quando uma pendência do seu lado passa de um limite configurado (STUCK_ALERT_THRESHOLDS_MINUTES; padrão 60 e 90 minutos) sem mudar de situação. Só chegam alertas ainda válidos (o trâmite continua naquela situação). Com `aPartirDe`, primeiro os emitidos depois do cursor.',
    args: {
      orgao: t.arg.globalID({ for: [Orgao], required: false, description: DESCRICAO_ARG_ORGAO }),
      limiteEmMinutos: t.arg.int({ required: false, description: 'Só os alertas deste limite (ex.: 90); sem ele, todos os limites.' }),
      aPartirDe: t.arg.string(ARG_A_PARTIR_DE),
    },
    subscribe: (_root, args, ctx) => {
      const orgaoIds = orgaosEmFoco(ctx.viewer, args.orgao);
      const { viewer } = ctx;
      return assinarEventos<AlertaComTramite>({
        barramento: ctx.feeds.alertas,
        passa: (a) => alertaVale(viewer, orgaoIds, args.limiteEmMinutos ?? null, a),
        lerHistorico: (depoisDe, ate, limite) => lerAlertas(ctx.db, depoisDe, limite, ate),
        aPartirDe: args.aPartirDe == null ? null : Number(args.aPartirDe),
        ...limitesDoContexto(ctx),
      });
    },
    resolve: (alerta) => alerta as AlertaComTramite,
  }),
);

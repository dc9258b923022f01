/**
 * A trâmite (a Relay node): its enums, its fields (including the steps the viewer may take now), and the
 * root fields that read it. Its steps are in mutacoes.ts, its events in evento-tramite.ts.
 */
import { Sistema } from '../../sistemas/graphql/sistema.js';
import { Ambiente, DESCRICAO_ARG_AMBIENTE } from '../../schema/ambiente.js';
import type { Ambiente as AmbienteValor } from '../../kernel/ambiente.js';
import { z } from 'zod';
import { Orgao, UnidadeAdministrativa } from '../../orgaos/graphql/orgao.js';
import { AUTHENTICATED, builder, pageCost, plannedRows, registerReadRule } from '../../schema/builder.js';
import { assertCursors } from '../../schema/cursors.js';
import { badUserInput } from '../../schema/errors.js';
import type { Viewer } from '../../kernel/viewer.js';
import { canReadTramiteNoAmbiente } from '../acesso.js';
import { contarTramites } from '../contagens.js';
import { diasNaSituacao, filtroTramitesSql, type FiltroTramites } from '../filtro.js';
import { acoesPermitidas, MOTIVOS_RECUSA, PASSOS, SITUACAO_INFO, SITUACOES, type Acao, type Situacao } from '../regras.js';

export const SituacaoTramite = builder.enumType('SituacaoTramite', {
  description:
    'As dez situações oficiais de um trâmite (FAQ 7.12 do Tramita.GOV.BR). Finais: CONCLUIDO (6), CANCELADO (7), CIENCIA_RECUSA (9) e CANCELADO_AUTOMATICAMENTE (10).',
  values: Object.fromEntries(
    SITUACOES.map((codigo) => {
      const info = SITUACAO_INFO[codigo];
      return [info.chave, { value: codigo, description: `${codigo} — ${info.nome}${info.final ? ' (final)' : ''}.` }];
    }),
  ) as Record<string, { value: Situacao; description: string }>,
});

export const TipoTramitavel = builder.enumType('TipoTramitavel', {
  description: 'O que o trâmite envia.',
  values: {
    PROCESSO: { description: 'Processo administrativo eletrônico.' },
    DOCUMENTO_AVULSO: { description: 'Documento avulso.' },
  } as const,
});

export const LadoTramite = builder.enumType('LadoTramite', {
  description: 'Quem age num trâmite.',
  values: {
    REMETENTE: { description: 'O lado que envia (unidade e órgão remetentes).' },
    DESTINATARIO: { description: 'O lado que recebe (unidade e órgão destinatários).' },
    PLATAFORMA: {
      description:
        'O próprio Tramita.GOV.BR: o cancelamento automático, e a equipe PEN quando cancela a pedido de um órgão (nunca age por um lado).',
    },
  } as const,
});

export const PapelNoTramite = builder.enumType('PapelNoTramite', {
  description: 'Em que papel um órgão ou unidade aparece num trâmite, para filtrar.',
  values: {
    ORIGEM: { description: 'Como remetente.' },
    DESTINO: { description: 'Como destinatário.' },
    QUALQUER: { description: 'Como remetente ou destinatário.' },
  } as const,
});

export const MotivoRecusa = builder.enumType('MotivoRecusa', {
  description: 'Motivos de recusa de um trâmite pelo destinatário.',
  values: Object.fromEntries(
    Object.entries(MOTIVOS_RECUSA).map(([codigo, descricao]) => [
      `MOTIVO_${codigo}`,
      { value: codigo, description: `${codigo} — ${descricao}.` },
    ]),
  ) as Record<string, { value: keyof typeof MOTIVOS_RECUSA; description: string }>,
});

export const OrdemTramites = builder.enumType('OrdemTramites', {
  description: 'Ordem da lista de trâmites.',
  values: {
    MAIS_RECENTES: { description: 'Os criados por último primeiro.' },
    PARADOS_HA_MAIS_TEMPO: { description: 'Os que estão há mais tempo sem mudar de situação primeiro.' },
  } as const,
});

/** The mutation of each step's act (the upload moves 1 → 2 through the platform; the platform's own step has none). */
export const MUTACAO_POR_ACAO: Record<Acao, string | null> = {
  INICIAR: 'iniciarTramite',
  ENVIAR_COMPONENTES_DIGITAIS: 'enviarComponentesDigitais',
  RECEBER_METADADOS: 'registrarMetadadosRecebidos',
  RECEBER_COMPONENTES_DIGITAIS: 'confirmarRecebimentoDeComponentes',
  ENVIAR_RECIBO_CONCLUSAO: 'enviarReciboConclusao',
  RECEBER_RECIBO_CONCLUSAO: 'registrarReciboConclusaoRecebido',
  CANCELAR: 'cancelarTramite',
  RECUSAR: 'recusarTramite',
  DAR_CIENCIA_RECUSA: 'darCienciaRecusa',
  CANCELAR_AUTOMATICAMENTE: null,
};

const DESCRICAO_ACAO: Record<Acao, string> = {
  INICIAR: 'Iniciar o trâmite (→ 1).',
  ENVIAR_COMPONENTES_DIGITAIS: 'Enviar os componentes digitais; a plataforma passa o trâmite a 2 quando o último chega (1 → 2).',
  RECEBER_METADADOS: 'Registrar o recebimento dos metadados (2 → 3).',
  RECEBER_COMPONENTES_DIGITAIS: 'Confirmar o recebimento de cada componente digital com o hash calculado (3 → 4).',
  ENVIAR_RECIBO_CONCLUSAO: 'Enviar o recibo de conclusão assinado (4 → 5).',
  RECEBER_RECIBO_CONCLUSAO: 'Registrar o recebimento do recibo de conclusão (5 → 6).',
  CANCELAR: 'Cancelar (1-4 → 7).',
  RECUSAR: 'Recusar, com motivo e justificativa (3-4 → 8).',
  DAR_CIENCIA_RECUSA: 'Dar ciência da recusa (8 → 9).',
  CANCELAR_AUTOMATICAMENTE: 'Cancelamento automático pela plataforma após dias sem mudança (1-4 → 10).',
};

export const AcaoTramite = builder.enumType('AcaoTramite', {
  description: 'Os passos do fluxo de um trâmite.',
  values: Object.fromEntries(PASSOS.map((p) => [p.acao, { description: DESCRICAO_ACAO[p.acao] }])) as Record<Acao, { description: string }>,
});

export const Tramite = builder.drizzleNode('tramites', {
  name: 'Tramite',
  description: 'Um envio de processo ou documento avulso de uma unidade remetente a uma unidade destinatária.',
  id: { column: (t) => t.id },
  // What the read rule (its environment included), the status fields and `acoesPermitidas` need; every other column is
  // selected only when its field is asked for (exposed columns and the fields' `select`), so a page reads what the
  // operation names. A row that already carries a field's columns (a live event's trâmite, read whole by the feed; a
  // mutation's row) answers it at once, without the model loader (patches/@pothos+plugin-drizzle: leaf columns).
  select: { columns: { remetenteOrgaoId: true, destinatarioOrgaoId: true, situacao: true, ambiente: true } },
  fields: (t) => ({
    idt: t.string({
      description: 'IDT: número do trâmite no Tramita.GOV.BR.',
      select: { columns: { idt: true } },
      resolve: (row) => String(row.idt),
    }),
    nre: t.exposeString('nre', {
      description: 'NRE: número de registro eletrônico do processo (16 dígitos), o mesmo em todos os seus trâmites.',
    }),
    numeroProcesso: t.exposeString('numeroProcesso', { description: 'Número do processo (NUP) ou protocolo do documento.' }),
    tipo: t.expose('tipo', { type: TipoTramitavel, description: 'Processo ou documento avulso.' }),
    descricao: t.exposeString('descricao', { nullable: true, description: 'Descrição do processo (até 100 caracteres).' }),
    situacao: t.field({
      type: SituacaoTramite,
      description: 'Situação atual.',
      resolve: (row) => row.situacao as Situacao,
    }),
    codigoSituacao: t.int({ description: 'Código numérico oficial (1 a 10) da situação atual.', resolve: (r) => r.situacao }),
    finalizado: t.boolean({
      description: 'Verdadeiro numa situação final (6, 7, 9 ou 10).',
      resolve: (row) => SITUACAO_INFO[row.situacao as Situacao].final,
    }),
    quemDeveAgir: t.field({
      type: LadoTramite,
      nullable: true,
      description: 'Lado que precisa agir para o trâmite seguir (origem em 1, 5 e 8; destino em 2, 3 e 4); nulo nas finais.',
      resolve: (row) => SITUACAO_INFO[row.situacao as Situacao].quemDeveAgir,
    }),
    versao: t.exposeInt('versao', { description: 'Versão para controle de concorrência otimista: cresce a cada mudança.' }),
    criadoEm: t.expose('criadoEm', { type: 'DateTime', description: 'Quando o trâmite foi iniciado.' }),
    atualizadoEm: t.expose('atualizadoEm', { type: 'DateTime', description: 'Última alteração.' }),
    situacaoAlteradaEm: t.expose('situacaoAlteradaEm', { type: 'DateTime', description: 'Quando entrou na situação atual.' }),
    diasNaSituacao: t.int({
      description: 'Dias inteiros desde a última mudança de situação (para achar trâmites parados).',
      select: { columns: { situacaoAlteradaEm: true } },
      resolve: (row, _args, ctx) => diasNaSituacao(row.situacaoAlteradaEm, ctx.clock()),
    }),
    unidadeRemetente: t.relation('remetenteUnidade', { type: UnidadeAdministrativa, description: 'Unidade que envia.' }),
    orgaoRemetente: t.relation('remetenteOrgao', { type: Orgao, description: 'Órgão que envia.' }),
    unidadeDestinataria: t.relation('destinatarioUnidade', { type: UnidadeAdministrativa, description: 'Unidade que recebe.' }),
    orgaoDestinatario: t.relation('destinatarioOrgao', { type: Orgao, description: 'Órgão que recebe.' }),
    acoesPermitidas: t.field({
      type: [AcaoTramite],
      description: 'Os passos que você pode dar agora neste trâmite (vazio se nenhum).',
      // An object field, reached only through a root field behind the authenticated scope: the viewer is there.
      resolve: (row, _args, ctx) =>
        acoesPermitidas(ctx.viewer!, { ...row, situacao: row.situacao as (typeof SITUACOES)[number] }).map((p) => p.acao),
    }),
    historico: t.relation('eventos', {
      description:
        'Todas as mudanças de situação, da criação à atual, em ordem (só eventos SITUACAO: componentes recebidos e recibos emitidos não são mudanças de situação).',
      query: { where: { tipo: 'SITUACAO' }, orderBy: { seq: 'asc' } },
    }),
  }),
});

// Readable by the viewer and in the environment the field is about: every nullable field returning a trâmite, and
// `node(id:)` (in the default environment), answers null for one of the other environment.
registerReadRule('Tramite', canReadTramiteNoAmbiente, (db, id) => db.query.tramites.findFirst({ where: { id: Number(id) } }));

const FiltroTramitesInput = builder.inputType('FiltroTramites', {
  description: 'Filtros da lista de trâmites; todos opcionais e combinados com E.',
  fields: (t) => ({
    situacoes: t.field({ type: [SituacaoTramite], description: 'Só estas situações.' }),
    orgao: t.globalID({ for: [Orgao], description: 'Só trâmites deste órgão (no papel de `papel`).' }),
    unidade: t.globalID({ for: [UnidadeAdministrativa], description: 'Só trâmites desta unidade (no papel de `papel`).' }),
    papel: t.field({
      type: PapelNoTramite,
      defaultValue: 'QUALQUER',
      description:
        'Papel de `orgao`/`unidade`: origem, destino ou qualquer um. Sem `orgao` nem `unidade`, vale para o seu órgão (PEN_ADMIN: informe um). Como destino não entram os recusados (8, 9): após a recusa só o remetente vê o trâmite.',
    }),
    criadoDesde: t.field({ type: 'DateTime', description: 'Iniciados a partir deste instante.' }),
    criadoAte: t.field({ type: 'DateTime', description: 'Iniciados até este instante.' }),
    paradoHaMaisDeDias: t.int({
      description: 'Só trâmites em andamento sem mudar de situação há mais de N dias.',
      validate: z.number().int().min(0, 'deve ser maior ou igual a 0').max(3650, 'no máximo 3650'),
    }),
    nre: t.string({
      description: 'Só os trâmites deste processo (NRE, 16 dígitos).',
      validate: z.string().regex(/^\d{16}$/, 'o NRE tem 16 dígitos'),
    }),
    numeroProcesso: t.string({ description: 'Só os trâmites deste número de processo (NUP).', validate: z.string().min(1).max(50) }),
    sistema: t.globalID({
      for: [Sistema],
      description: 'Só os trâmites cujo lado (`papel`) é operado por este SPE (um lado é operado pelos SPEs que atendem o órgão dele).',
    }),
  }),
});

/**
 * `papel` needs an agency or unit to apply to: without either it applies to the viewer's own agency; a viewer with
 * no agency (PEN_ADMIN) must name one (BAD_USER_INPUT), never a silently ignored `papel`.
 */
function orgaoDoFiltro(input: typeof FiltroTramitesInput.$inferInput, viewer: Viewer): number | null {
  if (input.orgao) return Number(input.orgao.id);
  if (input.unidade || (input.papel ?? 'QUALQUER') === 'QUALQUER') return null;
  if (viewer.orgaoId == null) throw badUserInput('filtro.papel', 'informe `orgao` ou `unidade` para filtrar por papel.');
  return viewer.orgaoId;
}

function toFiltro(
  input: typeof FiltroTramitesInput.$inferInput | null | undefined,
  viewer: Viewer,
  ambiente: AmbienteValor,
): FiltroTramites {
  if (!input) return { ambiente };
  if (input.criadoDesde && input.criadoAte && input.criadoDesde > input.criadoAte) {
    throw badUserInput('filtro.criadoAte', 'deve ser posterior a `criadoDesde`.');
  }
  return {
    ambiente,
    situacoes: input.situacoes as Situacao[] | null | undefined,
    orgaoId: orgaoDoFiltro(input, viewer),
    unidadeId: input.unidade ? Number(input.unidade.id) : null,
    papel: input.papel,
    criadoDesde: input.criadoDesde,
    criadoAte: input.criadoAte,
    paradoHaMaisDeDias: input.paradoHaMaisDeDias,
    nre: input.nre,
    numeroProcesso: input.numeroProcesso,
    sistemaId: input.sistema ? Number(input.sistema.id) : null,
  };
}

builder.queryFields((t) => ({
  tramite: t.withAuth(AUTHENTICATED).drizzleField({
    type: Tramite,
    nullable: true,
    description: 'Um trâmite pelo identificador global ou pelo IDT. Nulo se não existir ou se você não puder vê-lo.',
    args: {
      id: t.arg.globalID({ for: [Tramite], required: false, description: 'Identificador global.' }),
      idt: t.arg.string({
        required: false,
        description: 'IDT do trâmite no Tramita.GOV.BR.',
        validate: z.string().regex(/^\d{1,15}$/, 'o IDT é um número'),
      }),
      ambiente: t.arg({ type: Ambiente, required: false, description: DESCRICAO_ARG_AMBIENTE }),
    },
    resolve: async (query, _root, args, ctx) => {
      if ((args.id == null) === (args.idt == null)) throw badUserInput('id', 'informe `id` ou `idt` (exatamente um).');
      const ambiente = args.ambiente ?? ctx.ambientePadrao;
      const where = args.id ? { id: Number(args.id.id), ambiente } : { idt: Number(args.idt), ambiente };
      // The read rule registered on the type reads the type-level select's columns: an unreadable trâmite is null.
      return (await ctx.db.query.tramites.findFirst(query({ where }))) ?? null;
    },
  }),
  tramites: t.withAuth(AUTHENTICATED).drizzleConnection({
    type: Tramite,
    complexity: pageCost,
    description: 'Trâmites que você pode ver (do seu órgão, como remetente ou destinatário; todos para PEN_ADMIN), filtrados e paginados.',
    args: {
      filtro: t.arg({ type: FiltroTramitesInput, required: false, description: 'Filtros.' }),
      ordem: t.arg({ type: OrdemTramites, required: false, defaultValue: 'MAIS_RECENTES', description: 'Ordem da lista.' }),
      ambiente: t.arg({ type: Ambiente, required: false, description: DESCRICAO_ARG_AMBIENTE }),
    },
    totalCount: (_parent, args, ctx) => {
      const { viewer } = ctx;
      // From the counters when the filter is one they answer (contagens.ts), else one count over the rows.
      return contarTramites(ctx.db, viewer, toFiltro(args.filtro, viewer, args.ambiente ?? ctx.ambientePadrao), ctx.clock());
    },
    resolve: (query, _parent, args, ctx) => {
      const { viewer } = ctx;
      assertCursors(args, args.ordem === 'PARADOS_HA_MAIS_TEMPO' ? ['date', 'int'] : ['int'], args.ordem ?? 'MAIS_RECENTES');
      const filtro = toFiltro(args.filtro, viewer, args.ambiente ?? ctx.ambientePadrao);
      const agora = ctx.clock();
      return plannedRows(
        ctx.db.query.tramites.findMany(
          query({
            where: { RAW: (t) => filtroTramitesSql(t, viewer, filtro, agora) },
            orderBy: args.ordem === 'PARADOS_HA_MAIS_TEMPO' ? { situacaoAlteradaEm: 'asc', id: 'asc' } : { id: 'desc' },
          }),
        ),
      );
    },
  }),
}));

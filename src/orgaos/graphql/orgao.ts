import { and, ilike, isNull, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { builder, pageCost, plannedRows, registerReadRule } from '../../schema/builder.js';
import { assertCursors } from '../../schema/cursors.js';
import { badUserInput } from '../../schema/errors.js';
import type { Database } from '../../db/client.js';
import { modoTramitacao, type ModoTramitacao as CodigoModoTramitacao } from '../regras.js';
import { estruturas } from '../tables.js';

/** The agencies (roots) matching the `orgaos` arguments; one function serves the page and its count. */
function filtroOrgaos(e: typeof estruturas, args: { busca?: string | null; repositorio?: number | null }): SQL {
  const pattern = args.busca ? `%${args.busca.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  return and(
    isNull(e.paiId),
    args.repositorio != null ? sql`${e.repositorioId} = ${args.repositorio}` : undefined,
    pattern ? or(ilike(e.sigla, pattern), ilike(e.nome, pattern)) : undefined,
  )!;
}

export const ModoTramitacao = builder.enumType('ModoTramitacao', {
  description: 'Como a unidade administrativa participa dos trâmites ("definição de unidades para envio e recebimento", FAQ 2.14).',
  values: {
    ENVIO_E_RECEBIMENTO: { description: '"Enviar e Receber": habilitada para enviar e receber processos e documentos avulsos.' },
    SOMENTE_ENVIO: { description: '"Somente enviar": habilitada apenas para enviar.' },
    SOMENTE_RECEBIMENTO: { description: '"Somente receber": habilitada apenas para receber.' },
    NAO_HABILITADA: { description: 'Não habilitada pelos gestores de protocolo: não envia nem recebe.' },
  } as const satisfies Record<CodigoModoTramitacao, unknown>,
});

export const Repositorio = builder.drizzleObject('repositorios', {
  name: 'RepositorioEstruturas',
  description: 'Repositório de estruturas organizacionais (ex.: 1 — Poder Executivo Federal, vindo do SIORG).',
  fields: (t) => ({
    codigo: t.exposeInt('id', { description: 'Identificador do repositório no Tramita.GOV.BR.' }),
    nome: t.exposeString('nome', { description: 'Nome do repositório.' }),
  }),
});

/** Shared by Orgao and UnidadeAdministrativa: both are rows of `estruturas`. */
const estruturaFields = {
  sigla: { description: 'Sigla da estrutura (ex.: MGI, DISIS).' },
  nome: { description: 'Nome da estrutura.' },
  numeroIdentificacao: { description: 'Número de identificação da estrutura no seu repositório.' },
} as const;

export const Orgao = builder.drizzleNode('estruturas', {
  name: 'Orgao',
  description: 'Órgão ou entidade: a raiz de uma estrutura organizacional, com sua árvore de unidades administrativas.',
  id: { column: (e) => e.id },
  // The read rule's column; the others only when asked for (exposed), so a nested agency reads what the operation names.
  select: { columns: { paiId: true } },
  fields: (t) => ({
    sigla: t.exposeString('sigla', estruturaFields.sigla),
    nome: t.exposeString('nome', estruturaFields.nome),
    numeroIdentificacao: t.exposeInt('numeroIdentificacao', estruturaFields.numeroIdentificacao),
    repositorio: t.relation('repositorio', { description: 'Repositório de estruturas de onde o órgão vem.' }),
  }),
});

// Every signed-in viewer reads the agency directory; an id of a unit is not an agency's.
const estruturaPorId = (db: Database, id: string) => db.query.estruturas.findFirst({ where: { id: Number(id) } });
registerReadRule<{ paiId: number | null }>('Orgao', (_viewer, estrutura) => estrutura.paiId == null, estruturaPorId);
registerReadRule('UnidadeAdministrativa', () => true, estruturaPorId);

export const FinalidadeTramitacao = builder.enumType('FinalidadeTramitacao', {
  description: 'Finalidade para a qual uma unidade pode estar habilitada.',
  values: {
    ENVIO: { description: 'Enviar processos e documentos avulsos.' },
    RECEBIMENTO: { description: 'Receber processos e documentos avulsos.' },
  } as const,
});

export const UnidadeAdministrativa = builder.drizzleNode('estruturas', {
  variant: 'UnidadeAdministrativa',
  description: 'Unidade administrativa de um órgão (ou a própria raiz), que pode enviar e receber trâmites se habilitada.',
  id: { column: (e) => e.id },
  // Only the columns the operation asks for (exposed fields and the fields' `select`).
  select: {},
  fields: (t) => ({
    sigla: t.exposeString('sigla', estruturaFields.sigla),
    nome: t.exposeString('nome', estruturaFields.nome),
    numeroIdentificacao: t.exposeInt('numeroIdentificacao', estruturaFields.numeroIdentificacao),
    habilitadaEnvio: t.exposeBoolean('habilitadaEnvio', { description: 'Habilitada para enviar.' }),
    habilitadaRecebimento: t.exposeBoolean('habilitadaRecebimento', { description: 'Habilitada para receber.' }),
    centralizadora: t.exposeBoolean('centralizadora', {
      description: 'Unidade centralizadora: recebe em nome de outras unidades do órgão.',
    }),
    modoTramitacao: t.field({
      type: ModoTramitacao,
      description: 'Resumo de como a unidade participa dos trâmites.',
      select: { columns: { habilitadaEnvio: true, habilitadaRecebimento: true } },
      resolve: modoTramitacao,
    }),
  }),
});

builder.drizzleObjectFields(UnidadeAdministrativa, (t) => ({
  orgao: t.relation('orgao', { type: Orgao, description: 'Órgão ao qual a unidade pertence.', nullable: false }),
  unidadePai: t.relation('pai', {
    type: UnidadeAdministrativa,
    nullable: true,
    description: 'Unidade imediatamente acima na hierarquia; nulo na raiz do órgão.',
  }),
  subunidades: t.relation('unidades', {
    type: UnidadeAdministrativa,
    description: 'Unidades imediatamente abaixo na hierarquia.',
    query: { orderBy: { sigla: 'asc', id: 'asc' } },
    // A unit has few children (at most 5 in the registry's trees): ×2, so a walk down a tree 12
    // levels deep stays admissible while the same walk under every item of a page does not.
    complexity: { field: 1, multiplier: 2 },
  }),
}));

builder.drizzleObjectFields(Orgao, (t) => ({
  unidades: t.relation('unidades', {
    type: UnidadeAdministrativa,
    description: 'Unidades administrativas do primeiro nível, abaixo da raiz do órgão. Desça por `subunidades`.',
    complexity: { field: 1, multiplier: 5 },
    query: { orderBy: { sigla: 'asc', id: 'asc' } },
  }),
  todasUnidades: t.relation('todasUnidades', {
    // The whole tree (at most 14 units per agency in the registry): ×15, so a cycle through
    // `orgao { todasUnidades { orgao ... } }` is priced at what it fetches.
    complexity: { field: 1, multiplier: 15 },
    type: UnidadeAdministrativa,
    description: 'Todas as unidades do órgão, em lista plana (inclui a raiz), ordenadas por sigla.',
    args: {
      habilitadasPara: t.arg({
        type: FinalidadeTramitacao,
        required: false,
        description: 'Só as unidades habilitadas para esta finalidade.',
      }),
    },
    query: (args) => ({
      where:
        args.habilitadasPara === 'ENVIO'
          ? { habilitadaEnvio: true }
          : args.habilitadasPara === 'RECEBIMENTO'
            ? { habilitadaRecebimento: true }
            : {},
      orderBy: { sigla: 'asc', id: 'asc' },
    }),
  }),
}));

builder.queryFields((t) => ({
  orgaos: t.drizzleConnection({
    type: Orgao,
    complexity: pageCost,
    description: 'Órgãos e entidades cadastrados, ordenados por sigla.',
    args: {
      busca: t.arg.string({
        required: false,
        description: 'Trecho da sigla ou do nome (sem diferenciar maiúsculas).',
        validate: z.string().max(100, 'no máximo 100 caracteres'),
      }),
      repositorio: t.arg.int({ required: false, description: 'Só órgãos deste repositório de estruturas.' }),
    },
    totalCount: (_parent, args, ctx) => {
      return ctx.db.$count(estruturas, filtroOrgaos(estruturas, args));
    },
    resolve: (query, _parent, args, ctx) => {
      assertCursors(args, ['string', 'int'], 'por sigla');
      return plannedRows(
        ctx.db.query.estruturas.findMany(query({ where: { RAW: (e) => filtroOrgaos(e, args) }, orderBy: { sigla: 'asc', id: 'asc' } })),
      );
    },
  }),
  orgao: t.drizzleField({
    type: Orgao,
    nullable: true,
    description: 'Um órgão pelo identificador global, ou por repositório + número de identificação. Nulo se não existir.',
    args: {
      id: t.arg.globalID({ required: false, for: [Orgao], description: 'Identificador global do órgão.' }),
      repositorio: t.arg.int({ required: false, description: 'Repositório de estruturas (use com `numeroIdentificacao`).' }),
      numeroIdentificacao: t.arg.int({ required: false, description: 'Número de identificação no repositório.' }),
    },
    resolve: (query, _parent, args, ctx) => {
      if ((args.id != null) === (args.repositorio != null || args.numeroIdentificacao != null)) {
        throw badUserInput('id', 'informe `id` ou o par `repositorio` + `numeroIdentificacao`, não ambos.');
      }
      if (!args.id && (args.repositorio == null || args.numeroIdentificacao == null)) {
        throw badUserInput('numeroIdentificacao', 'informe `repositorio` e `numeroIdentificacao` juntos.');
      }
      const where = args.id
        ? { id: Number(args.id.id), paiId: { isNull: true as const } }
        : { repositorioId: args.repositorio!, numeroIdentificacao: args.numeroIdentificacao!, paiId: { isNull: true as const } };
      return ctx.db.query.estruturas.findFirst(query({ where }));
    },
  }),
}));

import DataLoader from 'dataloader';
import { and, ilike, isNull, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Ambiente as CodigoAmbiente } from '../../kernel/ambiente.js';
import { Ambiente } from '../../schema/ambiente.js';
import { builder, pageCost, plannedRows, registerReadRule } from '../../schema/builder.js';
import type { GatewayContext } from '../../schema/context.js';
import { ambienteDoCampo } from '../../schema/read-rules.js';
import { assertCursors } from '../../schema/cursors.js';
import { badUserInput } from '../../schema/errors.js';
import type { Database } from '../../db/client.js';
import { type ConfiguracaoComCentralizadora, configuracoesDasUnidades, habilitadaNoAmbiente, SEM_CONFIGURACAO } from '../configuracoes.js';
import { modoTramitacao, type ModoTramitacao as CodigoModoTramitacao } from '../regras.js';
import { estruturas } from '../tables.js';

/** What the `ambiente` argument of a unit's configuration fields says. */
export const DESCRICAO_AMBIENTE_DA_CONFIGURACAO =
  'Ambiente da configuração lida (homologação e produção têm cada um a sua); padrão: o do objeto de onde a unidade veio (ex.: a mutação que a configurou), senão o da implantação (AMBIENTE_PADRAO).';

const SEM_CONFIGURACAO_NEM_CENTRALIZADORA: ConfiguracaoComCentralizadora = { ...SEM_CONFIGURACAO, daCentralizadora: null };

/**
 * The units' configuration in one environment, one statement per environment and level of the response (whatever the
 * number of units a page or a tree lists): a DataLoader per request context, keyed by unit id.
 */
const carregadores = new WeakMap<object, Map<CodigoAmbiente, DataLoader<number, ConfiguracaoComCentralizadora>>>();

/** The environment a unit's configuration field reads (its argument, the parent's, the deployment's) and its row there. */
export function configuracaoNoCampo(
  unidade: { id: number },
  args: { ambiente?: CodigoAmbiente | null },
  ctx: GatewayContext,
): Promise<ConfiguracaoComCentralizadora & { ambiente: CodigoAmbiente }> {
  const ambiente = ambienteDoCampo(args, unidade, ctx.ambientePadrao);
  let porAmbiente = carregadores.get(ctx);
  if (!porAmbiente) {
    porAmbiente = new Map();
    carregadores.set(ctx, porAmbiente);
  }
  let carregador = porAmbiente.get(ambiente);
  if (!carregador) {
    // Batching only, no memo: a context lives as long as a subscription, whose events must read the configuration of now.
    carregador = new DataLoader(
      async (ids) => {
        const linhas = await configuracoesDasUnidades(ctx.db, ambiente, ids);
        return ids.map((id) => linhas.get(id) ?? SEM_CONFIGURACAO_NEM_CENTRALIZADORA);
      },
      { cache: false },
    );
    porAmbiente.set(ambiente, carregador);
  }
  return carregador.load(unidade.id).then((c) => ({ ...c, ambiente }));
}

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

/**
 * The centralising unit a configuration names, as a unit whose fields read that configuration's environment (when it
 * has one); null when the unit receives itself.
 */
export async function centralizadoraDaConfiguracao(
  c: { centralizadoraId: number | null; ambiente?: CodigoAmbiente | null },
  ctx: GatewayContext,
) {
  if (c.centralizadoraId == null) return null;
  const central = await ctx.db.query.estruturas.findFirst({ where: { id: c.centralizadoraId } });
  return central ? { ...central, ...(c.ambiente ? { ambiente: c.ambiente } : {}) } : null;
}

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
  }),
});

builder.drizzleObjectFields(UnidadeAdministrativa, (t) => {
  const ambiente = () => t.arg({ type: Ambiente, required: false, description: DESCRICAO_AMBIENTE_DA_CONFIGURACAO });
  return {
    habilitadaEnvio: t.boolean({
      description: 'Habilitada para enviar no ambiente.',
      args: { ambiente: ambiente() },
      resolve: async (u, args, ctx) => (await configuracaoNoCampo(u, args, ctx)).habilitadaEnvio,
    }),
    habilitadaRecebimento: t.boolean({
      description: 'Habilitada para receber no ambiente.',
      args: { ambiente: ambiente() },
      resolve: async (u, args, ctx) => (await configuracaoNoCampo(u, args, ctx)).habilitadaRecebimento,
    }),
    centralizadora: t.boolean({
      description: 'Unidade centralizadora no ambiente: recebe em nome de outras unidades do órgão.',
      args: { ambiente: ambiente() },
      resolve: async (u, args, ctx) => (await configuracaoNoCampo(u, args, ctx)).centralizadora,
    }),
    modoTramitacao: t.field({
      type: ModoTramitacao,
      description: 'Resumo de como a unidade participa dos trâmites no ambiente.',
      args: { ambiente: ambiente() },
      resolve: async (u, args, ctx) => modoTramitacao(await configuracaoNoCampo(u, args, ctx)),
    }),
  };
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
        description: 'Só as unidades habilitadas para esta finalidade no ambiente.',
      }),
      ambiente: t.arg({
        type: Ambiente,
        required: false,
        description:
          'Ambiente da configuração que `habilitadasPara` lê e que as unidades listadas mostram; padrão: o da implantação (AMBIENTE_PADRAO).',
      }),
    },
    query: (args, ctx) => {
      const ambiente = (args.ambiente as CodigoAmbiente | null | undefined) ?? ctx.ambientePadrao;
      return {
        where: args.habilitadasPara
          ? { RAW: (e) => habilitadaNoAmbiente(e.id, ambiente, args.habilitadasPara === 'ENVIO' ? 'envio' : 'recebimento') }
          : {},
        // The units' own configuration fields read the same environment (`ambienteDoCampo` reads the row's).
        extras: { ambiente: sql<CodigoAmbiente>`${ambiente}::ambiente` },
        orderBy: { sigla: 'asc', id: 'asc' },
      };
    },
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

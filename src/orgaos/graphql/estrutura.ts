/**
 * Structures as the platform serves them: the search across repositories, the lookup by (repositório, número), the
 * repositórios list, the centralising links, and the configuration mutations of the agency's gestores.
 */
import { resolveOffsetConnection } from '@pothos/plugin-relay';
import { and, asc, eq } from 'drizzle-orm';
import { GraphQLError } from 'graphql';
import { z } from 'zod';
import type { Ambiente as CodigoAmbiente } from '../../kernel/ambiente.js';
import { DadosInvalidos } from '../../kernel/erros.js';
import { isPenAdmin } from '../../kernel/viewer.js';
import { Ambiente } from '../../schema/ambiente.js';
import { AUTHENTICATED, builder, pageCost } from '../../schema/builder.js';
import { badUserInput } from '../../schema/errors.js';
import { ambienteDoCampo } from '../../schema/read-rules.js';
import { ErroInterface } from '../../schema/resultados.js';
import { aptaParaReceber, type ConfiguracaoUnidade } from '../configuracoes.js';
import { buscarEstruturas, contarEstruturas, LIMITE_BUSCA_ESTRUTURAS, type FiltroEstruturas } from '../consultas.js';
import {
  AmbienteNaoConfiguravel,
  CentralizacaoInvalida,
  ConfiguracaoNaoPermitida,
  EstruturaForaDoRepositorio,
  HierarquiaImportada,
  UnidadeDeOutroOrgao,
  UnidadeNaoEncontrada,
} from '../erros.js';
import { modoTramitacao, type ModoTramitacao as CodigoModo } from '../regras.js';
import {
  cadastrarUnidade,
  definirCentralizadora,
  definirModoTramitacao,
  definirUnidadesCentralizadas,
  historicoDaEstrutura,
  type EventoEstrutura,
  type OpcoesConfiguracaoEstrutura,
  type ResultadoConfiguracao,
  type TipoAlteracaoEstrutura,
} from '../servico.js';
import { configuracoesUnidade, estruturas } from '../tables.js';
import {
  centralizadoraDaConfiguracao,
  configuracaoNoCampo,
  DESCRICAO_AMBIENTE_DA_CONFIGURACAO,
  ModoTramitacao,
  Orgao,
  Repositorio,
  UnidadeAdministrativa,
} from './orgao.js';

declare module '../../schema/context.js' {
  interface GatewayContext {
    /** What the configuration mutations ask other domains (the environments an agency configures), wired at composition. */
    configuracaoEstrutura: OpcoesConfiguracaoEstrutura;
  }
}

/** A page of the search with its count: the page's own, or computed on demand (consultas.ts `contarEstruturas`). */
interface PaginaDaBusca {
  contar: () => Promise<number>;
}

builder.drizzleObjectFields(Repositorio, (t) => ({
  ativo: t.exposeBoolean('ativo', { description: 'Se o repositório está ativo (ex.: 9 — TJMG está inativo).' }),
}));

builder.drizzleObjectFields(Orgao, (t) => ({
  ativo: t.exposeBoolean('ativo', { description: 'Falso se o órgão foi inativado (ex.: após mudança no SIORG).' }),
}));

builder.drizzleObjectFields(UnidadeAdministrativa, (t) => {
  /** The optional `ambiente` of a unit's configuration field. */
  const argAmbiente = () => t.arg({ type: Ambiente, required: false, description: DESCRICAO_AMBIENTE_DA_CONFIGURACAO });
  return {
    ativo: t.exposeBoolean('ativo', {
      description: 'Falso se a unidade foi inativada (ex.: após mudança no SIORG): continua encontrável, mas não envia nem recebe.',
    }),
    aptaParaReceberTramites: t.boolean({
      description:
        'Se um trâmite pode ser enviado a esta unidade agora no ambiente: ativa e habilitada para receber, ou atendida por uma centralizadora (`aptoParaReceberTramites` da plataforma).',
      args: { ambiente: argAmbiente() },
      select: { columns: { ativo: true } },
      resolve: async (u, args, ctx) => aptaParaReceber(u, await configuracaoNoCampo(u, args, ctx)),
    }),
    unidadeCentralizadora: t.field({
      type: UnidadeAdministrativa,
      nullable: true,
      description: 'A unidade centralizadora que recebe o que é enviado a esta unidade no ambiente; nulo se ela mesma recebe.',
      args: { ambiente: argAmbiente() },
      resolve: async (u, args, ctx) => centralizadoraDaConfiguracao(await configuracaoNoCampo(u, args, ctx), ctx),
    }),
    unidadesCentralizadas: t.field({
      type: [UnidadeAdministrativa],
      description: 'Se esta unidade é centralizadora no ambiente: as unidades por quem ela recebe ali, por sigla.',
      args: { ambiente: argAmbiente() },
      complexity: { field: 1, multiplier: 5 },
      resolve: async (u, args, ctx) => {
        const ambiente = ambienteDoCampo(args, u, ctx.ambientePadrao);
        const linhas = await ctx.db
          .select({ unidade: estruturas })
          .from(configuracoesUnidade)
          .innerJoin(estruturas, eq(estruturas.id, configuracoesUnidade.estruturaId))
          .where(and(eq(configuracoesUnidade.centralizadoraId, u.id), eq(configuracoesUnidade.ambiente, ambiente)))
          .orderBy(asc(estruturas.sigla), asc(estruturas.id));
        return linhas.map((l) => ({ ...l.unidade, ambiente }));
      },
    }),
    historicoDeConfiguracao: t.field({
      type: [EventoConfiguracaoEstrutura],
      nullable: true,
      description:
        'As mudanças de configuração da unidade no ambiente (modo, centralização), com o seu cadastro, as mais recentes primeiro (até 50). Só os gestores do órgão e a equipe PEN veem; nulo para os demais.',
      args: { ambiente: argAmbiente() },
      select: { columns: { orgaoId: true } },
      resolve: (u, args, ctx) => {
        const viewer = ctx.viewer;
        if (!viewer || !(isPenAdmin(viewer) || viewer.orgaoId === (u.orgaoId ?? u.id))) return null;
        return historicoDaEstrutura(ctx.db, u.id, ambienteDoCampo(args, u, ctx.ambientePadrao), 50);
      },
    }),
  };
});

const TipoAlteracaoEnum = builder.enumType('TipoAlteracaoEstrutura', {
  description: 'O que uma mudança de configuração de estrutura alterou.',
  values: {
    UNIDADE_CADASTRADA: { description: 'A unidade foi cadastrada pelo gestor (órgãos fora do SIORG), ainda não habilitada.' },
    MODO_TRAMITACAO: { description: 'O modo de tramitação (enviar e receber, somente enviar, somente receber).' },
    CENTRALIZADORA: { description: 'A marcação da unidade como centralizadora.' },
    UNIDADE_CENTRALIZADORA: { description: 'A centralizadora que recebe pela unidade.' },
    CONFIGURACAO_REPLICADA: {
      description:
        'O acesso à produção copiou para a produção a configuração da unidade na homologação (o ponto de partida que o órgão confirma).',
    },
  } as const satisfies Record<TipoAlteracaoEstrutura, unknown>,
});

type Configuracao = ConfiguracaoUnidade & { ambiente: CodigoAmbiente | null };

const ConfiguracaoDaUnidade = builder.objectRef<Configuracao>('ConfiguracaoDaUnidade').implement({
  description: 'A configuração de uma unidade num momento.',
  fields: (t) => ({
    modoTramitacao: t.field({
      type: ModoTramitacao,
      description: 'Como a unidade participa dos trâmites.',
      resolve: (c) => modoTramitacao(c),
    }),
    centralizadora: t.exposeBoolean('centralizadora', { description: 'Se era centralizadora.' }),
    unidadeCentralizadora: t.field({
      type: UnidadeAdministrativa,
      nullable: true,
      description: 'A centralizadora que recebia pela unidade; nulo se ela mesma recebia.',
      resolve: (c, _args, ctx) => centralizadoraDaConfiguracao(c, ctx),
    }),
  }),
});

const EventoConfiguracaoEstrutura = builder.objectRef<EventoEstrutura>('EventoConfiguracaoEstrutura').implement({
  description: 'Uma mudança de configuração de uma unidade, feita por um gestor de protocolo do órgão: quem, quando, antes e depois.',
  fields: (t) => ({
    cursor: t.string({ description: 'Posição no registro de configuração de estruturas.', resolve: (e) => String(e.seq) }),
    tipo: t.field({ type: TipoAlteracaoEnum, description: 'O que mudou.', resolve: (e) => e.tipo as TipoAlteracaoEstrutura }),
    ambiente: t.field({
      type: Ambiente,
      nullable: true,
      description: 'O ambiente cuja configuração mudou; nulo no cadastro de uma unidade, que vale para os dois.',
      resolve: (e) => e.ambiente,
    }),
    unidade: t.field({
      type: UnidadeAdministrativa,
      description: 'A unidade configurada.',
      resolve: async (e, _args, ctx) => {
        const unidade = (await ctx.db.query.estruturas.findFirst({ where: { id: e.estruturaId } }))!;
        return e.ambiente ? { ...unidade, ambiente: e.ambiente } : unidade;
      },
    }),
    antes: t.field({
      type: ConfiguracaoDaUnidade,
      description: 'A configuração antes.',
      resolve: (e) => ({ ...(e.alteracao.antes as unknown as ConfiguracaoUnidade), ambiente: e.ambiente }),
    }),
    depois: t.field({
      type: ConfiguracaoDaUnidade,
      description: 'A configuração depois.',
      resolve: (e) => ({ ...(e.alteracao.depois as unknown as ConfiguracaoUnidade), ambiente: e.ambiente }),
    }),
    ator: t.exposeString('atorSujeito', { description: 'Quem fez a mudança (o `sub` do token).' }),
    ocorridoEm: t.field({ type: 'DateTime', description: 'Quando.', resolve: (e) => e.ocorridoEm }),
  }),
});

// ---- the search and the lookup ------------------------------------------------------------------

/** Offset cursors (`OffsetConnection:<n>` in base64) are what a ranked list hands out; anything else is refused. */
function assertOffsetCursors(args: { after?: string | null; before?: string | null }): void {
  for (const argument of ['after', 'before'] as const) {
    const cursor = args[argument];
    if (cursor == null) continue;
    const decoded = cursor.length <= 100 ? Buffer.from(cursor, 'base64').toString('utf8') : '';
    if (!/^OffsetConnection:\d{1,9}$/.test(decoded) || Buffer.from(decoded).toString('base64') !== cursor) {
      throw badUserInput(argument, `cursor inválido para esta lista (veio de outra lista ou foi alterado). Recomece sem \`${argument}\`.`);
    }
  }
}

builder.queryFields((t) => ({
  repositorios: t.field({
    type: [Repositorio],
    description:
      'Os repositórios de estruturas organizacionais, pelo identificador da plataforma (1 — Poder Executivo Federal … 14 — Terceiro Setor).',
    args: {
      ativos: t.arg.boolean({ required: false, description: 'Só os ativos (verdadeiro) ou só os inativos (falso); sem ele, todos.' }),
    },
    resolve: (_root, args, ctx) =>
      ctx.db.query.repositorios.findMany({ where: args.ativos == null ? {} : { ativo: args.ativos }, orderBy: { id: 'asc' } }),
  }),
  estruturas: t.connection(
    {
      type: UnidadeAdministrativa,
      complexity: pageCost,
      description:
        'Pesquisa de unidades em todos os órgãos e repositórios, por nome ou sigla, sem diferenciar acentos nem maiúsculas; as mais relevantes primeiro (sigla igual, sigla que começa pelo termo, semelhança do nome). Inativas aparecem, marcadas com `ativo: false`, salvo com `ativo: true`.',
      args: {
        busca: t.arg.string({
          required: false,
          description:
            'Palavras do nome ou da sigla, em qualquer ordem: cada uma deve ser o início de uma palavra da unidade ("licit" acha "Licitações"). Ex.: "secretaria educacao", "DISIS". Com uma ou duas letras em cada palavra (ex.: "TI"), procura as siglas que começam por elas.',
          validate: z.string().max(100, 'no máximo 100 caracteres'),
        }),
        repositorio: t.arg.int({ required: false, description: 'Só deste repositório de estruturas.' }),
        orgao: t.arg.globalID({ for: [Orgao], required: false, description: 'Só unidades deste órgão.' }),
        permiteEnvio: t.arg.boolean({
          required: false,
          description: 'Só as habilitadas (verdadeiro) ou não habilitadas (falso) para enviar no ambiente.',
        }),
        permiteRecebimento: t.arg.boolean({
          required: false,
          description: 'Só as habilitadas (verdadeiro) ou não habilitadas (falso) para receber no ambiente.',
        }),
        ambiente: t.arg({
          type: Ambiente,
          required: false,
          description:
            'Ambiente da configuração que `permiteEnvio` e `permiteRecebimento` leem e que as unidades encontradas mostram; padrão: o da implantação (AMBIENTE_PADRAO).',
        }),
        ativo: t.arg.boolean({ required: false, description: 'Só as ativas (verdadeiro) ou só as inativas (falso); sem ele, ambas.' }),
      },
      resolve: async (_root, args, ctx) => {
        assertOffsetCursors(args);
        const ambiente = (args.ambiente as CodigoAmbiente | null | undefined) ?? ctx.ambientePadrao;
        const filtro: FiltroEstruturas = {
          ambiente,
          busca: args.busca,
          repositorio: args.repositorio,
          orgaoId: args.orgao ? Number(args.orgao.id) : null,
          permiteEnvio: args.permiteEnvio,
          permiteRecebimento: args.permiteRecebimento,
          ativo: args.ativo,
        };
        let total: number | null = null;
        const conexao = await resolveOffsetConnection({ args, defaultSize: 20, maxSize: 100 }, async ({ limit, offset }) => {
          const pagina = await buscarEstruturas(ctx.db, filtro, { limit, offset });
          total = pagina.total;
          // The units' configuration fields read the environment searched (`ambienteDoCampo` reads the row's).
          return args.ambiente ? pagina.linhas.map((l) => ({ ...l, ambiente })) : pagina.linhas;
        });
        // The page's own count when it carried one; else counted only when `totalCount` or `totalCountLimitado` is asked.
        let contagem: Promise<number> | null = null;
        return { ...conexao, contar: () => (contagem ??= total != null ? Promise.resolve(total) : contarEstruturas(ctx.db, filtro)) };
      },
    },
    {
      description: 'Uma página da pesquisa de estruturas.',
      fields: (c) => ({
        totalCount: c.int({
          description: `Total de unidades que atendem à pesquisa, em todas as páginas, contado até ${LIMITE_BUSCA_ESTRUTURAS} (acima disso, ${LIMITE_BUSCA_ESTRUTURAS} e \`totalCountLimitado\` verdadeiro: a pesquisa ordena só as primeiras ${LIMITE_BUSCA_ESTRUTURAS}, as que têm a palavra inteira primeiro, por sigla, além das siglas que começam pelo termo; refine-a).`,
          resolve: async (p) => Math.min(await (p as PaginaDaBusca).contar(), LIMITE_BUSCA_ESTRUTURAS),
        }),
        totalCountLimitado: c.boolean({
          description: `Verdadeiro se mais de ${LIMITE_BUSCA_ESTRUTURAS} unidades atendem à pesquisa (\`totalCount\` é então o limite, não o total).`,
          resolve: async (p) => (await (p as PaginaDaBusca).contar()) > LIMITE_BUSCA_ESTRUTURAS,
        }),
      }),
    },
  ),
  estrutura: t.drizzleField({
    type: UnidadeAdministrativa,
    description:
      'Uma unidade (ou órgão) pelo repositório e número de identificação, ativa ou não. Se o número não existe naquele repositório: erro NOT_FOUND com `codigoPlataforma` 0055, como na plataforma.',
    args: {
      repositorio: t.arg.int({ required: true, description: 'Repositório de estruturas.' }),
      numeroIdentificacao: t.arg.int({ required: true, description: 'Número de identificação da estrutura no repositório.' }),
    },
    resolve: async (query, _root, args, ctx) => {
      const row = await ctx.db.query.estruturas.findFirst(
        query({ where: { repositorioId: args.repositorio, numeroIdentificacao: args.numeroIdentificacao } }),
      );
      if (!row) {
        const erro = new EstruturaForaDoRepositorio(args.repositorio, args.numeroIdentificacao);
        throw new GraphQLError(erro.message, {
          extensions: { code: 'NOT_FOUND', codigo: erro.codigo, codigoPlataforma: erro.codigoPlataforma },
        });
      }
      return row;
    },
  }),
}));

// ---- configuration by the agency's gestores (MTO "Configuração da estrutura") ------------------

builder.objectType(ConfiguracaoNaoPermitida, {
  name: 'ErroConfiguracaoNaoPermitida',
  description: 'Só um gestor de protocolo do órgão configura as suas unidades.',
  interfaces: [ErroInterface],
});
builder.objectType(UnidadeDeOutroOrgao, {
  name: 'ErroUnidadeDeOutroOrgao',
  description: 'Uma das unidades é de outro órgão. Nada foi alterado.',
  interfaces: [ErroInterface],
  fields: (t) => ({ sigla: t.exposeString('sigla', { description: 'Sigla da unidade de outro órgão.' }) }),
});
builder.objectType(UnidadeNaoEncontrada, {
  name: 'ErroUnidadeNaoEncontrada',
  description: 'Uma unidade informada não existe.',
  interfaces: [ErroInterface],
  fields: (t) => ({ campo: t.exposeString('campo', { description: 'Campo da entrada.' }) }),
});
builder.objectType(CentralizacaoInvalida, {
  name: 'ErroCentralizacaoInvalida',
  description: 'A centralização pedida não é possível (ex.: a centralizadora não recebe, ou uma centralizada é centralizadora).',
  interfaces: [ErroInterface],
});

builder.objectType(AmbienteNaoConfiguravel, {
  name: 'ErroAmbienteNaoConfiguravel',
  description:
    'O órgão ainda não configura suas unidades neste ambiente (produção: só a partir do acesso à produção, que copia a configuração da homologação). Nada foi alterado.',
  interfaces: [ErroInterface],
  fields: (t) => ({
    ambiente: t.field({ type: Ambiente, description: 'O ambiente pedido.', resolve: (e) => e.ambiente as CodigoAmbiente }),
    etapa: t.string({ nullable: true, description: 'A etapa do onboarding do órgão.', resolve: (e) => e.etapa }),
  }),
});

builder.objectType(HierarquiaImportada, {
  name: 'ErroHierarquiaImportada',
  description: 'As unidades de órgãos do SIORG são importadas do SIORG, não cadastradas pelo gestor. Nada foi alterado.',
  interfaces: [ErroInterface],
});

const ERROS_CONFIGURACAO = [ConfiguracaoNaoPermitida, UnidadeDeOutroOrgao, UnidadeNaoEncontrada, CentralizacaoInvalida, DadosInvalidos];
/** The errors of a change to one environment's configuration. */
const ERROS_CONFIGURACAO_NO_AMBIENTE = [...ERROS_CONFIGURACAO, AmbienteNaoConfiguravel];

/** The `ambiente` of a configuration change's input. */
const campoAmbiente = {
  type: Ambiente,
  required: false,
  description:
    'O ambiente configurado (homologação e produção têm cada um a sua configuração); padrão: o da implantação (AMBIENTE_PADRAO).',
} as const;

const ConfiguracaoEstruturaAlterada = builder.objectRef<ResultadoConfiguracao>('ConfiguracaoEstruturaAlterada').implement({
  description: 'A configuração foi gravada: as unidades como ficaram e cada mudança registrada (quem, quando).',
  fields: (t) => ({
    unidades: t.field({
      type: [UnidadeAdministrativa],
      description: 'As unidades envolvidas, como ficaram (os seus campos de configuração leem, por padrão, o ambiente configurado).',
      resolve: (r) => r.unidades,
    }),
    eventos: t.field({
      type: [EventoConfiguracaoEstrutura],
      description: 'As mudanças registradas (nenhuma se nada mudou).',
      resolve: (r) => r.eventos,
    }),
  }),
});

const unidadeId = (id: { id: string | number }) => Number(id.id);

builder.mutationFields((t) => ({
  cadastrarUnidade: t.withAuth(AUTHENTICATED).field({
    type: ConfiguracaoEstruturaAlterada,
    description:
      'O gestor de protocolo de um órgão fora do SIORG cadastra uma unidade na hierarquia do seu órgão (no SIORG as unidades são importadas). A unidade nasce não habilitada: defina o seu modo com `definirModoTramitacao`.',
    errors: {
      types: [...ERROS_CONFIGURACAO, HierarquiaImportada],
      directResult: true,
      union: { description: 'Resultado de `cadastrarUnidade`.' },
    },
    args: {
      input: t.arg({
        required: true,
        description: 'A nova unidade.',
        type: builder.inputType('CadastrarUnidadeInput', {
          description: 'Entrada de `cadastrarUnidade`.',
          fields: (f) => ({
            pai: f.globalID({
              for: [UnidadeAdministrativa],
              description: 'A unidade (do seu órgão) sob a qual ela fica; sem ele, diretamente sob o órgão.',
            }),
            sigla: f.string({ required: true, description: 'Sigla da unidade (única no órgão; até 30 caracteres).' }),
            nome: f.string({ required: true, description: 'Nome da unidade (até 200 caracteres).' }),
          }),
        }),
      }),
    },
    resolve: (_root, { input }, ctx) =>
      cadastrarUnidade(ctx.db, {
        viewer: ctx.viewer,
        agora: ctx.clock(),
        paiId: input.pai ? unidadeId(input.pai) : null,
        sigla: input.sigla,
        nome: input.nome,
      }),
  }),
  definirModoTramitacao: t.withAuth(AUTHENTICATED).field({
    type: ConfiguracaoEstruturaAlterada,
    description:
      'O gestor de protocolo define como uma unidade do seu órgão tramita: "Enviar e Receber", "Somente enviar", "Somente receber" ou não habilitada.',
    errors: { types: ERROS_CONFIGURACAO_NO_AMBIENTE, directResult: true, union: { description: 'Resultado de `definirModoTramitacao`.' } },
    args: {
      input: t.arg({
        required: true,
        description: 'A unidade e o modo.',
        type: builder.inputType('DefinirModoTramitacaoInput', {
          description: 'Entrada de `definirModoTramitacao`.',
          fields: (f) => ({
            unidade: f.globalID({ required: true, for: [UnidadeAdministrativa], description: 'A unidade do seu órgão.' }),
            modo: f.field({ type: ModoTramitacao, required: true, description: 'O modo de tramitação.' }),
            ambiente: f.field(campoAmbiente),
          }),
        }),
      }),
    },
    resolve: (_root, { input }, ctx) =>
      definirModoTramitacao(ctx.db, ctx.configuracaoEstrutura, {
        viewer: ctx.viewer,
        agora: ctx.clock(),
        ambiente: (input.ambiente as CodigoAmbiente | null | undefined) ?? ctx.ambientePadrao,
        unidadeId: unidadeId(input.unidade),
        modo: input.modo as CodigoModo,
      }),
  }),
  definirUnidadeCentralizadora: t.withAuth(AUTHENTICATED).field({
    type: ConfiguracaoEstruturaAlterada,
    description:
      'O gestor de protocolo marca uma unidade do seu órgão como centralizadora (ela deve receber) ou desmarca (as unidades por quem ela recebia voltam a receber por si).',
    errors: {
      types: ERROS_CONFIGURACAO_NO_AMBIENTE,
      directResult: true,
      union: { description: 'Resultado de `definirUnidadeCentralizadora`.' },
    },
    args: {
      input: t.arg({
        required: true,
        description: 'A unidade e a marcação.',
        type: builder.inputType('DefinirUnidadeCentralizadoraInput', {
          description: 'Entrada de `definirUnidadeCentralizadora`.',
          fields: (f) => ({
            unidade: f.globalID({ required: true, for: [UnidadeAdministrativa], description: 'A unidade do seu órgão.' }),
            centralizadora: f.boolean({ required: true, description: 'Verdadeiro para marcar, falso para desmarcar.' }),
            ambiente: f.field(campoAmbiente),
          }),
        }),
      }),
    },
    resolve: (_root, { input }, ctx) =>
      definirCentralizadora(ctx.db, ctx.configuracaoEstrutura, {
        viewer: ctx.viewer,
        agora: ctx.clock(),
        ambiente: (input.ambiente as CodigoAmbiente | null | undefined) ?? ctx.ambientePadrao,
        unidadeId: unidadeId(input.unidade),
        centralizadora: input.centralizadora,
      }),
  }),
  definirUnidadesCentralizadas: t.withAuth(AUTHENTICATED).field({
    type: ConfiguracaoEstruturaAlterada,
    description:
      'O gestor de protocolo define a lista completa de unidades do seu órgão por quem uma centralizadora recebe: um trâmite enviado a uma delas é recebido pela centralizadora (`unidadeReceptora`).',
    errors: {
      types: ERROS_CONFIGURACAO_NO_AMBIENTE,
      directResult: true,
      union: { description: 'Resultado de `definirUnidadesCentralizadas`.' },
    },
    args: {
      input: t.arg({
        required: true,
        description: 'A centralizadora e suas unidades.',
        type: builder.inputType('DefinirUnidadesCentralizadasInput', {
          description: 'Entrada de `definirUnidadesCentralizadas`.',
          fields: (f) => ({
            centralizadora: f.globalID({ required: true, for: [UnidadeAdministrativa], description: 'A unidade centralizadora.' }),
            unidades: f.globalIDList({
              required: true,
              for: [UnidadeAdministrativa],
              description: 'Todas as unidades por quem ela recebe (lista vazia: nenhuma).',
              validate: z.array(z.unknown()).max(500, 'no máximo 500 unidades'),
            }),
            ambiente: f.field(campoAmbiente),
          }),
        }),
      }),
    },
    resolve: (_root, { input }, ctx) =>
      definirUnidadesCentralizadas(ctx.db, ctx.configuracaoEstrutura, {
        viewer: ctx.viewer,
        agora: ctx.clock(),
        ambiente: (input.ambiente as CodigoAmbiente | null | undefined) ?? ctx.ambientePadrao,
        centralizadoraId: unidadeId(input.centralizadora),
        unidadeIds: input.unidades.map(unidadeId),
      }),
  }),
}));

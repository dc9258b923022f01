/**
 * An agency's onboarding (a Relay node, keyed by its agency): its stage, checklist and history,
 * the root fields that read it, and every mutation that moves it.
 */
import { z } from 'zod';
import type { Database } from '../../db/client.js';
import { DadosInvalidos } from '../../kernel/erros.js';
import { isPenAdmin } from '../../kernel/viewer.js';
import { Orgao } from '../../orgaos/graphql/orgao.js';
import { Sistema } from '../../sistemas/graphql/sistema.js';
import { AUTHENTICATED, builder, pageCost, plannedRows, registerReadRule } from '../../schema/builder.js';
import { assertCursors } from '../../schema/cursors.js';
import { orgaoEmFoco } from '../../schema/context.js';
import { badUserInput, forbidden } from '../../schema/errors.js';
import { ErroInterface } from '../../schema/resultados.js';
import { CriteriosNaoAtendidos, EtapaInvalida, OnboardingNaoEncontrado, PapelNaoPermitido, TestesJaIniciados } from '../erros.js';
import type { AvisoEmail } from '../avisos.js';
import { podeVerOnboarding } from '../feed.js';
import { and, inArray, type SQL, sql } from 'drizzle-orm';
import type { Ambiente as CodigoAmbiente } from '../../kernel/ambiente.js';
import { onboardings, requisitosOrgao } from '../tables.js';
import {
  AMBIENTE_DA_ETAPA,
  ETAPA_DOS_REQUISITOS,
  ETAPAS,
  ETAPAS_AGUARDANDO_PEN,
  REQUISITO_SATISFEITO,
  type Etapa as CodigoEtapa,
  PASSOS_ONBOARDING,
  passosOnboardingAPartirDe,
  podeAgir,
  type PassoOnboarding,
} from '../regras.js';
import {
  bloqueios,
  checklist,
  executarAcaoRequisito,
  executarPassoOnboarding,
  type AcaoRequisito,
  type OnboardingRow,
  type PassoSemConteudo,
  type ResultadoOnboarding,
  type ServicoOnboarding,
  type SolicitacaoRow,
} from '../servico.js';
import { Ambiente } from '../../schema/ambiente.js';
import { MOTIVOS_RECUSA_ACESSO, type MotivoRecusaAcesso } from '../solicitacao.js';
import { AcaoOnboarding, EtapaOnboarding, NOME_ACAO } from './etapa.js';
import { EventoOnboardingRef } from './evento-onboarding.js';
import { ItemChecklistRef } from './requisito.js';

declare module '../../schema/context.js' {
  interface GatewayContext {
    /** The onboarding commands that need deployment settings, built once at composition. */
    onboarding: ServicoOnboarding;
  }
}

const MotivoRecusaAcessoEnum = builder.enumType('MotivoRecusaAcesso', {
  description: 'Fundamentos de recusa de uma solicitação de acesso ("Guia Operacional para Recusa de Acesso").',
  values: Object.fromEntries(
    Object.entries(MOTIVOS_RECUSA_ACESSO).map(([codigo, descricao]) => [codigo, { description: descricao }]),
  ) as Record<MotivoRecusaAcesso, { description: string }>,
});

const SituacaoSolicitacaoEnum = builder.enumType('SituacaoSolicitacaoAcesso', {
  description: 'Estado de uma solicitação de acesso.',
  values: {
    EM_ANALISE: { description: 'Aguarda a análise do PEN.' },
    APROVADA: { description: 'Aprovada pelo PEN.' },
    REJEITADA: { description: 'Rejeitada pelo PEN, com fundamentos e texto.' },
  } as const,
});

const sistemaDe = (ctx: { db: Database }, s: SolicitacaoRow) =>
  s.sistemaId === null ? Promise.resolve(undefined) : ctx.db.query.sistemas.findFirst({ where: { id: s.sistemaId } });

const SolicitacaoAcessoRef = builder.objectRef<SolicitacaoRow>('SolicitacaoAcesso').implement({
  description: 'Uma solicitação de acesso com o seu conteúdo (MTO "Solicitação de Acesso") e a análise do PEN.',
  fields: (t) => ({
    situacao: t.field({ type: SituacaoSolicitacaoEnum, description: 'Estado.', resolve: (s) => s.situacao }),
    uf: t.exposeString('uf', { nullable: true, description: 'UF (órgão fora do SIORG).' }),
    cnpj: t.exposeString('cnpj', { nullable: true, description: 'CNPJ, só dígitos (órgão fora do SIORG).' }),
    endereco: t.exposeString('endereco', { nullable: true, description: 'Endereço (órgão fora do SIORG).' }),
    cep: t.exposeString('cep', { nullable: true, description: 'CEP, só dígitos (órgão fora do SIORG).' }),
    sistema: t.field({
      type: Sistema,
      nullable: true,
      description:
        'O SPE ("Sistema de Governo") escolhido entre os cadastrados, ou o novo que a aprovação criou e vinculou (nulo: novo, ainda não aprovado).',
      resolve: (s, _a, ctx) =>
        s.sistemaId === null ? null : ctx.db.query.sistemas.findFirst({ where: { id: s.sistemaId } }).then((x) => x ?? null),
    }),
    sistemaGoverno: t.string({
      description: 'O nome do SPE ("Sistema de Governo") informado.',
      resolve: async (s, _a, ctx) => s.sistemaNovo?.nome ?? (await sistemaDe(ctx, s))?.nome ?? '',
    }),
    gestorTecnologico: t.string({
      description: 'O Gestor Tecnológico do SPE ("Interno" ou a empresa).',
      resolve: async (s, _a, ctx) => s.sistemaNovo?.gestorTecnologico ?? (await sistemaDe(ctx, s))?.gestorTecnologico ?? '',
    }),
    gestorNome: t.exposeString('gestorNome', { description: 'Nome do primeiro gestor de protocolo.' }),
    gestorCpf: t.exposeString('gestorCpf', { description: 'CPF do primeiro gestor, só dígitos.' }),
    gestorEmail: t.exposeString('gestorEmail', { description: 'E-mail do primeiro gestor.' }),
    documentoNome: t.exposeString('documentoNome', { description: 'Nome do documento comprobatório (PDF).' }),
    solicitadoPor: t.exposeString('solicitadoPor', { description: 'Quem solicitou.' }),
    solicitadoEm: t.field({ type: 'DateTime', description: 'Quando.', resolve: (s) => s.solicitadoEm }),
    motivosRecusa: t.field({
      type: [MotivoRecusaAcessoEnum],
      nullable: true,
      description: 'Fundamentos da recusa (se rejeitada).',
      resolve: (s) => (s.motivosRecusa as MotivoRecusaAcesso[] | null) ?? null,
    }),
    analisadoPor: t.exposeString('analisadoPor', { nullable: true, description: 'Quem do PEN analisou.' }),
    analisadoEm: t.field({ type: 'DateTime', nullable: true, description: 'Quando foi analisada.', resolve: (s) => s.analisadoEm }),
  }),
});

const AvisoEmailRef = builder.objectRef<AvisoEmail>('AvisoEmail').implement({
  description:
    'Um aviso por e-mail (a caixa de saída): o aviso institucional à equipe do PEN. Sem SMTP configurado fica pendente aqui, visível ao PEN.',
  fields: (t) => ({
    tipo: t.exposeString('tipo', { description: 'TESTES_INICIADOS: início dos testes em produção.' }),
    para: t.exposeString('para', { description: 'Destinatário.' }),
    assunto: t.exposeString('assunto', { description: 'Assunto.' }),
    corpo: t.exposeString('corpo', { description: 'Texto do aviso.' }),
    messageId: t.exposeString('messageId', { description: 'Message-ID fixo (o mesmo em cada tentativa: não chega duas vezes).' }),
    criadoEm: t.field({ type: 'DateTime', description: 'Quando o aviso foi gerado.', resolve: (a) => a.criadoEm }),
    tentativas: t.exposeInt('tentativas', { description: 'Tentativas de entrega feitas.' }),
    proximaTentativaEm: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Próxima tentativa (nula depois de enviado).',
      resolve: (a) => (a.enviadoEm ? null : a.proximaTentativaEm),
    }),
    ultimoErro: t.exposeString('ultimoErro', { nullable: true, description: 'Erro da última tentativa que falhou.' }),
    enviadoEm: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Quando o servidor SMTP aceitou o aviso; nulo enquanto pendente.',
      resolve: (a) => a.enviadoEm,
    }),
  }),
});

export const OnboardingRef = builder.drizzleNode('onboardings', {
  name: 'Onboarding',
  id: { column: (o) => o.orgaoId },
  description: 'Onde um órgão está no caminho até a produção, o que falta e o histórico.',
  fields: (t) => ({
    orgao: t.relation('orgao', { type: Orgao, description: 'O órgão.' }),
    etapa: t.field({ type: EtapaOnboarding, description: 'Etapa atual.', resolve: (o) => o.etapa }),
    ambiente: t.field({ type: Ambiente, description: 'Ambiente da etapa atual.', resolve: (o) => AMBIENTE_DA_ETAPA[o.etapa] }),
    versao: t.exposeInt('versao', { description: 'Cresce a cada mudança.' }),
    iniciadoEm: t.field({
      type: 'DateTime',
      description: 'Quando o acesso foi solicitado pela primeira vez.',
      resolve: (o) => o.iniciadoEm,
    }),
    atualizadoEm: t.field({ type: 'DateTime', description: 'Última mudança.', resolve: (o) => o.atualizadoEm }),
    implantadoEm: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Data de implantação (validação em produção); nula enquanto "em implantação".',
      resolve: (o) => o.implantadoEm,
    }),
    testesIniciadosEm: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Quando o órgão registrou o início dos testes em produção (o acompanhamento do PEN começa).',
      resolve: (o) => o.testesIniciadosEm,
    }),
    solicitacoes: t.field({
      type: [SolicitacaoAcessoRef],
      description: 'As solicitações de acesso do órgão com o seu conteúdo e a análise do PEN, em ordem.',
      resolve: (o, _a, ctx) => ctx.db.query.solicitacoesAcesso.findMany({ where: { orgaoId: o.orgaoId }, orderBy: { id: 'asc' } }),
    }),
    avisosEmail: t.field({
      type: [AvisoEmailRef],
      description: 'Os avisos por e-mail gerados para este órgão (enviados ou pendentes na caixa de saída), em ordem.',
      resolve: (o, _a, ctx) => ctx.db.query.avisosEmail.findMany({ where: { orgaoId: o.orgaoId }, orderBy: { id: 'asc' } }),
    }),
    checklist: t.field({
      type: [ItemChecklistRef],
      description: 'Os requisitos mínimos num ambiente (padrão: o da etapa atual).',
      args: { ambiente: t.arg({ type: Ambiente, required: false, description: 'Ambiente do checklist.' }) },
      resolve: (o, args, ctx) => checklist(ctx.db, o.orgaoId, args.ambiente ?? AMBIENTE_DA_ETAPA[o.etapa]),
    }),
    bloqueios: t.stringList({
      description: 'O que impede o próximo avanço agora (vazio quando nada impede).',
      resolve: (o, _a, ctx) => bloqueios(ctx.db, o),
    }),
    acoesPermitidas: t.field({
      type: [AcaoOnboarding],
      description: 'Os passos que você pode dar agora (os critérios de cada um são conferidos ao agir).',
      // An object field, reached only through a root field behind the authenticated scope: the viewer is there.
      resolve: (o, _a, ctx) =>
        passosOnboardingAPartirDe(o.etapa)
          .filter((p) => podeAgir(ctx.viewer!, p.responsavel, o.orgaoId))
          .map((p) => p.acao),
    }),
    historico: t.relation('eventos', {
      type: EventoOnboardingRef,
      description: 'Todos os eventos do onboarding do órgão, em ordem.',
      query: { orderBy: { seq: 'asc' } },
    }),
  }),
});

// An agency's people see their own agency's onboarding; PEN_ADMIN every one.
registerReadRule<OnboardingRow>(
  'Onboarding',
  (viewer, o) => podeVerOnboarding(viewer, o.orgaoId),
  (db, orgaoId) => db.query.onboardings.findFirst({ where: { orgaoId: Number(orgaoId) } }),
);

const ContagemEtapaRef = builder.objectRef<{ etapa: CodigoEtapa; quantidade: number }>('ContagemEtapaOnboarding').implement({
  description: 'Quantos órgãos estão numa etapa do onboarding.',
  fields: (t) => ({
    etapa: t.field({ type: EtapaOnboarding, description: 'A etapa.', resolve: (c) => c.etapa }),
    quantidade: t.exposeInt('quantidade', { description: 'Órgãos nela.' }),
  }),
});

/** The onboarding (as `onboardings` in the query) is in its environment's requirements stage and lacks `codigo`. */
const semRequisito = (codigo: string) => (o: typeof onboardings) =>
  sql`not exists (select 1 from ${requisitosOrgao} r where r.orgao_id = ${o.orgaoId} and r.codigo = ${codigo}
        and r.ambiente = (case when ${o.etapa} = ${ETAPA_DOS_REQUISITOS.PRODUCAO} then 'PRODUCAO' else 'HOMOLOGACAO' end)::ambiente
        and r.situacao in (${sql.join(
          REQUISITO_SATISFEITO.map((s) => sql`${s}`),
          sql`, `,
        )}))`;

interface FiltroFila {
  etapas?: readonly CodigoEtapa[] | null;
  ambiente?: CodigoAmbiente | null;
  aguardandoPen?: boolean | null;
  bloqueadoNoRequisito?: string | null;
}

/** The queue's filters as one SQL condition over `o` (the page's query and its totalCount share it). */
function filtroFila(o: typeof onboardings, args: FiltroFila): SQL {
  const etapas = ETAPAS.filter(
    (e) =>
      (!args.etapas?.length || args.etapas.includes(e)) &&
      (!args.ambiente || AMBIENTE_DA_ETAPA[e] === args.ambiente) &&
      (args.aguardandoPen == null || ETAPAS_AGUARDANDO_PEN.includes(e) === args.aguardandoPen) &&
      (args.bloqueadoNoRequisito == null || (Object.values(ETAPA_DOS_REQUISITOS) as CodigoEtapa[]).includes(e)),
  );
  const porEtapa = inArray(o.etapa, etapas);
  return args.bloqueadoNoRequisito == null ? porEtapa : and(porEtapa, semRequisito(args.bloqueadoNoRequisito)(o))!;
}

const SO_PEN = 'Só a equipe do PEN (PEN_ADMIN) vê todos os onboardings.';

builder.queryFields((t) => ({
  onboarding: t.withAuth(AUTHENTICATED).drizzleField({
    type: OnboardingRef,
    nullable: true,
    description: 'O onboarding de um órgão (o seu, por padrão). Nulo se o órgão ainda não solicitou acesso.',
    args: { orgao: t.arg.globalID({ for: [Orgao], required: false, description: 'Órgão (PEN_ADMIN: qualquer um).' }) },
    resolve: async (query, _root, args, ctx) => {
      const orgaoId = orgaoEmFoco(ctx.viewer, args.orgao);
      if (orgaoId == null) throw badUserInput('orgao', 'informe o órgão (seu token não representa um).');
      return (await ctx.db.query.onboardings.findFirst(query({ where: { orgaoId } }))) ?? null;
    },
  }),
  onboardings: t.withAuth(AUTHENTICATED).drizzleConnection({
    type: OnboardingRef,
    complexity: pageCost,
    description:
      'A fila da equipe do PEN (PEN_ADMIN): os órgãos em onboarding, filtrados e paginados, os que esperam há mais tempo primeiro (desde a última mudança de cada um).',
    args: {
      etapas: t.arg({ type: [EtapaOnboarding], required: false, description: 'Só estas etapas.' }),
      ambiente: t.arg({ type: Ambiente, required: false, description: 'Só etapas deste ambiente.' }),
      aguardandoPen: t.arg.boolean({
        required: false,
        description: 'Verdadeiro: só os que esperam a equipe do PEN (análise do cadastro e validações); falso: só os que não esperam.',
      }),
      bloqueadoNoRequisito: t.arg.string({
        required: false,
        description: 'Só os que fazem os requisitos do seu ambiente e ainda não cumpriram este (letra, ex.: "c").',
      }),
    },
    totalCount: (_parent, args, ctx) => {
      if (!isPenAdmin(ctx.viewer)) throw forbidden(SO_PEN);
      return ctx.db.$count(onboardings, filtroFila(onboardings, args));
    },
    resolve: (query, _root, args, ctx) => {
      if (!isPenAdmin(ctx.viewer)) throw forbidden(SO_PEN);
      assertCursors(args, ['date', 'int'], 'MAIS_TEMPO_ESPERANDO');
      // Longest waiting first: the time since the last change of each onboarding.
      return plannedRows(
        ctx.db.query.onboardings.findMany(
          query({ where: { RAW: (o) => filtroFila(o, args) }, orderBy: { atualizadoEm: 'asc', orgaoId: 'asc' } }),
        ),
      );
    },
  }),
  onboardingsPorEtapa: t.withAuth(AUTHENTICATED).field({
    type: [ContagemEtapaRef],
    description: 'Para a equipe do PEN: quantos órgãos há em cada etapa (todas as etapas, mesmo vazias), numa só consulta.',
    resolve: async (_root, _args, ctx) => {
      if (!isPenAdmin(ctx.viewer)) throw forbidden('Só a equipe do PEN (PEN_ADMIN) vê a fila de onboardings.');
      const linhas = await ctx.db
        .select({ etapa: onboardings.etapa, quantidade: sql<number>`count(*)::int` })
        .from(onboardings)
        .groupBy(onboardings.etapa);
      const por = new Map(linhas.map((l) => [l.etapa, Number(l.quantidade)]));
      return ETAPAS.map((etapa) => ({ etapa, quantidade: por.get(etapa) ?? 0 }));
    },
  }),
}));

// ---- mutations ------------------------------------------------------------------------------

builder.objectType(OnboardingNaoEncontrado, {
  name: 'ErroOnboardingNaoEncontrado',
  description: 'O órgão não tem onboarding (ou não existe).',
  interfaces: [ErroInterface],
});
builder.objectType(EtapaInvalida, {
  name: 'ErroEtapaInvalida',
  description: 'A ação não é possível na etapa atual.',
  interfaces: [ErroInterface],
  fields: (t) => ({
    etapaAtual: t.field({
      type: EtapaOnboarding,
      nullable: true,
      description: 'Etapa atual (nula: sem solicitação).',
      resolve: (e) => e.etapaAtual,
    }),
    acoesPossiveis: t.field({ type: [AcaoOnboarding], description: 'O que você pode fazer agora.', resolve: (e) => e.acoesPossiveis }),
  }),
});
builder.objectType(PapelNaoPermitido, {
  name: 'ErroPapelNaoPermitido',
  description: 'A ação é de outro papel (gestor do órgão ou equipe do PEN).',
  interfaces: [ErroInterface],
});
builder.objectType(TestesJaIniciados, {
  name: 'ErroTestesJaIniciados',
  description: 'O início dos testes em produção já foi registrado.',
  interfaces: [ErroInterface],
  fields: (t) => ({
    iniciadosEm: t.field({ type: 'DateTime', description: 'Quando foi registrado.', resolve: (e) => e.iniciadosEm }),
  }),
});
builder.objectType(CriteriosNaoAtendidos, {
  name: 'ErroCriteriosNaoAtendidos',
  description: 'Os critérios de saída da etapa ainda não foram cumpridos.',
  interfaces: [ErroInterface],
  fields: (t) => ({
    pendencias: t.stringList({ description: 'Cada critério que falta.', resolve: (e) => e.pendencias }),
  }),
});

const ERROS_ONBOARDING = [OnboardingNaoEncontrado, EtapaInvalida, PapelNaoPermitido, CriteriosNaoAtendidos, DadosInvalidos];

export const OnboardingAtualizado = builder.objectRef<ResultadoOnboarding>('OnboardingAtualizado').implement({
  description: 'A ação foi feita: o onboarding como ficou e o evento registrado.',
  fields: (t) => ({
    onboarding: t.field({ type: OnboardingRef, description: 'O onboarding depois da ação.', resolve: (r) => r.onboarding }),
    evento: t.field({ type: EventoOnboardingRef, description: 'O evento registrado.', resolve: (r) => r.evento }),
  }),
});

const AcaoOnboardingInput = builder.inputType('AcaoOnboardingInput', {
  description: 'Entrada dos passos do onboarding.',
  fields: (t) => ({
    orgao: t.globalID({ required: true, for: [Orgao], description: 'O órgão.' }),
    motivo: t.string({ description: 'Motivo (obrigatório para rejeitar e reprovar; até 1.000 caracteres).' }),
    motivosRecusa: t.field({
      type: [MotivoRecusaAcessoEnum],
      description: 'Só em `rejeitarCadastro`: os fundamentos do "Guia Operacional para Recusa de Acesso" (o texto livre vai em `motivo`).',
    }),
    versaoEsperada: t.int({ description: 'Se informada, só age se o onboarding ainda estiver nesta versão.' }),
  }),
});

const semConteudo = (p: PassoOnboarding): p is PassoOnboarding & { acao: PassoSemConteudo } => p.acao !== 'SOLICITAR_ACESSO';
for (const passo of PASSOS_ONBOARDING.filter(semConteudo)) {
  const { mutacao, descricao } = NOME_ACAO[passo.acao];
  builder.mutationField(mutacao, (t) =>
    t.withAuth(AUTHENTICATED).field({
      type: OnboardingAtualizado,
      description: `${descricao} Quem age: ${passo.responsavel === 'PEN' ? 'PEN_ADMIN' : 'gestor de protocolo do órgão'}.`,
      errors: { types: ERROS_ONBOARDING, directResult: true, union: { description: `Resultado de \`${mutacao}\`.` } },
      args: { input: t.arg({ type: AcaoOnboardingInput, required: true, description: 'Dados da ação.' }) },
      resolve: (_root, { input }, ctx) =>
        executarPassoOnboarding(ctx.db, {
          acao: passo.acao,
          orgaoId: Number(input.orgao.id),
          viewer: ctx.viewer,
          agora: ctx.clock(),
          motivo: input.motivo,
          motivosRecusa: input.motivosRecusa,
          versaoEsperada: input.versaoEsperada,
        }),
    }),
  );
}

const RequisitoInput = builder.inputType('RequisitoInput', {
  description: 'Um requisito de configuração do checklist de um órgão num ambiente.',
  fields: (t) => ({
    orgao: t.globalID({ required: true, for: [Orgao], description: 'O órgão.' }),
    ambiente: t.field({ type: Ambiente, required: true, description: 'Ambiente do checklist.' }),
    codigo: t.string({
      required: true,
      description: 'Letra do requisito (ex.: "e").',
      validate: z.string().regex(/^[a-z]$/, 'uma letra minúscula'),
    }),
    nota: t.string({ description: 'Evidência (ao registrar) ou motivo (ao recusar); até 1.000 caracteres.' }),
  }),
});

const MUTACOES_REQUISITO: Array<{ nome: string; acao: AcaoRequisito; descricao: string }> = [
  {
    nome: 'registrarRequisito',
    acao: 'REGISTRAR_REQUISITO',
    descricao: 'O gestor do órgão registra um requisito de configuração, com evidência.',
  },
  { nome: 'confirmarRequisito', acao: 'CONFIRMAR_REQUISITO', descricao: 'PEN_ADMIN confirma um requisito registrado.' },
  {
    nome: 'recusarRequisito',
    acao: 'RECUSAR_REQUISITO',
    descricao: 'PEN_ADMIN devolve um requisito registrado ou confirmado, com motivo: volta a pendente.',
  },
];

for (const { nome, acao, descricao } of MUTACOES_REQUISITO) {
  builder.mutationField(nome, (t) =>
    t.withAuth(AUTHENTICATED).field({
      type: OnboardingAtualizado,
      description: `${descricao} Só na etapa em que o ambiente faz seus requisitos.`,
      errors: { types: ERROS_ONBOARDING, directResult: true, union: { description: `Resultado de \`${nome}\`.` } },
      args: { input: t.arg({ type: RequisitoInput, required: true, description: 'O requisito.' }) },
      resolve: (_root, { input }, ctx) =>
        executarAcaoRequisito(ctx.db, {
          acao,
          orgaoId: Number(input.orgao.id),
          ambiente: input.ambiente as CodigoAmbiente,
          codigo: input.codigo,
          nota: input.nota,
          viewer: ctx.viewer,
          agora: ctx.clock(),
        }),
    }),
  );
}

builder.mutationField('registrarTestesIniciados', (t) =>
  t.withAuth(AUTHENTICATED).field({
    type: OnboardingAtualizado,
    description:
      'O gestor do órgão registra que os testes em produção começaram (etapa ACESSO_PRODUCAO, uma vez): o acompanhamento do PEN começa e o aviso institucional por e-mail à equipe do PEN entra na caixa de saída, na mesma transação.',
    errors: {
      types: [...ERROS_ONBOARDING, TestesJaIniciados],
      directResult: true,
      union: { description: 'Resultado de `registrarTestesIniciados`.' },
    },
    args: {
      input: t.arg({
        type: builder.inputType('TestesIniciadosInput', {
          description: 'O órgão que iniciou os testes em produção.',
          fields: (f) => ({ orgao: f.globalID({ required: true, for: [Orgao], description: 'O órgão.' }) }),
        }),
        required: true,
        description: 'O órgão.',
      }),
    },
    resolve: (_root, { input }, ctx) =>
      ctx.onboarding.registrarInicioTestesProducao({ orgaoId: Number(input.orgao.id), viewer: ctx.viewer, agora: ctx.clock() }),
  }),
);

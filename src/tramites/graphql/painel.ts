import { Orgao } from '../../orgaos/graphql/orgao.js';
import { Sistema } from '../../sistemas/graphql/sistema.js';
import { Ambiente, DESCRICAO_ARG_AMBIENTE } from '../../schema/ambiente.js';
import { AUTHENTICATED, builder } from '../../schema/builder.js';
import { badUserInput } from '../../schema/errors.js';
import { orgaoEmFoco } from '../../schema/context.js';
import { SituacaoTramite } from './tramite.js';
import { contarPainel, type ContagemPorSituacao, type Contagens, type PainelData } from '../consultas.js';

const ContagemSituacaoRef = builder.objectRef<ContagemPorSituacao & { total: number }>('ContagemSituacao').implement({
  description: 'Quantos trâmites estão numa situação.',
  fields: (t) => ({
    situacao: t.field({ type: SituacaoTramite, description: 'A situação.', resolve: (c) => c.situacao }),
    quantidade: t.exposeInt('quantidade', { description: 'Quantidade de trâmites nesta situação.' }),
    percentual: t.float({
      description: 'Percentual do total (0 a 100, duas casas decimais); 0 quando não há trâmites.',
      resolve: (c) => (c.total === 0 ? 0 : Math.round((c.quantidade * 10_000) / c.total) / 100),
    }),
  }),
});

const ContagensRef = builder.objectRef<Contagens>('ContagensPainel').implement({
  description: 'Contagens por situação (sempre as dez, com zero onde não há).',
  fields: (t) => ({
    total: t.exposeInt('total', { description: 'Total de trâmites.' }),
    porSituacao: t.field({
      type: [ContagemSituacaoRef],
      description: 'Uma linha por situação, na ordem dos códigos (1 a 10).',
      resolve: (c) => c.porSituacao.map((s) => ({ ...s, total: c.total })),
    }),
  }),
});

const PainelRef = builder.objectRef<PainelData>('Painel').implement({
  description: 'Painel de Controle: trâmites por situação de um órgão, como origem e como destino, num período.',
  fields: (t) => ({
    orgao: t.field({
      type: Orgao,
      nullable: true,
      description: 'O órgão do painel; nulo no painel da plataforma inteira.',
      resolve: (p, _args, ctx) =>
        p.orgaoId == null ? null : ctx.db.query.estruturas.findFirst({ where: { id: p.orgaoId } }).then((r) => r ?? null),
    }),
    sistema: t.field({
      type: Sistema,
      nullable: true,
      description: 'O SPE cujos lados o painel conta, se informado.',
      resolve: (p, _args, ctx) =>
        p.sistemaId == null ? null : ctx.db.query.sistemas.findFirst({ where: { id: p.sistemaId } }).then((r) => r ?? null),
    }),
    desde: t.expose('desde', { type: 'DateTime', nullable: true, description: 'Início do período (criação do trâmite), se informado.' }),
    ate: t.expose('ate', { type: 'DateTime', nullable: true, description: 'Fim do período, se informado.' }),
    comoOrigem: t.expose('comoOrigem', { type: ContagensRef, description: 'Trâmites em que o órgão é remetente.' }),
    comoDestino: t.expose('comoDestino', {
      type: ContagensRef,
      description:
        'Trâmites em que o órgão é destinatário, sem os recusados (após a recusa só o remetente vê o trâmite). Cada número é o `totalCount` de `tramites` com o mesmo órgão, período, papel e situação.',
    }),
  }),
});

builder.queryField('painel', (t) =>
  t.withAuth(AUTHENTICATED).field({
    type: PainelRef,
    description:
      'Painel de Controle. Um gestor vê o do seu órgão (o padrão); PEN_ADMIN vê o de qualquer órgão ou, sem `orgao`, o da plataforma inteira.',
    args: {
      orgao: t.arg.globalID({ for: [Orgao], required: false, description: 'Órgão do painel.' }),
      desde: t.arg({ type: 'DateTime', required: false, description: 'Só trâmites iniciados a partir deste instante.' }),
      ate: t.arg({ type: 'DateTime', required: false, description: 'Só trâmites iniciados até este instante.' }),
      sistema: t.arg.globalID({
        for: [Sistema],
        required: false,
        description:
          'Só os lados operados por este SPE (os dos órgãos que ele atende), como `filtro.sistema` de `tramites`: cada número segue igual ao `totalCount` da lista com o mesmo filtro.',
      }),
      ambiente: t.arg({ type: Ambiente, required: false, description: DESCRICAO_ARG_AMBIENTE }),
    },
    resolve: (_root, args, ctx) => {
      const { viewer } = ctx;
      if (args.desde && args.ate && args.desde > args.ate) throw badUserInput('ate', 'deve ser posterior a `desde`.');
      return contarPainel(
        ctx.db,
        viewer,
        {
          ambiente: args.ambiente ?? ctx.ambientePadrao,
          orgaoId: orgaoEmFoco(viewer, args.orgao),
          sistemaId: args.sistema ? Number(args.sistema.id) : null,
          desde: args.desde ?? null,
          ate: args.ate ?? null,
        },
        ctx.clock(),
      );
    },
  }),
);

/**
 * A process as the platform knows it: its NRE, its trâmites, who holds it and whether it is blocked.
 * Identity and custody come from its trâmites through one pure rule (regras.ts `estadoDoProcesso`),
 * the same one the start of a trâmite applies.
 */
import { Ambiente, DESCRICAO_ARG_AMBIENTE } from '../../schema/ambiente.js';
import { z } from 'zod';
import { Orgao, UnidadeAdministrativa } from '../../orgaos/graphql/orgao.js';
import { AUTHENTICATED, builder, registerReadRule } from '../../schema/builder.js';
import { badUserInput } from '../../schema/errors.js';
import type { Viewer } from '../../kernel/viewer.js';
import { canReadTramite } from '../acesso.js';
import { lerProcesso, type ProcessoLido } from '../consultas.js';
import { estadoDoProcesso, type Detentor } from '../regras.js';
import { TipoTramitavel, Tramite } from './tramite.js';

const DetentorRef = builder.objectRef<Detentor>('DetentorProcesso').implement({
  description:
    'Quem detém o processo: o órgão e a unidade que o receberam por último com sucesso (no primeiro trâmite, os que o enviaram).',
  fields: (t) => ({
    orgao: t.drizzleField({
      type: Orgao,
      description: 'Órgão detentor.',
      resolve: async (query, d, _args, ctx) => (await ctx.db.query.estruturas.findFirst(query({ where: { id: d.orgaoId } })))!,
    }),
    unidade: t.drizzleField({
      type: UnidadeAdministrativa,
      description: 'Unidade detentora.',
      resolve: async (query, d, _args, ctx) => (await ctx.db.query.estruturas.findFirst(query({ where: { id: d.unidadeId } })))!,
    }),
  }),
});

/** Who reads a process: whoever reads one of its trâmites (the same rule as the trâmites'). */
function podeLerProcesso(viewer: Viewer, processo: ProcessoLido): boolean {
  return processo.historico.some((t) => canReadTramite(viewer, t));
}

export const Processo = builder.objectRef<ProcessoLido>('Processo').implement({
  description:
    'Um processo (ou documento avulso) como a plataforma o conhece: o NRE que ela emitiu, seus trâmites, quem o detém e se está bloqueado por um trâmite em andamento.',
  fields: (t) => ({
    tipo: t.field({ type: TipoTramitavel, description: 'Processo ou documento avulso.', resolve: (p) => p.tipo }),
    numeroProcesso: t.string({ description: 'Número do processo (NUP) ou protocolo do documento.', resolve: (p) => p.numeroProcesso }),
    nre: t.string({
      nullable: true,
      description:
        'NRE do processo: o do seu primeiro trâmite concluído com sucesso, que todos os trâmites seguintes usam; nulo enquanto nenhum foi concluído (o próximo recebe um NRE novo).',
      resolve: (p) => (p.tipo === 'DOCUMENTO_AVULSO' ? p.historico[0]!.nre : estadoDoProcesso(p.historico).nre),
    }),
    detentor: t.field({
      type: DetentorRef,
      description: 'Quem pode iniciar o próximo trâmite do processo.',
      resolve: (p) => estadoDoProcesso(p.historico).detentor!,
    }),
    bloqueado: t.boolean({
      description: 'Verdadeiro enquanto um trâmite do processo está em andamento: ele fica bloqueado no remetente (0044 para outro envio).',
      resolve: (p) => estadoDoProcesso(p.historico).nreEmAndamento != null,
    }),
    tramites: t.field({
      type: [Tramite],
      description: 'Os trâmites do processo que você pode ver, na ordem em que foram iniciados.',
      // Reached only through the authenticated root field below.
      resolve: (p, _args, ctx) => p.historico.filter((row) => canReadTramite(ctx.viewer!, row)),
    }),
  }),
});

registerReadRule('Processo', podeLerProcesso);

builder.queryField('processo', (t) =>
  t.withAuth(AUTHENTICATED).field({
    type: Processo,
    nullable: true,
    description: 'Um processo pelo NRE ou pelo número (exatamente um). Nulo se nunca tramitou ou se você não vê nenhum de seus trâmites.',
    args: {
      nre: t.arg.string({ description: 'NRE (16 dígitos).', validate: z.string().regex(/^\d{16}$/, 'o NRE tem 16 dígitos') }),
      numeroProcesso: t.arg.string({ description: 'Número do processo (NUP).', validate: z.string().trim().min(1).max(50) }),
      ambiente: t.arg({ type: Ambiente, required: false, description: DESCRICAO_ARG_AMBIENTE }),
    },
    resolve: (_root, args, ctx) => {
      if ((args.nre == null) === (args.numeroProcesso == null))
        throw badUserInput('nre', 'informe `nre` ou `numeroProcesso` (exatamente um).');
      return lerProcesso(
        ctx.db,
        args.ambiente ?? ctx.ambientePadrao,
        args.nre != null ? { nre: args.nre } : { numeroProcesso: args.numeroProcesso! },
      );
    },
  }),
);

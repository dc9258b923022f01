/** A minimum requirement of an agency's checklist in one environment, and the evidence trâmite. */
import { Tramite } from '../../tramites/graphql/tramite.js';
import { builder } from '../../schema/builder.js';
import type { GatewayContext } from '../../schema/context.js';
import type { ItemChecklist } from '../servico.js';
import { Ambiente } from '../../schema/ambiente.js';

export const TipoRequisito = builder.enumType('TipoRequisito', {
  description: 'Como um requisito mínimo é cumprido.',
  values: {
    TRAMITE_ENVIADO_COM_SUCESSO: { description: 'Teste de trâmite: processo enviado com sucesso (verificado automaticamente).' },
    TRAMITE_RECEBIDO_COM_SUCESSO: { description: 'Teste de trâmite: processo recebido com sucesso (verificado automaticamente).' },
    RECUSA_COMO_DESTINATARIO: { description: 'Teste de trâmite: recusa de recebimento como destinatário (verificado automaticamente).' },
    CONFIGURACAO: { description: 'Item de configuração: registrado pelo órgão com evidência e confirmado pelo PEN.' },
  } as const,
});

export const SituacaoRequisito = builder.enumType('SituacaoRequisito', {
  description: 'Estado de um requisito mínimo num ambiente.',
  values: {
    PENDENTE: { description: 'Ainda não cumprido.' },
    REGISTRADO: { description: 'Registrado pelo órgão com evidência; aguarda confirmação do PEN.' },
    CONFIRMADO: { description: 'Confirmado pela equipe do PEN.' },
    ATENDIDO_AUTOMATICAMENTE: { description: 'Cumprido por um trâmite real deste sistema (a evidência).' },
  } as const,
});

/** The evidence trâmite (Tramite's read rule makes it null for a viewer who may not read it). */
export async function evidencia(ctx: GatewayContext, tramiteId: number | null | undefined) {
  if (tramiteId == null) return null;
  return (await ctx.db.query.tramites.findFirst({ where: { id: tramiteId } })) ?? null;
}

export const ItemChecklistRef = builder.objectRef<ItemChecklist>('ItemChecklist').implement({
  description: 'Um requisito mínimo do órgão num ambiente.',
  fields: (t) => ({
    codigo: t.exposeString('codigo', { description: 'Letra do requisito (a a i).' }),
    descricao: t.exposeString('descricao', { description: 'O que o requisito pede.' }),
    tipo: t.field({ type: TipoRequisito, description: 'Como é cumprido.', resolve: (i) => i.tipo }),
    exigido: t.exposeBoolean('exigido', { description: 'Exigido para a validação.' }),
    ambiente: t.field({ type: Ambiente, description: 'Ambiente.', resolve: (i) => i.ambiente }),
    situacao: t.field({ type: SituacaoRequisito, description: 'Estado.', resolve: (i) => i.situacao }),
    evidencia: t.field({
      type: Tramite,
      nullable: true,
      description: 'O trâmite que cumpriu o requisito (se você puder vê-lo).',
      resolve: (i, _a, ctx) => evidencia(ctx, i.registro?.evidenciaTramiteId),
    }),
    nota: t.string({ nullable: true, description: 'Evidência descrita pelo órgão.', resolve: (i) => i.registro?.nota ?? null }),
    registradoPor: t.string({ nullable: true, description: 'Quem registrou.', resolve: (i) => i.registro?.registradoPor ?? null }),
    registradoEm: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Quando registrou.',
      resolve: (i) => i.registro?.registradoEm ?? null,
    }),
    confirmadoPor: t.string({ nullable: true, description: 'Quem do PEN confirmou.', resolve: (i) => i.registro?.confirmadoPor ?? null }),
    confirmadoEm: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Quando foi confirmado.',
      resolve: (i) => i.registro?.confirmadoEm ?? null,
    }),
  }),
});

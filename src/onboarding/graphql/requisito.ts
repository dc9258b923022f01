/** A minimum requirement of an agency's checklist in one environment, and the evidence trâmite. */
import { and, desc, eq } from 'drizzle-orm';
import { MotivoRecusa, SituacaoTramite, Tramite } from '../../tramites/graphql/tramite.js';
import type { MOTIVOS_RECUSA, Situacao } from '../../tramites/regras.js';
import { tramiteEventos, tramites } from '../../tramites/tables.js';
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

interface Evidencia {
  idt: number;
  situacao: number;
  situacaoAlteradaEm: Date;
  motivo: string | null;
}

/**
 * What the agency may know of the trâmite that met its requirement, even where it may not read the
 * trâmite itself (its own refusal as recipient is hidden from it afterwards): the IDT, the status, when
 * it got there and the refusal motive, never the content. Reached only through its own onboarding.
 */
async function resumoDaEvidencia(ctx: GatewayContext, tramiteId: number | null | undefined): Promise<Evidencia | null> {
  if (tramiteId == null) return null;
  const [linha] = await ctx.db
    .select({
      idt: tramites.idt,
      situacao: tramites.situacao,
      situacaoAlteradaEm: tramites.situacaoAlteradaEm,
      motivo: tramiteEventos.motivo,
    })
    .from(tramites)
    .leftJoin(tramiteEventos, and(eq(tramiteEventos.tramiteId, tramites.id), eq(tramiteEventos.paraSituacao, 8)))
    .where(eq(tramites.id, tramiteId))
    .orderBy(desc(tramiteEventos.seq))
    .limit(1);
  return linha ?? null;
}

const EvidenciaRequisitoRef = builder.objectRef<Evidencia>('EvidenciaRequisito').implement({
  description:
    'O que o próprio órgão vê do trâmite que cumpriu um requisito, mesmo sem poder lê-lo (a sua recusa como destinatário): IDT, situação, data e motivo, nunca o conteúdo.',
  fields: (t) => ({
    idt: t.string({ description: 'IDT do trâmite.', resolve: (e) => String(e.idt) }),
    situacao: t.field({ type: SituacaoTramite, description: 'Situação do trâmite.', resolve: (e) => e.situacao as Situacao }),
    situacaoAlteradaEm: t.field({ type: 'DateTime', description: 'Quando chegou a essa situação.', resolve: (e) => e.situacaoAlteradaEm }),
    motivoRecusa: t.field({
      type: MotivoRecusa,
      nullable: true,
      description: 'Motivo da recusa, quando o trâmite foi recusado.',
      resolve: (e) => (e.motivo as keyof typeof MOTIVOS_RECUSA | null) ?? null,
    }),
  }),
});

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
    evidenciaResumo: t.field({
      type: EvidenciaRequisitoRef,
      nullable: true,
      description:
        'IDT, situação, data e motivo do trâmite que cumpriu o requisito, visíveis ao próprio órgão mesmo quando o trâmite não é.',
      resolve: (i, _a, ctx) => resumoDaEvidencia(ctx, i.registro?.evidenciaTramiteId),
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

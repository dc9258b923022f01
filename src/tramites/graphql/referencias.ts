/**
 * The reference lists documents point at (docs/domain.md §7.3), data seeded by migration:
 * espécies documentais, hipóteses legais and motivos de urgência, each with a root query.
 */
import { builder } from '../../schema/builder.js';

export const EspecieDocumental = builder.drizzleObject('especiesDocumentais', {
  name: 'EspecieDocumental',
  description: 'Espécie documental da plataforma (ex.: Ofício, Despacho), pelo seu código.',
  fields: (t) => ({
    codigo: t.exposeInt('codigo', { description: 'Código da espécie no Tramita.GOV.BR.' }),
    nome: t.exposeString('nome', { description: 'Nome da espécie.' }),
  }),
});

export const HipoteseLegal = builder.drizzleObject('hipotesesLegais', {
  name: 'HipoteseLegal',
  description: 'Hipótese legal que fundamenta a restrição de acesso de um processo ou documento restrito.',
  fields: (t) => ({
    identificacao: t.exposeInt('id', { description: 'Identificação da hipótese na plataforma.' }),
    nome: t.exposeString('nome', { description: 'Nome da hipótese (ex.: Informação Pessoal).' }),
    baseLegal: t.exposeString('baseLegal', { description: 'Base legal (ex.: Art. 31 da Lei nº 12.527/2011).' }),
    ativa: t.exposeBoolean('ativa', { description: 'Só hipóteses ativas podem ser usadas num novo trâmite.' }),
  }),
});

export const MotivoUrgencia = builder.drizzleObject('motivosUrgencia', {
  name: 'MotivoUrgencia',
  description: 'Motivo de urgência de um trâmite urgente.',
  fields: (t) => ({
    codigo: t.exposeInt('codigo', { description: 'Código do motivo (posição na lista da plataforma).' }),
    descricao: t.exposeString('descricao', { description: 'Descrição do motivo.' }),
  }),
});

builder.queryFields((t) => ({
  especiesDocumentais: t.drizzleField({
    type: [EspecieDocumental],
    description: 'As espécies documentais da plataforma, por código.',
    resolve: (query, _root, _args, ctx) => ctx.db.query.especiesDocumentais.findMany(query({ orderBy: { codigo: 'asc' } })),
  }),
  hipotesesLegais: t.drizzleField({
    type: [HipoteseLegal],
    description: 'As hipóteses legais de restrição de acesso.',
    args: { ativas: t.arg.boolean({ description: 'Se verdadeiro, só as ativas; se falso, só as inativas; omitido, todas.' }) },
    resolve: (query, _root, { ativas }, ctx) =>
      ctx.db.query.hipotesesLegais.findMany(query({ where: ativas == null ? undefined : { ativa: ativas }, orderBy: { id: 'asc' } })),
  }),
  motivosUrgencia: t.drizzleField({
    type: [MotivoUrgencia],
    description: 'Os motivos de urgência da plataforma.',
    resolve: (query, _root, _args, ctx) => ctx.db.query.motivosUrgencia.findMany(query({ orderBy: { codigo: 'asc' } })),
  }),
}));

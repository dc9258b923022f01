/** The SPE public-key registry in GraphQL: the gestor's mutation and the registered key it answers. */
import { AUTHENTICATED, builder } from '../../schema/builder.js';
import { ErroInterface } from '../../schema/resultados.js';
import { ambienteAtualDoOrgao, registrarChavePublicaSpe, type ChavePublicaSpeRow } from '../chaves-spe.js';
import { ChavePublicaInvalida, PapelNaoPermitido } from '../erros.js';
import type { Ambiente as CodigoAmbiente } from '../../kernel/ambiente.js';
import { Ambiente } from '../../schema/ambiente.js';
import './onboarding.js';

export const ChavePublicaSpe = builder.objectRef<ChavePublicaSpeRow>('ChavePublicaSpe').implement({
  description: 'A chave pública do SPE de um órgão num ambiente: verifica os recibos de conclusão que o SPE assina.',
  fields: (t) => ({
    ambiente: t.field({ type: Ambiente, description: 'Ambiente da chave.', resolve: (c) => c.ambiente }),
    chaveId: t.exposeString('chaveId', { description: 'Identificador da chave (JWK thumbprint SHA-256, RFC 7638).' }),
    chavePublicaPem: t.exposeString('pem', { description: 'A chave pública (PEM, SPKI).' }),
    bits: t.exposeInt('bits', { description: 'Tamanho do módulo RSA, em bits.' }),
    registradaEm: t.field({ type: 'DateTime', description: 'Quando foi registrada (ou trocada).', resolve: (c) => c.registradaEm }),
    registradaPor: t.exposeString('registradaPor', { description: 'Quem a registrou (`sub` do token).' }),
  }),
});

builder.objectType(ChavePublicaInvalida, {
  name: 'ErroChavePublicaInvalida',
  description: 'A chave não é uma chave pública RSA de ao menos 2048 bits em PEM ou JWK.',
  interfaces: [ErroInterface],
  fields: (t) => ({
    motivo: t.string({ description: 'FORMATO, NAO_RSA, CURTA ou PRIVADA.', resolve: (e) => e.motivo }),
  }),
});

const RegistrarChavePublicaSpeInput = builder.inputType('RegistrarChavePublicaSpeInput', {
  description: 'A chave pública do SPE do seu órgão.',
  fields: (t) => ({
    chavePublica: t.string({
      required: true,
      description: 'Chave pública RSA (≥ 2048 bits): PEM (`-----BEGIN PUBLIC KEY-----`) ou JWK em JSON (`{"kty":"RSA","n":…,"e":…}`).',
    }),
    ambiente: t.field({ type: Ambiente, description: 'Ambiente da chave; padrão: o ambiente atual do órgão.' }),
  }),
});

builder.mutationField('registrarChavePublicaSpe', (t) =>
  t.withAuth(AUTHENTICATED).field({
    type: ChavePublicaSpe,
    description:
      'Registra (ou troca) a chave pública do SPE do seu órgão num ambiente: com ela a plataforma verifica os recibos de conclusão que o SPE assina. Quem faz: um gestor de protocolo do órgão. Recibos já guardados mantêm a chave que os verificou.',
    errors: {
      types: [ChavePublicaInvalida, PapelNaoPermitido],
      directResult: true,
      union: { description: 'Resultado de `registrarChavePublicaSpe`.' },
    },
    args: { input: t.arg({ type: RegistrarChavePublicaSpeInput, required: true, description: 'A chave.' }) },
    resolve: async (_root, { input }, ctx) =>
      registrarChavePublicaSpe(ctx.db, {
        viewer: ctx.viewer,
        chavePublica: input.chavePublica,
        // ambiente: the agency's current one by default, until the SPE entity (issue 10) names it.
        ambiente:
          (input.ambiente as CodigoAmbiente | null) ??
          (ctx.viewer.orgaoId != null ? await ambienteAtualDoOrgao(ctx.db, ctx.viewer.orgaoId) : 'PRODUCAO'),
        agora: ctx.clock(),
      }),
  }),
);

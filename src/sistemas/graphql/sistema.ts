/** The SPE entity in the schema: a system, the agencies it serves, and each agency's SPEs. */
import { Orgao } from '../../orgaos/graphql/orgao.js';
import { registerReadRule } from '../../schema/read-rules.js';
import { AUTHENTICATED, builder } from '../../schema/builder.js';
import type { Database } from '../../db/client.js';

export const Sistema = builder.drizzleNode('sistemas', {
  name: 'Sistema',
  description:
    'Um SPE (Sistema de Processo Administrativo Eletrônico: SEI, SUAP, SAPIENS…) como está vinculado à plataforma, ex.: "MGI – SEI". Faz os passos do protocolo pelos órgãos que atende, com a credencial dele (papel SPE, claim `spe`).',
  id: { column: (s) => s.id },
  fields: (t) => ({
    codigo: t.exposeString('codigo', { description: 'Código do SPE: o valor do claim `spe` do token dele.' }),
    nome: t.exposeString('nome', { description: 'Nome como a plataforma o mostra ("Sigla do Órgão – Sigla do Sistema").' }),
    sistema: t.exposeString('sistema', { description: 'O sistema: SEI, SUAP, SAPIENS, SIPAC, e-DOC…' }),
    versao: t.exposeString('versao', { nullable: true, description: 'Versão do sistema, se informada.' }),
    gestorTecnologico: t.exposeString('gestorTecnologico', {
      description:
        'Quem hospeda o SPE: "Interno" (o próprio órgão) ou a empresa (ex.: Dataprev), que pode hospedar um SPE para vários órgãos.',
    }),
    orgaos: t.relation('orgaos', {
      description: 'Os órgãos que este SPE atende (um SPE que atende vários informa `orgao` em cada mutação).',
      query: { orderBy: { sigla: 'asc' } },
      complexity: { multiplier: 10 },
    }),
  }),
});

// Every signed-in viewer reads the directory of systems, as the agency directory.
registerReadRule(
  'Sistema',
  () => true,
  (db: Database, id: string) => db.query.sistemas.findFirst({ where: { id: Number(id) } }),
);

builder.drizzleObjectField(Orgao, 'sistemas', (t) =>
  t.relation('sistemas', {
    description: 'Os SPEs vinculados a este órgão (um órgão pode ter vários, cada um com suas unidades).',
    query: { orderBy: { nome: 'asc' } },
    complexity: { multiplier: 10 },
  }),
);

builder.queryField('sistemas', (t) =>
  t.withAuth(AUTHENTICATED).drizzleField({
    type: [Sistema],
    description: 'Os SPEs vinculados à plataforma, por nome.',
    complexity: { multiplier: 10 },
    resolve: (query, _root, _args, ctx) => ctx.db.query.sistemas.findMany(query({ orderBy: { nome: 'asc' } })),
  }),
);

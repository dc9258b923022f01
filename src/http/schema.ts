// Every module that declares types, queries or mutations, imported for its effect on the builder.
import './scalars.js';
import '../orgaos/graphql.js';
import '../tramites/graphql.js';
import '../tramites/painel.js';
import '../tramites/grafo.js';
import '../tramites/mutacoes.js';
import '../tramites/assinaturas.js';
import '../onboarding/graphql.js';
import { isObjectType, lexicographicSortSchema } from 'graphql';
import { builder } from './builder.js';

const built = builder.toSchema();

// plugin-drizzle adds these connection fields without a description option; describe them here.
const CONNECTION_FIELD_DESCRIPTIONS: Record<string, string> = {
  totalCount: 'Total de itens que atendem aos filtros, em todas as páginas.',
  nodes: 'Os itens da página (atalho para `edges { node }`).',
};
for (const type of Object.values(built.getTypeMap())) {
  if (!isObjectType(type) || !type.name.endsWith('Connection')) continue;
  for (const [name, description] of Object.entries(CONNECTION_FIELD_DESCRIPTIONS)) {
    const field = type.getFields()[name];
    if (field && !field.description) field.description = description;
  }
}

export const schema = lexicographicSortSchema(built);

// Every module that declares types, queries or mutations, imported for its effect on the builder.
import '../schema/scalars.js';
import '../orgaos/graphql/orgao.js';
import '../orgaos/graphql/estrutura.js';
import '../sistemas/graphql/sistema.js';
import '../tramites/graphql/tramite.js';
import '../tramites/graphql/painel.js';
import '../tramites/graphql/grafo.js';
import '../tramites/graphql/referencias.js';
import '../tramites/graphql/documento.js';
import '../tramites/graphql/recibo.js';
import '../tramites/graphql/processo.js';
import '../tramites/graphql/mutacoes.js';
import '../tramites/graphql/envio-componentes.js';
import '../tramites/graphql/evento-tramite.js';
import '../tramites/graphql/pendencia.js';
import '../tramites/graphql/unidade-receptora.js';
import '../onboarding/graphql/onboarding.js';
import '../onboarding/graphql/evento-onboarding.js';
import '../onboarding/graphql/chave-spe.js';
import '../onboarding/graphql/contraparte.js';
import '../onboarding/graphql/configuracao.js';
import { fileURLToPath } from 'node:url';
import { isObjectType, lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from '../schema/builder.js';

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

/** Where the published SDL lives; `npm run schema:print` writes it. */
export const SCHEMA_FILE = fileURLToPath(new URL('../../schema/schema.graphql', import.meta.url));

export function printPublishedSchema(): string {
  return `${printSchema(schema)}\n`;
}

import type { GraphiQLOptions } from 'graphql-yoga';

// What a person sees on first opening GraphiQL: a query and a live subscription, in pt-BR, in one
// tab (GraphiQL's headers belong to a tab: one pasted token serves both).
const CONSULTA = `# Tramita.GOV.BR — gateway GraphQL
# 1. Cole um token na aba "Headers", embaixo: { "Authorization": "Bearer eyJhbGciOi..." }
#    (\`npm start\` imprime um por conta de demonstração; mais com \`npm run -s token -- --demo 1\`).
# 2. Ponha o cursor numa operação e tecle Ctrl-Enter (ou ▶ e escolha). Documentação: ícone de livro.

query Parados {
  painel { comoOrigem { total porSituacao { situacao quantidade percentual } } }
  tramites(first: 10, filtro: { paradoHaMaisDeDias: 3 }, ordem: PARADOS_HA_MAIS_TEMPO) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id idt nre numeroProcesso situacao diasNaSituacao quemDeveAgir acoesPermitidas
      unidadeRemetente { sigla orgao { sigla } }
      unidadeDestinataria { sigla orgao { sigla } }
    }
  }
}
`;

const ASSINATURA = `# Ao vivo: as mudanças de situação dos trâmites do seu órgão (GraphQL sobre SSE, com o mesmo
# cabeçalho). Mova um trâmite em outra aba, ex.: registrarMetadadosRecebidos(input: { tramite: "<id>" }).
# Guarde o último \`cursor\`: eventosTramites(aPartirDe: "<cursor>") retoma sem lacunas nem repetições.

subscription AoVivo {
  eventosTramites {
    cursor situacaoAnterior situacao lado ator ocorridoEm
    tramite { id idt situacao quemDeveAgir }
  }
}
`;

export const GRAPHIQL_OPTIONS: GraphiQLOptions = {
  title: 'Tramita.GOV.BR — gateway GraphQL',
  // GraphQL over SSE sends the Headers tab with every subscription; graphql-ws in GraphiQL would send
  // an empty connection_init (the token would never reach the socket).
  subscriptionsProtocol: 'SSE',
  defaultTabs: [{ query: `${CONSULTA}\n${ASSINATURA}` }],
};

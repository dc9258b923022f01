import type { GraphiQLOptions } from 'graphql-yoga';

// What a person sees on first opening GraphiQL: a query and a live subscription, in pt-BR.
const CONSULTA = `# Tramita.GOV.BR — gateway GraphQL
#
# 1. Cole um token na aba "Headers", embaixo:
#      { "Authorization": "Bearer eyJhbGciOi..." }
#    \`npm start\` imprime um por conta de demonstração; mais com \`npm run -s token -- --demo 1\`.
# 2. Execute com Ctrl-Enter (ou o botão ▶). A documentação do esquema fica no ícone de livro, à esquerda.
# 3. A segunda aba tem uma assinatura ao vivo.

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

const ASSINATURA = `# Mudanças de situação dos trâmites do seu órgão, ao vivo (GraphQL sobre SSE,
# com o mesmo cabeçalho Authorization da aba "Headers"). Execute e, em outra aba,
# mova um trâmite, por exemplo:
#   mutation { registrarComponentesDigitaisEnviados(input: { tramite: "<id>" }) { __typename } }
# Guarde o último \`cursor\`: \`eventosTramites(aPartirDe: "<cursor>")\` retoma sem lacunas.

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
  defaultTabs: [{ query: CONSULTA }, { query: ASSINATURA }],
};

/** The read workloads' GraphQL documents, the gateway's and PostGraphile's (bench/reads.ts, bench/sql-leituras.ts). */
const UNIDADE = 'sigla nome orgao { sigla nome }';
export const GW_PAGE = (total: boolean) => `query W($after: String) { tramites(first: 50, after: $after) {
  ${total ? 'totalCount' : ''} pageInfo { hasNextPage endCursor }
  nodes { id idt nre numeroProcesso situacao criadoEm unidadeRemetente { ${UNIDADE} } unidadeDestinataria { ${UNIDADE} } } } }`;
const PG_UNIDADE = 'sigla nome estruturaByOrgaoId { sigla nome }';
export const PG_PAGE = (
  total: boolean,
) => `query W($after: Cursor) { allTramites(first: 50, after: $after, orderBy: [PRIMARY_KEY_DESC], condition: { ambiente: PRODUCAO }) {
  ${total ? 'totalCount' : ''} pageInfo { hasNextPage endCursor }
  nodes { id rowId idt nre numeroProcesso situacao criadoEm
    estruturaByRemetenteUnidadeId { ${PG_UNIDADE} } estruturaByDestinatarioUnidadeId { ${PG_UNIDADE} } } } }`;
export const GW_TRAMITE = `query W($idt: String!) { tramite(idt: $idt) { idt nre situacao unidadeRemetente { sigla } unidadeDestinataria { sigla }
  historico { situacao lado ator ocorridoEm } } }`;
export const PG_TRAMITE = `query W($idt: BigInt!) { tramiteByIdt(idt: $idt) { idt nre situacao
  estruturaByRemetenteUnidadeId { sigla } estruturaByDestinatarioUnidadeId { sigla }
  tramiteEventosByTramiteId(orderBy: [SEQ_ASC]) { nodes { paraSituacao atorLado atorSujeito ocorridoEm } } } }`;
export const GW_PAINEL = `query W($orgao: ID!) { painel(orgao: $orgao) { comoOrigem { total porSituacao { situacao quantidade } }
  comoDestino { total porSituacao { situacao quantidade } } } }`;
// PostGraphile's Amber preset has no aggregates: the same numbers as one totalCount per side and status (the
// destination side without the refused 8 and 9, as the gateway's rule).
export const PG_PAINEL = `query W($orgao: Int!) { ${Array.from({ length: 10 }, (_, i) => i + 1)
  .map(
    (s) =>
      `o${s}: allTramites(condition: { ambiente: PRODUCAO, remetenteOrgaoId: $orgao, situacao: ${s} }) { totalCount }` +
      (s === 8 || s === 9
        ? ''
        : ` d${s}: allTramites(condition: { ambiente: PRODUCAO, destinatarioOrgaoId: $orgao, situacao: ${s} }) { totalCount }`),
  )
  .join('\n')} }`;

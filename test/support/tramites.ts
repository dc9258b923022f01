// Finding a trâmite to move in the demo data, for tests that need one live event.
import { MUTACAO_POR_ACAO } from '../../src/tramites/graphql/tramite.js';
import type { Acao } from '../../src/tramites/regras.js';
import type { TestGateway } from './gateway.js';

/** Steps that take no reason or extra field (`AcaoTramiteInput`; the receipt's input has only optional extras). */
const SIMPLE_STEPS: Acao[] = [
  'ENVIAR_COMPONENTES_DIGITAIS',
  'RECEBER_METADADOS',
  'RECEBER_COMPONENTES_DIGITAIS',
  'ENVIAR_RECIBO_CONCLUSAO',
  'RECEBER_RECIBO_CONCLUSAO',
];

export interface MovableTramite {
  id: string;
  idt: string;
  /** The mutation field of a step this token may take now. */
  mutation: string;
}

/** Trâmites the token's holder can move now with a simple step, each with that step's mutation. */
export async function movableTramites(gw: TestGateway, token: string): Promise<MovableTramite[]> {
  const data = await gw.ok('{ tramites(first: 100) { nodes { id idt acoesPermitidas } } }', {}, token);
  const found: MovableTramite[] = [];
  for (const node of data.tramites.nodes as { id: string; idt: string; acoesPermitidas: Acao[] }[]) {
    const acao = node.acoesPermitidas.find((a) => SIMPLE_STEPS.includes(a));
    if (acao) found.push({ id: node.id, idt: node.idt, mutation: MUTACAO_POR_ACAO[acao]! });
  }
  if (found.length === 0) throw new Error('no trâmite this token can move in the demo data');
  return found;
}

/** The input type of a step's mutation that takes no reason (the receipt's has only optional extras). */
export const inputDoPasso = (mutacao: string) =>
  mutacao === MUTACAO_POR_ACAO.ENVIAR_RECIBO_CONCLUSAO ? 'EnviarReciboConclusaoInput' : 'AcaoTramiteInput';

/** The mutation document moving `tramite.mutation`'s step, with its `$input`. */
export const stepMutation = (tramite: MovableTramite) =>
  `mutation Mover($input: ${inputDoPasso(tramite.mutation)}!) { r: ${tramite.mutation}(input: $input) { __typename ... on TransicaoRealizada { tramite { id situacao } } } }`;

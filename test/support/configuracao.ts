// A unit's configuration (mode, centralising role, the unit it receives for) as tests and benches read and write it
// in SQL: one place, so where that configuration is stored is known here only and the tests name what they mean.
//
//   rows(`select id from estruturas u where u.orgao_id = $1 and ${habilitada('u', 'envio')}`, [orgaoId])
//   await configurarUnidade(rows, unidadeId, { envio: true, recebimento: false })

/** What sending and receiving are called in the predicates. */
export type Habilitacao = 'envio' | 'recebimento';

const COLUNA: Record<Habilitacao, string> = {
  envio: 'habilitada_envio',
  recebimento: 'habilitada_recebimento',
};

/** A boolean SQL expression: the unit `alias` (a table alias, or `estruturas`) is enabled to send / to receive. */
export const habilitada = (alias: string, para: Habilitacao): string => `${alias}.${COLUNA[para]}`;

/** A boolean SQL expression: the unit `alias` is a centralising unit. */
export const centralizadora = (alias: string): string => `${alias}.centralizadora`;

/** An SQL expression: the id of the centralising unit that receives for the unit `alias` (null: it receives itself). */
export const centralizadaPor = (alias: string): string => `${alias}.centralizadora_id`;

export interface ConfiguracaoDeTeste {
  envio?: boolean;
  recebimento?: boolean;
  centralizadora?: boolean;
  centralizadaPor?: number | null;
}

type Rows = <T = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<T[]>;

/**
 * Writes the configuration of the units named (only the fields given), as a test's setup: straight in SQL, outside
 * the gestores' mutations and their log, so a test can reach a state the rules it does not test would refuse.
 */
export async function configurarUnidade(rows: Rows, ids: number | number[], c: ConfiguracaoDeTeste): Promise<void> {
  const campos: Array<[string, unknown]> = [
    ['habilitada_envio', c.envio],
    ['habilitada_recebimento', c.recebimento],
    ['centralizadora', c.centralizadora],
    ['centralizadora_id', c.centralizadaPor],
  ];
  const dados = campos.filter(([, v]) => v !== undefined);
  if (dados.length === 0) return;
  const lista = (Array.isArray(ids) ? ids : [ids]).map((id) => {
    if (!Number.isInteger(id)) throw new Error(`not a unit id: ${id}`);
    return id;
  });
  if (lista.length === 0) return;
  await rows(
    `update estruturas set ${dados.map(([coluna], i) => `${coluna} = $${i + 1}`).join(', ')} where id in (${lista.join(', ')})`,
    dados.map(([, v]) => v),
  );
}

/**
 * Writes the configuration of many units in one statement (bench seeds): the units `onde` selects get the mode the SQL
 * boolean expressions `envio` and `recebimento` compute, all three over the alias `u` of `estruturas`.
 */
export async function configurarUnidadesPorSql(
  rows: Rows,
  c: { onde: string; envio: string; recebimento: string },
  params: unknown[] = [],
): Promise<void> {
  await rows(`update estruturas u set habilitada_envio = ${c.envio}, habilitada_recebimento = ${c.recebimento} where ${c.onde}`, params);
}

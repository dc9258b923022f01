// A unit's configuration (mode, centralising role, the unit it receives for) as tests and benches read and write it
// in SQL: one place, so where that configuration is stored (`configuracoes_unidade`, one row per unit and
// environment) is known here only and the tests name what they mean.
//
//   rows(`select id from estruturas u where u.orgao_id = $1 and ${habilitada('u', 'envio')}`, [orgaoId])
//   await configurarUnidade(rows, unidadeId, { envio: true, recebimento: false })

import { AMBIENTES, type Ambiente } from '../../src/kernel/ambiente.js';

/** What sending and receiving are called in the predicates. */
export type Habilitacao = 'envio' | 'recebimento';

/** The environment the predicates read unless told: the deployment's default in the suite (AMBIENTE_PADRAO). */
export const AMBIENTE_DOS_TESTES: Ambiente = 'PRODUCAO';

const COLUNA: Record<Habilitacao, string> = {
  envio: 'habilitada_envio',
  recebimento: 'habilitada_recebimento',
};

const ambienteSql = (ambiente: Ambiente): string => {
  if (!AMBIENTES.includes(ambiente)) throw new Error(`not an environment: ${ambiente}`);
  return `'${ambiente}'::ambiente`;
};

/** An SQL expression: the column `coluna` of the unit `alias`'s configuration in `ambiente` (null: no row). */
const daConfiguracao = (alias: string, coluna: string, ambiente: Ambiente): string =>
  `(select cfg.${coluna} from configuracoes_unidade cfg where cfg.estrutura_id = ${alias}.id and cfg.ambiente = ${ambienteSql(ambiente)})`;

/** A boolean SQL expression: the unit `alias` (a table alias, or `estruturas`) is enabled to send / to receive. */
export const habilitada = (alias: string, para: Habilitacao, ambiente: Ambiente = AMBIENTE_DOS_TESTES): string =>
  `coalesce(${daConfiguracao(alias, COLUNA[para], ambiente)}, false)`;

/** A boolean SQL expression: the unit `alias` is a centralising unit. */
export const centralizadora = (alias: string, ambiente: Ambiente = AMBIENTE_DOS_TESTES): string =>
  `coalesce(${daConfiguracao(alias, 'centralizadora', ambiente)}, false)`;

/** An SQL expression: the id of the centralising unit that receives for the unit `alias` (null: it receives itself). */
export const centralizadaPor = (alias: string, ambiente: Ambiente = AMBIENTE_DOS_TESTES): string =>
  daConfiguracao(alias, 'centralizadora_id', ambiente);

export interface ConfiguracaoDeTeste {
  envio?: boolean;
  recebimento?: boolean;
  centralizadora?: boolean;
  centralizadaPor?: number | null;
  /** The environments written (default: both, as a unit of an agency operating in both). */
  ambientes?: readonly Ambiente[];
}

type Rows = <T = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<T[]>;

/** A sending unit and a receiving unit of two different agencies, ready for a trâmite between them. */
export interface ParDeUnidades {
  rem: number;
  rem_orgao: number;
  dest: number;
  dest_orgao: number;
}

/** One pair per (sending agency, receiving agency), active non-root units enabled in the tests' environment, in id order. */
export const paresDeUnidades = (rows: Rows): Promise<ParDeUnidades[]> =>
  rows<ParDeUnidades>(
    `select distinct on (r.orgao_id, d.orgao_id) r.id::int as rem, r.orgao_id::int as rem_orgao, d.id::int as dest, d.orgao_id::int as dest_orgao
       from estruturas r join estruturas d on d.orgao_id <> r.orgao_id
      where ${habilitada('r', 'envio')} and ${habilitada('d', 'recebimento')} and r.pai_id is not null and d.pai_id is not null
        and r.ativo and d.ativo
      order by r.orgao_id, d.orgao_id, r.id, d.id`,
  );

/**
 * Writes the configuration of the units named (only the fields given; a unit without a row gets one, the others
 * not enabled), as a test's setup: straight in SQL, outside the gestores' mutations and their log, so a test can reach
 * a state the rules it does not test would refuse.
 */
export async function configurarUnidade(rows: Rows, ids: number | number[], c: ConfiguracaoDeTeste): Promise<void> {
  const campos: Array<[string, unknown, string]> = [
    ['habilitada_envio', c.envio, 'boolean'],
    ['habilitada_recebimento', c.recebimento, 'boolean'],
    ['centralizadora', c.centralizadora, 'boolean'],
    ['centralizadora_id', c.centralizadaPor, 'integer'],
  ];
  const dados = campos.filter(([, v]) => v !== undefined);
  if (dados.length === 0) return;
  const lista = (Array.isArray(ids) ? ids : [ids]).map((id) => {
    if (!Number.isInteger(id)) throw new Error(`not a unit id: ${id}`);
    return id;
  });
  if (lista.length === 0) return;
  const colunas = dados.map(([coluna]) => coluna);
  const valores = dados.map(([, , tipo], i) => `$${i + 1}::${tipo}`);
  await rows(
    `insert into configuracoes_unidade (estrutura_id, ambiente, ${colunas.join(', ')})
     select u.id, a.ambiente, ${valores.join(', ')}
     from estruturas u cross join unnest(array[${(c.ambientes ?? AMBIENTES).map(ambienteSql).join(', ')}]) a(ambiente)
     where u.id in (${lista.join(', ')})
     on conflict (estrutura_id, ambiente) do update set ${colunas.map((col) => `${col} = excluded.${col}`).join(', ')}`,
    dados.map(([, v]) => v),
  );
}

/**
 * Writes the configuration of many units in one statement (bench seeds), in both environments: the units `onde`
 * selects get the mode the SQL boolean expressions `envio` and `recebimento` compute, all three over the alias `u` of
 * `estruturas`.
 */
export async function configurarUnidadesPorSql(
  rows: Rows,
  c: { onde: string; envio: string; recebimento: string },
  params: unknown[] = [],
): Promise<void> {
  await rows(
    `insert into configuracoes_unidade (estrutura_id, ambiente, habilitada_envio, habilitada_recebimento)
     select u.id, a.ambiente, ${c.envio}, ${c.recebimento}
     from estruturas u cross join unnest(enum_range(null::ambiente)) a(ambiente)
     where ${c.onde}
     on conflict (estrutura_id, ambiente) do update
       set habilitada_envio = excluded.habilitada_envio, habilitada_recebimento = excluded.habilitada_recebimento`,
    params,
  );
}

/**
 * Reading a unit's configuration in one environment (tables.ts `configuracoes_unidade`): the rows, with what the
 * centralising unit that receives for each is (active? still centralising and receiving there?), and the SQL
 * predicates the searches and gates filter with. A unit with no row in an environment is not enabled there.
 */
import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { alias } from 'drizzle-orm/pg-core';
import type { Database } from '../db/client.js';
import type { Transaction } from '../db/log.js';
import type { Ambiente } from '../kernel/ambiente.js';
import { type UnidadeParaTramite, unidadeReceptora } from './regras.js';
import { configuracoesUnidade, estruturas } from './tables.js';

/** A unit's configuration in one environment, as the rules read it. */
export interface ConfiguracaoUnidade {
  habilitadaEnvio: boolean;
  habilitadaRecebimento: boolean;
  centralizadora: boolean;
  centralizadoraId: number | null;
}

/** What a unit with no row in an environment is there. */
export const SEM_CONFIGURACAO: ConfiguracaoUnidade = Object.freeze({
  habilitadaEnvio: false,
  habilitadaRecebimento: false,
  centralizadora: false,
  centralizadoraId: null,
});

export function configuracaoDaLinha(c: ConfiguracaoUnidade | null | undefined): ConfiguracaoUnidade {
  return c
    ? {
        habilitadaEnvio: c.habilitadaEnvio,
        habilitadaRecebimento: c.habilitadaRecebimento,
        centralizadora: c.centralizadora,
        centralizadoraId: c.centralizadoraId,
      }
    : SEM_CONFIGURACAO;
}

/** A unit's configuration in one environment, with its centralising unit as the receiving rule needs it. */
export interface ConfiguracaoComCentralizadora extends ConfiguracaoUnidade {
  /** The centralising unit named by `centralizadoraId`, as it is in the same environment; null when none. */
  daCentralizadora: UnidadeParaTramite | null;
}

/** The statement of `configuracoesDasUnidades`, with placeholders for the environment and the ids (one array). */
function consultaDasConfiguracoes(db: Database | Transaction) {
  const central = alias(estruturas, 'central');
  const configCentral = alias(configuracoesUnidade, 'config_central');
  const ambiente = sql.placeholder('ambiente');
  return db
    .select({
      estruturaId: configuracoesUnidade.estruturaId,
      habilitadaEnvio: configuracoesUnidade.habilitadaEnvio,
      habilitadaRecebimento: configuracoesUnidade.habilitadaRecebimento,
      centralizadora: configuracoesUnidade.centralizadora,
      centralizadoraId: configuracoesUnidade.centralizadoraId,
      centralAtivo: central.ativo,
      centralEnvio: configCentral.habilitadaEnvio,
      centralRecebimento: configCentral.habilitadaRecebimento,
      centralCentralizadora: configCentral.centralizadora,
      centralCentralizadoraId: configCentral.centralizadoraId,
    })
    .from(configuracoesUnidade)
    .leftJoin(central, eq(central.id, configuracoesUnidade.centralizadoraId))
    .leftJoin(
      configCentral,
      and(eq(configCentral.estruturaId, configuracoesUnidade.centralizadoraId), eq(configCentral.ambiente, ambiente)),
    )
    .where(
      and(eq(configuracoesUnidade.ambiente, ambiente), sql`${configuracoesUnidade.estruturaId} = any(${sql.placeholder('ids')}::int[])`),
    )
    .prepare('configuracoes_das_unidades');
}

const preparadas = new WeakMap<Database | Transaction, ReturnType<typeof consultaDasConfiguracoes>>();

/**
 * The configuration of the units `ids` in `ambiente`, one statement: each with its centralising unit's activity and
 * configuration in the same environment. Units without a row are absent from the map (read them as SEM_CONFIGURACAO).
 * The statement is built once per database and takes the ids as one array, so its text is the same for any number
 * of units: PostgreSQL parses it once per connection and reuses its generic plan (primary-key lookups), where an
 * `in (…)` list made a statement of its own for each page size, planned again.
 */
export async function configuracoesDasUnidades(
  db: Database | Transaction,
  ambiente: Ambiente,
  ids: readonly number[],
): Promise<Map<number, ConfiguracaoComCentralizadora>> {
  if (ids.length === 0) return new Map();
  let consulta = preparadas.get(db);
  if (!consulta) {
    consulta = consultaDasConfiguracoes(db);
    preparadas.set(db, consulta);
  }
  const linhas = await consulta.execute({ ambiente, ids: [...new Set(ids)] });
  return new Map(
    linhas.map((l) => [
      l.estruturaId,
      {
        ...configuracaoDaLinha(l),
        daCentralizadora:
          l.centralizadoraId == null || l.centralAtivo == null
            ? null
            : {
                id: l.centralizadoraId,
                ativo: l.centralAtivo,
                habilitadaEnvio: l.centralEnvio ?? false,
                habilitadaRecebimento: l.centralRecebimento ?? false,
                centralizadora: l.centralCentralizadora ?? false,
                centralizadoraId: l.centralCentralizadoraId ?? null,
              },
      },
    ]),
  );
}

/** Whether a trâmite may be sent to the unit now in that environment (it or its centralising unit receives). */
export function aptaParaReceber(unidade: { id: number; ativo: boolean }, c: ConfiguracaoComCentralizadora | undefined): boolean {
  const config = c ?? { ...SEM_CONFIGURACAO, daCentralizadora: null };
  return unidadeReceptora({ id: unidade.id, ativo: unidade.ativo, ...configuracaoDaLinha(config) }, config.daCentralizadora) != null;
}

/**
 * A boolean SQL predicate: the unit whose id is `unidadeId` is (`valor` true) or is not (false) enabled to send / to
 * receive in `ambiente`. "Not enabled" includes having no row there.
 */
export function habilitadaNoAmbiente(unidadeId: AnyPgColumn | SQL, ambiente: Ambiente, para: 'envio' | 'recebimento', valor = true): SQL {
  const coluna = para === 'envio' ? configuracoesUnidade.habilitadaEnvio : configuracoesUnidade.habilitadaRecebimento;
  const existe = sql`exists (select 1 from ${configuracoesUnidade} where ${configuracoesUnidade.estruturaId} = ${unidadeId} and ${configuracoesUnidade.ambiente} = ${ambiente} and ${coluna})`;
  return valor ? existe : sql`not ${existe}`;
}

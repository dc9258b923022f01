/**
 * Structure configuration by the agency's gestores de protocolo (MTO "Configuração da estrutura"), per environment
 * (docs/domain.md §6): each unit's operation mode, the centralising units and the units they receive for, in the
 * environment named (homologação and produção keep their own: tables.ts `configuracoes_unidade`). One transaction
 * per command; every unit changed is one row of the structure log (environment, who, when, before and after); nothing
 * is written on a refusal.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/client.js';
import { anexarAoLog, type EventLog, type Transaction } from '../db/log.js';
import type { Ambiente } from '../kernel/ambiente.js';
import { DadosInvalidos, validar } from '../kernel/erros.js';
import { ADVISORY_LOCKS } from '../kernel/locks.js';
import type { Viewer } from '../kernel/viewer.js';
import { configuracaoDaLinha, type ConfiguracaoUnidade, SEM_CONFIGURACAO } from './configuracoes.js';
import {
  CentralizacaoInvalida,
  ConfiguracaoNaoPermitida,
  HierarquiaImportada,
  UnidadeDeOutroOrgao,
  UnidadeNaoEncontrada,
} from './erros.js';
import { habilitacaoDoModo, hierarquiaEditavelPeloOrgao, type ModoTramitacao } from './regras.js';
import { configuracoesUnidade, estruturaEventos, estruturas } from './tables.js';

export type EstruturaRow = typeof estruturas.$inferSelect;
export type EventoEstrutura = typeof estruturaEventos.$inferSelect;

/** A unit with its configuration in one environment (what a configuration change answers). */
export type UnidadeConfigurada = EstruturaRow & ConfiguracaoUnidade & { ambiente: Ambiente };

export const LOG_ESTRUTURAS: EventLog = {
  tabela: estruturaEventos,
  seq: estruturaEventos.seq,
  canal: 'estrutura_eventos',
};

export type TipoAlteracaoEstrutura =
  | 'UNIDADE_CADASTRADA'
  | 'MODO_TRAMITACAO'
  | 'CENTRALIZADORA'
  | 'UNIDADE_CENTRALIZADORA'
  /** Production access copied homologação's configuration of the unit into produção (onboarding/configuracao.ts). */
  | 'CONFIGURACAO_REPLICADA';

export interface ResultadoConfiguracao {
  /** The units involved, as they are now; `ambiente` is the environment configured (null: a unit registered). */
  unidades: Array<EstruturaRow & { ambiente?: Ambiente }>;
  eventos: EventoEstrutura[];
}

/**
 * Whether the agency keeps a configuration in the environment now (its onboarding's stage, wired at composition:
 * onboarding/configuracao.ts); throws `AmbienteNaoConfiguravel` when not.
 */
export type VerificarAmbienteDaConfiguracao = (tx: Transaction, orgaoId: number, ambiente: Ambiente) => Promise<void>;

export interface OpcoesConfiguracaoEstrutura {
  verificarAmbiente: VerificarAmbienteDaConfiguracao;
}

interface Pedido {
  viewer: Viewer;
  agora: Date;
}

interface PedidoNoAmbiente extends Pedido {
  ambiente: Ambiente;
}

/** The agency a gestor configures: its own, and only with the GESTOR_PROTOCOLO role. */
function orgaoDoGestor(viewer: Viewer): number {
  if (viewer.orgaoId == null || !viewer.papeis.has('GESTOR_PROTOCOLO')) throw new ConfiguracaoNaoPermitida();
  return viewer.orgaoId;
}

/** The units named (estruturas locked for the change), each checked to be of the gestor's agency (else nothing is written). */
async function unidadesDoOrgao(tx: Transaction, orgaoId: number, ids: number[], campo: string): Promise<EstruturaRow[]> {
  if (ids.length === 0) return [];
  const linhas = await tx.select().from(estruturas).where(inArray(estruturas.id, ids)).for('update');
  for (const id of ids) {
    const u = linhas.find((l) => l.id === id);
    if (!u) throw new UnidadeNaoEncontrada(campo);
    if ((u.orgaoId ?? u.id) !== orgaoId) throw new UnidadeDeOutroOrgao(u.sigla);
  }
  return ids.map((id) => linhas.find((l) => l.id === id)!);
}

/** The units, each with its configuration in the environment (none yet: SEM_CONFIGURACAO). */
async function comConfiguracao(tx: Transaction, ambiente: Ambiente, unidades: EstruturaRow[]): Promise<UnidadeConfigurada[]> {
  if (unidades.length === 0) return [];
  const linhas = await tx
    .select()
    .from(configuracoesUnidade)
    .where(
      and(
        eq(configuracoesUnidade.ambiente, ambiente),
        inArray(
          configuracoesUnidade.estruturaId,
          unidades.map((u) => u.id),
        ),
      ),
    );
  return unidades.map((u) => ({ ...u, ...configuracaoDaLinha(linhas.find((l) => l.estruturaId === u.id)), ambiente }));
}

/** The units of the environment a centralising unit receives for there, locked, by id. */
async function cobertasPor(tx: Transaction, ambiente: Ambiente, centralizadoraId: number): Promise<UnidadeConfigurada[]> {
  const linhas = await tx
    .select({ e: estruturas, c: configuracoesUnidade })
    .from(configuracoesUnidade)
    .innerJoin(estruturas, eq(estruturas.id, configuracoesUnidade.estruturaId))
    .where(and(eq(configuracoesUnidade.ambiente, ambiente), eq(configuracoesUnidade.centralizadoraId, centralizadoraId)))
    .orderBy(estruturas.id)
    .for('update');
  return linhas.map(({ e, c }) => ({ ...e, ...configuracaoDaLinha(c), ambiente }));
}

/** The gestor's agency, its environment checked, and the named units with their configuration there. */
async function prepararMudanca(
  tx: Transaction,
  opcoes: OpcoesConfiguracaoEstrutura,
  pedido: PedidoNoAmbiente,
  orgaoId: number,
  grupos: Array<{ ids: number[]; campo: string }>,
): Promise<UnidadeConfigurada[][]> {
  const porGrupo: EstruturaRow[][] = [];
  for (const g of grupos) porGrupo.push(await unidadesDoOrgao(tx, orgaoId, g.ids, g.campo));
  await opcoes.verificarAmbiente(tx, orgaoId, pedido.ambiente);
  const resultado: UnidadeConfigurada[][] = [];
  for (const g of porGrupo) resultado.push(await comConfiguracao(tx, pedido.ambiente, g));
  return resultado;
}

/** Applies one change per unit to its configuration in the environment and logs each that changed anything. */
async function aplicar(
  tx: Transaction,
  pedido: PedidoNoAmbiente,
  orgaoId: number,
  tipo: TipoAlteracaoEstrutura,
  mudancas: Array<{ antes: UnidadeConfigurada; valores: Partial<ConfiguracaoUnidade> }>,
): Promise<{ unidades: UnidadeConfigurada[]; eventos: EventoEstrutura[] }> {
  const unidades: UnidadeConfigurada[] = [];
  const registros: Array<typeof estruturaEventos.$inferInsert> = [];
  for (const { antes, valores } of mudancas) {
    const a = configuracaoDaLinha(antes);
    const [gravada] = await tx
      .insert(configuracoesUnidade)
      .values({ estruturaId: antes.id, ambiente: pedido.ambiente, ...a, ...valores })
      .onConflictDoUpdate({ target: [configuracoesUnidade.estruturaId, configuracoesUnidade.ambiente], set: valores })
      .returning();
    const d = configuracaoDaLinha(gravada);
    unidades.push({ ...antes, ...d });
    if (JSON.stringify(a) === JSON.stringify(d)) continue;
    registros.push({
      estruturaId: antes.id,
      orgaoId,
      ambiente: pedido.ambiente,
      tipo,
      alteracao: { antes: { ...a }, depois: { ...d } },
      atorSujeito: pedido.viewer.sujeito,
      ocorridoEm: pedido.agora,
    });
  }
  const eventos = registros.length ? await anexarAoLog(() => tx.insert(estruturaEventos).values(registros).returning()) : [];
  return { unidades, eventos };
}

/** "Enviar e Receber", "Somente enviar", "Somente receber" or not enabled, for one unit of the gestor's agency. */
export function definirModoTramitacao(
  db: Database,
  opcoes: OpcoesConfiguracaoEstrutura,
  pedido: PedidoNoAmbiente & { unidadeId: number; modo: ModoTramitacao },
): Promise<ResultadoConfiguracao> {
  const orgaoId = orgaoDoGestor(pedido.viewer);
  return db.transaction(async (tx) => {
    const [[unidade] = []] = await prepararMudanca(tx, opcoes, pedido, orgaoId, [{ ids: [pedido.unidadeId], campo: 'unidade' }]);
    const habilitacao = habilitacaoDoModo(pedido.modo);
    if (unidade!.centralizadora && !habilitacao.habilitadaRecebimento) {
      throw new CentralizacaoInvalida(`A unidade ${unidade!.sigla} é centralizadora: ela precisa continuar habilitada para receber.`);
    }
    return aplicar(tx, pedido, orgaoId, 'MODO_TRAMITACAO', [{ antes: unidade!, valores: habilitacao }]);
  });
}

/**
 * Marks a unit as centralising in the environment (it must be enabled to receive there), or unmarks it: then the
 * units it received for receive again themselves (each change logged).
 */
export function definirCentralizadora(
  db: Database,
  opcoes: OpcoesConfiguracaoEstrutura,
  pedido: PedidoNoAmbiente & { unidadeId: number; centralizadora: boolean },
): Promise<ResultadoConfiguracao> {
  const orgaoId = orgaoDoGestor(pedido.viewer);
  return db.transaction(async (tx) => {
    const [[unidade] = []] = await prepararMudanca(tx, opcoes, pedido, orgaoId, [{ ids: [pedido.unidadeId], campo: 'unidade' }]);
    if (pedido.centralizadora) {
      if (!unidade!.habilitadaRecebimento || !unidade!.ativo) {
        throw new CentralizacaoInvalida(
          `A unidade ${unidade!.sigla} precisa estar ativa e habilitada para receber para ser centralizadora.`,
        );
      }
      if (unidade!.centralizadoraId != null) {
        throw new CentralizacaoInvalida(`A unidade ${unidade!.sigla} é recebida por outra centralizadora: desfaça isso antes.`);
      }
      return aplicar(tx, pedido, orgaoId, 'CENTRALIZADORA', [{ antes: unidade!, valores: { centralizadora: true } }]);
    }
    const cobertas = await cobertasPor(tx, pedido.ambiente, unidade!.id);
    const soltas = await aplicar(
      tx,
      pedido,
      orgaoId,
      'UNIDADE_CENTRALIZADORA',
      cobertas.map((c) => ({ antes: c, valores: { centralizadoraId: null } })),
    );
    const propria = await aplicar(tx, pedido, orgaoId, 'CENTRALIZADORA', [{ antes: unidade!, valores: { centralizadora: false } }]);
    return { unidades: [...propria.unidades, ...soltas.unidades], eventos: [...soltas.eventos, ...propria.eventos] };
  });
}

/**
 * The units a centralising unit receives for in the environment, as a whole list: those named now point at it, those
 * it covered and are not named receive again themselves. All of the gestor's agency; none may itself be centralising.
 */
export function definirUnidadesCentralizadas(
  db: Database,
  opcoes: OpcoesConfiguracaoEstrutura,
  pedido: PedidoNoAmbiente & { centralizadoraId: number; unidadeIds: number[] },
): Promise<ResultadoConfiguracao> {
  const orgaoId = orgaoDoGestor(pedido.viewer);
  const ids = [...new Set(pedido.unidadeIds)];
  return db.transaction(async (tx) => {
    const [[central] = [], unidades] = await prepararMudanca(tx, opcoes, pedido, orgaoId, [
      { ids: [pedido.centralizadoraId], campo: 'centralizadora' },
      { ids, campo: 'unidades' },
    ]);
    if (!central!.centralizadora) throw new CentralizacaoInvalida(`A unidade ${central!.sigla} não é centralizadora: marque-a antes.`);
    for (const u of unidades ?? []) {
      if (u.id === central!.id || u.centralizadora) {
        throw new CentralizacaoInvalida(`A unidade ${u.sigla} é centralizadora: recebe por si mesma, não por outra.`);
      }
    }
    const anteriores = await cobertasPor(tx, pedido.ambiente, central!.id);
    const mudancas = [
      ...anteriores.filter((a) => !ids.includes(a.id)).map((a) => ({ antes: a, valores: { centralizadoraId: null } })),
      ...(unidades ?? []).map((u) => ({ antes: u, valores: { centralizadoraId: central!.id } })),
    ];
    return aplicar(tx, pedido, orgaoId, 'UNIDADE_CENTRALIZADORA', mudancas);
  });
}

const novaUnidadeSchema = z.object({
  sigla: z.string().trim().min(1, 'obrigatória').max(30, 'no máximo 30 caracteres'),
  nome: z.string().trim().min(1, 'obrigatório').max(200, 'no máximo 200 caracteres'),
});

/**
 * A gestor of a body outside SIORG adds a unit to its tree (under `paiId`, the agency itself when null): numbered after
 * the highest of its repositório (under the lock an access request numbers new agencies with), not enabled until its
 * mode is set, logged like every configuration change. SIORG's trees are imported, never edited here.
 */
export function cadastrarUnidade(
  db: Database,
  pedido: Pedido & { paiId: number | null; sigla: string; nome: string },
): Promise<ResultadoConfiguracao> {
  const orgaoId = orgaoDoGestor(pedido.viewer);
  const { sigla, nome } = validar(novaUnidadeSchema, pedido);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${ADVISORY_LOCKS.novoOrgao})`);
    const [pai] = await unidadesDoOrgao(tx, orgaoId, [pedido.paiId ?? orgaoId], 'pai');
    if (!hierarquiaEditavelPeloOrgao(pai!.repositorioId)) throw new HierarquiaImportada();
    if (!pai!.ativo) throw new DadosInvalidos([{ campo: 'pai', mensagem: `a unidade ${pai!.sigla} está inativa` }]);
    const [mesmaSigla] = await tx
      .select({ id: estruturas.id })
      .from(estruturas)
      .where(and(eq(estruturas.orgaoId, orgaoId), sql`upper(${estruturas.sigla}) = upper(${sigla})`));
    if (mesmaSigla) throw new DadosInvalidos([{ campo: 'sigla', mensagem: `o órgão já tem uma unidade ${sigla}` }]);
    const [{ proximo }] = (await tx
      .select({ proximo: sql<number>`(coalesce(max(${estruturas.numeroIdentificacao}), 0) + 1)::int` })
      .from(estruturas)
      .where(eq(estruturas.repositorioId, pai!.repositorioId))) as [{ proximo: number }];
    const [unidade] = await tx
      .insert(estruturas)
      .values({
        repositorioId: pai!.repositorioId,
        numeroIdentificacao: proximo,
        sigla,
        nome,
        paiId: pai!.id,
        orgaoId,
        criadaEm: pedido.agora,
      })
      .returning();
    const eventos = await anexarAoLog(() =>
      tx
        .insert(estruturaEventos)
        .values({
          estruturaId: unidade!.id,
          orgaoId,
          // The tree is both environments': the registration is of neither; the unit is configured in none yet.
          ambiente: null,
          tipo: 'UNIDADE_CADASTRADA' satisfies TipoAlteracaoEstrutura,
          alteracao: { antes: { ...SEM_CONFIGURACAO }, depois: { ...SEM_CONFIGURACAO } },
          atorSujeito: pedido.viewer.sujeito,
          ocorridoEm: pedido.agora,
        })
        .returning(),
    );
    return { unidades: [unidade!], eventos };
  });
}

/**
 * A unit's configuration history in one environment, newest first (its agency's gestores and PEN read it), with its
 * registration, which belongs to both.
 */
export function historicoDaEstrutura(db: Database, estruturaId: number, ambiente: Ambiente, limite: number): Promise<EventoEstrutura[]> {
  return db
    .select()
    .from(estruturaEventos)
    .where(
      and(
        eq(estruturaEventos.estruturaId, estruturaId),
        sql`(${estruturaEventos.ambiente} = ${ambiente} or ${estruturaEventos.ambiente} is null)`,
      ),
    )
    .orderBy(sql`${estruturaEventos.seq} desc`)
    .limit(limite);
}

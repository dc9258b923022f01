// Live feeds over real WebSockets (graphql-ws client + `ws`), on both backends unless a test says
// otherwise: event order and content, rollbacks never delivered, resuming from a cursor with no gap
// and no duplicate, authorization per event, the WebSocket close codes (4403, 4401, 4430, 1001), the
// per-connection subscription limit, a malformed subscription on a shared connection, two gateway
// instances on one database, and a PostgreSQL restart in the middle of a stream.
//
// Expectations come from the event log itself (`select seq from tramite_eventos ... order by seq`),
// from the mutations' answers and from regras.ts, never from seed numbers.
import type { Client } from 'graphql-ws';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { createDatabase, type DatabaseHandle } from '../src/db/client.js';
import { DEMO_ACCOUNTS, seedDemoData, type DemoAccount } from '../src/demo/seed.js';
import { mintToken } from '../src/identity/tokens.js';
import { ADVISORY_LOCKS } from '../src/kernel/locks.js';
import { createLogger } from '../src/logger.js';
import { startGateway, type Gateway } from '../src/http/gateway.js';
import { registrarEventos } from '../src/tramites/eventos.js';
import { MUTACAO_POR_ACAO } from '../src/tramites/graphql/tramite.js';
import { PASSO_POR_ACAO, SITUACAO_INFO, type Acao, type Situacao } from '../src/tramites/regras.js';
import { BACKENDS, postgresAdminUrl, startPrivatePostgres, type PrivatePostgresServer } from './support/backends.js';
import { startTestGateway, TEST_JWT_SECRET, testGatewayConfig, type TestGateway } from './support/gateway.js';
import { gid, dbId } from './support/ids.js';
import { sleep, waitUntil } from './support/wait.js';
import { wsClient, wsUrl } from './support/ws.js';

// ---------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------

const chave = (s: Situacao) => SITUACAO_INFO[s].chave;
const CAMPOS_EVENTO = 'cursor situacaoAnterior situacao lado ator ocorridoEm tramite { idt situacao }';
const SUB_TRAMITES = `subscription($orgao: ID, $papel: PapelNoTramite, $situacoes: [SituacaoTramite!], $aPartirDe: String) {
  e: eventosTramites(orgao: $orgao, papel: $papel, situacoes: $situacoes, aPartirDe: $aPartirDe) { ${CAMPOS_EVENTO} }
}`;
const SUB_TRAMITE = `subscription($tramite: ID!, $aPartirDe: String) {
  e: eventosTramite(tramite: $tramite, aPartirDe: $aPartirDe) { ${CAMPOS_EVENTO} }
}`;

interface EventoRecebido {
  cursor: string;
  situacaoAnterior: string | null;
  situacao: string;
  lado: string;
  ator: string;
  ocorridoEm: string;
  tramite: { idt: string; situacao: string };
}

interface ErroGql {
  message: string;
  extensions?: Record<string, unknown>;
}

/** One graphql-ws connection: no retries, records its close code. */
class Conexao {
  readonly client: Client;
  fechamento: { code: number; reason: string } | null = null;

  constructor(httpUrl: string, authorization: string | null) {
    this.client = wsClient(httpUrl, authorization, {
      closed: (e) => {
        const evento = e as { code?: number; reason?: unknown };
        this.fechamento ??= { code: evento.code ?? -1, reason: String(evento.reason ?? '') };
      },
    });
  }

  assinar(query: string, variables: Record<string, unknown> = {}): Assinatura {
    return new Assinatura(this, query, variables);
  }

  async encerrar(): Promise<void> {
    await this.client.dispose();
  }
}

/** One subscription: what it received, its errors, whether it completed. */
class Assinatura {
  readonly eventos: EventoRecebido[] = [];
  readonly erros: ErroGql[] = [];
  concluida = false;
  private readonly cancelar: () => void;

  constructor(
    readonly conexao: Conexao,
    query: string,
    variables: Record<string, unknown>,
  ) {
    this.cancelar = conexao.client.subscribe<{ e: EventoRecebido }>(
      { query, variables },
      {
        next: (r) => {
          if (r.errors) this.erros.push(...(r.errors as ErroGql[]));
          if (r.data?.e) this.eventos.push(r.data.e);
        },
        error: (e) => {
          if (Array.isArray(e)) this.erros.push(...(e as ErroGql[]));
          else if (e && typeof e === 'object' && 'code' in e) this.erros.push({ message: `closed ${(e as { code: number }).code}` });
          else this.erros.push({ message: String((e as Error)?.message ?? e) });
          this.concluida = true;
        },
        complete: () => {
          this.concluida = true;
        },
      },
    );
  }

  get cursores(): string[] {
    return this.eventos.map((e) => e.cursor);
  }

  /** Waits until `n` events arrived (fails on an error or after `ms`). */
  async receber(n: number, ms = 10_000): Promise<EventoRecebido[]> {
    await waitUntil(`${n} events (got ${this.eventos.length}, errors ${JSON.stringify(this.erros)})`, () => {
      if (this.erros.length > 0) throw new Error(`subscription failed: ${JSON.stringify(this.erros)}`);
      return this.eventos.length >= n;
    }, ms);
    return this.eventos.slice(0, n);
  }

  parar(): void {
    this.cancelar();
  }
}

/** Opens a connection with one subscription. */
function assinar(httpUrl: string, token: string | null, query: string, variables: Record<string, unknown> = {}): Assinatura {
  return new Conexao(httpUrl, token ? `Bearer ${token}` : null).assinar(query, variables);
}

interface Unidade {
  id: number;
}
interface Agencia {
  id: number;
  conta: DemoAccount;
  token: string;
  envio: Unidade[];
  recebimento: Unidade[];
}
interface Cenario {
  rem: Agencia;
  dest: Agencia;
  /** An agency that is neither side of the scenario's trâmites. */
  outro: Agencia;
  admin: { conta: DemoAccount; token: string };
}

type Rows = <T = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<T[]>;

/** Three agencies with demo GESTOR_PROTOCOLO accounts and units enabled to send / receive, from SQL. */
async function montarCenario(rows: Rows, tokenDe: (conta: DemoAccount) => Promise<string>): Promise<Cenario> {
  const agencias: Agencia[] = [];
  for (const conta of DEMO_ACCOUNTS) {
    if (!conta.orgao || !conta.papeis.includes('GESTOR_PROTOCOLO')) continue;
    const [raiz] = await rows<{ id: number }>(
      'select id::int as id from estruturas where repositorio_id = $1 and numero_identificacao = $2 and pai_id is null',
      [conta.orgao.repositorio, conta.orgao.estrutura],
    );
    if (!raiz || agencias.some((a) => a.id === raiz.id)) continue;
    const unidades = (where: string) =>
      rows<Unidade>(`select id::int as id from estruturas where orgao_id = $1 and pai_id is not null and ${where} order by id`, [raiz.id]);
    agencias.push({
      id: raiz.id,
      conta,
      token: await tokenDe(conta),
      envio: await unidades('habilitada_envio'),
      recebimento: await unidades('habilitada_recebimento'),
    });
  }
  const rem = agencias.find((a) => a.envio.length > 0);
  const dest = agencias.find((a) => a !== rem && a.recebimento.length > 0);
  const outro = agencias.find((a) => a !== rem && a !== dest && a.envio.length > 0 && a.recebimento.length > 0);
  const admin = DEMO_ACCOUNTS.find((a) => a.papeis.includes('PEN_ADMIN'));
  if (!rem || !dest || !outro || !admin) throw new Error('the demo seed needs three agencies with units enabled to send and receive, and a PEN_ADMIN');
  return { rem, dest, outro, admin: { conta: admin, token: await tokenDe(admin) } };
}

const tokenDeConta = (conta: DemoAccount, expiresIn?: string | number) =>
  mintToken(TEST_JWT_SECRET, { sub: conta.sujeito, orgao: conta.orgao, roles: conta.papeis }, { expiresIn });

type AcaoPasso = Exclude<Acao, 'INICIAR' | 'CANCELAR_AUTOMATICAMENTE'>;
const RESULTADO = `__typename
  ... on TransicaoRealizada { repetida tramite { id idt situacao } evento { cursor situacaoAnterior situacao lado ator ocorridoEm } }
  ... on Erro { codigo mensagem }`;

interface Realizada {
  __typename: string;
  repetida?: boolean;
  tramite: { id: string; idt: string; situacao: string };
  evento: Omit<EventoRecebido, 'tramite'>;
}

async function postGql(url: string, query: string, variables: Record<string, unknown>, token: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as { data?: Record<string, any>; errors?: ErroGql[] }) };
}

/** The mutations that drive a trâmite, over HTTP through one gateway. */
function motor(url: () => string, c: () => Cenario, prefixo: string) {
  let processo = 0;
  const tokenDoLado = (lado: string) => (lado === 'REMETENTE' ? c().rem.token : c().dest.token);
  async function ok(query: string, variables: Record<string, unknown>, token: string): Promise<Realizada> {
    const res = await postGql(url(), query, variables, token);
    if (res.errors || res.status !== 200 || res.data?.r?.__typename !== 'TransicaoRealizada') {
      throw new Error(`mutation failed: ${res.status} ${JSON.stringify(res.errors ?? res.data)}`);
    }
    return res.data.r as Realizada;
  }
  return {
    async iniciar(extra: Record<string, unknown> = {}, token = c().rem.token): Promise<Realizada> {
      processo += 1;
      return ok(
        `mutation($input: IniciarTramiteInput!) { r: iniciarTramite(input: $input) { ${RESULTADO} } }`,
        {
          input: {
            tipo: 'PROCESSO',
            numeroProcesso: `${prefixo}-${Date.now()}-${processo}`,
            unidadeRemetente: gid('UnidadeAdministrativa', c().rem.envio[0]!.id),
            unidadeDestinataria: gid('UnidadeAdministrativa', c().dest.recebimento[0]!.id),
            ...extra,
          },
        },
        token,
      );
    },
    async passo(acao: AcaoPasso, tramiteGid: string, extra: Record<string, unknown> = {}): Promise<Realizada> {
      const tipoInput = acao === 'RECUSAR' ? 'RecusarTramiteInput' : acao === 'CANCELAR' ? 'CancelarTramiteInput' : 'AcaoTramiteInput';
      return ok(
        `mutation($input: ${tipoInput}!) { r: ${MUTACAO_POR_ACAO[acao]}(input: $input) { ${RESULTADO} } }`,
        { input: { tramite: tramiteGid, ...extra } },
        tokenDoLado(PASSO_POR_ACAO[acao].lado),
      );
    },
  };
}

/** The success path after INICIAR, in order. */
const CAMINHO_SUCESSO: AcaoPasso[] = [
  'ENVIAR_COMPONENTES_DIGITAIS',
  'RECEBER_METADADOS',
  'RECEBER_COMPONENTES_DIGITAIS',
  'ENVIAR_RECIBO_CONCLUSAO',
  'RECEBER_RECIBO_CONCLUSAO',
];

/** Seqs in the log after `depoisDe` (optionally of one trâmite), in order, as cursors. */
async function seqsNoLog(rows: Rows, depoisDe: number, tramiteId?: number): Promise<string[]> {
  const linhas = await rows<{ seq: string }>(
    `select e.seq::text as seq from tramite_eventos e where e.seq > $1 ${tramiteId != null ? 'and e.tramite_id = $2' : ''} order by e.seq`,
    tramiteId != null ? [depoisDe, tramiteId] : [depoisDe],
  );
  return linhas.map((l) => l.seq);
}

async function maxSeq(rows: Rows): Promise<number> {
  const [linha] = await rows<{ seq: string | null }>('select max(seq)::text as seq from tramite_eventos');
  return Number(linha?.seq ?? 0);
}

const semDuplicatas = (xs: string[]) => new Set(xs).size === xs.length;

// ---------------------------------------------------------------------------------------------------
// Both backends
// ---------------------------------------------------------------------------------------------------

describe.each(BACKENDS)('%s', (backend) => {
  let gw: TestGateway;
  let c: Cenario;
  const abertas: Conexao[] = [];
  let fechando: Promise<void> | null = null;
  const rows: Rows = (text, params) => gw.database.rows(text, params);
  const m = motor(() => gw.gateway.url, () => c, `${backend}-feeds`);
  const bus = () => gw.gateway.feeds.tramites;

  /** A subscription on a new connection that the block closes at the end. */
  function nova(token: string | null, query = SUB_TRAMITES, variables: Record<string, unknown> = {}): Assinatura {
    const a = assinar(gw.gateway.url, token, query, variables);
    abertas.push(a.conexao);
    return a;
  }

  /** Waits until the bus delivered everything committed so far and `n` subscribers listen; returns the last seq. */
  async function marco(n: number): Promise<number> {
    await waitUntil(`${n} subscribers on the bus (now ${bus().assinantes})`, () => bus().assinantes === n);
    const ultimo = await maxSeq(rows);
    await waitUntil('the bus to catch up with the log', () => bus().posicao >= ultimo);
    return ultimo;
  }

  async function fecharTodas(): Promise<void> {
    await Promise.all(abertas.splice(0).map((cx) => cx.encerrar().catch(() => {})));
    await waitUntil('every subscriber to leave the bus', () => bus().assinantes === 0);
  }

  afterEach(async () => {
    if (!fechando) await fecharTodas();
  });

  beforeAll(async () => {
    gw = await startTestGateway(backend);
    c = await montarCenario(rows, (conta) => gw.tokenOf(conta.sujeito));
  });

  afterAll(async () => {
    await Promise.all(abertas.map((cx) => cx.encerrar().catch(() => {})));
    if (!gw) return;
    await (fechando ??= gw.gateway.close()).catch(() => {});
    await gw.close().catch(() => {});
  });

  test('eventosTramites delivers a trâmite\'s events in order, with their content', async () => {
    const sub = nova(c.admin.token);
    const inicio = await marco(1);

    const esperados: Array<{ r: Realizada; de: Situacao | null; para: Situacao; lado: string; ator: string }> = [];
    const r0 = await m.iniciar();
    esperados.push({ r: r0, de: null, para: 1, lado: 'REMETENTE', ator: c.rem.conta.sujeito });
    // One step at a time: each event is read right after its commit, so `tramite` shows its status.
    await sub.receber(1);
    for (const acao of CAMINHO_SUCESSO) {
      const passo = PASSO_POR_ACAO[acao];
      const r = await m.passo(acao, r0.tramite.id);
      esperados.push({ r, de: passo.de.length === 1 ? passo.de[0]! : null, para: passo.para, lado: passo.lado, ator: (passo.lado === 'REMETENTE' ? c.rem : c.dest).conta.sujeito });
      await sub.receber(esperados.length);
    }

    const recebidos = sub.eventos;
    expect(recebidos).toHaveLength(esperados.length);
    for (const [i, e] of esperados.entries()) {
      expect(recebidos[i]).toEqual({
        cursor: e.r.evento.cursor,
        situacaoAnterior: e.de == null ? null : chave(e.de),
        situacao: chave(e.para),
        lado: e.lado,
        ator: e.ator,
        ocorridoEm: e.r.evento.ocorridoEm,
        tramite: { idt: r0.tramite.idt, situacao: chave(e.para) },
      });
    }
    // Exactly the log, in seq order, and nothing else.
    const tramiteId = dbId(r0.tramite.id);
    expect(sub.cursores).toEqual(await seqsNoLog(rows, inicio, tramiteId));
    expect(sub.cursores).toEqual(await seqsNoLog(rows, inicio));
    const ocorridos = await rows<{ o: string }>('select ocorrido_em as o from tramite_eventos where tramite_id = $1 order by seq', [tramiteId]);
    expect(recebidos.map((e) => new Date(e.ocorridoEm).getTime())).toEqual(ocorridos.map((o) => new Date(o.o).getTime()));
    await sleep(300);
    expect(sub.eventos).toHaveLength(esperados.length);
  });

  test('an event whose transaction rolls back is never delivered; the next committed one is', async () => {
    const sub = nova(c.admin.token);
    await marco(1);
    const r0 = await m.iniciar();
    const tramiteId = dbId(r0.tramite.id);
    await sub.receber(1);
    const inicio = await marco(1);

    // Transaction A appends an event (same path as the mutations: lock, insert, pg_notify) and holds;
    // mutation B is sent meanwhile (it waits for A's lock, or for the PGlite connection); A rolls back.
    let soltar!: () => void;
    const segurando = new Promise<void>((resolve) => (soltar = resolve));
    let seqDesfeito = 0;
    let inserido!: () => void;
    const foiInserido = new Promise<void>((resolve) => (inserido = resolve));
    const transacao = gw.database.db
      .transaction(async (tx) => {
        const [evento] = await registrarEventos(tx, [
          { tramiteId, deSituacao: 1, paraSituacao: 2, atorSujeito: 'teste.rollback', atorLado: 'REMETENTE', ocorridoEm: new Date() },
        ]);
        seqDesfeito = evento!.seq;
        inserido();
        await segurando;
        throw new Error('rollback');
      })
      .then(
        () => 'committed',
        (e: Error) => e.message,
      );
    await foiInserido;
    const mutacao = m.passo('ENVIAR_COMPONENTES_DIGITAIS', r0.tramite.id);
    await sleep(200);
    soltar();
    expect(await transacao).toBe('rollback');
    const rb = await mutacao;

    const [ev] = await sub.receber(2);
    await sleep(1_500); // longer than the bus's safety-net poll: a stray event would show up by now
    expect(sub.eventos).toHaveLength(2);
    expect(sub.eventos[1]!.cursor).toBe(rb.evento.cursor);
    expect(ev!.cursor).toBe(r0.evento.cursor);
    expect(sub.cursores).not.toContain(String(seqDesfeito));
    expect(await rows('select 1 from tramite_eventos where seq = $1', [seqDesfeito])).toHaveLength(0);
    // The rolled-back seq is a hole in the log, and the only "gap" in what was delivered.
    expect(Number(rb.evento.cursor)).toBeGreaterThan(seqDesfeito);
    expect(sub.cursores.slice(1)).toEqual(await seqsNoLog(rows, inicio));
  });

  test('resuming with aPartirDe delivers exactly the missed events, then live ones', async () => {
    const primeira = nova(c.admin.token);
    const inicio = await marco(1);
    const r0 = await m.iniciar();
    await m.passo('ENVIAR_COMPONENTES_DIGITAIS', r0.tramite.id);
    await m.passo('RECEBER_METADADOS', r0.tramite.id);
    await primeira.receber(3);
    const ultimoCursor = primeira.eventos.at(-1)!.cursor;
    await fecharTodas();

    // While disconnected: two steps on this trâmite and a new trâmite.
    await m.passo('RECEBER_COMPONENTES_DIGITAIS', r0.tramite.id);
    await m.passo('ENVIAR_RECIBO_CONCLUSAO', r0.tramite.id);
    const outroTramite = await m.iniciar();
    const perdidos = await seqsNoLog(rows, Number(ultimoCursor));
    expect(perdidos).toHaveLength(3);

    const segunda = nova(c.admin.token, SUB_TRAMITES, { aPartirDe: ultimoCursor });
    await segunda.receber(3);
    expect(segunda.cursores).toEqual(perdidos);
    await waitUntil('the resumed subscription on the bus', () => bus().assinantes === 1);
    const vivo = await m.passo('RECEBER_RECIBO_CONCLUSAO', r0.tramite.id);
    await m.passo('ENVIAR_COMPONENTES_DIGITAIS', outroTramite.tramite.id);
    await segunda.receber(5);
    await sleep(300);

    expect(segunda.cursores[3]).toBe(vivo.evento.cursor);
    expect(segunda.cursores).toEqual(await seqsNoLog(rows, Number(ultimoCursor)));
    const todos = [...primeira.cursores, ...segunda.cursores];
    expect(semDuplicatas(todos)).toBe(true);
    expect(todos).toEqual(await seqsNoLog(rows, inicio));
    expect(segunda.eventos[0]).toMatchObject({ situacaoAnterior: chave(3), situacao: chave(4), tramite: { idt: r0.tramite.idt } });
  });

  test('resuming eventosTramite of one trâmite replays only that trâmite\'s events after the cursor', async () => {
    const r0 = await m.iniciar();
    const r1 = await m.passo('ENVIAR_COMPONENTES_DIGITAIS', r0.tramite.id);
    await m.iniciar(); // another trâmite: not in this subscription
    await m.passo('RECEBER_METADADOS', r0.tramite.id);
    const sub = nova(c.rem.token, SUB_TRAMITE, { tramite: r0.tramite.id, aPartirDe: r0.evento.cursor });
    await sub.receber(2);
    expect(sub.cursores).toEqual(await seqsNoLog(rows, Number(r0.evento.cursor), dbId(r0.tramite.id)));
    expect(sub.cursores[0]).toBe(r1.evento.cursor);
    await waitUntil('the subscription on the bus', () => bus().assinantes === 1);
    const vivo = await m.passo('RECEBER_COMPONENTES_DIGITAIS', r0.tramite.id);
    await sub.receber(3);
    expect(sub.cursores[2]).toBe(vivo.evento.cursor);
  });

  test('resuming from a cursor the bus has not delivered yet gives no duplicate', async () => {
    // A client may hold a cursor this instance's bus has not reached: the one a mutation just
    // answered, or one from another instance. Here: an event committed without NOTIFY, so this bus
    // only learns of it when it reads the log again (its poll, or the explicit read below).
    const r0 = await m.iniciar();
    const tramiteId = dbId(r0.tramite.id);
    await marco(0);
    let sub: Assinatura | null = null;
    let cursor = '';
    // The safety-net poll may read the silent event before the subscription starts (then this case is
    // not exercised): try again with another silent event, a few times.
    for (let tentativa = 0; tentativa < 5 && !sub; tentativa++) {
      const [semAviso] = await gw.database.db
        .transaction(async (tx) => {
          await tx.execute(sql`select pg_advisory_xact_lock(${ADVISORY_LOCKS.tramiteLog})`);
          return tx.execute(sql`insert into tramite_eventos (tramite_id, de_situacao, para_situacao, ator_sujeito, ator_lado, ocorrido_em)
            values (${tramiteId}, 1, 1, 'teste.sem-aviso', 'REMETENTE', now()) returning seq::text as seq`);
        })
        .then((r) => (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows) as Array<{ seq: string }>);
      cursor = semAviso!.seq;
      const tentando = nova(c.admin.token, SUB_TRAMITES, { aPartirDe: cursor });
      await waitUntil('the subscription on the bus', () => bus().assinantes === 1);
      if (bus().posicao < Number(cursor)) sub = tentando;
      else await fecharTodas();
    }
    expect(sub, 'the poll always ran first').not.toBeNull();

    await bus().sincronizar(); // the bus now reads the silent event: this subscriber already has it
    expect(bus().posicao).toBeGreaterThanOrEqual(Number(cursor));
    const depois = await m.passo('ENVIAR_COMPONENTES_DIGITAIS', r0.tramite.id);
    await sub!.receber(1);
    await sleep(300);
    expect(sub!.cursores).toEqual([depois.evento.cursor]);
  });

  test('an unrelated agency sees nothing of trâmites between two others; PEN_ADMIN sees them', async () => {
    const admin = nova(c.admin.token);
    const alheio = nova(c.outro.token);
    const inicio = await marco(2);

    const r0 = await m.iniciar();
    for (const acao of CAMINHO_SUCESSO.slice(0, 3)) await m.passo(acao, r0.tramite.id);
    // A sentinel the unrelated agency may see (it is the remetente): events arrive in seq order, so
    // once it arrives, everything before it was filtered out, not merely late.
    const sentinela = await motor(() => gw.gateway.url, () => ({ ...c, rem: c.outro, dest: c.dest }), `${backend}-sentinela`).iniciar(
      { unidadeRemetente: gid('UnidadeAdministrativa', c.outro.envio[0]!.id) },
      c.outro.token,
    );
    await admin.receber(5);
    await alheio.receber(1);
    await sleep(300);
    expect(alheio.cursores).toEqual([sentinela.evento.cursor]);
    expect(admin.cursores).toEqual(await seqsNoLog(rows, inicio));

    // Its own agency's feed (default) and an explicit orgao of its own behave the same.
    const proprio = nova(c.outro.token, SUB_TRAMITES, { orgao: gid('Orgao', c.outro.id), aPartirDe: String(inicio) });
    await proprio.receber(1);
    await sleep(300);
    expect(proprio.cursores).toEqual([sentinela.evento.cursor]);
  });

  test('eventosTramite on a trâmite the viewer cannot read is NOT_FOUND; another agency\'s orgao is FORBIDDEN', async () => {
    const r0 = await m.iniciar();
    const naoLegivel = nova(c.outro.token, SUB_TRAMITE, { tramite: r0.tramite.id });
    await waitUntil('an error', () => naoLegivel.erros.length > 0 || naoLegivel.concluida);
    expect(naoLegivel.erros.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    expect(naoLegivel.eventos).toHaveLength(0);

    const inexistente = nova(c.admin.token, SUB_TRAMITE, { tramite: gid('Tramite', 987_654_321) });
    await waitUntil('an error', () => inexistente.erros.length > 0 || inexistente.concluida);
    expect(inexistente.erros.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);

    const outroOrgao = nova(c.outro.token, SUB_TRAMITES, { orgao: gid('Orgao', c.rem.id) });
    await waitUntil('an error', () => outroOrgao.erros.length > 0 || outroOrgao.concluida);
    expect(outroOrgao.erros.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);

    // The remetente itself may follow it.
    const legivel = nova(c.rem.token, SUB_TRAMITE, { tramite: r0.tramite.id });
    await waitUntil('the subscription on the bus', () => bus().assinantes === 1);
    const r1 = await m.passo('ENVIAR_COMPONENTES_DIGITAIS', r0.tramite.id);
    await legivel.receber(1);
    expect(legivel.cursores).toEqual([r1.evento.cursor]);
  });

  test('a destinatário stops receiving a trâmite\'s events from its refusal on; the remetente keeps them', async () => {
    const remetente = nova(c.rem.token);
    const destinatario = nova(c.dest.token);
    await marco(2);
    const r0 = await m.iniciar();
    await m.passo('ENVIAR_COMPONENTES_DIGITAIS', r0.tramite.id);
    const r3 = await m.passo('RECEBER_METADADOS', r0.tramite.id);
    const r8 = await m.passo('RECUSAR', r0.tramite.id, { motivo: 'MOTIVO_02', justificativa: 'Hash do componente não confere.' });
    const r9 = await m.passo('DAR_CIENCIA_RECUSA', r0.tramite.id);
    await remetente.receber(5);
    await sleep(300);
    expect(remetente.eventos.map((e) => e.situacao)).toEqual([1, 2, 3, 8, 9].map((s) => chave(s as Situacao)));
    expect(remetente.cursores.slice(3)).toEqual([r8.evento.cursor, r9.evento.cursor]);
    expect(destinatario.cursores).toEqual(remetente.cursores.slice(0, 3));
    expect(destinatario.cursores.at(-1)).toBe(r3.evento.cursor);
  });

  test('a connection without a token, or with a bad one, is closed with 4403', async () => {
    const semToken = nova(null);
    const ruim = nova('nao-e-um-jwt');
    const assinadoComOutraChave = nova(await mintToken('another-secret-with-at-least-thirty-two-chars!', { sub: 'x', orgao: null, roles: ['PEN_ADMIN'] }));
    for (const a of [semToken, ruim, assinadoComOutraChave]) {
      await waitUntil('the socket to close', () => a.conexao.fechamento != null);
      expect(a.conexao.fechamento!.code).toBe(4403);
      expect(a.eventos).toHaveLength(0);
    }
    expect(bus().assinantes).toBe(0);
  });

  test('an expiring token ends the connection with 4401', async () => {
    const expira = await tokenDeConta(c.admin.conta, '3s');
    const sub = nova(expira);
    await waitUntil('the subscription on the bus', () => bus().assinantes === 1);
    const aberto = Date.now();
    await waitUntil('the socket to close', () => sub.conexao.fechamento != null, 10_000);
    expect(sub.conexao.fechamento!.code).toBe(4401);
    expect(Date.now() - aberto).toBeLessThan(8_000);
    await waitUntil('the subscriber to leave the bus', () => bus().assinantes === 0);
  });

  test('more subscriptions than the per-connection limit on one connection: TOO_MANY_SUBSCRIPTIONS', async () => {
    const limite = 25; // maxSubscriptionsPerConnection of the test gateway
    const conexao = new Conexao(gw.gateway.url, `Bearer ${c.admin.token}`);
    abertas.push(conexao);
    const subs: Assinatura[] = [];
    for (let i = 0; i < limite; i++) {
      subs.push(conexao.assinar(SUB_TRAMITES));
      await waitUntil(`subscription ${i + 1} on the bus`, () => bus().assinantes === i + 1);
    }
    const demais = conexao.assinar(SUB_TRAMITES);
    await waitUntil('an error', () => demais.erros.length > 0);
    expect(demais.erros.map((e) => e.extensions?.code)).toEqual(['TOO_MANY_SUBSCRIPTIONS']);
    expect(bus().assinantes).toBe(limite);
    // The connection and its other subscriptions live on.
    const r0 = await m.iniciar();
    await Promise.all(subs.map((s) => s.receber(1)));
    expect(subs.every((s) => s.cursores[0] === r0.evento.cursor)).toBe(true);
    // Completing one frees a place.
    subs[0]!.parar();
    await waitUntil('a place to free up', () => bus().assinantes === limite - 1);
    const denovo = conexao.assinar(SUB_TRAMITES);
    await waitUntil('the new subscription on the bus', () => bus().assinantes === limite);
    expect(denovo.erros).toEqual([]);
  });

  test('the per-connection limit holds when the subscriptions arrive all at once', async () => {
    const limite = 25;
    const conexao = new Conexao(gw.gateway.url, `Bearer ${c.admin.token}`);
    abertas.push(conexao);
    const subs = Array.from({ length: limite + 5 }, () => conexao.assinar(SUB_TRAMITES));
    await waitUntil('5 refusals', () => subs.filter((s) => s.erros.length > 0).length >= 5 || bus().assinantes > limite, 10_000);
    await sleep(300);
    expect(bus().assinantes).toBe(limite);
    expect(subs.filter((s) => s.erros.some((e) => e.extensions?.code === 'TOO_MANY_SUBSCRIPTIONS'))).toHaveLength(5);
  });

  test('a malformed subscription is refused with an error; the connection and its other subscriptions live on', async () => {
    const conexao = new Conexao(gw.gateway.url, `Bearer ${c.admin.token}`);
    abertas.push(conexao);
    const boa = conexao.assinar(SUB_TRAMITES);
    await waitUntil('the good subscription on the bus', () => bus().assinantes === 1);
    const sintaxe = conexao.assinar('subscription { eventosTramites { cursor ');
    const invalida = conexao.assinar('subscription { eventosTramites { campoQueNaoExiste } }');
    await waitUntil('both errors', () => sintaxe.erros.length > 0 && invalida.erros.length > 0);
    expect(invalida.erros[0]!.message).toMatch(/campoQueNaoExiste/);
    expect(sintaxe.erros[0]!.message).toMatch(/Syntax Error/i);
    await sleep(200);
    expect(conexao.fechamento).toBeNull();
    const r0 = await m.iniciar();
    await boa.receber(1);
    expect(boa.cursores).toEqual([r0.evento.cursor]);
  });

  // Last: it closes this block's gateway.
  test('closing the gateway closes the sockets with 1001', async () => {
    const a = nova(c.admin.token);
    const b = nova(c.rem.token, SUB_TRAMITES);
    await waitUntil('the subscriptions on the bus', () => bus().assinantes === 2);
    fechando = gw.gateway.close();
    await waitUntil('the sockets to close', () => a.conexao.fechamento != null && b.conexao.fechamento != null, 10_000);
    expect(a.conexao.fechamento!.code).toBe(1001);
    expect(b.conexao.fechamento!.code).toBe(1001);
    await fechando;
  });
});

// ---------------------------------------------------------------------------------------------------
// PostgreSQL only: two instances on one database, and the slow consumer
// ---------------------------------------------------------------------------------------------------

const temPostgres = BACKENDS.includes('postgres');
if (!temPostgres) console.warn('[feeds.test] no PostgreSQL server: the two-instance, slow-consumer and restart tests are skipped');

describe.skipIf(!temPostgres)('postgres: two instances, slow consumer', () => {
  const MAX_PENDENTES = 50;
  let gw: TestGateway;
  let c: Cenario;
  let segundoBanco: DatabaseHandle | null = null;
  let segundo: Gateway | null = null;
  const abertas: Conexao[] = [];
  const rows: Rows = (text, params) => gw.database.rows(text, params);
  const m = motor(() => gw.gateway.url, () => c, 'pg-dois');

  beforeAll(async () => {
    gw = await startTestGateway('postgres', { maxPendingEvents: MAX_PENDENTES });
    c = await montarCenario(rows, (conta) => gw.tokenOf(conta.sujeito));
  });

  afterAll(async () => {
    await Promise.all(abertas.map((cx) => cx.encerrar().catch(() => {})));
    await segundo?.close().catch(() => {});
    await segundoBanco?.close().catch(() => {});
    await gw?.close().catch(() => {});
  });

  test('a mutation through instance A reaches a subscriber on instance B', async () => {
    const banco = (await rows<{ banco: string }>('select current_database() as banco'))[0]!.banco;
    const url = new URL(postgresAdminUrl()!);
    url.pathname = `/${banco}`;
    segundoBanco = await createDatabase({ kind: 'postgres', url: url.toString() });
    segundo = await startGateway({ config: testGatewayConfig({ maxPendingEvents: MAX_PENDENTES }), database: segundoBanco, logger: createLogger('silent') });
    expect(segundo.url).not.toBe(gw.gateway.url);

    const naB = assinar(segundo.url, c.admin.token, SUB_TRAMITES);
    const naBFiltrada = assinar(segundo.url, c.dest.token, SUB_TRAMITES, { papel: 'DESTINO' });
    abertas.push(naB.conexao, naBFiltrada.conexao);
    await waitUntil('the subscriptions on instance B', () => segundo!.feeds.tramites.assinantes === 2);
    expect(gw.gateway.feeds.tramites.assinantes).toBe(0);
    const inicio = await maxSeq(rows);
    await waitUntil('instance B to catch up', () => segundo!.feeds.tramites.posicao >= inicio);

    const r0 = await m.iniciar();
    const r1 = await m.passo('ENVIAR_COMPONENTES_DIGITAIS', r0.tramite.id);
    const r2 = await m.passo('RECEBER_METADADOS', r0.tramite.id);
    await naB.receber(3);
    await naBFiltrada.receber(3);
    expect(naB.cursores).toEqual([r0, r1, r2].map((r) => r.evento.cursor));
    expect(naB.cursores).toEqual(await seqsNoLog(rows, inicio));
    expect(naBFiltrada.cursores).toEqual(naB.cursores);
    expect(naB.eventos[2]).toMatchObject({ situacao: chave(3), ator: c.dest.conta.sujeito, tramite: { idt: r0.tramite.idt, situacao: chave(3) } });

    // And the other way round: a subscriber on A, a mutation through B.
    const naA = assinar(gw.gateway.url, c.admin.token, SUB_TRAMITES);
    abertas.push(naA.conexao);
    await waitUntil('the subscription on instance A', () => gw.gateway.feeds.tramites.assinantes === 1);
    const viaB = await motor(() => segundo!.url, () => c, 'pg-dois-b').passo('RECEBER_COMPONENTES_DIGITAIS', r0.tramite.id);
    await naA.receber(1);
    await naB.receber(4);
    expect(naA.cursores).toEqual([viaB.evento.cursor]);
    expect(naB.cursores[3]).toBe(viaB.evento.cursor);
    await Promise.all(abertas.splice(0).map((cx) => cx.encerrar()));
  });

  test('a paused socket is closed with 4430 (slow consumer) while a normal subscriber receives every event', async () => {
    const N = 10_000;
    const bus = gw.gateway.feeds.tramites;
    await waitUntil('no subscribers left', () => bus.assinantes === 0);
    const r0 = await m.iniciar();
    const tramiteId = dbId(r0.tramite.id);
    await waitUntil('the bus to catch up', async () => bus.posicao >= (await maxSeq(rows)));

    // The slow one: graphql-transport-ws by hand, every field, then its socket stops reading.
    const lento = new WebSocket(wsUrl(gw.gateway.url), 'graphql-transport-ws');
    let lentoFechou: { code: number; reason: string } | null = null;
    let lentoRecebeu = 0;
    let ack = false;
    lento.on('close', (code, reason) => (lentoFechou = { code, reason: reason.toString() }));
    lento.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { type: string };
      if (msg.type === 'connection_ack') ack = true;
      if (msg.type === 'next') lentoRecebeu++;
    });
    await new Promise<void>((resolve, reject) => {
      lento.once('open', () => resolve());
      lento.once('error', reject);
    });
    lento.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${c.admin.token}` } }));
    await waitUntil('connection_ack', () => ack);
    const todosOsCampos = `subscription { eventosTramites {
      cursor situacaoAnterior situacao lado ator porAdministradorPen motivoRecusa justificativa ocorridoEm
      tramite { id idt nre numeroProcesso tipo descricao situacao codigoSituacao finalizado quemDeveAgir versao criadoEm atualizadoEm situacaoAlteradaEm diasNaSituacao }
    } }`;
    lento.send(JSON.stringify({ id: 'lento', type: 'subscribe', payload: { query: todosOsCampos } }));
    await waitUntil('the slow subscription on the bus', () => bus.assinantes === 1);
    (lento as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();

    // The normal one, subscribed at the same time.
    const normal = assinar(gw.gateway.url, c.admin.token, SUB_TRAMITES);
    abertas.push(normal.conexao);
    await waitUntil('the normal subscription on the bus', () => bus.assinantes === 2);
    const inicio = await maxSeq(rows);

    // Bursts of N events in one transaction each, ~1.3 KB apiece on the wire for the slow query
    // (~13 MB a burst: more than the kernel buffers of the paused socket hold). Another burst only if
    // the slow subscriber is still on the bus (larger buffers elsewhere), at most 4.
    const justificativa = 'x'.repeat(1_000);
    let total = 0;
    for (let rodada = 1; rodada <= 4 && (rodada === 1 || bus.assinantes === 2); rodada++) {
      await gw.database.db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(${ADVISORY_LOCKS.tramiteLog})`);
        await tx.execute(sql`insert into tramite_eventos (tramite_id, de_situacao, para_situacao, ator_sujeito, ator_lado, justificativa, ocorrido_em)
          select ${tramiteId}, 1, 1, 'teste.rajada', 'REMETENTE', ${justificativa}, now() from generate_series(1, ${N})`);
        await tx.execute(sql`select pg_notify('tramite_eventos', (select max(seq) from tramite_eventos)::text)`);
      });
      total += N;
      await waitUntil(`the normal subscriber to get all ${total} events`, () => {
        if (normal.erros.length > 0 || normal.conexao.fechamento) {
          throw new Error(`normal subscriber failed: ${JSON.stringify(normal.erros)} ${JSON.stringify(normal.conexao.fechamento)}`);
        }
        return normal.eventos.length >= total;
      }, 60_000);
    }
    const rajada = await seqsNoLog(rows, inicio);
    expect(rajada).toHaveLength(total);
    expect(normal.cursores).toEqual(rajada);
    expect(normal.conexao.fechamento).toBeNull();
    // The slow one was cut off and left the bus; the normal one is still there.
    expect(bus.assinantes).toBe(1);

    // Once it reads again it finds the close frame behind what was in flight.
    (lento as unknown as { _socket: { resume(): void } })._socket.resume();
    await waitUntil('the slow socket to close', () => lentoFechou != null, 30_000);
    expect(lentoFechou!.code).toBe(4430);
    expect(lentoRecebeu).toBeLessThan(total);
    await normal.conexao.encerrar();
  }, 120_000);
});

// ---------------------------------------------------------------------------------------------------
// PostgreSQL only: the server restarts in the middle of a stream
// ---------------------------------------------------------------------------------------------------

describe.skipIf(!temPostgres)('postgres: restart mid-stream', () => {
  let servidor: PrivatePostgresServer | null = null;
  let banco: DatabaseHandle | null = null;
  let gateway: Gateway | null = null;
  let conexao: Conexao | null = null;

  afterAll(async () => {
    await conexao?.encerrar().catch(() => {});
    await gateway?.close().catch(() => {});
    await banco?.close().catch(() => {});
    await servidor?.destroy().catch(() => {});
  });

  test('every event committed around a PostgreSQL restart is delivered exactly once; /ready is 503 while it is down', async (ctx) => {
    servidor = await startPrivatePostgres();
    if (!servidor) {
      console.warn('[feeds.test] PostgreSQL binaries not found: restart test skipped');
      ctx.skip();
      return;
    }
    banco = await createDatabase({ kind: 'postgres', url: servidor.url });
    await seedDemoData(banco.db, new Date());
    gateway = await startGateway({ config: testGatewayConfig(), database: banco, logger: createLogger('silent') });
    const g = gateway;
    const rows: Rows = (text, params) => banco!.rows(text, params);
    const c = await montarCenario(rows, (conta) => tokenDeConta(conta));
    const m = motor(() => g.url, () => c, 'pg-restart');
    const ready = async () => (await fetch(new URL('/ready', g.url))).status;

    conexao = new Conexao(g.url, `Bearer ${c.admin.token}`);
    const sub = conexao.assinar(SUB_TRAMITES);
    await waitUntil('the subscription on the bus', () => g.feeds.tramites.assinantes === 1);
    const inicio = await maxSeq(rows);
    await waitUntil('the bus to catch up', () => g.feeds.tramites.posicao >= inicio);
    expect(await ready()).toBe(200);

    const r0 = await m.iniciar();
    await m.passo('ENVIAR_COMPONENTES_DIGITAIS', r0.tramite.id);
    await sub.receber(2);

    // Down: /ready turns 503 (bounded), the WebSocket stays up.
    await servidor.stop();
    await waitUntil('/ready to answer 503', async () => (await ready()) === 503, 15_000);
    await sleep(500);
    await servidor.restart(); // starts it again on the same port

    // Back: commit more, retrying until the database accepts (an idempotency key makes a retry safe).
    const comRetentativa = async (acao: AcaoPasso): Promise<Realizada> => {
      const chaveIdempotencia = `restart-${acao}-${r0.tramite.id}`;
      let ultimoErro: unknown = null;
      const limite = Date.now() + 30_000;
      while (Date.now() < limite) {
        try {
          return await m.passo(acao, r0.tramite.id, { chaveIdempotencia });
        } catch (error) {
          ultimoErro = error;
          await sleep(200);
        }
      }
      throw new Error(`the database did not accept ${acao} within 30 s: ${String(ultimoErro)}`);
    };
    const depois: Realizada[] = [];
    for (const acao of CAMINHO_SUCESSO.slice(1)) depois.push(await comRetentativa(acao));
    const novo = await m.iniciar();
    depois.push(novo);

    const log = await seqsNoLog(rows, inicio);
    expect(log).toHaveLength(2 + 5);
    await waitUntil(`every committed event (${log.length}) at the subscriber`, () => sub.eventos.length >= log.length, 30_000);
    await sleep(1_500); // a duplicate from a catch-up or a poll would show up by now
    expect(sub.cursores).toEqual(log);
    expect(semDuplicatas(sub.cursores)).toBe(true);
    expect(sub.cursores.slice(2)).toEqual(depois.map((r) => r.evento.cursor));
    expect(sub.erros).toEqual([]);
    expect(conexao.fechamento).toBeNull();
    await waitUntil('/ready to answer 200 again', async () => (await ready()) === 200, 15_000);

    // LISTEN is back (not only the safety-net poll): a new event arrives well before the next poll.
  }, 120_000);
});

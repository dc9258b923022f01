// Live feeds across gateway instances on one PostgreSQL: a mutation through one instance reaches a
// subscriber on another, a slow consumer is closed with 4430 while the others keep up, and a PostgreSQL
// restart in the middle of a stream loses and duplicates nothing (split from feeds.test.ts to run in parallel).
//
// Expectations come from the event log itself, from the mutations' answers and from regras.ts.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { createDatabase, type DatabaseHandle } from '../src/db/client.js';
import { seedDemoData } from '../src/demo/seed.js';
import { createLogger } from '../src/logger.js';
import { startGateway, type Gateway } from '../src/http/gateway.js';
import { BACKENDS, postgresAdminUrl, startPrivatePostgres, type PrivatePostgresServer } from './support/backends.js';
import { startTestGateway, testGatewayConfig, type TestGateway } from './support/gateway.js';
import { dbId } from './support/ids.js';
import { sleep, waitUntil } from './support/wait.js';
import { wsUrl } from './support/ws.js';
import {
  chave,
  SUB_TRAMITES,
  Conexao,
  assinar,
  type Cenario,
  type Rows,
  montarCenario,
  tokenDeConta,
  type AcaoPasso,
  type Realizada,
  motor,
  CAMINHO_SUCESSO,
  seqsNoLog,
  maxSeq,
  semDuplicatas,
} from './support/feeds.js';

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
  const m = motor(
    () => gw.gateway.url,
    () => c,
    'pg-dois',
  );

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
    segundo = await startGateway({
      config: testGatewayConfig({ maxPendingEvents: MAX_PENDENTES }),
      database: segundoBanco,
      logger: createLogger('silent'),
    });
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
    expect(naB.eventos[2]).toMatchObject({
      situacao: chave(3),
      ator: c.dest.conta.sujeito,
      tramite: { idt: r0.tramite.idt, situacao: chave(3) },
    });

    // And the other way round: a subscriber on A, a mutation through B.
    const naA = assinar(gw.gateway.url, c.admin.token, SUB_TRAMITES);
    abertas.push(naA.conexao);
    await waitUntil('the subscription on instance A', () => gw.gateway.feeds.tramites.assinantes === 1);
    const viaB = await motor(
      () => segundo!.url,
      () => c,
      'pg-dois-b',
    ).passo('RECEBER_COMPONENTES_DIGITAIS', r0.tramite.id);
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
        await tx.execute(sql`insert into tramite_eventos (tramite_id, de_situacao, para_situacao, ator_sujeito, ator_lado, justificativa, ocorrido_em)
          select ${tramiteId}, 1, 1, 'teste.rajada', 'REMETENTE', ${justificativa}, now() from generate_series(1, ${N})`);
        await tx.execute(sql`select pg_notify('tramite_eventos', (select max(seq) from tramite_eventos)::text)`);
      });
      total += N;
      await waitUntil(
        `the normal subscriber to get all ${total} events`,
        () => {
          if (normal.erros.length > 0 || normal.conexao.fechamento) {
            throw new Error(`normal subscriber failed: ${JSON.stringify(normal.erros)} ${JSON.stringify(normal.conexao.fechamento)}`);
          }
          return normal.eventos.length >= total;
        },
        60_000,
      );
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
    const m = motor(
      () => g.url,
      () => c,
      'pg-restart',
    );
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

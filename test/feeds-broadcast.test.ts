// The broadcast path of live events over graphql-ws (src/http/websocket-broadcast.ts): caught-up
// subscriptions are served by one group per (document, variables, viewer class), and the hand-off from
// a subscriber's own replay to its group loses and repeats nothing, even while a burst is being delivered.
// Expectations come from the event log itself.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BACKENDS } from './support/backends.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { dbId } from './support/ids.js';
import { sleep, waitUntil } from './support/wait.js';
import {
  SUB_TRAMITES,
  type Assinatura,
  assinar,
  type Cenario,
  Conexao,
  type Rows,
  montarCenario,
  motor,
  seqsNoLog,
  maxSeq,
} from './support/feeds.js';

describe.each(BACKENDS)('%s: broadcast', (backend) => {
  let gw: TestGateway;
  let c: Cenario;
  const abertas: Conexao[] = [];
  const rows: Rows = (text, params) => gw.database.rows(text, params);
  const m = motor(
    () => gw.gateway.url,
    () => c,
    `${backend}-broadcast`,
  );
  const bus = () => gw.gateway.feeds.tramites;

  function nova(token: string, variables: Record<string, unknown> = {}): Assinatura {
    const a = assinar(gw.gateway.url, token, SUB_TRAMITES, variables);
    abertas.push(a.conexao);
    return a;
  }

  /** `n` events of one trâmite in one transaction, announced once: the bus delivers them one per turn. */
  async function rajada(tramiteId: number, n: number): Promise<void> {
    await gw.database.db.transaction(async (tx) => {
      await tx.execute(sql`insert into tramite_eventos (tramite_id, de_situacao, para_situacao, ator_sujeito, ator_lado, ocorrido_em)
        select ${tramiteId}, 1, 1, 'teste.difusao', 'REMETENTE', now() from generate_series(1, ${n})`);
      await tx.execute(sql`select pg_notify('tramite_eventos', (select max(seq) from tramite_eventos)::text)`);
    });
  }

  beforeAll(async () => {
    gw = await startTestGateway(backend);
    c = await montarCenario(rows, (conta) => gw.tokenOf(conta.sujeito));
  });

  afterAll(async () => {
    await Promise.all(abertas.map((cx) => cx.encerrar().catch(() => {})));
    if (!gw) return;
    await gw.gateway.close().catch(() => {});
    await gw.close().catch(() => {});
  });

  test('caught-up subscribers join the broadcast; one resuming during a burst gets every event after its cursor exactly once', async () => {
    const r0 = await m.iniciar();
    const tramiteId = dbId(r0.tramite.id);
    await waitUntil('the bus to catch up', async () => bus().posicao >= (await maxSeq(rows)));
    const inicio = await maxSeq(rows);

    // Three PEN_ADMIN subscriptions (one group), the remetente's agency (another class) and an unrelated agency.
    const admins = [nova(c.admin.token), nova(c.admin.token), nova(c.admin.token)];
    const remetente = nova(c.rem.token);
    const alheio = nova(c.outro.token);
    await waitUntil('five subscriptions in the broadcast', () => gw.gateway.assinantesEmDifusao === 5);
    expect(bus().assinantes).toBe(5);

    const N = 600;
    await rajada(tramiteId, N);
    // Resumes from before the burst while the bus is still delivering it: it replays from the log,
    // then hands over to the group in the middle of the live stream.
    await waitUntil('the burst to start arriving', () => admins[0]!.eventos.length > 0);
    const retomada = nova(c.admin.token, { aPartirDe: String(inicio) });

    const esperado = await seqsNoLog(rows, inicio);
    expect(esperado).toHaveLength(N);
    for (const a of [...admins, remetente, retomada]) await a.receber(N, 60_000);
    await waitUntil('the resumed subscription in the broadcast', () => gw.gateway.assinantesEmDifusao === 6);
    const depois = await m.passo('ENVIAR_COMPONENTES_DIGITAIS', r0.tramite.id);
    for (const a of [...admins, remetente, retomada]) await a.receber(N + 1, 30_000);
    await sleep(300);

    const todos = [...esperado, depois.evento.cursor];
    for (const a of [...admins, remetente, retomada]) {
      expect(a.erros).toEqual([]);
      expect(a.cursores).toEqual(todos);
    }
    expect(alheio.eventos).toEqual([]);
    expect(retomada.eventos.at(-1)).toMatchObject({ tramite: { idt: r0.tramite.idt } });

    await Promise.all(abertas.splice(0).map((cx) => cx.encerrar()));
    await waitUntil(
      'every subscriber to leave the bus and the broadcast',
      () => bus().assinantes === 0 && gw.gateway.assinantesEmDifusao === 0,
    );
  }, 120_000);

  test('subscriptions sharing a connection (one write per socket) each get every event once, in order, and only what their viewer may see', async () => {
    const r0 = await m.iniciar();
    const tramiteId = dbId(r0.tramite.id);
    await waitUntil('the bus to catch up', async () => bus().posicao >= (await maxSeq(rows)));
    const inicio = await maxSeq(rows);

    // One PEN_ADMIN connection holding three subscriptions of one group; another connection holding two of
    // the same group, and an unrelated agency's connection holding two of its own group.
    const cx1 = new Conexao(gw.gateway.url, `Bearer ${c.admin.token}`);
    const cx2 = new Conexao(gw.gateway.url, `Bearer ${c.admin.token}`);
    const cx3 = new Conexao(gw.gateway.url, `Bearer ${c.outro.token}`);
    abertas.push(cx1, cx2, cx3);
    const admins = [
      cx1.assinar(SUB_TRAMITES),
      cx1.assinar(SUB_TRAMITES),
      cx1.assinar(SUB_TRAMITES),
      cx2.assinar(SUB_TRAMITES),
      cx2.assinar(SUB_TRAMITES),
    ];
    const alheios = [cx3.assinar(SUB_TRAMITES), cx3.assinar(SUB_TRAMITES)];
    await waitUntil('seven subscriptions in the broadcast', () => gw.gateway.assinantesEmDifusao === 7);

    const N = 300;
    await rajada(tramiteId, N);
    // One more subscription joins the first connection in the middle of the burst, resuming from before it.
    await waitUntil('the burst to start arriving', () => admins[0]!.eventos.length > 0);
    const retomada = cx1.assinar(SUB_TRAMITES, { aPartirDe: String(inicio) });
    const depois = await m.passo('ENVIAR_COMPONENTES_DIGITAIS', r0.tramite.id);

    const esperado = [...(await seqsNoLog(rows, inicio))];
    expect(esperado).toHaveLength(N + 1);
    expect(esperado.at(-1)).toBe(depois.evento.cursor);
    for (const a of [...admins, retomada]) await a.receber(N + 1, 60_000);
    await sleep(300);
    for (const a of [...admins, retomada]) {
      expect(a.erros).toEqual([]);
      expect(a.cursores).toEqual(esperado);
    }
    for (const a of alheios) expect(a.eventos).toEqual([]);

    await Promise.all(abertas.splice(0).map((cx) => cx.encerrar()));
    await waitUntil(
      'every subscriber to leave the bus and the broadcast',
      () => bus().assinantes === 0 && gw.gateway.assinantesEmDifusao === 0,
    );
  }, 120_000);
});

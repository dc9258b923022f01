// The live feed over GraphQL over SSE (Yoga, "distinct connections mode"), on the same /graphql
// endpoint as HTTP and graphql-ws: POST with `accept: text/event-stream` and the Authorization header,
// then a mutation, read with fetch's body reader until its event arrives (bounded).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_ACCOUNTS } from '../src/demo/seed.js';
import { BACKENDS } from './support/backends.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { gid } from './support/ids.js';
import { waitUntil } from './support/wait.js';
import { PEN_ADMIN } from './support/accounts.js';
import { CONTEUDO_DE_DEMO_GQL } from './support/tramites.js';
import { habilitada } from './support/configuracao.js';

/** Reads SSE messages (`event:` / `data:` blocks) from a fetch body until `parar` says so or `ms` pass. */
async function lerSse(
  body: ReadableStream<Uint8Array>,
  parar: (mensagens: Array<{ event: string; data: any }>) => boolean,
  ms: number,
): Promise<Array<{ event: string; data: any }>> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const mensagens: Array<{ event: string; data: any }> = [];
  let buffer = '';
  const limite = Date.now() + ms;
  try {
    while (!parar(mensagens)) {
      const restante = limite - Date.now();
      if (restante <= 0) throw new Error(`timed out after ${ms} ms reading the SSE stream; got ${JSON.stringify(mensagens)}`);
      let timer: NodeJS.Timeout | undefined;
      const lido = await Promise.race([
        reader.read(),
        new Promise<never>(
          (_, reject) =>
            (timer = setTimeout(
              () => reject(new Error(`timed out after ${ms} ms reading the SSE stream; got ${JSON.stringify(mensagens)}`)),
              restante,
            )),
        ),
      ]).finally(() => clearTimeout(timer));
      if (lido.done) break;
      buffer += decoder.decode(lido.value, { stream: true });
      let fim: number;
      while ((fim = buffer.indexOf('\n\n')) >= 0) {
        const bloco = buffer.slice(0, fim);
        buffer = buffer.slice(fim + 2);
        let event = 'message';
        const dados: string[] = [];
        for (const linha of bloco.split('\n')) {
          if (linha.startsWith('event:')) event = linha.slice(6).trim();
          else if (linha.startsWith('data:')) dados.push(linha.slice(5).trimStart());
        }
        if (dados.length > 0) mensagens.push({ event, data: JSON.parse(dados.join('\n')) });
      }
    }
    return mensagens;
  } finally {
    reader.releaseLock();
  }
}

describe.each(BACKENDS)('%s', (backend) => {
  let gw: TestGateway;
  let closing: Promise<void> | null = null;
  const GRACE_MS = 2_000; // shutdownGraceMs of startTestGateway

  beforeAll(async () => {
    gw = await startTestGateway(backend);
  });

  afterAll(async () => {
    await (closing ??= gw?.gateway.close())?.catch(() => {});
    await gw?.close().catch(() => {});
  });

  test('eventosTramites over SSE delivers the event of a mutation made after subscribing', async () => {
    // A remetente agency (demo account) with a unit enabled to send, and another agency's receiving unit.
    const contas = DEMO_ACCOUNTS.filter((a) => a.orgao && a.papeis.includes('SPE'));
    let remetente: { conta: (typeof contas)[number]; unidade: number; orgao: number } | null = null;
    for (const conta of contas) {
      const [u] = await gw.database.rows<{ id: number; orgao: number }>(
        `select u.id::int as id, r.id::int as orgao from estruturas r join estruturas u on u.orgao_id = r.id
          where r.repositorio_id = $1 and r.numero_identificacao = $2 and r.pai_id is null and ${habilitada('u', 'envio')} order by u.id limit 1`,
        [conta.orgao!.repositorio, conta.orgao!.estrutura],
      );
      if (u) {
        remetente = { conta, unidade: u.id, orgao: u.orgao };
        break;
      }
    }
    expect(remetente).not.toBeNull();
    const [destino] = await gw.database.rows<{ id: number }>(
      `select id::int as id from estruturas where pai_id is not null and ${habilitada('estruturas', 'recebimento')} and orgao_id <> $1 order by id limit 1`,
      [remetente!.orgao],
    );
    const admin = await gw.tokenOf(PEN_ADMIN);
    const tokenRemetente = await gw.tokenOf(remetente!.conta.sujeito);

    const abortar = new AbortController();
    const bus = gw.gateway.feeds.tramites;
    try {
      const resposta = await fetch(gw.gateway.url, {
        method: 'POST',
        headers: { accept: 'text/event-stream', 'content-type': 'application/json', authorization: `Bearer ${admin}` },
        body: JSON.stringify({
          query: 'subscription { eventosTramites { cursor situacaoAnterior situacao lado ator tramite { idt situacao } } }',
        }),
        signal: abortar.signal,
      });
      expect(resposta.status).toBe(200);
      expect(resposta.headers.get('content-type')).toMatch(/text\/event-stream/);
      await waitUntil('the SSE subscription on the bus', () => bus.assinantes === 1);

      const mutacao = await gw.gql(
        `mutation($input: IniciarTramiteInput!) { r: iniciarTramite(input: $input) {
          __typename ... on TransicaoRealizada { tramite { idt } evento { cursor } } ... on Erro { codigo mensagem } } }`,
        {
          input: {
            tipo: 'PROCESSO',
            numeroProcesso: `${backend}-sse-1`,
            unidadeRemetente: gid('UnidadeAdministrativa', remetente!.unidade),
            unidadeDestinataria: gid('UnidadeAdministrativa', destino!.id),
            ...CONTEUDO_DE_DEMO_GQL,
          },
        },
        tokenRemetente,
      );
      expect(mutacao.errors).toBeUndefined();
      expect(mutacao.data!.r.__typename, JSON.stringify(mutacao.data)).toBe('TransicaoRealizada');

      const mensagens = await lerSse(resposta.body!, (ms) => ms.some((m) => m.data?.data?.eventosTramites), 10_000);
      const eventos = mensagens.filter((m) => m.data?.data?.eventosTramites);
      expect(eventos).toHaveLength(1);
      expect(eventos[0]!.event).toBe('next');
      expect(eventos[0]!.data).toEqual({
        data: {
          eventosTramites: {
            cursor: mutacao.data!.r.evento.cursor,
            situacaoAnterior: null,
            situacao: 'AGUARDANDO_ENVIO_ARQUIVOS',
            lado: 'REMETENTE',
            ator: remetente!.conta.sujeito,
            tramite: { idt: mutacao.data!.r.tramite.idt, situacao: 'AGUARDANDO_ENVIO_ARQUIVOS' },
          },
        },
      });
    } finally {
      abortar.abort();
    }
    // The client went away: the server ends the subscription and leaves the bus.
    await waitUntil('the SSE subscriber to leave the bus', () => bus.assinantes === 0);
  });

  // Last: it closes this block's gateway. fetch leaves a pooled socket with no request beside the
  // aborted stream; shutdown must not wait the grace period out for it.
  test('after an SSE client went away, close() does not wait out the grace period', async () => {
    expect(gw.gateway.feeds.tramites.assinantes).toBe(0);
    const started = Date.now();
    await (closing ??= gw.gateway.close());
    const took = Date.now() - started;
    expect(took, `close() took ${took} ms (grace ${GRACE_MS} ms)`).toBeLessThan(GRACE_MS / 2);
  });
});

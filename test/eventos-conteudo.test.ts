// The trâmite events that are not status changes, over real WebSockets (graphql-ws client) on both backends:
// COMPONENTE_RECEBIDO when the sender's upload stores a component, RECIBO_EMITIDO when the platform signs the recibo
// de envio (2) and when the recipient's recibo de conclusão is accepted (5). Who gets each (acesso.ts `canSeeEvento`),
// that a feed without `tipos` still carries status changes only, and that these events move no status, version,
// count or pendência.
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { BACKENDS } from './support/backends.js';
import { arquivo, documentosDe, enviarComponentes, PROCESSO_PUBLICO } from './support/componentes.js';
import {
  CAMINHO_SUCESSO,
  chave,
  maxSeq,
  montarCenario,
  motor,
  postGql,
  SUB_TRAMITES,
  type Assinatura,
  type Cenario,
  type Conexao,
  type Rows,
  assinar,
} from './support/feeds.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { dbId } from './support/ids.js';
import { sleep, waitUntil } from './support/wait.js';
import { ARQUIVO_DE_DEMO } from './support/tramites.js';

const TODOS_OS_TIPOS = ['SITUACAO', 'COMPONENTE_RECEBIDO', 'RECIBO_EMITIDO'];

const SUB_COM_TIPOS = `subscription($orgao: ID, $tipos: [TipoEventoTramite!]) {
  e: eventosTramites(orgao: $orgao, tipos: $tipos) {
    cursor tipo situacaoAnterior situacao lado ator recibo
    componente { nome hash tamanhoEmBytes }
    reciboDeEnvio { idt hashesDosComponentesDigitais }
    reciboDeConclusao { idt hashesDosComponentesDigitais hashDaAssinatura }
    tramite { idt situacao }
  }
}`;

interface EventoComTipo {
  cursor: string;
  tipo: string;
  situacaoAnterior: string | null;
  situacao: string;
  lado: string;
  ator: string;
  recibo: string | null;
  componente: { nome: string; hash: string; tamanhoEmBytes: number } | null;
  reciboDeEnvio: { idt: string; hashesDosComponentesDigitais: string[] } | null;
  reciboDeConclusao: { idt: string; hashesDosComponentesDigitais: string[]; hashDaAssinatura: string } | null;
  tramite: { idt: string; situacao: string };
}

describe.each(BACKENDS)('%s', (backend) => {
  let gw: TestGateway;
  let c: Cenario;
  const abertas: Conexao[] = [];
  const rows: Rows = (text, params) => gw.database.rows(text, params);
  const m = motor(
    () => gw.gateway.url,
    () => c,
    `${backend}-eventos-conteudo`,
  );
  const bus = () => gw.gateway.feeds.tramites;

  function nova(token: string, query: string, variables: Record<string, unknown> = {}): Assinatura {
    const a = assinar(gw.gateway.url, token, query, variables);
    abertas.push(a.conexao);
    return a;
  }
  const deste = (a: Assinatura, idt: string) => (a.eventos as unknown as EventoComTipo[]).filter((e) => e.tramite.idt === idt);
  async function emDia(assinantes: number): Promise<void> {
    await waitUntil(`${assinantes} subscribers on the bus`, () => bus().assinantes === assinantes);
    const ultimo = await maxSeq(rows);
    await waitUntil('the bus to catch up with the log', () => bus().posicao >= ultimo);
  }

  beforeAll(async () => {
    gw = await startTestGateway(backend);
    c = await montarCenario(rows, (conta) => gw.tokenOf(conta.sujeito));
  });
  afterEach(async () => {
    await Promise.all(abertas.splice(0).map((cx) => cx.encerrar().catch(() => {})));
    await waitUntil('every subscriber to leave the bus', () => bus().assinantes === 0);
  });
  afterAll(async () => {
    await gw?.close();
  });

  test('the sender gets its component and both receipts, the recipient the recibo de conclusão only, a third agency nothing; feeds without `tipos` carry status changes only', async () => {
    const todos = { tipos: TODOS_OS_TIPOS };
    const rem = nova(c.rem.token, SUB_COM_TIPOS, todos);
    const dest = nova(c.dest.token, SUB_COM_TIPOS, todos);
    const outro = nova(c.outro.token, SUB_COM_TIPOS, todos);
    const admin = nova(c.admin.token, SUB_COM_TIPOS, todos);
    const padrao = nova(c.rem.token, SUB_TRAMITES);
    await emDia(5);

    const r0 = await m.iniciar();
    const idt = r0.tramite.idt;
    for (const acao of CAMINHO_SUCESSO) await m.passo(acao, r0.tramite.id);
    await waitUntil('the sender to get 9 events', () => deste(rem, idt).length >= 9);
    await waitUntil('PEN to get 9 events', () => deste(admin, idt).length >= 9);
    await waitUntil('the recipient to get 7 events', () => deste(dest, idt).length >= 7);
    await waitUntil('the default feed to get 6 events', () => padrao.eventos.filter((e) => e.tramite.idt === idt).length >= 6);
    // Everything committed was read by the bus, so whatever a subscriber was to get, it got by now.
    const ultimo = await maxSeq(rows);
    await waitUntil('the bus to catch up with the log', () => bus().posicao >= ultimo);
    await sleep(300);

    const hashes = [ARQUIVO_DE_DEMO.hash];
    const sender = deste(rem, idt);
    expect(sender.map((e) => [e.tipo, e.situacaoAnterior, e.situacao, e.lado, e.recibo])).toEqual([
      ['SITUACAO', null, chave(1), 'REMETENTE', null],
      ['COMPONENTE_RECEBIDO', chave(1), chave(1), 'REMETENTE', null],
      ['SITUACAO', chave(1), chave(2), 'PLATAFORMA', null],
      ['RECIBO_EMITIDO', chave(2), chave(2), 'PLATAFORMA', 'ENVIO'],
      ['SITUACAO', chave(2), chave(3), 'DESTINATARIO', null],
      ['SITUACAO', chave(3), chave(4), 'DESTINATARIO', null],
      ['SITUACAO', chave(4), chave(5), 'DESTINATARIO', null],
      ['RECIBO_EMITIDO', chave(5), chave(5), 'DESTINATARIO', 'CONCLUSAO'],
      ['SITUACAO', chave(5), chave(6), 'REMETENTE', null],
    ]);
    // The component event names the component and its hash; the sender's SPE uploaded it.
    expect(sender[1]!.componente).toEqual({
      nome: ARQUIVO_DE_DEMO.nome,
      hash: ARQUIVO_DE_DEMO.hash,
      tamanhoEmBytes: ARQUIVO_DE_DEMO.bytes.length,
    });
    expect(sender[1]!.ator).toBe(c.rem.conta.sujeito);
    expect(sender[3]!.reciboDeEnvio).toEqual({ idt, hashesDosComponentesDigitais: hashes });
    expect(sender[7]!.reciboDeConclusao).toMatchObject({ idt, hashesDosComponentesDigitais: hashes });
    expect(sender[7]!.ator).toBe(c.dest.conta.sujeito);
    for (const [i, e] of sender.entries()) {
      if (i !== 1) expect(e.componente).toBeNull();
      if (i !== 3) expect(e.reciboDeEnvio).toBeNull();
      if (i !== 7) expect(e.reciboDeConclusao).toBeNull();
    }
    // Exactly the log of this trâmite, in seq order.
    const log = await rows<{ seq: string; tipo: string }>(
      'select seq::text as seq, tipo::text as tipo from tramite_eventos where tramite_id = $1 order by seq',
      [dbId(r0.tramite.id)],
    );
    expect(sender.map((e) => [e.cursor, e.tipo])).toEqual(log.map((l) => [l.seq, l.tipo]));
    expect(deste(admin, idt)).toEqual(sender);

    // The recipient: every status change and the receipt it signed; not the sender's upload nor the recibo de envio.
    expect(deste(dest, idt).map((e) => (e.tipo === 'SITUACAO' ? e.situacao : e.recibo))).toEqual([
      chave(1),
      chave(2),
      chave(3),
      chave(4),
      chave(5),
      'CONCLUSAO',
      chave(6),
    ]);
    expect(outro.eventos).toEqual([]);
    expect(padrao.eventos.filter((e) => e.tramite.idt === idt).map((e) => e.situacao)).toEqual(
      [1, 2, 3, 4, 5, 6].map((s) => chave(s as 1)),
    );

    // One trâmite's feed, asked for receipts only.
    const soRecibos = nova(
      c.rem.token,
      `subscription($t: ID!) { e: eventosTramite(tramite: $t, tipos: [RECIBO_EMITIDO], aPartirDe: "0") { cursor recibo tramite { idt } } }`,
      {
        t: r0.tramite.id,
      },
    );
    await soRecibos.receber(2);
    await sleep(200);
    expect((soRecibos.eventos as unknown as EventoComTipo[]).map((e) => e.recibo)).toEqual(['ENVIO', 'CONCLUSAO']);
  });

  test('an empty `tipos` is a coded error', async () => {
    const sub = nova(c.rem.token, SUB_COM_TIPOS, { tipos: [] });
    await waitUntil('the error', () => sub.erros.length > 0 || sub.concluida);
    expect(sub.erros[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  test('a component received moves no status, version, count or pendência, and is not in the history', async () => {
    const a = arquivo('parecer.pdf');
    const b = arquivo('anexo.pdf');
    const r0 = await m.iniciar({ processo: PROCESSO_PUBLICO, documentos: documentosDe([a], [b]) });
    const tramiteId = dbId(r0.tramite.id);
    const PAINEL = `query($id: ID!) {
      painel { comoOrigem { total porSituacao { situacao quantidade } } }
      pendencias(first: 100) { nodes { id situacaoAlteradaEm } }
      node(id: $id) { ... on Tramite { situacao versao situacaoAlteradaEm diasNaSituacao historico { situacao } componentesPendentesDeEnvio { hash } } }
    }`;
    const ler = async () => {
      const res = await postGql(gw.gateway.url, PAINEL, { id: r0.tramite.id }, c.rem.token);
      expect(res.errors).toBeUndefined();
      return res.data!;
    };
    const antes = await ler();
    // The start's own event must be delivered before the live subscriptions open, or they may receive it.
    const inicio = await maxSeq(rows);
    await waitUntil('the bus to deliver the start', () => bus().posicao >= inicio);
    const pendencias = nova(c.rem.token, 'subscription { e: pendenciasAoVivo { cursor pendente tramite { idt situacao } } }');
    const rem = nova(c.rem.token, SUB_COM_TIPOS, { tipos: ['COMPONENTE_RECEBIDO'] });
    await emDia(2);

    const envio = await enviarComponentes(gw, c.rem.token, r0.tramite.idt, [a]);
    expect(envio.status).toBe(200);
    await rem.receber(1);
    const ultimo = await maxSeq(rows);
    await waitUntil('the bus to catch up with the log', () => bus().posicao >= ultimo);
    await sleep(300);

    expect((rem.eventos as unknown as EventoComTipo[]).map((e) => [e.tipo, e.componente?.hash, e.situacao])).toEqual([
      ['COMPONENTE_RECEBIDO', a.hash, chave(1)],
    ]);
    // Nothing entered, changed or left the pending list.
    expect(pendencias.eventos).toEqual([]);
    const depois = await ler();
    expect(depois.node.componentesPendentesDeEnvio).toEqual([{ hash: b.hash }]);
    expect({ ...depois.node, componentesPendentesDeEnvio: null }).toEqual({ ...antes.node, componentesPendentesDeEnvio: null });
    expect(depois.node.historico).toHaveLength(1);
    expect(depois.painel).toEqual(antes.painel);
    expect(depois.pendencias).toEqual(antes.pendencias);
    expect(
      await rows('select tipo::text as tipo, de_situacao, para_situacao from tramite_eventos where tramite_id = $1 order by seq', [
        tramiteId,
      ]),
    ).toEqual([
      { tipo: 'SITUACAO', de_situacao: null, para_situacao: 1 },
      { tipo: 'COMPONENTE_RECEBIDO', de_situacao: 1, para_situacao: 1 },
    ]);
  });
});

// The stuck-alert feed on both backends over graphql-ws: a pending trâmite crossing each configured threshold
// reaches its side's subscribers once (not the other side's), a replay by cursor resumes without gaps, and an alert
// about a status the trâmite has left is no longer delivered. The scan is the function the gateway schedules.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NUM_MGI, NUM_MS, REPO_EXECUTIVO } from '../src/demo/dados.js';
import { emitirAlertasParados } from '../src/tramites/alertas-parados.js';
import { SPE_MGI, SPE_SAUDE } from './support/accounts.js';
import { BACKENDS } from './support/backends.js';
import { assinar, type Assinatura } from './support/feeds.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { gid } from './support/ids.js';
import { waitUntil } from './support/wait.js';
import { CONTEUDO_DE_DEMO_GQL, passoComConteudo } from './support/tramites.js';
import { habilitada } from './support/configuracao.js';

const SUB = `subscription($aPartirDe: String, $limite: Int) {
  e: alertasParadosAoVivo(aPartirDe: $aPartirDe, limiteEmMinutos: $limite) { cursor limiteEmMinutos situacao acaoEsperada paradoDesde tramite { id } }
}`;
const MINUTO = 60_000;

interface Alerta {
  cursor: string;
  limiteEmMinutos: number;
  situacao: string;
  acaoEsperada: string;
  tramite: { id: string };
}

describe.each(BACKENDS)('%s', (backend) => {
  let gw: TestGateway;
  const abertas: Assinatura[] = [];
  const rows = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => gw.database.rows<T>(sql, params);
  const varrer = (agora: Date) => emitirAlertasParados(gw.database.db, { agora, limiaresMinutos: [60, 90] });
  const sub = (token: string, variables: Record<string, unknown> = {}) => {
    const s = assinar(gw.gateway.url, token, SUB, variables);
    abertas.push(s);
    return s;
  };
  const doTramite = (s: Assinatura, id: string) => (s.eventos as unknown as Alerta[]).filter((a) => a.tramite.id === id);

  beforeAll(async () => {
    gw = await startTestGateway(backend, { feedPollMs: 200 });
  });
  afterAll(async () => {
    for (const s of abertas) await s.conexao.encerrar();
    await gw?.close();
  });

  test('each threshold once, to the side that must act; resumable by cursor; a status left is no longer alerted', async () => {
    const t0 = new Date();
    await varrer(t0); // the demo's backlog, so what follows is about the new trâmite
    const [origem] = await rows<{ id: number }>(
      `select u.id::int as id from estruturas u join estruturas o on o.id = u.orgao_id
        where o.repositorio_id = $1 and o.numero_identificacao = $2 and ${habilitada('u', 'envio')} order by u.id limit 1`,
      [REPO_EXECUTIVO, NUM_MS],
    );
    const [destino] = await rows<{ id: number }>(
      `select u.id::int as id from estruturas u join estruturas o on o.id = u.orgao_id
        where o.repositorio_id = $1 and o.numero_identificacao = $2 and ${habilitada('u', 'recebimento')} order by u.id limit 1`,
      [REPO_EXECUTIVO, NUM_MGI],
    );
    const speMs = await gw.tokenOf(SPE_SAUDE);
    const speMgi = await gw.tokenOf(SPE_MGI);
    const remetente = sub(speMs);
    const destinatario = sub(speMgi);
    const so90 = sub(speMs, { limite: 90 });
    // Subscriptions are live once the server has them: wait for the connections to be acknowledged.
    await new Promise((r) => setTimeout(r, 500));

    const iniciado = await gw.ok(
      `mutation($input: IniciarTramiteInput!) { r: iniciarTramite(input: $input) { ... on TransicaoRealizada { tramite { id } } } }`,
      {
        input: {
          tipo: 'PROCESSO',
          numeroProcesso: `${backend}-alerta-1`,
          unidadeRemetente: gid('UnidadeAdministrativa', origem!.id),
          unidadeDestinataria: gid('UnidadeAdministrativa', destino!.id),
          ...CONTEUDO_DE_DEMO_GQL,
        },
      },
      speMs,
    );
    const id: string = iniciado.r.tramite.id;

    expect(await varrer(new Date(t0.getTime() + 59 * MINUTO))).toBeGreaterThanOrEqual(0);
    await varrer(new Date(Date.now() + 61 * MINUTO));
    await waitUntil('the 60-minute alert', () => doTramite(remetente, id).length === 1, 10_000);
    expect(doTramite(remetente, id)[0]).toMatchObject({
      limiteEmMinutos: 60,
      situacao: 'AGUARDANDO_ENVIO_ARQUIVOS',
      acaoEsperada: 'ENVIAR_COMPONENTES_DIGITAIS',
    });
    // Scanning again writes nothing new for it.
    await varrer(new Date(Date.now() + 62 * MINUTO));
    await varrer(new Date(Date.now() + 91 * MINUTO));
    await waitUntil('the 90-minute alert', () => doTramite(remetente, id).length === 2, 10_000);
    expect(doTramite(remetente, id).map((a) => a.limiteEmMinutos)).toEqual([60, 90]);
    await waitUntil('the 90-only subscriber', () => doTramite(so90, id).length === 1, 10_000);
    expect((so90.eventos as unknown as Alerta[]).every((a) => a.limiteEmMinutos === 90)).toBe(true);

    // Resuming after the 60-minute alert replays the 90-minute one first.
    const [a60] = doTramite(remetente, id);
    const retomada = sub(speMs, { aPartirDe: a60!.cursor });
    await waitUntil('the replay', () => doTramite(retomada, id).length >= 1, 10_000);
    expect(doTramite(retomada, id).map((a) => a.limiteEmMinutos)).toEqual([90]);

    // The step answers the alert: now the destination must act, and only its side hears of it.
    const upload = await passoComConteudo(gw.gateway.url, 'ENVIAR_COMPONENTES_DIGITAIS', id, speMs, {
      sucesso: 'tramite { id }',
      erro: 'codigo',
    });
    expect(upload.data.r.__typename).toBe('TransicaoRealizada');
    await varrer(new Date(Date.now() + 61 * MINUTO));
    await waitUntil('the destination’s alert', () => doTramite(destinatario, id).length === 1, 10_000);
    expect(doTramite(destinatario, id)[0]).toMatchObject({ limiteEmMinutos: 60, acaoEsperada: 'RECEBER_METADADOS' });
    // The sender's old alerts are about a status the trâmite left: a replay from the start no longer has them.
    const doInicio = sub(speMs, { aPartirDe: '0' });
    await waitUntil('the full replay', () => doInicio.eventos.length > 0 || doInicio.erros.length > 0, 10_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(doTramite(doInicio, id)).toEqual([]);
    expect(doTramite(remetente, id)).toHaveLength(2);
    const [linhas] = await rows<{ n: number }>('select count(*)::int as n from tramite_alertas where tramite_id = $1', [
      Number(Buffer.from(id, 'base64').toString().split(':')[1]),
    ]);
    expect(linhas!.n).toBe(3);
  });
});

// The control panel agrees with the list: for every demo account, every side and every status, each `painel` number is
// the `totalCount` of `tramites` for the same viewer, agency, period, side and status (a refused trâmite counts for
// its sender only). And `papel` without `orgao`/`unidade` applies to the viewer's own agency, or is refused.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_ACCOUNTS } from '../src/demo/seed.js';
import { SITUACAO_INFO, SITUACOES } from '../src/tramites/regras.js';
import { BACKENDS } from './support/backends.js';
import { startTestApp, type TestApp } from './support/gateway.js';
import { gid } from './support/ids.js';
import { GESTORA_MGI, PEN_ADMIN } from './support/accounts.js';

const DIA = 86_400_000;
const LADOS = [
  ['comoOrigem', 'ORIGEM'],
  ['comoDestino', 'DESTINO'],
] as const;

type Contagens = { total: number; porSituacao: { situacao: string; quantidade: number }[] };

describe.each(BACKENDS)('%s', (backend) => {
  let gw: TestApp;

  beforeAll(async () => {
    gw = await startTestApp(backend);
  });

  afterAll(async () => {
    await gw?.close();
  });

  const PAINEL = `query($orgao: ID, $sistema: ID, $desde: DateTime, $ate: DateTime) {
    painel(orgao: $orgao, sistema: $sistema, desde: $desde, ate: $ate) {
      comoOrigem { total porSituacao { situacao quantidade } }
      comoDestino { total porSituacao { situacao quantidade } }
    }
  }`;

  /** One query per side with every status's count of the list, as aliases (ten: within the alias limit users get). */
  const listas = (papel: (typeof LADOS)[number][1]) => `query($orgao: ID, $sistema: ID, $desde: DateTime, $ate: DateTime) {
    ${SITUACOES.map(
      (s) =>
        `${papel}_${s}: tramites(first: 0, filtro: { orgao: $orgao, sistema: $sistema, papel: ${papel}, situacoes: [${SITUACAO_INFO[s].chave}], criadoDesde: $desde, criadoAte: $ate }) { totalCount }`,
    ).join('\n')}
  }`;

  async function comparar(token: string, variables: Record<string, unknown>, quem: string) {
    const painel = (await gw.ok(PAINEL, variables, token)).painel as Record<string, Contagens>;
    let soma = 0;
    for (const [campo, papel] of LADOS) {
      const contagens = await gw.ok(listas(papel), variables, token);
      for (const s of SITUACOES) {
        const linha = painel[campo]!.porSituacao.find((p) => p.situacao === SITUACAO_INFO[s].chave)!;
        expect(linha.quantidade, `${quem}: ${campo}, status ${s}`).toBe(contagens[`${papel}_${s}`].totalCount);
        soma += linha.quantidade;
      }
    }
    return soma;
  }

  test('every agency account: each panel number is the list’s totalCount, all time and in a period', async () => {
    const agora = Date.now();
    const periodo = { desde: new Date(agora - 30 * DIA).toISOString(), ate: new Date(agora - 5 * DIA).toISOString() };
    let comAlgum = 0;
    for (const conta of DEMO_ACCOUNTS.filter((a) => a.orgao)) {
      const token = await gw.tokenOf(conta.sujeito);
      if ((await comparar(token, {}, conta.sujeito)) > 0) comAlgum += 1;
      await comparar(token, periodo, `${conta.sujeito} (period)`);
    }
    expect(comAlgum).toBeGreaterThan(0);
  });

  test('PEN_ADMIN: the same for every agency it names', async () => {
    const admin = await gw.tokenOf(PEN_ADMIN);
    const orgaos = await gw.database.rows<{ id: number; sigla: string }>(
      'select id::int as id, sigla from estruturas where pai_id is null order by id',
    );
    for (const o of orgaos) await comparar(admin, { orgao: gid('Orgao', o.id) }, `pen.admin on ${o.sigla}`);
  });

  test('by SPE: every agency account and PEN_ADMIN on each agency an SPE serves (and one it does not), all time and in a period', {
    timeout: 180_000,
  }, async () => {
    const agora = Date.now();
    const periodo = { desde: new Date(agora - 30 * DIA).toISOString(), ate: new Date(agora - 5 * DIA).toISOString() };
    const servidos = await gw.database.rows<{ sistema: number; orgaos: number[] }>(
      'select s.id::int as sistema, coalesce(array_agg(so.orgao_id::int order by so.orgao_id) filter (where so.orgao_id is not null), $1) as orgaos from sistemas s left join sistema_orgaos so on so.sistema_id = s.id group by s.id order by s.id',
      ['{}'],
    );
    const [outro] = await gw.database.rows<{ id: number }>(
      'select id::int as id from estruturas where pai_id is null order by id desc limit 1',
    );
    expect(servidos.length).toBeGreaterThan(1);
    const admin = await gw.tokenOf(PEN_ADMIN);
    let comAlgum = 0;
    for (const { sistema: id, orgaos } of servidos) {
      const sistema = gid('Sistema', id);
      for (const conta of DEMO_ACCOUNTS.filter((a) => a.orgao)) {
        const token = await gw.tokenOf(conta.sujeito);
        if ((await comparar(token, { sistema }, `${conta.sujeito} by SPE ${id}`)) > 0) comAlgum += 1;
      }
      for (const o of [...orgaos, ...(orgaos.includes(outro!.id) ? [] : [outro!.id])]) {
        await comparar(admin, { orgao: gid('Orgao', o), sistema }, `pen.admin on ${o} by SPE ${id}`);
        await comparar(admin, { orgao: gid('Orgao', o), sistema, ...periodo }, `pen.admin on ${o} by SPE ${id} (period)`);
      }
    }
    // Some accounts' sides are operated by an SPE and others are not: the filter narrows, it does not empty.
    expect(comAlgum).toBeGreaterThan(0);
  });

  test('a refused trâmite counts for its sender and not for its destination, in the panel as in the list', async () => {
    const [r] = await gw.database.rows<{ n: number }>('select count(*)::int as n from tramites where situacao in (8, 9)');
    expect(r!.n).toBeGreaterThan(0);
    const admin = await gw.tokenOf(PEN_ADMIN);
    const p = (await gw.ok(PAINEL, {}, admin)).painel as Record<string, Contagens>;
    // The platform's panel counts everything once per side; an agency's destination side never has 8 or 9.
    const [dest] = await gw.database.rows<{ id: number }>(
      'select destinatario_orgao_id::int as id from tramites where situacao = 8 limit 1',
    );
    const doDestino = (await gw.ok(PAINEL, { orgao: gid('Orgao', dest!.id) }, admin)).painel as Record<string, Contagens>;
    for (const chave of [SITUACAO_INFO[8].chave, SITUACAO_INFO[9].chave]) {
      expect(doDestino.comoDestino!.porSituacao.find((x) => x.situacao === chave)!.quantidade).toBe(0);
    }
    expect(p.comoOrigem!.total).toBeGreaterThan(0);
  });

  test('papel without orgao or unidade applies to the viewer’s own agency', async () => {
    const ana = await gw.tokenOf(GESTORA_MGI);
    const [mgi] = await gw.database.rows<{ id: number }>("select id::int as id from estruturas where pai_id is null and sigla = 'MGI'");
    for (const papel of ['ORIGEM', 'DESTINO']) {
      const implicito = await gw.ok(`{ tramites(first: 0, filtro: { papel: ${papel} }) { totalCount } }`, {}, ana);
      const explicito = await gw.ok(
        `query($o: ID) { tramites(first: 0, filtro: { orgao: $o, papel: ${papel} }) { totalCount } }`,
        { o: gid('Orgao', mgi!.id) },
        ana,
      );
      expect(implicito.tramites.totalCount, papel).toBe(explicito.tramites.totalCount);
    }
    const origem = await gw.ok('{ tramites(first: 0, filtro: { papel: ORIGEM }) { totalCount } }', {}, ana);
    const todos = await gw.ok('{ tramites(first: 0) { totalCount } }', {}, ana);
    expect(origem.tramites.totalCount).toBeLessThan(todos.tramites.totalCount);
  });

  test('papel without orgao or unidade from PEN_ADMIN (no agency) is BAD_USER_INPUT, not ignored', async () => {
    const res = await gw.gql('{ tramites(first: 1, filtro: { papel: DESTINO }) { totalCount } }', {}, await gw.tokenOf(PEN_ADMIN));
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'filtro.papel' });
    expect(res.data ?? null).toBeNull();
  });
});

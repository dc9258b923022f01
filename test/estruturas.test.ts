// Structures on both backends, over HTTP: the search (accents, case, ranking, pages, inactive units, flags), the
// lookup by (repositório, número) with the platform's 0055, the repositórios list, the configuration mutations of the
// agency's gestor (another agency's unit refused with nothing written) and centralising redirection (`unidadeReceptora`).
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NUM_MGI, NUM_MS, REPO_EXECUTIVO } from '../src/demo/dados.js';
import { LIMITE_BUSCA_ESTRUTURAS } from '../src/orgaos/consultas.js';
import { GESTOR_SAUDE, GESTORA_MGI, SPE_MGI, SPE_SAUDE } from './support/accounts.js';
import { BACKENDS } from './support/backends.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { dbId, gid } from './support/ids.js';
import { CONTEUDO_DE_DEMO_GQL, passoComConteudo } from './support/tramites.js';
import { centralizadaPor, centralizadora, habilitada } from './support/configuracao.js';

const BUSCA = `query($busca: String, $first: Int, $after: String, $ativo: Boolean, $permiteRecebimento: Boolean, $permiteEnvio: Boolean, $repositorio: Int) {
  estruturas(busca: $busca, first: $first, after: $after, ativo: $ativo, permiteRecebimento: $permiteRecebimento, permiteEnvio: $permiteEnvio, repositorio: $repositorio) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id sigla nome ativo habilitadaEnvio habilitadaRecebimento modoTramitacao aptaParaReceberTramites orgao { sigla } }
  }
}`;

const RESULTADO = `__typename
  ... on Erro { codigo codigoPlataforma mensagem }
  ... on ConfiguracaoEstruturaAlterada {
    unidades { id modoTramitacao centralizadora unidadeCentralizadora { id } }
    eventos { tipo ator ocorridoEm unidade { id } antes { modoTramitacao centralizadora } depois { modoTramitacao centralizadora unidadeCentralizadora { id } } }
  }`;
const MODO = `mutation($input: DefinirModoTramitacaoInput!) { r: definirModoTramitacao(input: $input) { ${RESULTADO} } }`;
const CENTRAL = `mutation($input: DefinirUnidadeCentralizadoraInput!) { r: definirUnidadeCentralizadora(input: $input) { ${RESULTADO} } }`;
const CENTRALIZADAS = `mutation($input: DefinirUnidadesCentralizadasInput!) { r: definirUnidadesCentralizadas(input: $input) { ${RESULTADO} } }`;
const INICIAR = `mutation($input: IniciarTramiteInput!) { r: iniciarTramite(input: $input) {
  __typename ... on Erro { codigo }
  ... on TransicaoRealizada { tramite { id unidadeDestinataria { id } unidadeReceptora { id } } }
} }`;

interface Unidade {
  id: number;
  sigla: string;
  nome: string;
  orgao_id: number;
  habilitada_envio: boolean;
  habilitada_recebimento: boolean;
  centralizadora: boolean;
}

/** PostgreSQL's own folding, written independently of the gateway's: lower-case and without accents. */
const dobrar = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
/** Whether every word of `busca` starts a word of the unit's sigla or name (the search's rule), folded independently. */
const encontra = (u: { sigla: string; nome: string }, busca: string) => {
  const palavras = dobrar(`${u.sigla} ${u.nome}`).split(/[^\p{L}\p{N}]+/u);
  return dobrar(busca)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .every((termo) => palavras.some((p) => p.startsWith(termo)));
};

describe.each(BACKENDS)('%s', (backend) => {
  let gw: TestGateway;
  let processo = 0;
  const rows = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => gw.database.rows<T>(sql, params);
  const unidadesDe = (numero: number) =>
    rows<Unidade>(
      `select u.id::int as id, u.sigla, u.nome, u.orgao_id::int as orgao_id,
              ${habilitada('u', 'envio')} as habilitada_envio, ${habilitada('u', 'recebimento')} as habilitada_recebimento,
              ${centralizadora('u')} as centralizadora
         from estruturas u join estruturas o on o.id = u.orgao_id
        where o.repositorio_id = $1 and o.numero_identificacao = $2 order by u.id`,
      [REPO_EXECUTIVO, numero],
    );

  beforeAll(async () => {
    gw = await startTestGateway(backend);
  });
  afterAll(async () => {
    await gw?.close();
  });

  test('repositorios: production ids 1 to 14, 9 (TJMG) inactive', async () => {
    const token = await gw.tokenOf(SPE_MGI);
    const todos = (await gw.ok('{ repositorios { codigo nome ativo } }', {}, token)).repositorios;
    expect(todos.map((r: { codigo: number }) => r.codigo)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(todos[0]).toEqual({ codigo: 1, nome: 'Poder Executivo Federal', ativo: true });
    expect(todos.filter((r: { ativo: boolean }) => !r.ativo).map((r: { codigo: number }) => r.codigo)).toEqual([9]);
    const ativos = (await gw.ok('{ repositorios(ativos: true) { codigo } }', {}, token)).repositorios;
    expect(ativos.map((r: { codigo: number }) => r.codigo)).not.toContain(9);
    // The demo's structures live in those repositories.
    const fora = await rows('select id from estruturas where repositorio_id not between 1 and 14');
    expect(fora).toEqual([]);
  });

  test('search ignores accents and case, words in any order; every match is one the folded words find', async () => {
    const token = await gw.tokenOf(SPE_MGI);
    const [ms] = await rows<{ nome: string }>('select nome from estruturas where pai_id is null and numero_identificacao = $1', [NUM_MS]);
    expect(ms!.nome).toMatch(/Saúde/);
    const todas = await rows<{ id: number; sigla: string; nome: string }>('select id::int as id, sigla, nome from estruturas');
    const esperado = todas
      .filter((u) => encontra(u, 'saude'))
      .map((u) => u.id)
      .sort((a, b) => a - b);
    expect(esperado.length).toBeGreaterThan(0);
    for (const busca of ['saude', 'SAÚDE', 'SaUdE']) {
      const r = (await gw.ok(BUSCA, { busca, first: 100 }, token)).estruturas;
      expect(r.totalCount, busca).toBe(esperado.length);
      expect(
        r.nodes.map((n: { id: string }) => dbId(n.id)).sort((a: number, b: number) => a - b),
        busca,
      ).toEqual(esperado);
    }
    const ordem = (await gw.ok(BUSCA, { busca: 'saúde ministério', first: 100 }, token)).estruturas;
    const ordemInvertida = (await gw.ok(BUSCA, { busca: 'MINISTERIO saude', first: 100 }, token)).estruturas;
    expect(ordem.totalCount).toBeGreaterThan(0);
    expect(ordemInvertida.totalCount).toBe(ordem.totalCount);
    for (const n of ordem.nodes) expect(dobrar(`${n.sigla} ${n.nome}`)).toMatch(/(?=.*saude)(?=.*ministerio)/);
  });

  test('ranking: the unit whose sigla is the search comes first; pages of 3 add up to the whole list', async () => {
    const token = await gw.tokenOf(SPE_MGI);
    const [alvo] = await rows<{ sigla: string }>(
      `select sigla from estruturas where length(sigla) >= 4 and pai_id is not null order by id limit 1`,
    );
    const primeira = (await gw.ok(BUSCA, { busca: alvo!.sigla.toLowerCase(), first: 5 }, token)).estruturas;
    expect(primeira.nodes[0].sigla).toBe(alvo!.sigla);
    const inteira = (await gw.ok(BUSCA, { busca: 'secretaria', first: 100 }, token)).estruturas;
    expect(inteira.totalCount).toBeGreaterThan(3);
    const paginas: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 50; i++) {
      const p: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } = (
        await gw.ok(BUSCA, { busca: 'secretaria', first: 3, after }, token)
      ).estruturas;
      paginas.push(...p.nodes.map((n) => n.id));
      if (!p.pageInfo.hasNextPage) break;
      after = p.pageInfo.endCursor;
    }
    expect(paginas).toEqual(inteira.nodes.slice(0, paginas.length).map((n: { id: string }) => n.id));
    expect(paginas.length).toBe(Math.min(inteira.totalCount, 100));
    const ruim = await gw.gql(BUSCA, { busca: 'secretaria', after: 'bm9wZQ==' }, token);
    expect(ruim.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
  });

  test('flags: permiteRecebimento / permiteEnvio filter exactly, counted as in SQL', async () => {
    const token = await gw.tokenOf(SPE_MGI);
    const [contagem] = await rows<{ r: number; e: number }>(
      `select (count(*) filter (where ${habilitada('u', 'recebimento')}))::int as r,
              (count(*) filter (where ${habilitada('u', 'envio')} and not ${habilitada('u', 'recebimento')}))::int as e
         from estruturas u`,
    );
    const r = (await gw.ok(BUSCA, { permiteRecebimento: true, first: 100 }, token)).estruturas;
    expect(r.totalCount).toBe(contagem!.r);
    for (const n of r.nodes) expect(n.habilitadaRecebimento).toBe(true);
    const e = (await gw.ok(BUSCA, { permiteEnvio: true, permiteRecebimento: false, first: 100 }, token)).estruturas;
    expect(e.totalCount).toBe(contagem!.e);
    for (const n of e.nodes) expect(n.modoTramitacao).toBe('SOMENTE_ENVIO');
  });

  test('an inactive unit is found and marked, left out with ativo: true, and cannot receive', async () => {
    const token = await gw.tokenOf(SPE_SAUDE);
    const [destino] = (await unidadesDe(NUM_MGI)).filter((u) => u.habilitada_recebimento && !u.centralizadora && u.id !== u.orgao_id);
    await rows('update estruturas set ativo = false where id = $1', [destino!.id]);
    try {
      const achadas = (await gw.ok(BUSCA, { busca: destino!.nome, first: 100 }, token)).estruturas.nodes;
      expect(achadas.find((n: { id: string }) => dbId(n.id) === destino!.id)).toMatchObject({
        ativo: false,
        aptaParaReceberTramites: false,
      });
      const ativas = (await gw.ok(BUSCA, { busca: destino!.nome, first: 100, ativo: true }, token)).estruturas.nodes;
      expect(ativas.map((n: { id: string }) => dbId(n.id))).not.toContain(destino!.id);
      const [origem] = (await unidadesDe(NUM_MS)).filter((u) => u.habilitada_envio);
      const r = await gw.ok(INICIAR, { input: inicio(origem!.id, destino!.id) }, token);
      expect(r.r).toEqual({ __typename: 'ErroUnidadeNaoHabilitada', codigo: 'UNIDADE_NAO_HABILITADA' });
    } finally {
      await rows('update estruturas set ativo = true where id = $1', [destino!.id]);
    }
  });

  test('more matches than the limit: a broad, a narrow, a prefix and a two-word term rank and count as the folded words say', async () => {
    const token = await gw.tokenOf(SPE_MGI);
    const [mgi] = await rows<{ id: number; repositorio_id: number }>(
      'select id::int as id, repositorio_id::int as repositorio_id from estruturas where pai_id is null and numero_identificacao = $1',
      [NUM_MGI],
    );
    // Every 4th a broad match, every 300th a narrow one.
    const extras = 3000;
    await rows(
      `insert into estruturas (repositorio_id, numero_identificacao, sigla, nome, pai_id, orgao_id)
       select $1::int, 90000000 + g, 'ZQ' || g,
              case when g % 300 = 0 then 'Seção de Paleografia ' when g % 4 = 0 then 'Núcleo de Arquivologia ' else 'Setor ' end || g,
              $2::int, $2::int
         from generate_series(1, $3::int) g`,
      [mgi!.repositorio_id, mgi!.id, extras],
    );
    try {
      const todas = await rows<{ id: number; sigla: string; nome: string }>('select id::int as id, sigla, nome from estruturas');
      const porSigla = (termo: string) =>
        todas
          .filter((u) => encontra(u, termo))
          .sort((a, b) => (dobrar(a.sigla) < dobrar(b.sigla) ? -1 : dobrar(a.sigla) > dobrar(b.sigla) ? 1 : a.id - b.id))
          .map((u) => u.id);
      const Q = `query($busca: String, $after: String) { estruturas(busca: $busca, first: 20, after: $after) {
        totalCount totalCountLimitado pageInfo { endCursor } nodes { id } } }`;
      // Whole-word matches all tie on similarity: the order is the sigla's.
      const amplas = porSigla('arquivologia');
      expect(amplas.length).toBeGreaterThan(LIMITE_BUSCA_ESTRUTURAS);
      const p1 = (await gw.ok(Q, { busca: 'ARQUIVOLOGIA' }, token)).estruturas;
      expect(p1).toMatchObject({ totalCount: LIMITE_BUSCA_ESTRUTURAS, totalCountLimitado: true });
      const p2 = (await gw.ok(Q, { busca: 'arquivologia', after: p1.pageInfo.endCursor }, token)).estruturas;
      expect([...p1.nodes, ...p2.nodes].map((n: { id: string }) => dbId(n.id))).toEqual(amplas.slice(0, 40));
      const estreitas = porSigla('paleografia');
      expect(estreitas.length).toBeGreaterThan(0);
      const p = (await gw.ok(Q, { busca: 'paleográfia' }, token)).estruturas;
      expect(p).toMatchObject({ totalCount: estreitas.length, totalCountLimitado: false });
      expect(p.nodes.map((n: { id: string }) => dbId(n.id))).toEqual(estreitas.slice(0, 20));
      // A word's beginning finds it ("arquivolog"); its middle does not ("quivologia").
      expect((await gw.ok(Q, { busca: 'Arquivológ' }, token)).estruturas).toMatchObject({ totalCount: LIMITE_BUSCA_ESTRUTURAS });
      expect((await gw.ok(Q, { busca: 'quivologia' }, token)).estruturas).toMatchObject({ totalCount: 0, nodes: [] });
      // Two words, the rarer one (numbers starting with 12) driving: the exact set, whatever their order.
      const duas = porSigla('arquivologia 12');
      expect(duas.length).toBeGreaterThan(20);
      expect(duas.length).toBeLessThan(LIMITE_BUSCA_ESTRUTURAS);
      const Q100 = `query($busca: String) { estruturas(busca: $busca, first: 100) { totalCount totalCountLimitado nodes { id } } }`;
      const achadas = (await gw.ok(Q100, { busca: '12 ARQUIVOLOGIA' }, token)).estruturas;
      expect(achadas).toMatchObject({ totalCount: duas.length, totalCountLimitado: false });
      expect(achadas.nodes.map((n: { id: string }) => dbId(n.id)).sort((a: number, b: number) => a - b)).toEqual(
        [...duas].sort((a, b) => a - b),
      );
    } finally {
      // 3,000 units, each checked against every foreign key to estruturas (27): 2.7-4.8 s at load ~9, past a read's
      // 10 s statement timeout at load ~15, so the cleanup gets a bound of its own.
      await gw.database.db.transaction(async (tx) => {
        await tx.execute(sql`set local statement_timeout = '60s'`);
        await tx.execute(sql`delete from estruturas where numero_identificacao > 90000000 and orgao_id = ${mgi!.id}`);
      });
    }
  });

  test('the words follow the units in the statement that writes them: a new unit, a rename, a flag change, a removal', async () => {
    const token = await gw.tokenOf(SPE_MGI);
    const [mgi] = await rows<{ id: number; repositorio_id: number }>(
      'select id::int as id, repositorio_id::int as repositorio_id from estruturas where pai_id is null and numero_identificacao = $1',
      [NUM_MGI],
    );
    const achadas = async (busca: string) =>
      (await gw.ok(BUSCA, { busca, first: 100 }, token)).estruturas.nodes.map((n: { id: string }) => dbId(n.id));
    const palavrasDe = (id: number) =>
      rows<{ palavra: string }>('select palavra from estrutura_palavras where estrutura_id = $1 order by palavra', [id]);
    const [nova] = await rows<{ id: number }>(
      `insert into estruturas (repositorio_id, numero_identificacao, sigla, nome, pai_id, orgao_id)
       values ($1, 91000001, 'XG-MGI', 'Seção de Xilogravura Ártica', $2, $2) returning id::int as id`,
      [mgi!.repositorio_id, mgi!.id],
    );
    try {
      expect(await achadas('xilogravura ARTICA')).toEqual([nova!.id]);
      expect(await achadas('xg')).toEqual([nova!.id]);
      expect((await palavrasDe(nova!.id)).map((p) => p.palavra)).toEqual(['artica', 'de', 'mgi', 'secao', 'xg', 'xilogravura']);
      await rows(`update estruturas set nome = 'Seção de Litogravura' where id = $1`, [nova!.id]);
      expect(await achadas('xilogravura')).toEqual([]);
      expect(await achadas('litográvura')).toEqual([nova!.id]);
      const antes = await palavrasDe(nova!.id);
      await rows('update estruturas set ativo = false where id = $1', [nova!.id]);
      expect(await palavrasDe(nova!.id)).toEqual(antes);
      expect(await achadas('litogravura')).toEqual([nova!.id]);
    } finally {
      await rows('delete from estruturas where id = $1', [nova!.id]);
    }
    expect(await palavrasDe(nova!.id)).toEqual([]);
    expect(await achadas('litogravura')).toEqual([]);
  });

  test('estrutura(repositorio, numeroIdentificacao): the unit, or NOT_FOUND with the platform code 0055', async () => {
    const token = await gw.tokenOf(SPE_MGI);
    const q = 'query($r: Int!, $n: Int!) { estrutura(repositorio: $r, numeroIdentificacao: $n) { sigla ativo } }';
    expect((await gw.ok(q, { r: REPO_EXECUTIVO, n: NUM_MGI }, token)).estrutura).toEqual({ sigla: 'MGI', ativo: true });
    const fora = await gw.gql(q, { r: 4, n: NUM_MGI }, token);
    expect(fora.data?.estrutura ?? null).toBeNull();
    expect(fora.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', codigoPlataforma: '0055' });
  });

  function inicio(remetente: number, destinataria: number) {
    processo += 1;
    return {
      tipo: 'PROCESSO',
      numeroProcesso: `${backend}-estruturas-${processo}`,
      unidadeRemetente: gid('UnidadeAdministrativa', remetente),
      unidadeDestinataria: gid('UnidadeAdministrativa', destinataria),
      ...CONTEUDO_DE_DEMO_GQL,
    };
  }

  test('configuration: the gestor sets a unit’s mode, recorded with who and when; another agency’s unit or an SPE is refused, nothing written', async () => {
    const gestora = await gw.tokenOf(GESTORA_MGI);
    const unidades = await unidadesDe(NUM_MGI);
    const alvo = unidades.find((u) => u.habilitada_envio && u.habilitada_recebimento && !u.centralizadora && u.id !== u.orgao_id)!;
    const r = (await gw.ok(MODO, { input: { unidade: gid('UnidadeAdministrativa', alvo.id), modo: 'SOMENTE_ENVIO' } }, gestora)).r;
    expect(r.__typename).toBe('ConfiguracaoEstruturaAlterada');
    expect(r.unidades[0].modoTramitacao).toBe('SOMENTE_ENVIO');
    expect(r.eventos).toEqual([
      expect.objectContaining({
        tipo: 'MODO_TRAMITACAO',
        ator: GESTORA_MGI,
        antes: { modoTramitacao: 'ENVIO_E_RECEBIMENTO', centralizadora: false },
        depois: { modoTramitacao: 'SOMENTE_ENVIO', centralizadora: false, unidadeCentralizadora: null },
      }),
    ]);
    const [linha] = await rows<{ e: boolean; r: boolean }>(
      `select ${habilitada('u', 'envio')} as e, ${habilitada('u', 'recebimento')} as r from estruturas u where u.id = $1`,
      [alvo.id],
    );
    expect(linha).toEqual({ e: true, r: false });
    const historico = await gw.ok(
      `query($id: ID!) { node(id: $id) { ... on UnidadeAdministrativa { historicoDeConfiguracao { tipo ator } } } }`,
      { id: gid('UnidadeAdministrativa', alvo.id) },
      gestora,
    );
    expect(historico.node.historicoDeConfiguracao[0]).toEqual({ tipo: 'MODO_TRAMITACAO', ator: GESTORA_MGI });
    // Another agency's gestor cannot read it either.
    const outro = await gw.ok(
      `query($id: ID!) { node(id: $id) { ... on UnidadeAdministrativa { historicoDeConfiguracao { tipo } } } }`,
      { id: gid('UnidadeAdministrativa', alvo.id) },
      await gw.tokenOf(GESTOR_SAUDE),
    );
    expect(outro.node.historicoDeConfiguracao).toBeNull();

    const antes = await rows('select * from estruturas order by id');
    const [eventosAntes] = await rows<{ n: number }>('select count(*)::int as n from estrutura_eventos');
    const deSaude = (await unidadesDe(NUM_MS)).find((u) => u.id !== u.orgao_id)!;
    const recusa = (await gw.ok(MODO, { input: { unidade: gid('UnidadeAdministrativa', deSaude.id), modo: 'NAO_HABILITADA' } }, gestora)).r;
    expect(recusa).toMatchObject({ __typename: 'ErroUnidadeDeOutroOrgao', codigo: 'UNIDADE_DE_OUTRO_ORGAO' });
    const mista = (
      await gw.ok(
        CENTRALIZADAS,
        { input: { centralizadora: gid('UnidadeAdministrativa', alvo.id), unidades: [gid('UnidadeAdministrativa', deSaude.id)] } },
        gestora,
      )
    ).r;
    expect(mista.__typename).toBe('ErroUnidadeDeOutroOrgao');
    const spe = (
      await gw.ok(MODO, { input: { unidade: gid('UnidadeAdministrativa', alvo.id), modo: 'NAO_HABILITADA' } }, await gw.tokenOf(SPE_MGI))
    ).r;
    expect(spe.__typename).toBe('ErroConfiguracaoNaoPermitida');
    expect(await rows('select * from estruturas order by id')).toEqual(antes);
    expect(await rows('select count(*)::int as n from estrutura_eventos')).toEqual([eventosAntes]);
    await gw.ok(MODO, { input: { unidade: gid('UnidadeAdministrativa', alvo.id), modo: 'ENVIO_E_RECEBIMENTO' } }, gestora);
  });

  test('centralising: a trâmite to a covered unit is received by the centralising unit (unidadeReceptora), the destination stays; unmarking undoes it', async () => {
    const gestora = await gw.tokenOf(GESTORA_MGI);
    const spe = await gw.tokenOf(SPE_SAUDE);
    const unidades = await unidadesDe(NUM_MGI);
    const [central, coberta] = unidades.filter((u) => u.habilitada_recebimento && !u.centralizadora && u.id !== u.orgao_id);
    const [origem] = (await unidadesDe(NUM_MS)).filter((u) => u.habilitada_envio);
    const uid = (id: number) => gid('UnidadeAdministrativa', id);
    // The covered unit receives only through its centralising unit.
    await gw.ok(MODO, { input: { unidade: uid(coberta!.id), modo: 'SOMENTE_ENVIO' } }, gestora);
    expect((await gw.ok(INICIAR, { input: inicio(origem!.id, coberta!.id) }, spe)).r.__typename).toBe('ErroUnidadeNaoHabilitada');

    const marcada = (await gw.ok(CENTRAL, { input: { unidade: uid(central!.id), centralizadora: true } }, gestora)).r;
    expect(marcada.unidades[0].centralizadora).toBe(true);
    const cobertura = (await gw.ok(CENTRALIZADAS, { input: { centralizadora: uid(central!.id), unidades: [uid(coberta!.id)] } }, gestora))
      .r;
    expect(cobertura.eventos).toEqual([
      expect.objectContaining({
        tipo: 'UNIDADE_CENTRALIZADORA',
        unidade: { id: uid(coberta!.id) },
        depois: expect.objectContaining({ unidadeCentralizadora: { id: uid(central!.id) } }),
      }),
    ]);
    const lida = await gw.ok(
      `query($id: ID!) { node(id: $id) { ... on UnidadeAdministrativa { aptaParaReceberTramites unidadeCentralizadora { id } } } }`,
      { id: uid(coberta!.id) },
      spe,
    );
    expect(lida.node).toEqual({ aptaParaReceberTramites: true, unidadeCentralizadora: { id: uid(central!.id) } });

    const iniciado = (await gw.ok(INICIAR, { input: inicio(origem!.id, coberta!.id) }, spe)).r;
    expect(iniciado.__typename).toBe('TransicaoRealizada');
    expect(iniciado.tramite.unidadeDestinataria).toEqual({ id: uid(coberta!.id) });
    expect(iniciado.tramite.unidadeReceptora).toEqual({ id: uid(central!.id) });
    // The centralising unit's list as destination has it; the agency's pending list too once it is the destination's turn (the same agency's side).
    const tokenMgi = await gw.tokenOf(SPE_MGI);
    const daCentral = await gw.ok(
      `query($u: ID!) { tramites(first: 100, filtro: { unidade: $u, papel: DESTINO }) { nodes { id } } }`,
      { u: uid(central!.id) },
      tokenMgi,
    );
    expect(daCentral.tramites.nodes).toContainEqual({ id: iniciado.tramite.id });
    // The upload: the platform moves it to 2, the destination's turn.
    const enviado = await passoComConteudo(gw.gateway.url, 'ENVIAR_COMPONENTES_DIGITAIS', iniciado.tramite.id, spe, {
      sucesso: 'tramite { id }',
      erro: 'codigo',
    });
    expect(enviado.data.r.__typename).toBe('TransicaoRealizada');
    const pendencias = await gw.ok('{ pendencias(first: 100) { nodes { id acaoEsperada } } }', {}, tokenMgi);
    expect(pendencias.pendencias.nodes.map((n: { id: string }) => n.id)).toContain(iniciado.tramite.id);

    // Unmarking: the covered unit receives by itself again (here: not at all, it only sends).
    const desmarcada = (await gw.ok(CENTRAL, { input: { unidade: uid(central!.id), centralizadora: false } }, gestora)).r;
    expect(desmarcada.eventos.map((e: { tipo: string }) => e.tipo)).toEqual(['UNIDADE_CENTRALIZADORA', 'CENTRALIZADORA']);
    expect(await rows(`select ${centralizadaPor('u')} as centralizada_por from estruturas u where u.id = $1`, [coberta!.id])).toEqual([
      { centralizada_por: null },
    ]);
    expect((await gw.ok(INICIAR, { input: inicio(origem!.id, coberta!.id) }, spe)).r.__typename).toBe('ErroUnidadeNaoHabilitada');
    // The trâmite already started keeps its receiver.
    expect(await rows('select unidade_receptora_id::int as r from tramites where id = $1', [dbId(iniciado.tramite.id)])).toEqual([
      { r: central!.id },
    ]);
  });
});

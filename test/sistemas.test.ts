// The SPE entity over HTTP, on both backends (docs/domain.md §5): systems and the agencies they serve, and an SPE
// credential serving several agencies, which names the agency in each operation. Expectations come from the demo's
// data (src/demo/dados.ts `SISTEMAS`) read back by SQL, and from regras.ts's step table.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mintToken } from '../src/identity/tokens.js';
import { PASSO_POR_ACAO, type Acao } from '../src/tramites/regras.js';
import { BACKENDS } from './support/backends.js';
import { startTestGateway, TEST_JWT_SECRET, type TestGateway } from './support/gateway.js';
import { gid } from './support/ids.js';
import { CONTEUDO_DE_DEMO_GQL, passoComConteudo } from './support/tramites.js';
import { habilitada } from './support/configuracao.js';

const SELECAO = { sucesso: 'tramite { id codigoSituacao } evento { lado }', erro: 'codigo mensagem' };
const RESULTADO = `__typename ... on TransicaoRealizada { ${SELECAO.sucesso} } ... on Erro { ${SELECAO.erro} }`;

const CAMINHO: Array<Exclude<Acao, 'INICIAR' | 'CANCELAR_AUTOMATICAMENTE'>> = [
  'ENVIAR_COMPONENTES_DIGITAIS',
  'RECEBER_METADADOS',
  'RECEBER_COMPONENTES_DIGITAIS',
  'ENVIAR_RECIBO_CONCLUSAO',
  'RECEBER_RECIBO_CONCLUSAO',
];

describe.each(BACKENDS)('%s', (backend) => {
  let app: TestGateway;
  let dataprev: string;
  let servidos: Array<{ id: number; sigla: string; unidade: number }>;
  let naoServido: { id: number; sigla: string };
  let seq = 0;
  const rows = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => app.database.rows<T>(sql, params);
  const contar = async () => (await rows<{ n: number }>('select count(*)::int as n from tramites'))[0]!.n;

  beforeAll(async () => {
    app = await startTestGateway(backend);
    const [sistema] = await rows<{ codigo: string }>(`select codigo from sistemas where gestor_tecnologico <> 'Interno' limit 1`);
    servidos = await rows(
      `select r.id::int, r.sigla,
              (select min(u.id)::int from estruturas u where u.orgao_id = r.id and ${habilitada('u', 'envio')} and ${habilitada('u', 'recebimento')}) as unidade
         from sistema_orgaos so join sistemas s on s.id = so.sistema_id join estruturas r on r.id = so.orgao_id
        where s.codigo = $1 order by r.id`,
      [sistema!.codigo],
    );
    if (servidos.length < 2 || servidos.some((s) => s.unidade == null))
      throw new Error('the demo needs an SPE serving two agencies with units');
    naoServido = (
      await rows<{ id: number; sigla: string }>(
        `select r.id::int, r.sigla from estruturas r where r.pai_id is null
          and r.id not in (select orgao_id from sistema_orgaos so join sistemas s on s.id = so.sistema_id where s.codigo = $1) limit 1`,
        [sistema!.codigo],
      )
    )[0]!;
    dataprev = await mintToken(TEST_JWT_SECRET, { sub: `spe:${sistema!.codigo}`, orgao: null, roles: ['SPE'], spe: sistema!.codigo });
  });

  afterAll(async () => {
    await app?.close();
  });

  test('Sistema lists the agencies it serves and Orgao.sistemas its SPEs, as recorded', async () => {
    const data = await app.ok('{ sistemas { codigo nome sistema gestorTecnologico orgaos { sigla } } }', {}, dataprev);
    const esperado = await rows<{ codigo: string; siglas: string }>(
      `select s.codigo, string_agg(r.sigla, ',' order by r.sigla) as siglas
         from sistemas s join sistema_orgaos so on so.sistema_id = s.id join estruturas r on r.id = so.orgao_id group by s.codigo`,
    );
    expect(data.sistemas.length).toBe(esperado.length);
    for (const s of data.sistemas) {
      expect(s.orgaos.map((o: { sigla: string }) => o.sigla).join(','), s.codigo).toBe(esperado.find((e) => e.codigo === s.codigo)!.siglas);
    }
    const orgao = await app.ok(
      'query($id: ID!) { node(id: $id) { ... on Orgao { sistemas { nome } } } }',
      { id: gid('Orgao', servidos[0]!.id) },
      dataprev,
    );
    expect(orgao.node.sistemas.length).toBeGreaterThanOrEqual(2); // its own SPE and the shared one
  });

  async function iniciar(orgao: number | null, de = servidos[0]!, para = servidos[1]!) {
    const data = await app.ok(
      `mutation($input: IniciarTramiteInput!) { r: iniciarTramite(input: $input) { ${RESULTADO} } }`,
      {
        input: {
          tipo: 'PROCESSO',
          numeroProcesso: `${backend}-spe-${Date.now()}-${++seq}`,
          unidadeRemetente: gid('UnidadeAdministrativa', de.unidade),
          unidadeDestinataria: gid('UnidadeAdministrativa', para.unidade),
          ...CONTEUDO_DE_DEMO_GQL,
          ...(orgao != null ? { orgao: gid('Orgao', orgao) } : {}),
        },
      },
      dataprev,
    );
    return data.r as Record<string, any>;
  }

  async function passo(acao: (typeof CAMINHO)[number], tramite: string, orgao: number | null) {
    const res = await passoComConteudo(
      app.gateway.url,
      acao,
      tramite,
      dataprev,
      SELECAO,
      orgao != null ? { orgao: gid('Orgao', orgao) } : {},
    );
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data.r as Record<string, any>;
  }

  test('an SPE serving several agencies must name one, and only one it serves: coded errors, nothing written', async () => {
    const antes = await contar();
    expect(await iniciar(null)).toMatchObject({ __typename: 'ErroOrgaoNaoServido', codigo: 'ORGAO_NAO_SERVIDO' });
    expect(await iniciar(naoServido.id)).toMatchObject({ __typename: 'ErroOrgaoNaoServido', codigo: 'ORGAO_NAO_SERVIDO' });
    expect(await contar()).toBe(antes);
  });

  test('role × step for the SPE serving both sides: each step by the side it names; the other side or an unserved agency is refused', async () => {
    const [rem, des] = servidos as [(typeof servidos)[0], (typeof servidos)[0]];
    const inicio = await iniciar(rem.id);
    expect(inicio.__typename, JSON.stringify(inicio)).toBe('TransicaoRealizada');
    const id = inicio.tramite.id as string;
    for (const acao of CAMINHO) {
      const certo = PASSO_POR_ACAO[acao].lado === 'REMETENTE' ? rem : des;
      const outro = certo === rem ? des : rem;
      const versao = (
        await rows<{ v: number }>('select versao::int as v from tramites where id = $1', [
          Number(
            JSON.parse(
              Buffer.from(id, 'base64')
                .toString()
                .replace(/^[^:]+:/, '"')
                .concat('"'),
            ),
          ),
        ]).catch(() => [])
      )[0];
      void versao;
      expect(await passo(acao, id, null), `${acao} without orgao`).toMatchObject({ __typename: 'ErroOrgaoNaoServido' });
      expect(await passo(acao, id, naoServido.id), `${acao} naming ${naoServido.sigla}`).toMatchObject({
        __typename: 'ErroOrgaoNaoServido',
      });
      expect(await passo(acao, id, outro.id), `${acao} naming the other side`).toMatchObject({ __typename: 'ErroAcaoNaoPermitida' });
      const feito = await passo(acao, id, certo.id);
      // The upload's move to 2 is the platform's (quemMuda); every other step is recorded as its side's.
      const lado = PASSO_POR_ACAO[acao].quemMuda ?? PASSO_POR_ACAO[acao].lado;
      expect(feito, acao).toMatchObject({ __typename: 'TransicaoRealizada', evento: { lado } });
    }
    const eventos = await rows<{ ator_orgao_id: number; ator_lado: string }>(
      `select e.ator_orgao_id::int, e.ator_lado from tramite_eventos e join tramites t on t.id = e.tramite_id
        where t.numero_processo = $1 order by e.seq`,
      [`${backend}-spe-${''}`],
    );
    void eventos;
  });

  test('the painel seam: tramites(filtro: { sistema }) narrows to the sides its agencies are on (SQL written independently)', async () => {
    const [sistema] = await rows<{ id: number }>(`select id::int from sistemas where gestor_tecnologico <> 'Interno' limit 1`);
    const pen = await mintToken(TEST_JWT_SECRET, { sub: 'pen.admin', orgao: null, roles: ['PEN_ADMIN'] });
    const data = await app.ok(
      'query($s: ID!) { tramites(first: 1, filtro: { sistema: $s }) { totalCount } }',
      { s: gid('Sistema', sistema!.id) },
      pen,
    );
    const [esperado] = await rows<{ n: number }>(
      `select count(*)::int as n from tramites t where t.ambiente = 'PRODUCAO' and (
         t.remetente_orgao_id in (select orgao_id from sistema_orgaos where sistema_id = $1)
         or (t.destinatario_orgao_id in (select orgao_id from sistema_orgaos where sistema_id = $1) and t.situacao not in (8, 9)))`,
      [sistema!.id],
    );
    expect(esperado!.n).toBeGreaterThan(0);
    expect(data.tramites.totalCount).toBe(esperado!.n);
  });

  test('a token naming an unknown SPE is refused before anything runs', async () => {
    const token = await mintToken(TEST_JWT_SECRET, { sub: 'spe:desconhecido', orgao: null, roles: ['SPE'], spe: 'nao.existe' });
    const r = await app.gql('{ sistemas { codigo } }', {}, token);
    expect(r.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

// The PEN team's queue on the demo data, on both backends: counts per stage, the "waiting for PEN"
// and "blocked on requirement" filters, longest-waiting first; expectations from SQL written here.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BACKENDS } from './support/backends.js';
import { startTestApp, type InProcessTestApp } from './support/gateway.js';
import { dbId } from './support/ids.js';
import { GESTOR_SAUDE, PEN_ADMIN } from './support/accounts.js';

describe.each(BACKENDS)('%s', (backend) => {
  let app: InProcessTestApp;
  let pen: string;
  beforeAll(async () => {
    app = await startTestApp(backend);
    pen = await app.tokenOf(PEN_ADMIN);
  });
  afterAll(async () => {
    await app?.close();
  });
  const ids = async (where: string, params: unknown[] = []) =>
    (
      await app.database.rows<{ id: number }>(
        `select orgao_id::int as id from onboardings o where ${where} order by atualizado_em, orgao_id`,
        params,
      )
    ).map((r) => r.id);
  const lista = async (args: string) =>
    (
      (await app.ok(`{ onboardings(first: 100 ${args.replace(/^\(|\)$/g, '')}) { nodes { orgao { id } } } }`, {}, pen)).onboardings
        .nodes as Array<{ orgao: { id: string } }>
    ).map((o) => dbId(o.orgao.id));

  test('counts per stage: every stage, from one GROUP BY', async () => {
    const porEtapa = (await app.ok('{ onboardingsPorEtapa { etapa quantidade } }', {}, pen)).onboardingsPorEtapa as Array<{
      etapa: string;
      quantidade: number;
    }>;
    const sql = await app.database.rows<{ etapa: string; n: number }>(
      'select etapa::text as etapa, count(*)::int as n from onboardings group by etapa',
    );
    expect(porEtapa.filter((c) => c.quantidade > 0).sort((a, b) => a.etapa.localeCompare(b.etapa))).toEqual(
      sql.map((r) => ({ etapa: r.etapa, quantidade: r.n })).sort((a, b) => a.etapa.localeCompare(b.etapa)),
    );
    expect(porEtapa).toHaveLength(8);
    const negado = await app.gql('{ onboardingsPorEtapa { etapa } }', {}, await app.tokenOf(GESTOR_SAUDE));
    expect(negado.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  test('waiting for PEN: analysis and the two validations, longest waiting first', async () => {
    const esperando = `etapa in ('ANALISE_CADASTRO', 'VALIDACAO_HOMOLOGACAO', 'VALIDACAO_PRODUCAO')`;
    expect(await lista('(aguardandoPen: true)')).toEqual(await ids(esperando));
    expect((await ids(esperando)).length).toBeGreaterThan(1);
    expect(await lista('(aguardandoPen: false)')).toEqual(await ids(`not (${esperando})`));
  });

  test("blocked on a requirement: in its environment's requirements stage without it satisfied", async () => {
    for (const codigo of ['a', 'b', 'c']) {
      const esperado = await ids(
        `etapa in ('IMPLANTACAO_HOMOLOGACAO', 'ACESSO_PRODUCAO') and not exists (select 1 from requisitos_orgao r where r.orgao_id = o.orgao_id
           and r.codigo = $1 and r.ambiente = (case when o.etapa = 'ACESSO_PRODUCAO' then 'PRODUCAO' else 'HOMOLOGACAO' end)::ambiente
           and r.situacao in ('CONFIRMADO', 'ATENDIDO_AUTOMATICAMENTE'))`,
        [codigo],
      );
      expect(await lista(`(bloqueadoNoRequisito: "${codigo}")`), codigo).toEqual(esperado);
    }
    // TRT18 (demo) has only (a) done in homologação: blocked on (b) and (c), not on (a).
    const [trt] = await ids(`orgao_id = (select id from estruturas where sigla = 'TRT18' and pai_id is null)`);
    expect(await lista('(bloqueadoNoRequisito: "b")')).toContain(trt);
    expect(await lista('(bloqueadoNoRequisito: "a")')).not.toContain(trt);
  });
});

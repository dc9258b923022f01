// Environments over HTTP, on both backends (docs/domain.md §6): homologação and produção never mix, and an agency
// exchanges trâmites in an environment only when its onboarding admits it there. Issue 10's observed case 3 as
// regressions. Expectations come from onboarding/regras.ts (`ETAPAS_ADMITIDAS`) and from SQL.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mintToken } from '../src/identity/tokens.js';
import type { Ambiente } from '../src/kernel/ambiente.js';
import { ETAPAS_ADMITIDAS, type Etapa } from '../src/onboarding/regras.js';
import { BACKENDS } from './support/backends.js';
import { startTestGateway, TEST_JWT_SECRET, type TestGateway } from './support/gateway.js';
import { gid } from './support/ids.js';
import { CONTEUDO_DE_DEMO_GQL } from './support/tramites.js';
import { configurarUnidade } from './support/configuracao.js';

interface Agencia {
  id: number;
  sigla: string;
  etapa: Etapa | null;
  unidade: number;
  spe: string;
}

const RESULTADO = `__typename
  ... on TransicaoRealizada { tramite { id idt nre } }
  ... on Erro { codigo mensagem }
  ... on ErroOrgaoNaoAdmitidoNoAmbiente { sigla ambiente etapa }`;

describe.each(BACKENDS)('%s', (backend) => {
  let app: TestGateway;
  let penAdmin: string;
  let seq = 0;
  const rows = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => app.database.rows<T>(sql, params);
  const agencias = new Map<string, Agencia>();
  const porEtapa = (etapa: Etapa | null) => [...agencias.values()].find((a) => a.etapa === etapa)!;

  beforeAll(async () => {
    app = await startTestGateway(backend);
    // Every agency's root with its onboarding stage (null: none, an agency in operation before onboarding);
    // the root itself is the unit the tests send from and to (enabled below, so only the gate can refuse).
    const raizes = await rows<{ id: number; sigla: string; repositorio: number; numero: number; etapa: Etapa | null }>(
      `select r.id::int, r.sigla, r.repositorio_id::int as repositorio, r.numero_identificacao::int as numero, o.etapa::text as etapa
         from estruturas r left join onboardings o on o.orgao_id = r.id where r.pai_id is null order by r.id`,
    );
    await configurarUnidade(
      rows,
      raizes.map((r) => r.id),
      { envio: true, recebimento: true },
    );
    for (const r of raizes) {
      agencias.set(r.sigla, {
        id: r.id,
        sigla: r.sigla,
        etapa: r.etapa,
        unidade: r.id,
        spe: await mintToken(TEST_JWT_SECRET, {
          sub: `spe:${r.sigla}`,
          orgao: { repositorio: r.repositorio, estrutura: r.numero },
          roles: ['SPE'],
        }),
      });
    }
    penAdmin = await mintToken(TEST_JWT_SECRET, { sub: 'pen.admin', orgao: null, roles: ['PEN_ADMIN'] });
    for (const etapa of ['ANALISE_CADASTRO', 'IMPLANTACAO_HOMOLOGACAO', 'EM_PRODUCAO', null] as const)
      if (!porEtapa(etapa)) throw new Error(`the demo seed needs an agency at ${etapa ?? 'no onboarding'}`);
  });

  afterAll(async () => {
    await app?.close();
  });

  async function iniciar(de: Agencia, para: Agencia, ambiente?: Ambiente) {
    const data = await app.ok(
      `mutation($input: IniciarTramiteInput!) { r: iniciarTramite(input: $input) { ${RESULTADO} } }`,
      {
        input: {
          tipo: 'PROCESSO',
          numeroProcesso: `${backend}-amb-${Date.now()}-${++seq}`,
          unidadeRemetente: gid('UnidadeAdministrativa', de.unidade),
          unidadeDestinataria: gid('UnidadeAdministrativa', para.unidade),
          ...CONTEUDO_DE_DEMO_GQL,
          ...(ambiente ? { ambiente } : {}),
        },
      },
      de.spe,
    );
    return data.r as Record<string, any>;
  }

  const contar = async () => (await rows<{ n: number }>('select count(*)::int as n from tramites'))[0]!.n;

  test('observed case 3: an agency whose access request is under analysis cannot send to a production agency', async () => {
    const emAnalise = porEtapa('ANALISE_CADASTRO');
    const producao = porEtapa('EM_PRODUCAO');
    const antes = await contar();
    const r = await iniciar(emAnalise, producao, 'PRODUCAO');
    expect(r).toMatchObject({
      __typename: 'ErroOrgaoNaoAdmitidoNoAmbiente',
      codigo: 'ORGAO_NAO_ADMITIDO_NO_AMBIENTE',
      sigla: emAnalise.sigla,
      ambiente: 'PRODUCAO',
      etapa: 'ANALISE_CADASTRO',
    });
    // Not in homologação either: its registration is not approved yet.
    expect(await iniciar(emAnalise, producao, 'HOMOLOGACAO')).toMatchObject({ sigla: emAnalise.sigla, etapa: 'ANALISE_CADASTRO' });
    expect(await contar()).toBe(antes);
  });

  test('each stage is admitted exactly where ETAPAS_ADMITIDAS says, on either side', async () => {
    const legado = porEtapa(null);
    for (const ag of agencias.values()) {
      if (ag.etapa === null) continue;
      for (const ambiente of ['HOMOLOGACAO', 'PRODUCAO'] as const) {
        const admitido = ETAPAS_ADMITIDAS[ambiente].includes(ag.etapa);
        for (const [de, para] of [
          [ag, legado],
          [legado, ag],
        ] as const) {
          const r = await iniciar(de, para, ambiente);
          if (admitido) expect(r.__typename, `${ag.sigla} (${ag.etapa}) in ${ambiente}`).toBe('TransicaoRealizada');
          else expect(r, `${ag.sigla} (${ag.etapa}) in ${ambiente}`).toMatchObject({ sigla: ag.sigla, ambiente, etapa: ag.etapa });
          if (r.__typename === 'TransicaoRealizada') {
            const [linha] = await rows<{ ambiente: string }>('select ambiente::text from tramites where idt = $1', [Number(r.tramite.idt)]);
            expect(linha!.ambiente).toBe(ambiente);
          }
        }
      }
    }
  });

  test('observed case 3: homologação trâmites never appear in production lists, panels, pendências, processes', async () => {
    const homolog = porEtapa('IMPLANTACAO_HOMOLOGACAO');
    const legado = porEtapa(null);
    const r = await iniciar(homolog, legado, 'HOMOLOGACAO');
    expect(r.__typename).toBe('TransicaoRealizada');
    const id = r.tramite.id as string;
    // Homologação's IDTs come from their own sequence, in a range production's never reaches.
    expect(Number(r.tramite.idt)).toBeGreaterThanOrEqual(900_000_000_000);
    const numero = (await rows<{ n: string }>('select numero_processo as n from tramites where idt = $1', [Number(r.tramite.idt)]))[0]!.n;

    const LEITURA = `query($ambiente: Ambiente, $numero: String!, $orgao: ID) {
      tramites(first: 100, ambiente: $ambiente, filtro: { numeroProcesso: $numero }) { totalCount nodes { id } }
      pendencias(first: 100, ambiente: $ambiente, orgao: $orgao) { nodes { id } }
      painel(ambiente: $ambiente, orgao: $orgao) { comoDestino { total porSituacao { situacao quantidade } } }
      processo(numeroProcesso: $numero, ambiente: $ambiente) { nre tramites { id } }
    }`;
    for (const token of [legado.spe, penAdmin]) {
      const orgao = token === penAdmin ? gid('Orgao', legado.id) : null;
      const producao = await app.ok(LEITURA, { numero, orgao }, token); // the deployment's default: PRODUCAO
      expect(producao.tramites.totalCount).toBe(0);
      expect(producao.pendencias.nodes.map((n: { id: string }) => n.id)).not.toContain(id);
      expect(producao.processo).toBeNull();
      const homologacao = await app.ok(LEITURA, { numero, orgao, ambiente: 'HOMOLOGACAO' }, token);
      expect(homologacao.tramites.nodes.map((n: { id: string }) => n.id)).toEqual([id]);
      expect(homologacao.processo.tramites.map((n: { id: string }) => n.id)).toEqual([id]);

      // The production panel counts production rows only (SQL written independently).
      const [sql] = await rows<{ n: number }>(
        `select count(*)::int as n from tramites where ambiente = 'PRODUCAO' and destinatario_orgao_id = $1 and situacao not in (8, 9)`,
        [legado.id],
      );
      expect(producao.painel.comoDestino.total).toBe(sql!.n);
    }
    // The same trâmite by id or IDT is null when read in the other environment.
    const porId = `query($id: ID!, $ambiente: Ambiente) { tramite(id: $id, ambiente: $ambiente) { id } }`;
    expect((await app.ok(porId, { id }, legado.spe)).tramite).toBeNull();
    expect((await app.ok(porId, { id, ambiente: 'HOMOLOGACAO' }, legado.spe)).tramite).toEqual({ id });
  });

  test('the same process number is another process in the other environment (its own NRE, its own custody)', async () => {
    const legado = porEtapa(null);
    const producao = porEtapa('EM_PRODUCAO');
    const numero = `${backend}-amb-mesmo-${Date.now()}`;
    const enviar = (ambiente: Ambiente) =>
      app.ok(
        `mutation($input: IniciarTramiteInput!) { r: iniciarTramite(input: $input) { ${RESULTADO} } }`,
        {
          input: {
            tipo: 'PROCESSO',
            numeroProcesso: numero,
            ambiente,
            unidadeRemetente: gid('UnidadeAdministrativa', legado.unidade),
            unidadeDestinataria: gid('UnidadeAdministrativa', producao.unidade),
            ...CONTEUDO_DE_DEMO_GQL,
          },
        },
        legado.spe,
      );
    const emProducao = (await enviar('PRODUCAO')).r;
    const emHomologacao = (await enviar('HOMOLOGACAO')).r;
    // Both open at once, which one environment would refuse (0044): they are two processes.
    expect(emProducao.__typename).toBe('TransicaoRealizada');
    expect(emHomologacao.__typename).toBe('TransicaoRealizada');
    expect(emHomologacao.tramite.nre).not.toBe(emProducao.tramite.nre);
    expect((await enviar('PRODUCAO')).r).toMatchObject({ codigo: 'PROCESSO_EM_ANDAMENTO' });
  });
});

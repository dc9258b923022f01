// An agency's configuration per environment, over HTTP on both backends: its gestores de protocolo registered and
// removed by its own gestores (each an onboarding event with who and when; every bad input coded, nothing written),
// production access replicating homologação's configuration into produção, both read side by side, the agency's
// confirmation and the production gate reading it; and PEN's queue as a connection (order, counts, pages).
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GESTOR_SAUDE, PEN_ADMIN } from './support/accounts.js';
import { BACKENDS } from './support/backends.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { dbId, gid } from './support/ids.js';
import { configurarUnidade } from './support/configuracao.js';
import { PDF_DE_TESTE, solicitarAcesso } from './support/onboarding.js';

const PRIMEIRA = { nome: 'Helena Prado', cpf: '52998224725', email: 'helena.prado@cisvale.go.gov.br' };
const SEGUNDO = { nome: 'Rui Barros', cpf: '11144477735', email: 'rui.barros@cisvale.go.gov.br' };

const pem = () => generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'pem', type: 'spki' }).toString();

const RESULTADO_GESTOR = `__typename ... on Erro { codigo }
  ... on GestoresAtualizados { gestores { cpf nome email registradoPor } onboarding { versao } evento { tipo ambiente gestorCpf ator ocorridoEm } }`;

describe.each(BACKENDS)('%s', (backend) => {
  let gw: TestGateway;
  let pen: string;
  let gestora: string;
  let orgao: string;
  let orgaoId: number;

  beforeAll(async () => {
    gw = await startTestGateway(backend);
    pen = await gw.tokenOf(PEN_ADMIN);
    const [r] = await gw.database.rows<{ id: number }>(
      'select min(repositorio_id) as id from estruturas where repositorio_id <> 1 and pai_id is null',
    );
    const repositorio = r!.id;
    // A body outside SIORG registers itself; PEN approves: its first gestor is homologação's first gestor.
    const nova = await gw.token({ sub: 'helena.prado@cisvale', orgao: null, roles: ['GESTOR_PROTOCOLO'] });
    const { status, body: corpo } = await solicitarAcesso(
      gw,
      {
        identificacao: {
          repositorio,
          nome: 'Consórcio Intermunicipal de Saúde do Vale',
          sigla: 'CISVALE',
          uf: 'GO',
          cnpj: '11.222.333/0001-81',
          endereco: 'Rua 10, nº 200, Centro, Goiânia',
          cep: '74000-000',
        },
        sistemaNovo: { codigo: 'sei.cisvale.go.gov.br', nome: 'CISVALE - SEI', sistema: 'SEI', gestorTecnologico: 'Interno' },
        gestor: { ...PRIMEIRA, cpf: '529.982.247-25' },
      },
      PDF_DE_TESTE,
      nova,
      'termo.pdf',
    );
    expect(status, JSON.stringify(corpo)).toBe(201);
    orgaoId = corpo.orgao.id;
    orgao = gid('Orgao', orgaoId);
    const aprovado = await gw.ok(`mutation($o: ID!) { aprovarCadastro(input: { orgao: $o }) { __typename } }`, { o: orgao }, pen);
    expect(aprovado.aprovarCadastro.__typename).toBe('OnboardingAtualizado');
    const [n] = await gw.database.rows<{ n: number }>('select numero_identificacao as n from estruturas where id = $1', [orgaoId]);
    gestora = await gw.token({ sub: 'helena.prado@cisvale', orgao: { repositorio, estrutura: n!.n }, roles: ['GESTOR_PROTOCOLO'] });
  });
  afterAll(async () => {
    await gw?.close();
  });

  const registrar = (g: Record<string, string>, ambiente: string, token = gestora) =>
    gw.ok(
      `mutation($i: GestorProtocoloInput!) { r: registrarGestorProtocolo(input: $i) { ${RESULTADO_GESTOR} } }`,
      { i: { orgao, ambiente, ...g } },
      token,
    );
  const remover = (cpf: string, ambiente: string, token = gestora) =>
    gw.ok(
      `mutation($i: RemoverGestorProtocoloInput!) { r: removerGestorProtocolo(input: $i) { ${RESULTADO_GESTOR} } }`,
      { i: { orgao, ambiente, cpf } },
      token,
    );
  const fotografia = async () =>
    JSON.stringify(
      await gw.database.rows(
        `select (select json_agg(g order by ambiente, cpf) from gestores_protocolo g where orgao_id = $1) g,
                (select count(*)::int from onboarding_eventos where orgao_id = $1) e,
                (select row_to_json(o) from onboardings o where orgao_id = $1) o`,
        [orgaoId],
      ),
    );
  const configuracoes = async () =>
    (
      await gw.ok(
        `query($o: ID) { onboarding(orgao: $o) { etapa configuracoes { ambiente gestores { cpf } chaveSpe { chaveId } confirmadaEm confirmadaPor
          unidades { unidade { sigla } modoTramitacao } } } }`,
        { o: orgao },
        gestora,
      )
    ).onboarding;

  test('gestores: the first comes from the approved request; others registered and removed, each an event with who and when', async () => {
    const lido = await gw.ok(
      `query($o: ID) { onboarding(orgao: $o) { gestores(ambiente: HOMOLOGACAO) { nome cpf email registradoPor } } }`,
      { o: orgao },
      gestora,
    );
    expect(lido.onboarding.gestores).toEqual([{ ...PRIMEIRA, registradoPor: 'helena.prado@cisvale' }]);

    const antes = Date.now();
    const r = (await registrar({ ...SEGUNDO, cpf: '111.444.777-35' }, 'HOMOLOGACAO')).r;
    expect(r.__typename, JSON.stringify(r)).toBe('GestoresAtualizados');
    expect(r.gestores).toEqual([
      { ...PRIMEIRA, registradoPor: 'helena.prado@cisvale' },
      { ...SEGUNDO, registradoPor: 'helena.prado@cisvale' },
    ]);
    expect(r.evento).toMatchObject({
      tipo: 'GESTOR_REGISTRADO',
      ambiente: 'HOMOLOGACAO',
      gestorCpf: SEGUNDO.cpf,
      ator: 'helena.prado@cisvale',
    });
    expect(Date.parse(r.evento.ocorridoEm)).toBeGreaterThanOrEqual(antes - 1000);

    // Bad input: each coded, nothing written.
    const foto = await fotografia();
    const casos: Array<[string, Promise<Record<string, any>>, string, string]> = [
      ['invalid CPF', registrar({ ...SEGUNDO, cpf: '111.444.777-36' }, 'HOMOLOGACAO'), 'ErroValidacao', 'DADOS_INVALIDOS'],
      ['invalid e-mail', registrar({ ...SEGUNDO, cpf: '390.533.447-05', email: 'não' }, 'HOMOLOGACAO'), 'ErroValidacao', 'DADOS_INVALIDOS'],
      ['duplicate CPF', registrar(SEGUNDO, 'HOMOLOGACAO'), 'ErroGestorJaCadastrado', 'GESTOR_JA_CADASTRADO'],
      [
        "another agency's gestor",
        registrar({ ...SEGUNDO, cpf: '390.533.447-05' }, 'HOMOLOGACAO', await gw.tokenOf(GESTOR_SAUDE)),
        'ErroPapelNaoPermitido',
        'PAPEL_NAO_PERMITIDO',
      ],
      [
        "another agency's gestor removing",
        remover(SEGUNDO.cpf, 'HOMOLOGACAO', await gw.tokenOf(GESTOR_SAUDE)),
        'ErroPapelNaoPermitido',
        'PAPEL_NAO_PERMITIDO',
      ],
      [
        'PEN is not a gestor',
        registrar({ ...SEGUNDO, cpf: '390.533.447-05' }, 'HOMOLOGACAO', pen),
        'ErroPapelNaoPermitido',
        'PAPEL_NAO_PERMITIDO',
      ],
      [
        'produção before production access',
        registrar({ ...SEGUNDO, cpf: '390.533.447-05' }, 'PRODUCAO'),
        'ErroEtapaInvalida',
        'ETAPA_INVALIDA',
      ],
      ['removing someone not there', remover('390.533.447-05', 'HOMOLOGACAO'), 'ErroGestorNaoEncontrado', 'GESTOR_NAO_ENCONTRADO'],
      ['removing with an invalid CPF', remover('123', 'HOMOLOGACAO'), 'ErroValidacao', 'DADOS_INVALIDOS'],
    ];
    for (const [nome, resposta, tipo, codigo] of casos) expect((await resposta).r, nome).toEqual({ __typename: tipo, codigo });
    expect(await fotografia()).toBe(foto);

    const removido = (await remover('111.444.777-35', 'HOMOLOGACAO')).r;
    expect(removido).toMatchObject({
      __typename: 'GestoresAtualizados',
      gestores: [{ cpf: PRIMEIRA.cpf }],
      evento: { tipo: 'GESTOR_REMOVIDO', ambiente: 'HOMOLOGACAO', gestorCpf: SEGUNDO.cpf, ator: 'helena.prado@cisvale' },
    });
    // The last one stays (rolled back: nothing written).
    const foto2 = await fotografia();
    expect((await remover(PRIMEIRA.cpf, 'HOMOLOGACAO')).r).toEqual({ __typename: 'ErroUltimoGestor', codigo: 'ULTIMO_GESTOR' });
    expect(await fotografia()).toBe(foto2);

    // The history names each change, who and when; versao counts them.
    const h = await gw.ok(`query($o: ID) { onboarding(orgao: $o) { versao historico { tipo gestorCpf ator } } }`, { o: orgao }, gestora);
    expect(h.onboarding.historico.filter((e: { tipo: string }) => e.tipo.startsWith('GESTOR'))).toEqual([
      { tipo: 'GESTOR_REGISTRADO', gestorCpf: SEGUNDO.cpf, ator: 'helena.prado@cisvale' },
      { tipo: 'GESTOR_REMOVIDO', gestorCpf: SEGUNDO.cpf, ator: 'helena.prado@cisvale' },
    ]);
    expect(h.onboarding.versao).toBe(h.onboarding.historico.length);
  });

  test('production access replicates homologação into produção, side by side; the agency confirms it; the gate reads the confirmation', async () => {
    await registrar(SEGUNDO, 'HOMOLOGACAO');
    const chaveHomologacao = await gw.ok(
      `mutation($k: String!) { registrarChavePublicaSpe(input: { chavePublica: $k, ambiente: HOMOLOGACAO }) { ... on ChavePublicaSpe { chaveId } } }`,
      { k: pem() },
      gestora,
    );
    // Its structure configured in homologação (the configuration mutations are another file's subject): one unit that
    // sends and receives.
    const [unidade] = await gw.database.rows<{ id: number }>(
      `insert into estruturas (repositorio_id, numero_identificacao, sigla, nome, pai_id, orgao_id)
       select repositorio_id, numero_identificacao * 1000 + 1, 'PROTOCOLO', 'Protocolo', id, id from estruturas where id = $1 returning id::int as id`,
      [orgaoId],
    );
    await configurarUnidade(gw.database.rows, unidade!.id, { envio: true, recebimento: true, ambientes: ['HOMOLOGACAO'] });
    // Homologação's requirements met (the trâmite tests are another file's subject): straight to PEN's validation.
    await gw.database.rows(
      `insert into requisitos_orgao (orgao_id, ambiente, codigo, situacao, registrado_por, registrado_em)
       select $1, 'HOMOLOGACAO', codigo, 'ATENDIDO_AUTOMATICAMENTE', 'tramita-gov-br', now() from requisitos_minimos where exigido`,
      [orgaoId],
    );
    await gw.database.rows(`update onboardings set etapa = 'VALIDACAO_HOMOLOGACAO' where orgao_id = $1`, [orgaoId]);
    const validado = await gw.ok(`mutation($o: ID!) { validarHomologacao(input: { orgao: $o }) { __typename } }`, { o: orgao }, pen);
    expect(validado.validarHomologacao.__typename).toBe('OnboardingAtualizado');

    const lado = await configuracoes();
    expect(lado).toEqual({
      etapa: 'ACESSO_PRODUCAO',
      configuracoes: [
        {
          ambiente: 'HOMOLOGACAO',
          gestores: [{ cpf: PRIMEIRA.cpf }, { cpf: SEGUNDO.cpf }],
          chaveSpe: { chaveId: chaveHomologacao.registrarChavePublicaSpe.chaveId },
          confirmadaEm: null,
          confirmadaPor: null,
          unidades: [{ unidade: { sigla: 'PROTOCOLO' }, modoTramitacao: 'ENVIO_E_RECEBIMENTO' }],
        },
        // The copy: the same gestores and units; produção's SPE key is its own certificate's, not copied.
        {
          ambiente: 'PRODUCAO',
          gestores: [{ cpf: PRIMEIRA.cpf }, { cpf: SEGUNDO.cpf }],
          chaveSpe: null,
          confirmadaEm: null,
          confirmadaPor: null,
          unidades: [{ unidade: { sigla: 'PROTOCOLO' }, modoTramitacao: 'ENVIO_E_RECEBIMENTO' }],
        },
      ],
    });

    // The gate: produção requirements met (by SQL here), but the configuration is not confirmed.
    await gw.database.rows(
      `insert into requisitos_orgao (orgao_id, ambiente, codigo, situacao, registrado_por, registrado_em)
       select $1, 'PRODUCAO', codigo, 'ATENDIDO_AUTOMATICAMENTE', 'tramita-gov-br', now() from requisitos_minimos where exigido`,
      [orgaoId],
    );
    const SOLICITAR = `mutation($o: ID!) { solicitarValidacaoProducao(input: { orgao: $o }) { __typename ... on ErroCriteriosNaoAtendidos { pendencias } ... on OnboardingAtualizado { onboarding { etapa } } } }`;
    expect((await gw.ok(SOLICITAR, { o: orgao }, gestora)).solicitarValidacaoProducao).toEqual({
      __typename: 'ErroCriteriosNaoAtendidos',
      pendencias: [
        'registrar a chave pública do SPE em produção (o certificado de produção é outro)',
        'confirmar a configuração de produção (replicada da homologação)',
      ],
    });
    const CONFIRMAR = `mutation($o: ID!) { confirmarConfiguracaoProducao(input: { orgao: $o }) { __typename ... on Erro { codigo } ... on OnboardingAtualizado { evento { tipo ambiente ator } } } }`;
    const foto = await fotografia();
    expect((await gw.ok(CONFIRMAR, { o: orgao }, gestora)).confirmarConfiguracaoProducao).toEqual({
      __typename: 'ErroCriteriosNaoAtendidos',
      codigo: 'CRITERIOS_NAO_ATENDIDOS',
    });
    expect((await gw.ok(CONFIRMAR, { o: orgao }, await gw.tokenOf(GESTOR_SAUDE))).confirmarConfiguracaoProducao.codigo).toBe(
      'PAPEL_NAO_PERMITIDO',
    );
    expect(await fotografia()).toBe(foto);

    // Produção is its own: a gestor removed there stays in homologação; its own key registered; then confirmed.
    expect((await remover(SEGUNDO.cpf, 'PRODUCAO')).r.gestores).toEqual([
      { cpf: PRIMEIRA.cpf, nome: PRIMEIRA.nome, email: PRIMEIRA.email, registradoPor: 'pen.admin' },
    ]);
    const chaveProducao = await gw.ok(
      `mutation($k: String!) { registrarChavePublicaSpe(input: { chavePublica: $k, ambiente: PRODUCAO }) { ... on ChavePublicaSpe { chaveId } } }`,
      { k: pem() },
      gestora,
    );
    expect((await gw.ok(CONFIRMAR, { o: orgao }, gestora)).confirmarConfiguracaoProducao).toEqual({
      __typename: 'OnboardingAtualizado',
      evento: { tipo: 'CONFIGURACAO_CONFIRMADA', ambiente: 'PRODUCAO', ator: 'helena.prado@cisvale' },
    });
    const confirmado = await configuracoes();
    expect(confirmado.configuracoes.map((c: Record<string, any>) => [c.ambiente, c.gestores.length, c.chaveSpe?.chaveId ?? null])).toEqual([
      ['HOMOLOGACAO', 2, chaveHomologacao.registrarChavePublicaSpe.chaveId],
      ['PRODUCAO', 1, chaveProducao.registrarChavePublicaSpe.chaveId],
    ]);
    expect(confirmado.configuracoes[1]).toMatchObject({ confirmadaPor: 'helena.prado@cisvale', confirmadaEm: expect.any(String) });
    expect(confirmado.configuracoes[0].confirmadaEm).toBeNull();

    expect((await gw.ok(SOLICITAR, { o: orgao }, gestora)).solicitarValidacaoProducao).toEqual({
      __typename: 'OnboardingAtualizado',
      onboarding: { etapa: 'VALIDACAO_PRODUCAO' },
    });
  });

  test("PEN's queue: a connection, longest waiting first, totalCount and counts per stage agreeing with SQL", async () => {
    const FILA = `query($first: Int!, $after: String, $ambiente: Ambiente, $aguardando: Boolean) {
      onboardings(first: $first, after: $after, ambiente: $ambiente, aguardandoPen: $aguardando) {
        totalCount nodes { orgao { id } etapa } pageInfo { hasNextPage endCursor } } }`;
    const todas = async (variaveis: Record<string, unknown>) => {
      const ids: number[] = [];
      let total = -1;
      for (let after: string | null = null, pagina = 0; pagina < 30; pagina++) {
        const { onboardings } = await gw.ok(FILA, { first: 4, after, ...variaveis }, pen);
        total = onboardings.totalCount;
        ids.push(...onboardings.nodes.map((n: { orgao: { id: string } }) => dbId(n.orgao.id)));
        if (!onboardings.pageInfo.hasNextPage) break;
        after = onboardings.pageInfo.endCursor;
      }
      return { ids, total };
    };
    const sql = async (where: string) =>
      (
        await gw.database.rows<{ id: number }>(
          `select orgao_id::int as id from onboardings where ${where} order by atualizado_em, orgao_id`,
        )
      ).map((r) => r.id);

    const tudo = await todas({});
    expect(tudo.ids).toEqual(await sql('true'));
    expect(tudo.total).toBe(tudo.ids.length);
    const producao = await todas({ ambiente: 'PRODUCAO' });
    expect(producao.ids).toEqual(await sql(`etapa in ('ACESSO_PRODUCAO', 'VALIDACAO_PRODUCAO', 'EM_PRODUCAO')`));
    expect(producao.total).toBe(producao.ids.length);
    const esperando = await todas({ aguardando: true });
    expect(esperando.ids).toEqual(await sql(`etapa in ('ANALISE_CADASTRO', 'VALIDACAO_HOMOLOGACAO', 'VALIDACAO_PRODUCAO')`));
    expect(esperando.ids).toContain(orgaoId);

    const porEtapa = (await gw.ok('{ onboardingsPorEtapa { etapa quantidade } }', {}, pen)).onboardingsPorEtapa as Array<{
      quantidade: number;
    }>;
    expect(porEtapa.reduce((s, c) => s + c.quantidade, 0)).toBe(tudo.total);

    // A gestor does not read the queue; a cursor from another list is refused.
    const negado = await gw.gql(FILA, { first: 4 }, gestora);
    expect(negado.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const tramites = await gw.ok('{ tramites(first: 1) { pageInfo { endCursor } } }', {}, pen);
    const ruim = await gw.gql(FILA, { first: 4, after: tramites.tramites.pageInfo.endCursor }, pen);
    expect(ruim.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

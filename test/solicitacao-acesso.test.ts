// The access request with its content, over HTTP on both backends: a body outside SIORG registers itself with a real
// PDF uploaded through the streamed route, PEN approves it over GraphQL, and it walks on to production: its units (by
// SQL here), requirements (a)–(c) in homologação with a partner agency, PEN's validation replicating its configuration
// into produção, the production tests with the test unit, its produção configuration confirmed, PEN's validation.
// Every bad input of the issue is a coded error with nothing written.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BACKENDS } from './support/backends.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { gid } from './support/ids.js';
import { conduzirTramite } from './support/tramites.js';
import { generateKeyPairSync } from 'node:crypto';
import { DEMO_UNIDADE_TESTES_PRODUCAO } from '../src/demo/seed.js';
import { CHAVE_PUBLICA_SPE_DEMO } from '../src/demo/chaves-spe.js';
import { GESTOR_SAUDE, PEN_ADMIN, SPE_MGI, SPE_SAUDE } from './support/accounts.js';
import { PDF_DE_TESTE as PDF, solicitarAcesso } from './support/onboarding.js';

const DADOS = (repositorio: number) => ({
  identificacao: {
    repositorio,
    nome: 'Consórcio Intermunicipal de Saúde do Vale',
    sigla: 'CISVALE',
    uf: 'GO',
    cnpj: '11.222.333/0001-81',
    endereco: 'Rua 10, nº 200, Centro, Goiânia',
    cep: '74000-000',
  },
  sistemaNovo: { codigo: 'sei.cisvale.go.gov.br', nome: 'CISVALE - SEI', sistema: 'SEI', versao: '4.1', gestorTecnologico: 'Interno' },
  gestor: { nome: 'Helena Prado', cpf: '529.982.247-25', email: 'helena.prado@cisvale.go.gov.br' },
});

/** The request without its SPE (to name another). */
const semSpe = ({ sistemaNovo: _s, ...resto }: ReturnType<typeof DADOS>) => resto;

describe.each(BACKENDS)('%s', (backend) => {
  let gw: TestGateway;
  let repositorio: number;
  let novaGestora: string;
  beforeAll(async () => {
    gw = await startTestGateway(backend);
    const [r] = await gw.database.rows<{ id: number }>(
      // A repositório other than SIORG that already holds an agency (the bad-input cases reuse its sigla).
      'select min(repositorio_id) as id from estruturas where repositorio_id <> 1 and pai_id is null',
    );
    repositorio = r!.id;
    novaGestora = await gw.token({ sub: 'helena.prado@cisvale', orgao: null, roles: ['GESTOR_PROTOCOLO'] });
  });
  afterAll(async () => {
    await gw?.close();
  });

  const solicitar = (dados: unknown, documento: Uint8Array | null, token: string) => solicitarAcesso(gw, dados, documento, token);
  const fotografia = async () =>
    JSON.stringify(
      await gw.database.rows(
        `select (select count(*) from estruturas)::int e, (select count(*) from onboardings)::int o, (select count(*) from solicitacoes_acesso)::int s,
                (select count(*) from conteudos)::int c, (select count(*) from onboarding_eventos)::int ev`,
      ),
    );

  test('bad input: each a coded error, nothing written', async () => {
    const antes = await fotografia();
    const d = DADOS(repositorio);
    const casos: Array<[string, unknown, Uint8Array | null, string, number, Record<string, any>]> = [
      [
        'invalid CNPJ',
        { ...d, identificacao: { ...d.identificacao, cnpj: '11.222.333/0001-82' } },
        PDF,
        novaGestora,
        422,
        { codigo: 'DADOS_INVALIDOS' },
      ],
      [
        'invalid CEP',
        { ...d, identificacao: { ...d.identificacao, cep: '7400-0000' } },
        PDF,
        novaGestora,
        422,
        { codigo: 'DADOS_INVALIDOS' },
      ],
      ['invalid UF', { ...d, identificacao: { ...d.identificacao, uf: 'XX' } }, PDF, novaGestora, 422, { codigo: 'DADOS_INVALIDOS' }],
      ['invalid CPF', { ...d, gestor: { ...d.gestor, cpf: '111.111.111-11' } }, PDF, novaGestora, 422, { codigo: 'DADOS_INVALIDOS' }],
      ['missing document', d, null, novaGestora, 422, { codigo: 'DOCUMENTO_INVALIDO', motivo: 'AUSENTE' }],
      [
        'not a PDF',
        d,
        new TextEncoder().encode('PK\u0003\u0004 a zip file'),
        novaGestora,
        422,
        { codigo: 'DOCUMENTO_INVALIDO', motivo: 'NAO_PDF' },
      ],
      [
        'too large',
        d,
        new Uint8Array(64 * 1024 + 10).fill(0x20).map((b, i) => (i < 5 ? PDF[i]! : b)),
        novaGestora,
        422,
        {
          codigo: 'DOCUMENTO_INVALIDO',
          motivo: 'GRANDE_DEMAIS',
        },
      ],
      [
        'a body that already exists (sigla of a root there)',
        await comSiglaExistente(d),
        PDF,
        novaGestora,
        422,
        { codigo: 'ORGAO_JA_CADASTRADO' },
      ],
      ['a gestor of another agency registering a new body', d, PDF, await gw.tokenOf(GESTOR_SAUDE), 403, { codigo: 'PAPEL_NAO_PERMITIDO' }],
      [
        'a gestor of another agency requesting for a SIORG root',
        await paraOutroOrgao(d),
        PDF,
        await gw.tokenOf(GESTOR_SAUDE),
        403,
        { codigo: 'PAPEL_NAO_PERMITIDO' },
      ],
      [
        'an agency already in produção',
        await paraOProprioOrgao(d),
        PDF,
        await gw.tokenOf(GESTOR_SAUDE),
        422,
        { codigo: 'ORGAO_JA_EM_PRODUCAO' },
      ],
      [
        'an agency with an open request',
        await paraOProprioOrgao(d, 'GOV-PI'),
        PDF,
        await gw.tokenOf('gestor.marcos@pi'),
        422,
        { codigo: 'SOLICITACAO_EM_ABERTO' },
      ],
      ['data that is not JSON', '{nao', PDF, novaGestora, 422, { codigo: 'DADOS_INVALIDOS' }],
      [
        'an SPE not registered',
        { ...semSpe(d), sistema: { codigo: 'sei.nenhum.gov.br' } },
        PDF,
        novaGestora,
        422,
        { codigo: 'DADOS_INVALIDOS' },
      ],
      [
        'a new SPE with the code of a registered one',
        { ...d, sistemaNovo: { ...d.sistemaNovo, codigo: 'super.dataprev.gov.br' } },
        PDF,
        novaGestora,
        422,
        { codigo: 'DADOS_INVALIDOS' },
      ],
      [
        'both an SPE and a new one',
        { ...d, sistema: { codigo: 'super.dataprev.gov.br' } },
        PDF,
        novaGestora,
        422,
        { codigo: 'DADOS_INVALIDOS' },
      ],
      ['no SPE', semSpe(d), PDF, novaGestora, 422, { codigo: 'DADOS_INVALIDOS' }],
    ];
    for (const [nome, dados, doc, token, status, erro] of casos) {
      const r = await solicitar(dados, doc, token);
      expect({ nome, status: r.status, erro: r.body.erro }, nome).toMatchObject({ nome, status, erro });
    }
    expect(await fotografia()).toBe(antes);
  });

  test("PEN rejects with the guide's grounds and free text; the body may request again", async () => {
    const d = DADOS(repositorio);
    const dados = {
      ...semSpe(d),
      identificacao: { ...d.identificacao, sigla: 'FUNDVALE', nome: 'Fundação do Vale', cnpj: '00.000.000/0001-91' },
      // An SPE already registered, hosted by its Gestor Tecnológico for several agencies.
      sistema: { codigo: 'super.dataprev.gov.br' },
      gestor: { ...d.gestor, cpf: '111.444.777-35' },
    };
    const token = await gw.token({ sub: 'rui@fundvale', orgao: null, roles: ['GESTOR_PROTOCOLO'] });
    const r = await solicitar(dados, PDF, token);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const o = gid('Orgao', r.body.orgao.id);
    const pen = await gw.tokenOf(PEN_ADMIN);
    const REJEITAR = `mutation($o: ID!, $m: [MotivoRecusaAcesso!]) { rejeitarCadastro(input: { orgao: $o, motivo: "Termo de Adesão sem assinatura.", motivosRecusa: $m }) {
      __typename ... on OnboardingAtualizado { onboarding { etapa solicitacoes { situacao motivosRecusa analisadoPor sistemaGoverno gestorTecnologico sistema { codigo } } } evento { motivo } } ... on Erro { codigo } } }`;
    const rejeitado = await gw.ok(REJEITAR, { o, m: ['DOCUMENTACAO_INCOMPLETA', 'OUTRO'] }, pen);
    expect(rejeitado.rejeitarCadastro).toEqual({
      __typename: 'OnboardingAtualizado',
      onboarding: {
        etapa: 'CADASTRO_REJEITADO',
        solicitacoes: [
          {
            situacao: 'REJEITADA',
            motivosRecusa: ['DOCUMENTACAO_INCOMPLETA', 'OUTRO'],
            analisadoPor: 'pen.admin',
            sistemaGoverno: 'Dataprev – SUPER',
            gestorTecnologico: 'Dataprev',
            sistema: { codigo: 'super.dataprev.gov.br' },
          },
        ],
      },
      evento: { motivo: 'Termo de Adesão sem assinatura.' },
    });
    // Grounds on another step: coded.
    const mal = await gw.ok(
      `mutation($o: ID!) { aprovarCadastro(input: { orgao: $o, motivosRecusa: [OUTRO] }) { __typename ... on Erro { codigo } } }`,
      { o },
      pen,
    );
    expect(mal.aprovarCadastro).toEqual({ __typename: 'ErroValidacao', codigo: 'DADOS_INVALIDOS' });
    // Again, now for its own (registered) root, with a token naming it: a new request in analysis.
    const [n] = await gw.database.rows<{ n: number }>('select numero_identificacao as n from estruturas where id = $1', [r.body.orgao.id]);
    const proprio = await gw.token({ sub: 'rui@fundvale', orgao: { repositorio, estrutura: n!.n }, roles: ['GESTOR_PROTOCOLO'] });
    const { identificacao: _i, ...resto } = dados;
    const de_novo = await solicitar({ ...resto, orgao: { repositorio, estrutura: n!.n } }, PDF, proprio);
    expect(de_novo).toMatchObject({ status: 201, body: { onboarding: { etapa: 'ANALISE_CADASTRO' } } });
  });

  async function comSiglaExistente(d: ReturnType<typeof DADOS>) {
    const [r] = await gw.database.rows<{ sigla: string }>(
      'select sigla from estruturas where repositorio_id = $1 and pai_id is null limit 1',
      [repositorio],
    );
    return { ...d, identificacao: { ...d.identificacao, sigla: r!.sigla.toLowerCase() } };
  }
  async function paraOutroOrgao(d: ReturnType<typeof DADOS>) {
    const { identificacao: _i, ...resto } = d;
    const [mgi] = await gw.database.rows<{ n: number }>(
      `select numero_identificacao as n from estruturas where sigla = 'MGI' and pai_id is null`,
    );
    return { ...resto, orgao: { repositorio: 1, estrutura: mgi!.n } };
  }
  async function paraOProprioOrgao(d: ReturnType<typeof DADOS>, sigla = 'MS') {
    const { identificacao: _i, ...resto } = d;
    const [o] = await gw.database.rows<{ r: number; n: number }>(
      `select repositorio_id as r, numero_identificacao as n from estruturas where sigla = $1 and pai_id is null`,
      [sigla],
    );
    return { ...resto, orgao: { repositorio: o!.r, estrutura: o!.n } };
  }

  test('a body outside SIORG registers itself with a real PDF, PEN approves, and it walks on to production end to end', async () => {
    const r = await solicitar(DADOS(repositorio), PDF, novaGestora);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({
      solicitacao: { situacao: 'EM_ANALISE', documento: 'termo-de-adesao.pdf' },
      onboarding: { etapa: 'ANALISE_CADASTRO', versao: 1 },
    });
    const orgaoId = r.body.orgao.id as number;
    const [orgao] = await gw.database.rows<{
      repositorio_id: number;
      numero_identificacao: number;
      sigla: string;
      pai_id: number | null;
      orgao_id: number;
    }>('select repositorio_id, numero_identificacao, sigla, pai_id, orgao_id from estruturas where id = $1', [orgaoId]);
    expect(orgao).toMatchObject({ repositorio_id: repositorio, sigla: 'CISVALE', pai_id: null, orgao_id: orgaoId });
    // The stored request: digits only, and the PDF's bytes in the component store, hashed.
    const [s] = await gw.database.rows<Record<string, any>>(
      `select s.cnpj, s.cep, s.uf, s.gestor_cpf, s.sistema_id, s.sistema_novo->>'nome' as sistema_governo, c.tamanho::int as tamanho, c.hash
         from solicitacoes_acesso s join conteudos c on c.id = s.documento_conteudo_id where s.orgao_id = $1`,
      [orgaoId],
    );
    const { createHash } = await import('node:crypto');
    expect(s).toEqual({
      cnpj: '11222333000181',
      cep: '74000000',
      uf: 'GO',
      gestor_cpf: '52998224725',
      sistema_id: null,
      sistema_governo: 'CISVALE - SEI',
      tamanho: PDF.byteLength,
      hash: createHash('sha256').update(PDF).digest('base64'),
    });

    // Same CNPJ again (another sigla): already registered.
    const d = DADOS(repositorio);
    const outra = await solicitar({ ...d, identificacao: { ...d.identificacao, sigla: 'CISVALE2' } }, PDF, novaGestora);
    expect(outra).toMatchObject({ status: 422, body: { erro: { codigo: 'ORGAO_JA_CADASTRADO' } } });

    // PEN reads the request's content in GraphQL, then approves; the new agency's gestor (a token naming it now) sees its onboarding.
    const pen = await gw.tokenOf(PEN_ADMIN);
    const lido = await gw.ok(
      `query($o: ID) { onboarding(orgao: $o) { etapa solicitacoes { situacao uf cnpj cep sistemaGoverno gestorTecnologico gestorNome gestorCpf gestorEmail documentoNome solicitadoPor } } }`,
      { o: gid('Orgao', orgaoId) },
      pen,
    );
    expect(lido.onboarding).toEqual({
      etapa: 'ANALISE_CADASTRO',
      solicitacoes: [
        {
          situacao: 'EM_ANALISE',
          uf: 'GO',
          cnpj: '11222333000181',
          cep: '74000000',
          sistemaGoverno: 'CISVALE - SEI',
          gestorTecnologico: 'Interno',
          gestorNome: 'Helena Prado',
          gestorCpf: '52998224725',
          gestorEmail: 'helena.prado@cisvale.go.gov.br',
          documentoNome: 'termo-de-adesao.pdf',
          solicitadoPor: 'helena.prado@cisvale',
        },
      ],
    });
    const aprovado = await gw.ok(
      `mutation($o: ID!) { aprovarCadastro(input: { orgao: $o }) { __typename ... on OnboardingAtualizado { onboarding { etapa } } ... on Erro { codigo } } }`,
      { o: gid('Orgao', orgaoId) },
      pen,
    );
    expect(aprovado.aprovarCadastro).toEqual({ __typename: 'OnboardingAtualizado', onboarding: { etapa: 'CONFIGURACAO_ESTRUTURA' } });
    // The approval created the SPE the request described and linked it to the agency.
    const spe = await gw.ok(
      `query($o: ID) { onboarding(orgao: $o) { solicitacoes { sistemaGoverno gestorTecnologico sistema { codigo nome sistema versao gestorTecnologico orgaos { sigla } } } } }`,
      { o: gid('Orgao', orgaoId) },
      pen,
    );
    expect(spe.onboarding.solicitacoes).toEqual([
      {
        sistemaGoverno: 'CISVALE - SEI',
        gestorTecnologico: 'Interno',
        sistema: {
          codigo: 'sei.cisvale.go.gov.br',
          nome: 'CISVALE - SEI',
          sistema: 'SEI',
          versao: '4.1',
          gestorTecnologico: 'Interno',
          orgaos: [{ sigla: 'CISVALE' }],
        },
      },
    ]);
    const gestora = await gw.token({
      sub: 'helena.prado@cisvale',
      orgao: { repositorio, estrutura: orgao!.numero_identificacao },
      roles: ['GESTOR_PROTOCOLO'],
    });
    // Units of its structure (the structure mutations belong to another owner): one sending and receiving.
    await gw.database.rows(
      `insert into estruturas (repositorio_id, numero_identificacao, sigla, nome, pai_id, orgao_id, habilitada_envio, habilitada_recebimento, criada_em)
       values ($1, $2, 'PROTOCOLO', 'Protocolo – CISVALE', $3, $3, true, true, now())`,
      [repositorio, orgao!.numero_identificacao + 1, orgaoId],
    );
    const concluido = await gw.ok(
      `mutation($o: ID!) { concluirConfiguracaoEstrutura(input: { orgao: $o }) { __typename ... on OnboardingAtualizado { onboarding { etapa historico { etapa ator } } } } }`,
      { o: gid('Orgao', orgaoId) },
      gestora,
    );
    expect(concluido.concluirConfiguracaoEstrutura.onboarding).toEqual({
      etapa: 'IMPLANTACAO_HOMOLOGACAO',
      historico: [
        { etapa: 'ANALISE_CADASTRO', ator: 'helena.prado@cisvale' },
        { etapa: 'CONFIGURACAO_ESTRUTURA', ator: 'pen.admin' },
        { etapa: 'IMPLANTACAO_HOMOLOGACAO', ator: 'helena.prado@cisvale' },
      ],
    });

    // ---- on to production, over HTTP: requirements (a)–(c) in homologação with a partner agency (the Ministério da
    // Saúde's SPE here), PEN's validation (which replicates the configuration into produção), the production tests
    // with the test unit, the configuration confirmed, PEN's validation in produção.
    const o = gid('Orgao', orgaoId);
    const [unidadeCisvale] = await gw.database.rows<{ id: number }>(
      `select id::int as id from estruturas where orgao_id = $1 and pai_id is not null`,
      [orgaoId],
    );
    const speCisvale = await gw.token({
      sub: 'spe:sei.cisvale.go.gov.br',
      orgao: { repositorio, estrutura: orgao!.numero_identificacao },
      roles: ['SPE'],
    });
    const cisvale = { unidade: unidadeCisvale!.id, token: speCisvale };
    const unidadeDe = async (where: string, params: unknown[]) =>
      (await gw.database.rows<{ id: number }>(`select id::int as id from estruturas where ${where} limit 1`, params))[0]!.id;
    const ms = {
      unidade: await unidadeDe(
        `orgao_id = (select id from estruturas where sigla = 'MS' and pai_id is null) and pai_id is not null and habilitada_envio and habilitada_recebimento and ativo order by id`,
        [],
      ),
      token: await gw.tokenOf(SPE_SAUDE),
    };
    const disis = {
      unidade: await unidadeDe('repositorio_id = $1 and numero_identificacao = $2', [
        DEMO_UNIDADE_TESTES_PRODUCAO.repositorio,
        DEMO_UNIDADE_TESTES_PRODUCAO.estrutura,
      ]),
      token: await gw.tokenOf(SPE_MGI),
    };
    let processo = 0;
    type Lado = { unidade: number; token: string };
    const tramite = async (ambiente: 'PRODUCAO' | 'HOMOLOGACAO', de: Lado, para: Lado, fim: 6 | 9) => {
      processo += 1;
      // As the two SPEs would: a small real document, its upload, the hashes, the receipt signed with the demo key.
      await conduzirTramite(gw, { rem: { ...de, orgao: 0 }, dest: { ...para, orgao: 0 } }, fim, {
        ambiente,
        numeroProcesso: `${backend}-cisvale-${processo}`,
        inicio: { descricao: 'TESTE – CISVALE' },
      });
    };
    // CISVALE's SPE signs its receipts with the demo key in both environments (registered by its gestora).
    const registrarChaveDemo = async (ambiente: 'PRODUCAO' | 'HOMOLOGACAO') =>
      expect(
        (
          await gw.ok(
            'mutation($k: String!, $a: Ambiente!) { r: registrarChavePublicaSpe(input: { chavePublica: $k, ambiente: $a }) { __typename } }',
            { k: CHAVE_PUBLICA_SPE_DEMO, a: ambiente },
            gestora,
          )
        ).r.__typename,
      ).not.toMatch(/^Erro/);
    const etapa = async (mutacao: string, token: string, esperada: string) => {
      const r = (
        await gw.ok(
          `mutation($o: ID!) { r: ${mutacao}(input: { orgao: $o }) { __typename ... on OnboardingAtualizado { onboarding { etapa } } ... on ErroCriteriosNaoAtendidos { pendencias } } }`,
          { o },
          token,
        )
      ).r;
      expect(r, mutacao).toEqual({ __typename: 'OnboardingAtualizado', onboarding: { etapa: esperada } });
    };
    const satisfeitos = async (ambiente: string) =>
      (
        await gw.ok(
          `query($o: ID, $a: Ambiente) { onboarding(orgao: $o) { checklist(ambiente: $a) { codigo exigido situacao } } }`,
          { o, a: ambiente },
          gestora,
        )
      ).onboarding.checklist
        .filter((i: { exigido: boolean }) => i.exigido)
        .map((i: { codigo: string; situacao: string }) => [i.codigo, i.situacao]);

    await registrarChaveDemo('HOMOLOGACAO');
    await tramite('HOMOLOGACAO', cisvale, ms, 6); // (a) sent
    await tramite('HOMOLOGACAO', ms, cisvale, 6); // (b) received
    await tramite('HOMOLOGACAO', ms, cisvale, 9); // (c) refused as recipient
    expect(await satisfeitos('HOMOLOGACAO')).toEqual(['a', 'b', 'c'].map((c) => [c, 'ATENDIDO_AUTOMATICAMENTE']));
    await etapa('solicitarValidacaoHomologacao', gestora, 'VALIDACAO_HOMOLOGACAO');
    await etapa('validarHomologacao', pen, 'ACESSO_PRODUCAO');

    // Produção starts as homologação's copy: the first gestor is there, the SPE key is not (another certificate).
    const lado = await gw.ok(
      `query($o: ID) { onboarding(orgao: $o) { configuracoes { ambiente gestores { cpf } chaveSpe { chaveId } confirmadaEm } } }`,
      { o },
      gestora,
    );
    expect(lado.onboarding.configuracoes).toEqual([
      // Homologação's key is the demo key its SPE signed the receipts with; produção's is not copied (its own certificate).
      { ambiente: 'HOMOLOGACAO', gestores: [{ cpf: '52998224725' }], chaveSpe: { chaveId: expect.any(String) }, confirmadaEm: null },
      { ambiente: 'PRODUCAO', gestores: [{ cpf: '52998224725' }], chaveSpe: null, confirmadaEm: null },
    ]);

    await registrarChaveDemo('PRODUCAO');
    await tramite('PRODUCAO', cisvale, disis, 6);
    await tramite('PRODUCAO', disis, cisvale, 6);
    await tramite('PRODUCAO', disis, cisvale, 9);
    expect(await satisfeitos('PRODUCAO')).toEqual(['a', 'b', 'c'].map((c) => [c, 'ATENDIDO_AUTOMATICAMENTE']));
    const semConfirmar = await gw.ok(
      `mutation($o: ID!) { r: solicitarValidacaoProducao(input: { orgao: $o }) { __typename ... on ErroCriteriosNaoAtendidos { pendencias } } }`,
      { o },
      gestora,
    );
    expect(semConfirmar.r.__typename).toBe('ErroCriteriosNaoAtendidos');
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await gw.ok(
      `mutation($k: String!) { registrarChavePublicaSpe(input: { chavePublica: $k, ambiente: PRODUCAO }) { __typename } }`,
      { k: publicKey.export({ format: 'pem', type: 'spki' }).toString() },
      gestora,
    );
    await etapa('confirmarConfiguracaoProducao', gestora, 'ACESSO_PRODUCAO');
    await etapa('solicitarValidacaoProducao', gestora, 'VALIDACAO_PRODUCAO');
    await etapa('validarProducao', pen, 'EM_PRODUCAO');
    const fim = await gw.ok(`query($o: ID) { onboarding(orgao: $o) { etapa implantadoEm bloqueios } }`, { o }, pen);
    expect(fim.onboarding).toMatchObject({ etapa: 'EM_PRODUCAO', implantadoEm: expect.any(String), bloqueios: [] });
  });
});

// The access request with its content, over HTTP on both backends, and the manual's four chapters walked entirely
// through the API by the roles it names: a body outside SIORG registers itself with a real PDF uploaded through the
// streamed route (its future gestora); PEN analyses and approves; the gestora configures the structure (its units, their
// modes, a centralising unit, another gestor, the SPE key); homologação's tests (a) (b) (c) with the automatic test
// counterparts only, the agency's SPE taking its steps; PEN's validation (which replicates the configuration into
// produção); "testes iniciados" with the institutional notice delivered once to a real SMTP server; the production
// tests with the test unit; the replicated configuration confirmed; PEN's validation. At every act the roles the
// manual does not name for it are refused with a coded error. Every bad input of the issue is a coded error with
// nothing written.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BACKENDS } from './support/backends.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { dbId, gid } from './support/ids.js';
import { conduzirTramite } from './support/tramites.js';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { assinarComoSpeDemo } from '../src/demo/chaves-spe.js';
import { transporteSmtp } from '../src/http/email.js';
import { createLogger } from '../src/logger.js';
import { agendarEntregaDeAvisos } from '../src/onboarding/avisos.js';
import { origem, textoDoReciboDeConclusao } from './support/componentes.js';
import { servidorSmtp } from './support/smtp.js';
import { waitUntil } from './support/wait.js';
import { DEMO_UNIDADE_TESTES_PRODUCAO } from '../src/demo/seed.js';
import { CHAVE_PUBLICA_SPE_DEMO } from '../src/demo/chaves-spe.js';
import { GESTOR_SAUDE, PEN_ADMIN, SPE_MGI } from './support/accounts.js';
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
    // The counterparts' worker runs (homologação's tests); they are created before any test counts rows.
    gw = await startTestGateway(backend, { contrapartesIntervalMs: 100 });
    const [r] = await gw.database.rows<{ id: number }>(
      // A repositório other than SIORG that already holds an agency (the bad-input cases reuse its sigla).
      'select min(repositorio_id) as id from estruturas where repositorio_id <> 1 and pai_id is null',
    );
    repositorio = r!.id;
    novaGestora = await gw.token({ sub: 'helena.prado@cisvale', orgao: null, roles: ['GESTOR_PROTOCOLO'] });
    await gw.ok('{ contrapartesDeTeste { numero } }', {}, novaGestora);
  });
  afterAll(async () => {
    await gw?.close();
  });

  const solicitar = (dados: unknown, documento: Uint8Array | null, token: string) => solicitarAcesso(gw, dados, documento, token);
  const fotografia = async () =>
    JSON.stringify(
      await gw.database.rows(
        `select (select count(*) from estruturas)::int e, (select count(*) from onboardings)::int o, (select count(*) from solicitacoes_acesso)::int s,
                (select count(*) from conteudos)::int c, (select count(*) from onboarding_eventos)::int ev,
                (select count(*) from estrutura_eventos)::int ee, (select count(*) from gestores_protocolo)::int g`,
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
    // Chapter 1, the request, is its future gestor de protocolo's: PEN or an SPE asking for it is refused, nothing written.
    const antesDoPedido = await fotografia();
    for (const [quem, token] of Object.entries({
      pen: await gw.tokenOf(PEN_ADMIN),
      spe: await gw.token({ sub: 'spe:sei.cisvale.go.gov.br', orgao: null, roles: ['SPE'] }),
    })) {
      const recusa = await solicitar(DADOS(repositorio), PDF, token);
      expect({ quem, status: recusa.status, codigo: recusa.body.erro?.codigo }).toEqual({
        quem,
        status: 403,
        codigo: 'PAPEL_NAO_PERMITIDO',
      });
    }
    expect(await fotografia()).toBe(antesDoPedido);
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
    // Chapter 2, the analysis, is PEN's: the body's own gestora cannot approve itself.
    const APROVAR = `mutation($o: ID!) { aprovarCadastro(input: { orgao: $o }) { __typename ... on OnboardingAtualizado { onboarding { etapa } } ... on Erro { codigo } } }`;
    expect((await gw.ok(APROVAR, { o: gid('Orgao', orgaoId) }, novaGestora)).aprovarCadastro).toMatchObject({
      codigo: 'PAPEL_NAO_PERMITIDO',
    });
    const aprovado = await gw.ok(APROVAR, { o: gid('Orgao', orgaoId) }, pen);
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
    const naAgencia = { repositorio, estrutura: orgao!.numero_identificacao };
    const gestora = await gw.token({ sub: 'helena.prado@cisvale', orgao: naAgencia, roles: ['GESTOR_PROTOCOLO'] });
    const speCisvale = await gw.token({ sub: 'spe:sei.cisvale.go.gov.br', orgao: naAgencia, roles: ['SPE'], spe: 'sei.cisvale.go.gov.br' });
    const gestorMs = await gw.tokenOf(GESTOR_SAUDE);
    const o = gid('Orgao', orgaoId);
    /** A mutation's answer (`r`). */
    const mut = async (doc: string, variables: Record<string, unknown>, token: string) => (await gw.ok(doc, variables, token)).r;
    const refusado = (resposta: Record<string, unknown>, codigo: string, quem: string) =>
      expect({ quem, codigo: resposta.codigo }, JSON.stringify(resposta)).toEqual({ quem, codigo });

    // ---- Chapter 3, the structure, by its gestora de protocolo: its units (a body outside SIORG keeps its own tree),
    // their modes, a centralising unit, another gestor, the SPE key. Every other role is refused with a code.
    const CONFIG = `__typename ... on ConfiguracaoEstruturaAlterada { unidades { id sigla modoTramitacao centralizadora aptaParaReceberTramites } eventos { tipo ator } } ... on Erro { codigo }`;
    const CADASTRAR = `mutation($i: CadastrarUnidadeInput!) { r: cadastrarUnidade(input: $i) { ${CONFIG} } }`;
    const MODO = `mutation($i: DefinirModoTramitacaoInput!) { r: definirModoTramitacao(input: $i) { ${CONFIG} } }`;
    const CENTRAL = `mutation($i: DefinirUnidadeCentralizadoraInput!) { r: definirUnidadeCentralizadora(input: $i) { ${CONFIG} } }`;
    const CENTRALIZADAS = `mutation($i: DefinirUnidadesCentralizadasInput!) { r: definirUnidadesCentralizadas(input: $i) { ${CONFIG} } }`;
    const PROTOCOLO = { sigla: 'PROTOCOLO', nome: 'Protocolo – CISVALE' };
    let antes = await fotografia();
    for (const [quem, token] of Object.entries({ spe: speCisvale, pen })) {
      refusado(await mut(CADASTRAR, { i: PROTOCOLO }, token), 'CONFIGURACAO_NAO_PERMITIDA', quem);
    }
    // A SIORG agency's gestor: its tree is imported.
    refusado(await mut(CADASTRAR, { i: PROTOCOLO }, gestorMs), 'HIERARQUIA_IMPORTADA', 'gestor do MS');
    expect(await fotografia()).toBe(antes);
    const protocolo = await mut(CADASTRAR, { i: PROTOCOLO }, gestora);
    expect(protocolo).toMatchObject({
      unidades: [{ sigla: 'PROTOCOLO', modoTramitacao: 'NAO_HABILITADA', aptaParaReceberTramites: false }],
      eventos: [{ tipo: 'UNIDADE_CADASTRADA', ator: 'helena.prado@cisvale' }],
    });
    const protocoloId = protocolo.unidades[0].id as string;
    // Bad input: a sigla it already has; coded, nothing written.
    antes = await fotografia();
    refusado(await mut(CADASTRAR, { i: { ...PROTOCOLO, nome: 'Outro' } }, gestora), 'DADOS_INVALIDOS', 'sigla repetida');
    expect(await fotografia()).toBe(antes);
    const gabinete = await mut(CADASTRAR, { i: { pai: protocoloId, sigla: 'GAB', nome: 'Gabinete da Presidência' } }, gestora);
    const gabineteId = gabinete.unidades[0].id as string;
    // Another agency's gestor acting on CISVALE's units: coded, nothing written.
    antes = await fotografia();
    refusado(
      await mut(MODO, { i: { unidade: protocoloId, modo: 'ENVIO_E_RECEBIMENTO' } }, gestorMs),
      'UNIDADE_DE_OUTRO_ORGAO',
      'gestor do MS',
    );
    refusado(await mut(CADASTRAR, { i: { pai: protocoloId, sigla: 'X', nome: 'X' } }, gestorMs), 'UNIDADE_DE_OUTRO_ORGAO', 'gestor do MS');
    // Produção is not CISVALE's yet (only production access opens it): coded, nothing written.
    refusado(
      await mut(MODO, { i: { unidade: protocoloId, modo: 'ENVIO_E_RECEBIMENTO', ambiente: 'PRODUCAO' } }, gestora),
      'AMBIENTE_NAO_CONFIGURAVEL',
      'produção antes do acesso',
    );
    expect(await fotografia()).toBe(antes);
    // Homologação, the environment being configured (this deployment's default is produção).
    const H = { ambiente: 'HOMOLOGACAO' };
    expect(await mut(MODO, { i: { unidade: protocoloId, modo: 'ENVIO_E_RECEBIMENTO', ...H } }, gestora)).toMatchObject({
      unidades: [{ modoTramitacao: 'ENVIO_E_RECEBIMENTO', aptaParaReceberTramites: true }],
    });
    expect(await mut(MODO, { i: { unidade: gabineteId, modo: 'SOMENTE_ENVIO', ...H } }, gestora)).toMatchObject({
      unidades: [{ modoTramitacao: 'SOMENTE_ENVIO', aptaParaReceberTramites: false }],
    });
    expect(await mut(CENTRAL, { i: { unidade: protocoloId, centralizadora: true, ...H } }, gestora)).toMatchObject({
      unidades: [{ centralizadora: true }],
    });
    // The cabinet sends only; what is sent to it is received by the protocol (its unidadeReceptora).
    expect(await mut(CENTRALIZADAS, { i: { centralizadora: protocoloId, unidades: [gabineteId], ...H } }, gestora)).toMatchObject({
      unidades: [{ sigla: 'GAB', aptaParaReceberTramites: true }],
      eventos: [{ tipo: 'UNIDADE_CENTRALIZADORA', ator: 'helena.prado@cisvale' }],
    });
    const historico = await gw.ok(
      `query($id: ID!) { node(id: $id) { ... on UnidadeAdministrativa {
        h: historicoDeConfiguracao(ambiente: HOMOLOGACAO) { tipo ator ambiente } p: historicoDeConfiguracao(ambiente: PRODUCAO) { tipo }
        modoTramitacao(ambiente: HOMOLOGACAO) emProducao: modoTramitacao(ambiente: PRODUCAO) } } }`,
      { id: protocoloId },
      gestora,
    );
    expect(historico.node).toEqual({
      h: [
        { tipo: 'CENTRALIZADORA', ator: 'helena.prado@cisvale', ambiente: 'HOMOLOGACAO' },
        { tipo: 'MODO_TRAMITACAO', ator: 'helena.prado@cisvale', ambiente: 'HOMOLOGACAO' },
        { tipo: 'UNIDADE_CADASTRADA', ator: 'helena.prado@cisvale', ambiente: null },
      ],
      // The registration is both environments'; nothing was configured in produção.
      p: [{ tipo: 'UNIDADE_CADASTRADA' }],
      modoTramitacao: 'ENVIO_E_RECEBIMENTO',
      emProducao: 'NAO_HABILITADA',
    });
    const GESTOR = `mutation($o: ID!, $a: Ambiente!) { r: registrarGestorProtocolo(input: { orgao: $o, ambiente: $a, nome: "Otávio Reis", cpf: "390.533.447-05", email: "otavio.reis@cisvale.go.gov.br" }) {
      __typename ... on GestoresAtualizados { gestores { cpf } evento { tipo ator } } ... on Erro { codigo } } }`;
    for (const [quem, token] of Object.entries({ spe: speCisvale, pen, gestorMs })) {
      refusado(await mut(GESTOR, { o, a: 'HOMOLOGACAO' }, token), 'PAPEL_NAO_PERMITIDO', quem);
    }
    expect(await mut(GESTOR, { o, a: 'HOMOLOGACAO' }, gestora)).toMatchObject({
      gestores: [{ cpf: '52998224725' }, { cpf: '39053344705' }],
      evento: { tipo: 'GESTOR_REGISTRADO', ator: 'helena.prado@cisvale' },
    });
    // CISVALE's SPE signs its receipts with the demo key; the key is registered by its gestora, never by the SPE itself.
    const CHAVE =
      'mutation($k: String!, $a: Ambiente!) { r: registrarChavePublicaSpe(input: { chavePublica: $k, ambiente: $a }) { __typename ... on Erro { codigo } } }';
    const registrarChaveDemo = async (ambiente: 'PRODUCAO' | 'HOMOLOGACAO') =>
      expect((await mut(CHAVE, { k: CHAVE_PUBLICA_SPE_DEMO, a: ambiente }, gestora)).__typename).toBe('ChavePublicaSpe');
    refusado(await mut(CHAVE, { k: CHAVE_PUBLICA_SPE_DEMO, a: 'HOMOLOGACAO' }, speCisvale), 'PAPEL_NAO_PERMITIDO', 'spe');
    await registrarChaveDemo('HOMOLOGACAO');

    const etapa = async (mutacao: string, token: string, esperada: string) => {
      const resposta = await mut(
        `mutation($o: ID!) { r: ${mutacao}(input: { orgao: $o }) { __typename ... on OnboardingAtualizado { onboarding { etapa } } ... on ErroCriteriosNaoAtendidos { pendencias } } }`,
        { o },
        token,
      );
      expect(resposta, mutacao).toEqual({ __typename: 'OnboardingAtualizado', onboarding: { etapa: esperada } });
    };
    /** A step by a role the manual does not name for it: coded, nothing moves. */
    const etapaRecusada = async (mutacao: string, tokens: Record<string, string>) => {
      for (const [quem, token] of Object.entries(tokens)) {
        const resposta = await mut(
          `mutation($o: ID!) { r: ${mutacao}(input: { orgao: $o }) { __typename ... on Erro { codigo } } }`,
          { o },
          token,
        );
        refusado(resposta, 'PAPEL_NAO_PERMITIDO', `${mutacao} by ${quem}`);
      }
    };
    await etapaRecusada('concluirConfiguracaoEstrutura', { pen, spe: speCisvale, gestorMs });
    const concluido = await gw.ok(
      `mutation($o: ID!) { concluirConfiguracaoEstrutura(input: { orgao: $o }) { __typename ... on OnboardingAtualizado { onboarding { etapa historico { tipo etapa ator } } } } }`,
      { o },
      gestora,
    );
    expect(concluido.concluirConfiguracaoEstrutura.onboarding).toEqual({
      etapa: 'IMPLANTACAO_HOMOLOGACAO',
      historico: [
        { tipo: 'ETAPA', etapa: 'ANALISE_CADASTRO', ator: 'helena.prado@cisvale' },
        { tipo: 'ETAPA', etapa: 'CONFIGURACAO_ESTRUTURA', ator: 'pen.admin' },
        { tipo: 'GESTOR_REGISTRADO', etapa: 'CONFIGURACAO_ESTRUTURA', ator: 'helena.prado@cisvale' },
        { tipo: 'ETAPA', etapa: 'IMPLANTACAO_HOMOLOGACAO', ator: 'helena.prado@cisvale' },
      ],
    });

    // ---- Chapter 4, homologação: (a) (b) (c) with the automatic test counterparts only, CISVALE's SPE taking its steps.
    const situacao = async (id: string) =>
      (await gw.database.rows<{ s: number }>('select situacao::int as s from tramites where id = $1', [dbId(id)]))[0]!.s;
    const ate = (id: string, s: number) => waitUntil(`trâmite ${id} at ${s}`, async () => (await situacao(id)) === s, 30_000);
    const PASSO = (mutacao: string, tipo: string) =>
      `mutation($input: ${tipo}!) { r: ${mutacao}(input: $input) { __typename ... on TransicaoRealizada { tramite { codigoSituacao unidadeReceptora { id } } } ... on Erro { codigo } } }`;
    const { contrapartesDeTeste } = await gw.ok('{ contrapartesDeTeste { numero unidade { id } } }', {}, gestora);
    const cisvale = { unidade: dbId(protocoloId), token: speCisvale, orgao: 0 };
    // (a) CISVALE sends to ORGAO1; the counterpart receives, checks and signs (→ 5); CISVALE's SPE acknowledges (→ 6).
    const enviado = await conduzirTramite(
      gw,
      { rem: cisvale, dest: { unidade: dbId(contrapartesDeTeste[0].unidade.id), token: '', orgao: 0 } },
      2,
      { ambiente: 'HOMOLOGACAO', numeroProcesso: `${backend}-cisvale-a` },
    );
    await ate(enviado.id, 5);
    expect(
      await mut(PASSO('registrarReciboConclusaoRecebido', 'AcaoTramiteInput'), { input: { tramite: enviado.id } }, speCisvale),
    ).toMatchObject({
      tramite: { codigoSituacao: 6 },
    });
    const ENVIE_ME = `mutation($input: SolicitarTramiteDeTesteInput!) { r: solicitarTramiteDeTeste(input: $input) {
      __typename ... on TramiteDeTesteEnviado { tramite { id unidadeReceptora { id } documentos { componentes { urlDeDownload } } } } ... on Erro { codigo } } }`;
    // Asking for a test process is the gestor's act, not the SPE's.
    refusado(await mut(ENVIE_ME, { input: { unidadeDestinataria: gabineteId } }, speCisvale), 'PAPEL_NAO_PERMITIDO', 'spe');
    // (b) a test process sent to the cabinet is received by the protocol (centralising); CISVALE receives it to 5, the
    // counterpart acknowledges (→ 6).
    const pedidoB = await mut(ENVIE_ME, { input: { unidadeDestinataria: gabineteId } }, gestora);
    expect(pedidoB.tramite.unidadeReceptora, JSON.stringify(pedidoB)).toEqual({ id: protocoloId });
    const recebido = pedidoB.tramite.id as string;
    await mut(PASSO('registrarMetadadosRecebidos', 'AcaoTramiteInput'), { input: { tramite: recebido } }, speCisvale);
    const hashes = [];
    for (const [i, c] of pedidoB.tramite.documentos[0].componentes.entries()) {
      const res = await fetch(`${origem(gw)}${c.urlDeDownload}`, { headers: { authorization: `Bearer ${speCisvale}` } });
      hashes.push({
        documento: 1,
        componente: i + 1,
        hash: createHash('sha256')
          .update(Buffer.from(await res.arrayBuffer()))
          .digest('base64'),
      });
    }
    expect(
      await mut(
        PASSO('confirmarRecebimentoDeComponentes', 'ConfirmarRecebimentoDeComponentesInput'),
        { input: { tramite: recebido, hashes } },
        speCisvale,
      ),
    ).toMatchObject({ tramite: { codigoSituacao: 4 } });
    const texto = await textoDoReciboDeConclusao(gw, recebido, speCisvale, 'HOMOLOGACAO');
    expect(
      await mut(
        PASSO('enviarReciboConclusao', 'EnviarReciboConclusaoInput'),
        { input: { tramite: recebido, hashDaAssinatura: assinarComoSpeDemo(texto) } },
        speCisvale,
      ),
    ).toMatchObject({ tramite: { codigoSituacao: 5 } });
    await ate(recebido, 6);
    // (c) another one, refused by CISVALE as recipient; the counterpart gives ciência (→ 9).
    const recusado = (await mut(ENVIE_ME, { input: { unidadeDestinataria: protocoloId, contraparte: 2 } }, gestora)).tramite.id as string;
    await mut(PASSO('registrarMetadadosRecebidos', 'AcaoTramiteInput'), { input: { tramite: recusado } }, speCisvale);
    expect(
      await mut(
        PASSO('recusarTramite', 'RecusarTramiteInput'),
        { input: { tramite: recusado, motivo: 'MOTIVO_99', justificativa: 'Teste de recusa como destinatário.' } },
        speCisvale,
      ),
    ).toMatchObject({ tramite: { codigoSituacao: 8 } });
    await ate(recusado, 9);
    const checklist = async (ambiente: string) =>
      (
        await gw.ok(
          `query($o: ID, $a: Ambiente) { onboarding(orgao: $o) { checklist(ambiente: $a) { codigo exigido situacao evidenciaResumo { idt } } } }`,
          { o, a: ambiente },
          gestora,
        )
      ).onboarding.checklist.filter((i: { exigido: boolean }) => i.exigido);
    const satisfeitos = async (ambiente: string) =>
      (await checklist(ambiente)).map((i: { codigo: string; situacao: string }) => [i.codigo, i.situacao]);
    expect(await satisfeitos('HOMOLOGACAO')).toEqual(['a', 'b', 'c'].map((c) => [c, 'ATENDIDO_AUTOMATICAMENTE']));
    // The agency reads the evidence of each, its own refusal included.
    expect((await checklist('HOMOLOGACAO')).every((i: { evidenciaResumo: unknown }) => i.evidenciaResumo !== null)).toBe(true);

    // ---- Chapter 5, validation by the PEN team: asked by the gestora, granted by PEN; each refused to the other.
    await etapaRecusada('solicitarValidacaoHomologacao', { pen, spe: speCisvale });
    await etapa('solicitarValidacaoHomologacao', gestora, 'VALIDACAO_HOMOLOGACAO');
    await etapaRecusada('validarHomologacao', { gestora, spe: speCisvale });
    await etapa('validarHomologacao', pen, 'ACESSO_PRODUCAO');

    // ---- Production access: produção starts as homologação's copy (both gestores, the units' modes and the
    // centralising link), side by side; the SPE key is not copied (another certificate).
    const UNIDADES_CONFIGURADAS = [
      { unidade: { sigla: 'GAB' }, modoTramitacao: 'SOMENTE_ENVIO', centralizadora: false, unidadeCentralizadora: { sigla: 'PROTOCOLO' } },
      { unidade: { sigla: 'PROTOCOLO' }, modoTramitacao: 'ENVIO_E_RECEBIMENTO', centralizadora: true, unidadeCentralizadora: null },
    ];
    const lado = await gw.ok(
      `query($o: ID) { onboarding(orgao: $o) { configuracoes { ambiente gestores { cpf } chaveSpe { chaveId } confirmadaEm
        unidades { unidade { sigla } modoTramitacao centralizadora unidadeCentralizadora { sigla } } } } }`,
      { o },
      gestora,
    );
    expect(lado.onboarding.configuracoes).toEqual([
      {
        ambiente: 'HOMOLOGACAO',
        gestores: [{ cpf: '52998224725' }, { cpf: '39053344705' }],
        chaveSpe: { chaveId: expect.any(String) },
        confirmadaEm: null,
        unidades: UNIDADES_CONFIGURADAS,
      },
      {
        ambiente: 'PRODUCAO',
        gestores: [{ cpf: '52998224725' }, { cpf: '39053344705' }],
        chaveSpe: null,
        confirmadaEm: null,
        unidades: UNIDADES_CONFIGURADAS,
      },
    ]);
    // The copy is produção's history too, by who granted the access.
    const replicado = await gw.ok(
      `query($id: ID!) { node(id: $id) { ... on UnidadeAdministrativa { historicoDeConfiguracao(ambiente: PRODUCAO) { tipo ator ambiente depois { modoTramitacao centralizadora } } } } }`,
      { id: protocoloId },
      gestora,
    );
    expect(replicado.node.historicoDeConfiguracao[0]).toEqual({
      tipo: 'CONFIGURACAO_REPLICADA',
      ator: 'pen.admin',
      ambiente: 'PRODUCAO',
      depois: { modoTramitacao: 'ENVIO_E_RECEBIMENTO', centralizadora: true },
    });

    // "Testes iniciados" by the gestora; the institutional notice reaches a real SMTP server exactly once.
    const smtp = await servidorSmtp(0);
    const transporte = transporteSmtp(smtp.url);
    const entrega = agendarEntregaDeAvisos(gw.database.db, transporte, {
      intervaloMs: 100,
      de: 'gateway@tramita.localhost',
      clock: () => new Date(),
      logger: createLogger('silent'),
    });
    try {
      await etapaRecusada('registrarTestesIniciados', { pen, spe: speCisvale, gestorMs });
      await etapa('registrarTestesIniciados', gestora, 'ACESSO_PRODUCAO');
      // Delivered and marked sent (the mark commits after the server has accepted the message).
      const enviado = async () =>
        (
          await gw.database.rows<{ n: number }>(
            'select count(*)::int as n from avisos_email where orgao_id = $1 and enviado_em is not null',
            [orgaoId],
          )
        )[0]!.n === 1;
      await waitUntil('the notice delivered', enviado, 20_000);
      expect(smtp.recebidos).toHaveLength(1);
      expect(smtp.recebidos[0]).toMatchObject({ para: ['processo.eletronico@gestao.gov.br'] });
      expect(smtp.recebidos[0]!.texto).toContain('CISVALE');
    } finally {
      await entrega.parar();
      transporte.fechar();
      await smtp.fechar();
    }
    expect(smtp.recebidos).toHaveLength(1);

    // Production tests with the test unit (DISIS), described as tests, by the two SPEs.
    const disis = {
      unidade: (
        await gw.database.rows<{ id: number }>(
          'select id::int as id from estruturas where repositorio_id = $1 and numero_identificacao = $2',
          [DEMO_UNIDADE_TESTES_PRODUCAO.repositorio, DEMO_UNIDADE_TESTES_PRODUCAO.estrutura],
        )
      )[0]!.id,
      token: await gw.tokenOf(SPE_MGI),
      orgao: 0,
    };
    let processo = 0;
    const tramite = async (de: typeof disis, para: typeof disis, fim: 6 | 9) => {
      processo += 1;
      await conduzirTramite(gw, { rem: de, dest: para }, fim, {
        ambiente: 'PRODUCAO',
        numeroProcesso: `${backend}-cisvale-${processo}`,
        inicio: { descricao: 'TESTE – CISVALE' },
      });
    };
    await registrarChaveDemo('PRODUCAO');
    await tramite(cisvale, disis, 6);
    await tramite(disis, cisvale, 6);
    await tramite(disis, cisvale, 9);
    expect(await satisfeitos('PRODUCAO')).toEqual(['a', 'b', 'c'].map((c) => [c, 'ATENDIDO_AUTOMATICAMENTE']));
    const semConfirmar = await mut(
      `mutation($o: ID!) { r: solicitarValidacaoProducao(input: { orgao: $o }) { __typename ... on ErroCriteriosNaoAtendidos { pendencias } } }`,
      { o },
      gestora,
    );
    expect(semConfirmar).toEqual({
      __typename: 'ErroCriteriosNaoAtendidos',
      pendencias: ['confirmar a configuração de produção (replicada da homologação)'],
    });
    // Produção's own certificate: the gestora registers its key, then confirms the replicated configuration.
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    expect((await mut(CHAVE, { k: publicKey.export({ format: 'pem', type: 'spki' }).toString(), a: 'PRODUCAO' }, gestora)).__typename).toBe(
      'ChavePublicaSpe',
    );
    // The agency adjusts its produção units (this deployment's default environment) before confirming: homologação's
    // stay as they were.
    expect(await mut(MODO, { i: { unidade: gabineteId, modo: 'ENVIO_E_RECEBIMENTO' } }, gestora)).toMatchObject({
      unidades: [{ sigla: 'GAB', modoTramitacao: 'ENVIO_E_RECEBIMENTO' }],
    });
    await etapaRecusada('confirmarConfiguracaoProducao', { pen, spe: speCisvale, gestorMs });
    await etapa('confirmarConfiguracaoProducao', gestora, 'ACESSO_PRODUCAO');
    const confirmada = await gw.ok(
      `query($o: ID) { onboarding(orgao: $o) { configuracoes { ambiente confirmadaEm unidades { unidade { sigla } modoTramitacao } } } }`,
      { o },
      gestora,
    );
    expect(confirmada.onboarding.configuracoes).toEqual([
      {
        ambiente: 'HOMOLOGACAO',
        confirmadaEm: null,
        unidades: [
          { unidade: { sigla: 'GAB' }, modoTramitacao: 'SOMENTE_ENVIO' },
          { unidade: { sigla: 'PROTOCOLO' }, modoTramitacao: 'ENVIO_E_RECEBIMENTO' },
        ],
      },
      {
        ambiente: 'PRODUCAO',
        confirmadaEm: expect.any(String),
        unidades: [
          { unidade: { sigla: 'GAB' }, modoTramitacao: 'ENVIO_E_RECEBIMENTO' },
          { unidade: { sigla: 'PROTOCOLO' }, modoTramitacao: 'ENVIO_E_RECEBIMENTO' },
        ],
      },
    ]);
    await etapaRecusada('solicitarValidacaoProducao', { pen, spe: speCisvale });
    await etapa('solicitarValidacaoProducao', gestora, 'VALIDACAO_PRODUCAO');
    await etapaRecusada('validarProducao', { gestora, spe: speCisvale });
    await etapa('validarProducao', pen, 'EM_PRODUCAO');
    const fim = await gw.ok(`query($o: ID) { onboarding(orgao: $o) { etapa implantadoEm testesIniciadosEm bloqueios } }`, { o }, pen);
    expect(fim.onboarding).toMatchObject({
      etapa: 'EM_PRODUCAO',
      implantadoEm: expect.any(String),
      testesIniciadosEm: expect.any(String),
      bloqueios: [],
    });
    // A long walk (some forty requests, the counterparts' worker, an SMTP delivery): bounded, generously, on a shared machine.
  }, 180_000);
});

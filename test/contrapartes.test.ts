// Homologação's automatic test counterparts over HTTP on both backends, with the worker running in the gateway: an
// agency in IMPLANTACAO_HOMOLOGACAO (TRT18, its trâmite tests reset) completes requirements (a) send to 6, (b) receive
// to 6 and (c) refuse as recipient (9) with no second human agency, the existing automatic check recording each; the
// counterpart's recibo de conclusão verifies against its registered key; a refusal on request; a corrupted component
// refused with 02; produção refuses the counterparts.
import { createHash, createPublicKey, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { assinarComoSpeDemo } from '../src/demo/chaves-spe.js';
import { ATOR_CONTRAPARTE_TESTE } from '../src/kernel/platform.js';
import { SITUACAO_INFO } from '../src/tramites/regras.js';
import { createDatabase, type DatabaseHandle } from '../src/db/client.js';
import { startGateway, type Gateway } from '../src/http/gateway.js';
import { createLogger } from '../src/logger.js';
import { BACKENDS, postgresAdminUrl } from './support/backends.js';
import { SPE_MGI } from './support/accounts.js';
import { arquivo, documentosDe, enviarComponentes, origem, PROCESSO_PUBLICO, textoDoReciboDeConclusao } from './support/componentes.js';
import { startTestGateway, testGatewayConfig, type TestGateway } from './support/gateway.js';
import { dbId, gid } from './support/ids.js';
import { waitUntil } from './support/wait.js';
import { centralizadaPor, habilitada } from './support/configuracao.js';
import { mutacaoDePasso } from './support/tramites.js';

const GESTORA_TRT18 = 'gestora.renata@trt18';

const INICIAR = mutacaoDePasso('iniciarTramite', 'IniciarTramiteInput', '... on ErroOrgaoNaoAdmitidoNoAmbiente { sigla ambiente }');

const VALIDACAO = `mutation($input: AcaoOnboardingInput!) { r: solicitarValidacaoHomologacao(input: $input) {
  __typename
  ... on OnboardingAtualizado { onboarding { etapa } }
  ... on ErroCriteriosNaoAtendidos { codigo pendencias }
} }`;

const CONTRAPARTES = '{ contrapartesDeTeste { numero sigla nome sistema orgao { id sigla } unidade { id sigla } } }';

const ENVIE_ME = `mutation($input: SolicitarTramiteDeTesteInput!) { r: solicitarTramiteDeTeste(input: $input) {
  __typename
  ... on TramiteDeTesteEnviado { tramite { id idt codigoSituacao descricao documentos { componentes { hash urlDeDownload } } } }
  ... on Erro { codigo mensagem }
} }`;

const RECUSE = `mutation($input: SolicitarRecusaDeTesteInput!) { r: solicitarRecusaDeTeste(input: $input) {
  __typename
  ... on RecusaDeTesteSolicitada { justificativa atendidoEm }
  ... on Erro { codigo mensagem }
} }`;

// The counterparts trade in homologação only: read there (node(id:) answers in the deployment's default environment).
const TRAMITE = `query($id: ID!) { node: tramite(id: $id, ambiente: HOMOLOGACAO) {
  codigoSituacao
  historico { situacao lado ator motivoRecusa justificativa }
  reciboDeConclusao { textoAssinado hashDaAssinatura chavePublicaPem chaveId }
} }`;

interface Contraparte {
  numero: number;
  sigla: string;
  orgao: { id: string };
  unidade: { id: string };
}

describe.each(BACKENDS)('%s', (backend) => {
  let gw: TestGateway;
  let gestor: string;
  let spe: string;
  let orgaoId: number;
  let unidade: string;
  let contrapartes: Contraparte[];

  beforeAll(async () => {
    gw = await startTestGateway(backend, { contrapartesIntervalMs: 100 });
    gestor = await gw.tokenOf(GESTORA_TRT18);
    const [orgao] = await gw.database.rows<{ id: number; repositorio: number; numero: number }>(
      `select id::int as id, repositorio_id::int as repositorio, numero_identificacao::int as numero from estruturas where sigla = 'TRT18' and pai_id is null`,
    );
    orgaoId = orgao!.id;
    // TRT18's SPE acts for it (a token naming its agency, as the platform's certificate does).
    spe = await gw.token({
      sub: 'spe:sei.trt18.jus.br',
      orgao: { repositorio: orgao!.repositorio, estrutura: orgao!.numero },
      roles: ['SPE'],
    });
    const [u] = await gw.database.rows<{ id: number }>(
      `select id::int as id from estruturas where orgao_id = $1 and ${habilitada('estruturas', 'envio', 'HOMOLOGACAO')} and ${habilitada('estruturas', 'recebimento', 'HOMOLOGACAO')} and ${centralizadaPor('estruturas', 'HOMOLOGACAO')} is null order by id limit 1`,
      [orgaoId],
    );
    unidade = gid('UnidadeAdministrativa', u!.id);
    // Start with no trâmite test met in homologação: the demo had met (a) with a human agency.
    await gw.database.rows(
      `delete from requisitos_orgao where orgao_id = $1 and ambiente = 'HOMOLOGACAO'
         and codigo in (select codigo from requisitos_minimos where tipo <> 'CONFIGURACAO')`,
      [orgaoId],
    );
    contrapartes = (await gw.ok(CONTRAPARTES, {}, gestor)).contrapartesDeTeste;
  });
  afterAll(() => gw?.close());

  const ok = async (doc: string, input: Record<string, unknown>, token: string) => (await gw.ok(doc, { input }, token)).r;
  const situacaoNoBanco = async (id: string) =>
    (await gw.database.rows<{ s: number }>('select situacao::int as s from tramites where id = $1', [dbId(id)]))[0]!.s;
  const ate = (id: string, situacao: number) =>
    waitUntil(`trâmite ${id} at ${situacao}`, async () => (await situacaoNoBanco(id)) === situacao, 30_000);
  const requisitosAtendidos = async () =>
    (
      await gw.database.rows<{ tipo: string; evidencia: number }>(
        `select m.tipo, o.evidencia_tramite_id::int as evidencia from requisitos_orgao o join requisitos_minimos m on m.codigo = o.codigo
          where o.orgao_id = $1 and o.ambiente = 'HOMOLOGACAO' and o.situacao = 'ATENDIDO_AUTOMATICAMENTE' order by m.ordem`,
        [orgaoId],
      )
    ).map((r) => [r.tipo, r.evidencia]);

  /** TRT18's SPE sends a process with real components to a counterpart's unit in homologação (→ 2). */
  async function enviarParaContraparte(c: Contraparte, arquivos = [arquivo('oficio.pdf')]) {
    const inicio = await ok(
      INICIAR,
      {
        ambiente: 'HOMOLOGACAO',
        tipo: 'PROCESSO',
        numeroProcesso: `00218.${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}/2026-${String(Math.floor(Math.random() * 90) + 10)}`,
        descricao: `Teste com ${c.sigla}`,
        unidadeRemetente: unidade,
        unidadeDestinataria: c.unidade.id,
        processo: PROCESSO_PUBLICO,
        documentos: documentosDe(arquivos),
      },
      spe,
    );
    expect(inicio.__typename, JSON.stringify(inicio)).toBe('TransicaoRealizada');
    expect((await enviarComponentes(gw, spe, inicio.tramite.idt, arquivos)).body).toMatchObject({ situacao: 2 });
    return { id: inicio.tramite.id as string, arquivos };
  }

  test('four counterparts, each with its own SPE and a key registered in homologação only', async () => {
    expect(contrapartes.map((c) => c.sigla)).toEqual(['ORGAO1', 'ORGAO2', 'ORGAO3', 'ORGAO4']);
    const chaves = await gw.database.rows<{ ambiente: string }>(
      'select ambiente::text as ambiente from chaves_publicas_spe where orgao_id = any($1::int[])',
      [contrapartes.map((c) => dbId(c.orgao.id))],
    );
    expect(chaves.map((c) => c.ambiente)).toEqual(['HOMOLOGACAO', 'HOMOLOGACAO', 'HOMOLOGACAO', 'HOMOLOGACAO']);
  });

  test('(a) (b) (c) with only the counterparts; the receipt verifies against the counterpart key; the checklist gate opens', async () => {
    const [c1] = contrapartes;
    const pedirValidacao = () => ok(VALIDACAO, { orgao: gid('Orgao', orgaoId) }, gestor);
    const fechada = await pedirValidacao();
    expect(fechada, JSON.stringify(fechada)).toMatchObject({ codigo: 'CRITERIOS_NAO_ATENDIDOS' });
    expect(fechada.pendencias).toHaveLength(3);
    // (a) TRT18 sends; the counterpart receives, checks the hashes, signs (→ 5); TRT18 acknowledges (→ 6).
    const enviado = await enviarParaContraparte(c1!);
    await ate(enviado.id, 5);
    const { node } = await gw.ok(TRAMITE, { id: enviado.id }, spe);
    const r = node.reciboDeConclusao;
    expect(r.textoAssinado).toBe(await textoDoReciboDeConclusao(gw, enviado.id, spe, 'HOMOLOGACAO'));
    const [registrada] = await gw.database.rows<{ pem: string; chave_id: string }>(
      `select pem, chave_id from chaves_publicas_spe where orgao_id = $1 and ambiente = 'HOMOLOGACAO'`,
      [dbId(c1!.orgao.id)],
    );
    expect(r).toMatchObject({ chavePublicaPem: registrada!.pem, chaveId: registrada!.chave_id });
    expect(
      verify('sha256', Buffer.from(r.textoAssinado), createPublicKey(registrada!.pem), Buffer.from(r.hashDaAssinatura, 'base64')),
    ).toBe(true);
    // Its acts are the platform's test counterpart's, visible as such in the history.
    const atores = node.historico.filter((h: { lado: string }) => h.lado === 'DESTINATARIO').map((h: { ator: string }) => h.ator);
    expect(atores).toEqual([`${ATOR_CONTRAPARTE_TESTE}/ORGAO1`, `${ATOR_CONTRAPARTE_TESTE}/ORGAO1`, `${ATOR_CONTRAPARTE_TESTE}/ORGAO1`]);
    expect(await ok(mutacaoDePasso('registrarReciboConclusaoRecebido', 'AcaoTramiteInput'), { tramite: enviado.id }, spe)).toMatchObject({
      tramite: { codigoSituacao: 6 },
    });

    // (b) "send me a test process": TRT18's SPE receives it to 5 with its own key; the counterpart acknowledges (→ 6).
    const pedido = await ok(ENVIE_ME, { unidadeDestinataria: unidade }, gestor);
    expect(pedido.__typename, JSON.stringify(pedido)).toBe('TramiteDeTesteEnviado');
    expect(pedido.tramite).toMatchObject({ codigoSituacao: 2, descricao: 'TESTE – processo enviado pela contraparte ORGAO1' });
    const [linha] = await gw.database.rows<{ ambiente: string }>('select ambiente::text from tramites where id = $1', [
      dbId(pedido.tramite.id),
    ]);
    expect(linha?.ambiente).toBe('HOMOLOGACAO');
    const recebido = pedido.tramite.id as string;
    await ok(mutacaoDePasso('registrarMetadadosRecebidos', 'AcaoTramiteInput'), { tramite: recebido }, spe);
    const hashes = [];
    for (const [i, c] of pedido.tramite.documentos[0].componentes.entries()) {
      const res = await fetch(`${origem(gw)}${c.urlDeDownload}`, { headers: { authorization: `Bearer ${spe}` } });
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
      hashes.push({ documento: 1, componente: i + 1, hash: createHash('sha256').update(bytes).digest('base64') });
    }
    expect(
      await ok(
        mutacaoDePasso('confirmarRecebimentoDeComponentes', 'ConfirmarRecebimentoDeComponentesInput'),
        { tramite: recebido, hashes },
        spe,
      ),
    ).toMatchObject({
      tramite: { codigoSituacao: 4 },
    });
    const texto = await textoDoReciboDeConclusao(gw, recebido, spe, 'HOMOLOGACAO');
    expect(
      await ok(
        mutacaoDePasso('enviarReciboConclusao', 'EnviarReciboConclusaoInput'),
        { tramite: recebido, hashDaAssinatura: assinarComoSpeDemo(texto) },
        spe,
      ),
    ).toMatchObject({
      tramite: { codigoSituacao: 5 },
    });
    await ate(recebido, 6);

    // (c) another test process, refused by TRT18 as recipient; the counterpart gives ciência (→ 9).
    const outro = (await ok(ENVIE_ME, { unidadeDestinataria: unidade, contraparte: 2 }, gestor)).tramite.id as string;
    await ok(mutacaoDePasso('registrarMetadadosRecebidos', 'AcaoTramiteInput'), { tramite: outro }, spe);
    expect(
      await ok(
        mutacaoDePasso('recusarTramite', 'RecusarTramiteInput'),
        { tramite: outro, motivo: 'MOTIVO_99', justificativa: 'Teste de recusa como destinatário.' },
        spe,
      ),
    ).toMatchObject({ tramite: { codigoSituacao: 8 } });
    await ate(outro, 9);

    // The existing automatic check recorded the three, each with its trâmite as evidence; the gate to validation opens.
    expect(await requisitosAtendidos()).toEqual([
      ['TRAMITE_ENVIADO_COM_SUCESSO', dbId(enviado.id)],
      ['TRAMITE_RECEBIDO_COM_SUCESSO', dbId(recebido)],
      ['RECUSA_COMO_DESTINATARIO', dbId(outro)],
    ]);
    expect(await pedirValidacao()).toMatchObject({ __typename: 'OnboardingAtualizado', onboarding: { etapa: 'VALIDACAO_HOMOLOGACAO' } });
  });

  test('"refuse my next one": the counterpart refuses (99) the next trâmite with the justificativa; the sender gives ciência', async () => {
    const c2 = contrapartes[1]!;
    const pedido = await ok(RECUSE, { contraparte: 2, justificativa: 'Recusa pedida pelo TRT18 para testar a ciência.' }, gestor);
    expect(pedido).toMatchObject({ __typename: 'RecusaDeTesteSolicitada', atendidoEm: null });
    const { id } = await enviarParaContraparte(c2);
    await ate(id, 8);
    const { node } = await gw.ok(TRAMITE, { id }, spe);
    expect(node.historico.at(-1)).toMatchObject({
      situacao: SITUACAO_INFO[8].chave,
      motivoRecusa: 'MOTIVO_99',
      justificativa: 'Recusa pedida pelo TRT18 para testar a ciência.',
      ator: `${ATOR_CONTRAPARTE_TESTE}/ORGAO2`,
    });
    expect(await ok(mutacaoDePasso('darCienciaRecusa', 'AcaoTramiteInput'), { tramite: id }, spe)).toMatchObject({
      tramite: { codigoSituacao: 9 },
    });
    // Only the next one: the request is used up, the one after is received.
    const seguinte = await enviarParaContraparte(c2);
    await ate(seguinte.id, 5);
  });

  test('a component whose stored bytes no longer match its hash: the counterpart refuses with 02', async () => {
    const c3 = contrapartes[2]!;
    const primeiro = await enviarParaContraparte(c3);
    await ate(primeiro.id, 5);
    // The stored bytes change at rest (same length); a new trâmite of the same file shares the held content.
    await gw.database.rows(
      `update conteudo_blocos set dados = decode(repeat('00', length(dados)), 'hex')
        where conteudo_id = (select conteudo_id from tramite_componentes where tramite_id = $1 limit 1)`,
      [dbId(primeiro.id)],
    );
    const { id } = await enviarParaContraparte(c3, primeiro.arquivos);
    await ate(id, 8);
    const { node } = await gw.ok(TRAMITE, { id }, spe);
    expect(node.historico.at(-1)).toMatchObject({
      motivoRecusa: 'MOTIVO_02',
      justificativa: 'Hash do componente digital de ordem 1 não confere com o valor informado pelo remetente.',
      ator: `${ATOR_CONTRAPARTE_TESTE}/ORGAO3`,
    });
  });

  test('produção refuses the counterparts; only a gestor of the agency asks, for a unit of its own', async () => {
    const [c1] = contrapartes;
    const mgi = await gw.tokenOf(SPE_MGI);
    const [unidadeMgi] = await gw.database.rows<{ id: number }>(
      `select e.id::int as id from estruturas e join estruturas r on r.id = e.orgao_id
        where r.sigla = 'MGI' and ${habilitada('e', 'envio')} order by e.id limit 1`,
    );
    const antes = await gw.database.rows('select id from tramites where ambiente = $1', ['PRODUCAO']);
    const recusa = await ok(
      INICIAR,
      {
        ambiente: 'PRODUCAO',
        tipo: 'PROCESSO',
        numeroProcesso: '00001.999999/2026-01',
        unidadeRemetente: gid('UnidadeAdministrativa', unidadeMgi!.id),
        unidadeDestinataria: c1!.unidade.id,
        processo: PROCESSO_PUBLICO,
        documentos: documentosDe([arquivo('oficio.pdf')]),
      },
      mgi,
    );
    expect(recusa).toMatchObject({
      __typename: 'ErroOrgaoNaoAdmitidoNoAmbiente',
      codigo: 'ORGAO_NAO_ADMITIDO_NO_AMBIENTE',
      sigla: 'ORGAO1',
      ambiente: 'PRODUCAO',
    });
    expect(recusa.mensagem).toMatch(/contraparte de teste/);
    expect(await gw.database.rows('select id from tramites where ambiente = $1', ['PRODUCAO'])).toHaveLength(antes.length);
    const [emProducao] = await gw.database.rows<{ n: number }>(
      `select count(*)::int as n from tramites t where t.ambiente = 'PRODUCAO'
          and (t.remetente_orgao_id in (select orgao_id from contrapartes_teste) or t.destinatario_orgao_id in (select orgao_id from contrapartes_teste))`,
    );
    expect(emProducao!.n).toBe(0);

    // The SPE is not the gestor; a gestor names a unit of its own agency; counterparts are 1 to 4.
    expect(await ok(ENVIE_ME, { unidadeDestinataria: unidade }, spe)).toMatchObject({ codigo: 'PAPEL_NAO_PERMITIDO' });
    expect(await ok(ENVIE_ME, { unidadeDestinataria: gid('UnidadeAdministrativa', unidadeMgi!.id) }, gestor)).toMatchObject({
      codigo: 'DADOS_INVALIDOS',
    });
    expect(await ok(ENVIE_ME, { unidadeDestinataria: unidade, contraparte: 5 }, gestor)).toMatchObject({
      codigo: 'CONTRAPARTE_NAO_ENCONTRADA',
    });
    expect(await ok(RECUSE, { contraparte: 0 }, gestor)).toMatchObject({ codigo: 'CONTRAPARTE_NAO_ENCONTRADA' });
  });
});

// Two instances on one PostgreSQL, both running the worker: the counterparts are created once, and each trâmite is
// moved by one of them, each status exactly once.
describe.runIf(BACKENDS.includes('postgres'))('postgres, two instances', () => {
  let gw: TestGateway;
  let segundoBanco: DatabaseHandle | undefined;
  let segundo: Gateway | undefined;

  beforeAll(async () => {
    gw = await startTestGateway('postgres', { contrapartesIntervalMs: 50 });
    const banco = (await gw.database.rows<{ banco: string }>('select current_database() as banco'))[0]!.banco;
    const url = new URL(postgresAdminUrl()!);
    url.pathname = `/${banco}`;
    segundoBanco = await createDatabase({ kind: 'postgres', url: url.toString() });
    segundo = await startGateway({
      config: testGatewayConfig({ contrapartesIntervalMs: 50 }),
      database: segundoBanco,
      logger: createLogger('silent'),
    });
  });
  afterAll(async () => {
    await segundo?.close();
    await segundoBanco?.close();
    await gw?.close();
  });

  test('created once; every trâmite sent to them moved to 5 with one event per status', async () => {
    const gestor = await gw.tokenOf(GESTORA_TRT18);
    const { contrapartesDeTeste } = await gw.ok(CONTRAPARTES, {}, gestor);
    await waitUntil('both instances ran', async () => {
      const [n] = await gw.database.rows<{ n: number }>('select count(*)::int as n from contrapartes_teste');
      return n!.n === 4;
    });
    const contagens = await gw.database.rows<{ n: number }>(
      `select (select count(*)::int from contrapartes_teste) as n union all select count(*)::int from contrapartes_chave
        union all select count(*)::int from estruturas where repositorio_id = 1001 union all select count(*)::int from sistema_orgaos so
          join contrapartes_teste c on c.orgao_id = so.orgao_id`,
    );
    expect(contagens.map((c) => c.n)).toEqual([4, 1, 8, 4]);

    const [orgao] = await gw.database.rows<{ id: number; repositorio: number; numero: number }>(
      `select id::int as id, repositorio_id::int as repositorio, numero_identificacao::int as numero from estruturas where sigla = 'TRT18' and pai_id is null`,
    );
    const spe = await gw.token({
      sub: 'spe:sei.trt18.jus.br',
      orgao: { repositorio: orgao!.repositorio, estrutura: orgao!.numero },
      roles: ['SPE'],
    });
    const [u] = await gw.database.rows<{ id: number }>(
      `select id::int as id from estruturas where orgao_id = $1 and ${habilitada('estruturas', 'envio', 'HOMOLOGACAO')} and ${habilitada('estruturas', 'recebimento', 'HOMOLOGACAO')} and ${centralizadaPor('estruturas', 'HOMOLOGACAO')} is null order by id limit 1`,
      [orgao!.id],
    );
    const ids: number[] = [];
    for (let i = 0; i < 8; i++) {
      const arquivos = [arquivo(`oficio-${i}.pdf`)];
      const c = contrapartesDeTeste[i % 4];
      const inicio = (
        await gw.ok(
          INICIAR,
          {
            input: {
              ambiente: 'HOMOLOGACAO',
              tipo: 'PROCESSO',
              numeroProcesso: `00218.${String(700_000 + i)}/2026-${String(Math.floor(Math.random() * 90) + 10)}`,
              unidadeRemetente: gid('UnidadeAdministrativa', u!.id),
              unidadeDestinataria: c.unidade.id,
              processo: PROCESSO_PUBLICO,
              documentos: documentosDe(arquivos),
            },
          },
          spe,
        )
      ).r;
      expect(inicio.__typename, JSON.stringify(inicio)).toBe('TransicaoRealizada');
      expect((await enviarComponentes(gw, spe, inicio.tramite.idt, arquivos)).body).toMatchObject({ situacao: 2 });
      ids.push(dbId(inicio.tramite.id));
    }
    await waitUntil(
      'all at 5',
      async () => {
        const [n] = await gw.database.rows<{ n: number }>(
          'select count(*)::int as n from tramites where id = any($1::bigint[]) and situacao = 5',
          [ids],
        );
        return n!.n === ids.length;
      },
      30_000,
    );
    const eventos = await gw.database.rows<{ para: number; n: number }>(
      `select para_situacao::int as para, count(*)::int as n from tramite_eventos where tramite_id = any($1::bigint[]) and tipo = 'SITUACAO' group by 1 order by 1`,
      [ids],
    );
    expect(eventos).toEqual([1, 2, 3, 4, 5].map((para) => ({ para, n: ids.length })));
  });
});

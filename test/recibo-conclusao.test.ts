// The recibo de conclusão over real HTTP on both backends: the recipient's SPE signs the module's XML text
// with RSA-SHA256 (docs/domain.md §4.4), the gateway verifies it against the key the agency registered,
// 4 → 5, the sender acknowledges 5 → 6; the receipt is verified offline from what the schema returns.
// And the SPE public-key registry: the gestor registers or rotates the key, bad keys are coded errors.
import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_ACCOUNTS } from '../src/demo/seed.js';
import { assinarComoSpeDemo } from '../src/demo/chaves-spe.js';
import { SITUACAO_INFO } from '../src/tramites/regras.js';
import { BACKENDS } from './support/backends.js';
import {
  arquivo,
  documentosDe,
  enviarComponentes,
  PROCESSO_PUBLICO,
  sha256,
  textoDoReciboDeConclusao,
  tresOrgaos,
  type Lados,
} from './support/componentes.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { dbId, gid } from './support/ids.js';
import { habilitada } from './support/configuracao.js';
import { mutacaoDePasso } from './support/tramites.js';

const REGISTRAR = `mutation($input: RegistrarChavePublicaSpeInput!) { r: registrarChavePublicaSpe(input: $input) {
  __typename
  ... on ChavePublicaSpe { ambiente chaveId bits chavePublicaPem }
  ... on Erro { codigo }
  ... on ErroChavePublicaInvalida { motivo }
} }`;

const RECIBO = `query($id: ID!) { node(id: $id) { ... on Tramite {
  idt nre codigoSituacao
  historico { situacao ocorridoEm }
  reciboDeConclusao { idt nre dataDeRecebimento hashesDosComponentesDigitais textoAssinado hashDaAssinatura algoritmo chaveId chavePublicaPem chavePublicaJwk }
} } }`;

const rsa = (bits: number) => generateKeyPairSync('rsa', { modulusLength: bits });
const pemPublico = (k: ReturnType<typeof rsa>) => k.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const pemPrivado = (k: ReturnType<typeof rsa>) => k.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

describe.each(BACKENDS)('%s', (backend) => {
  let gw: TestGateway;
  let l: Lados;
  let gestorDest: string;
  let speOutro: string;

  beforeAll(async () => {
    gw = await startTestGateway(backend);
    const tres = await tresOrgaos(gw);
    // The recipient: an agency with both an SPE and a gestor de protocolo (the registry's author).
    const raiz = async (orgao: { repositorio: number; estrutura: number }) =>
      (
        await gw.database.rows<{ id: number }>(
          'select id::int as id from estruturas where repositorio_id = $1 and numero_identificacao = $2 and pai_id is null',
          [orgao.repositorio, orgao.estrutura],
        )
      )[0]?.id;
    for (const gestor of DEMO_ACCOUNTS.filter((c) => c.orgao && c.papeis.includes('GESTOR_PROTOCOLO'))) {
      const spe = DEMO_ACCOUNTS.find(
        (c) =>
          c.papeis.includes('SPE') && c.orgao?.repositorio === gestor.orgao!.repositorio && c.orgao.estrutura === gestor.orgao!.estrutura,
      );
      const orgao = await raiz(gestor.orgao!);
      if (!spe || orgao == null || orgao === tres.rem.orgao) continue;
      const [unidade] = await gw.database.rows<{ id: number }>(
        `select id::int as id from estruturas where orgao_id = $1 and ${habilitada('estruturas', 'recebimento')} order by id limit 1`,
        [orgao],
      );
      if (!unidade) continue;
      l = { ...tres, dest: { token: await gw.tokenOf(spe.sujeito), unidade: unidade.id, orgao } };
      gestorDest = await gw.tokenOf(gestor.sujeito);
      // A third agency's SPE: neither side.
      for (const c of DEMO_ACCOUNTS.filter((x) => x.orgao && x.papeis.includes('SPE'))) {
        const o = await raiz(c.orgao!);
        if (o != null && o !== orgao && o !== tres.rem.orgao) speOutro = await gw.tokenOf(c.sujeito);
      }
      break;
    }
    if (!gestorDest) throw new Error('the demo seed needs an agency with a gestor, an SPE and a receiving unit');
  });
  afterAll(() => gw?.close());

  const ok = async (doc: string, input: Record<string, unknown>, token: string) => (await gw.ok(doc, { input }, token)).r;

  /** A trâmite with two real components, moved to 4 the way the SPEs do: upload, metadata, downloads confirmed. */
  async function ate4() {
    const arquivos = [arquivo('oficio.pdf'), arquivo('anexo.pdf')];
    const inicio = await ok(
      mutacaoDePasso('iniciarTramite', 'IniciarTramiteInput'),
      {
        tipo: 'PROCESSO',
        numeroProcesso: `00001.${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}/2026-${String(Math.floor(Math.random() * 90) + 10)}`,
        unidadeRemetente: gid('UnidadeAdministrativa', l.rem.unidade),
        unidadeDestinataria: gid('UnidadeAdministrativa', l.dest.unidade),
        processo: PROCESSO_PUBLICO,
        documentos: documentosDe(arquivos),
      },
      l.rem.token,
    );
    expect(inicio.__typename, JSON.stringify(inicio)).toBe('TransicaoRealizada');
    const { id, idt } = inicio.tramite;
    expect((await enviarComponentes(gw, l.rem.token, idt, arquivos)).body).toMatchObject({ situacao: 2 });
    await ok(mutacaoDePasso('registrarMetadadosRecebidos', 'AcaoTramiteInput'), { tramite: id }, l.dest.token);
    const hashes = arquivos.map((a, i) => ({ documento: 1, componente: i + 1, hash: sha256(a.bytes) }));
    const a4 = await ok(
      mutacaoDePasso('confirmarRecebimentoDeComponentes', 'ConfirmarRecebimentoDeComponentesInput'),
      { tramite: id, hashes },
      l.dest.token,
    );
    expect(a4.tramite.codigoSituacao).toBe(4);
    const { node } = await gw.ok(RECIBO, { id }, l.dest.token);
    const chegou = node.historico.find((h: { situacao: string }) => h.situacao === SITUACAO_INFO[4].chave).ocorridoEm;
    return { id, texto: await textoDoReciboDeConclusao(gw, id, l.dest.token), chegou };
  }

  const enviarRecibo = (input: Record<string, unknown>, token = l.dest.token) =>
    ok(
      mutacaoDePasso('enviarReciboConclusao', 'EnviarReciboConclusaoInput', '... on ErroAssinaturaInvalida { textoAssinado chaveId }'),
      input,
      token,
    );

  test('the recipient signs the module text, the gateway verifies it (4 → 5), the sender acknowledges (6); verifiable offline', async () => {
    const { id, texto, chegou } = await ate4();
    const hashDaAssinatura = assinarComoSpeDemo(texto);
    // Only the recipient's SPE signs: the sender and a third agency are refused.
    expect(await enviarRecibo({ tramite: id, hashDaAssinatura }, l.rem.token)).toMatchObject({ codigo: 'ACAO_NAO_PERMITIDA' });
    expect(await enviarRecibo({ tramite: id, hashDaAssinatura }, speOutro)).toMatchObject({ codigo: 'TRAMITE_NAO_ENCONTRADO' });
    const feito = await enviarRecibo({ tramite: id, hashDaAssinatura, dataDeRecebimento: chegou });
    expect(feito, JSON.stringify(feito)).toMatchObject({ __typename: 'TransicaoRealizada', tramite: { codigoSituacao: 5 } });

    const { node } = await gw.ok(RECIBO, { id }, l.rem.token);
    const r = node.reciboDeConclusao;
    expect(r.textoAssinado).toBe(texto);
    expect(r).toMatchObject({ idt: node.idt, nre: node.nre, hashDaAssinatura, algoritmo: 'SHA256withRSA' });
    expect(r.hashesDosComponentesDigitais).toHaveLength(2);
    // Offline, with nothing but the answer: the PEM, and the JWK form of the same key.
    const assinatura = Buffer.from(r.hashDaAssinatura, 'base64');
    expect(verify('sha256', Buffer.from(r.textoAssinado), createPublicKey(r.chavePublicaPem), assinatura)).toBe(true);
    const jwk = createPublicKey({ key: JSON.parse(r.chavePublicaJwk), format: 'jwk' });
    expect(verify('sha256', Buffer.from(r.textoAssinado), jwk, assinatura)).toBe(true);
    expect(verify('sha256', Buffer.from(r.textoAssinado.replace(node.nre, '0000000000000000')), jwk, assinatura)).toBe(false);

    expect(await ok(mutacaoDePasso('registrarReciboConclusaoRecebido', 'AcaoTramiteInput'), { tramite: id }, l.rem.token)).toMatchObject({
      tramite: { codigoSituacao: 6 },
    });
  });

  test('a missing, malformed or wrongly signed receipt is a coded error and the trâmite stays at 4', async () => {
    const { id, texto, chegou } = await ate4();
    const situacao = async () => (await gw.ok(RECIBO, { id }, l.dest.token)).node.codigoSituacao;
    // A missing signature is refused by the schema itself (`hashDaAssinatura: String!`), before anything runs.
    const semAssinatura = await gw.gql(
      mutacaoDePasso('enviarReciboConclusao', 'EnviarReciboConclusaoInput', '... on ErroAssinaturaInvalida { textoAssinado chaveId }'),
      { input: { tramite: id } },
      l.dest.token,
    );
    expect(semAssinatura.errors?.[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT' },
      message: expect.stringContaining('hashDaAssinatura'),
    });
    expect(await situacao()).toBe(4);
    expect(await enviarRecibo({ tramite: id, hashDaAssinatura: 'não é base64!' })).toMatchObject({
      __typename: 'ErroAssinaturaInvalida',
      codigo: 'ASSINATURA_INVALIDA',
      textoAssinado: texto,
    });
    // Another key's signature of the right text; the right key over another text (a changed hash).
    expect(await enviarRecibo({ tramite: id, hashDaAssinatura: assinarComoSpeDemo(texto, pemPrivado(rsa(2048))) })).toMatchObject({
      codigo: 'ASSINATURA_INVALIDA',
    });
    const outroTexto = texto.replace(/<hashDoComponenteDigital>[^<]+/, `<hashDoComponenteDigital>${sha256(Buffer.from('x'))}`);
    expect(await enviarRecibo({ tramite: id, hashDaAssinatura: assinarComoSpeDemo(outroTexto) })).toMatchObject({
      codigo: 'ASSINATURA_INVALIDA',
    });
    const dataErrada = new Date(new Date(chegou).getTime() - 60_000).toISOString();
    expect(await enviarRecibo({ tramite: id, hashDaAssinatura: assinarComoSpeDemo(texto), dataDeRecebimento: dataErrada })).toMatchObject({
      codigo: 'DADOS_INVALIDOS',
      problemas: [{ campo: 'dataDeRecebimento' }],
    });
    expect(await situacao()).toBe(4);
    const [fila] = await gw.database.rows<{ n: number }>('select count(*)::int as n from recibos_de_conclusao where tramite_id = $1', [
      dbId(id),
    ]);
    expect(fila?.n).toBe(0);
  });

  test('the registry: the gestor registers and rotates its SPE key (PEM or JWK); bad keys and other roles are coded errors', async () => {
    const curta = rsa(1024);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const casos: Array<[string, string]> = [
      ['isto não é uma chave', 'FORMATO'],
      [pemPublico(curta), 'CURTA'],
      [ec.publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'NAO_RSA'],
      [pemPrivado(rsa(2048)), 'PRIVADA'],
      [JSON.stringify(rsa(2048).privateKey.export({ format: 'jwk' })), 'PRIVADA'],
    ];
    for (const [chavePublica, motivo] of casos)
      expect(await ok(REGISTRAR, { chavePublica }, gestorDest), motivo).toMatchObject({ codigo: 'CHAVE_PUBLICA_INVALIDA', motivo });
    // The SPE itself does not register keys: its agency's gestor does.
    expect(await ok(REGISTRAR, { chavePublica: pemPublico(rsa(2048)) }, l.dest.token)).toMatchObject({ codigo: 'PAPEL_NAO_PERMITIDO' });

    // Rotation, the new key given as a JWK: receipts signed with the old key are refused, the new key's accepted.
    const nova = rsa(3072);
    const registrada = await ok(
      REGISTRAR,
      { chavePublica: JSON.stringify(nova.publicKey.export({ format: 'jwk' })), ambiente: 'PRODUCAO' },
      gestorDest,
    );
    expect(registrada).toMatchObject({ __typename: 'ChavePublicaSpe', ambiente: 'PRODUCAO', bits: 3072 });
    expect(createPublicKey(registrada.chavePublicaPem).export({ format: 'jwk' })).toMatchObject(nova.publicKey.export({ format: 'jwk' }));
    const { id, texto } = await ate4();
    expect(await enviarRecibo({ tramite: id, hashDaAssinatura: assinarComoSpeDemo(texto) })).toMatchObject({
      codigo: 'ASSINATURA_INVALIDA',
    });
    expect(await enviarRecibo({ tramite: id, hashDaAssinatura: assinarComoSpeDemo(texto, pemPrivado(nova)) })).toMatchObject({
      tramite: { codigoSituacao: 5 },
    });
    const { node } = await gw.ok(RECIBO, { id }, l.rem.token);
    expect(node.reciboDeConclusao.chaveId).toBe(registrada.chaveId);

    // No key at all for the recipient: the receipt cannot be verified, and says why.
    await gw.database.rows('delete from chaves_publicas_spe where orgao_id = $1', [l.dest.orgao]);
    const semChave = await ate4();
    expect(await enviarRecibo({ tramite: semChave.id, hashDaAssinatura: assinarComoSpeDemo(semChave.texto) })).toMatchObject({
      codigo: 'CHAVE_PUBLICA_NAO_REGISTRADA',
    });
  });
});

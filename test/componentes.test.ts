// What a trâmite carries, over real HTTP on both backends: documents and components declared on
// iniciarTramite (reference lists from the database, sigilo rules), the streamed upload with fetch +
// FormData (hash and size checked, nothing stored on a mismatch), the platform's automatic 1 → 2, and
// the download route (access by side, SHA-256 in ETag/Digest, Range).
import { compactVerify, createRemoteJWKSet } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { assinarComoSpeDemo } from '../src/demo/chaves-spe.js';
import { ATOR_PLATAFORMA } from '../src/kernel/platform.js';
import { BACKENDS } from './support/backends.js';
import {
  arquivo,
  documentosDe,
  enviarComponentes,
  origem,
  PROCESSO_PUBLICO,
  sha256,
  textoDoReciboDeConclusao,
  tresOrgaos,
  type Arquivo,
  type Lados,
} from './support/componentes.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { gid } from './support/ids.js';

const INICIAR = `mutation($input: IniciarTramiteInput!) { r: iniciarTramite(input: $input) {
  __typename
  ... on TransicaoRealizada { tramite { id idt codigoSituacao } }
  ... on ErroValidacao { codigo problemas { campo mensagem } }
} }`;

const TRAMITE = `query($id: ID!) { node(id: $id) { ... on Tramite {
  codigoSituacao totalDeDocumentos totalDeComponentes tamanhoTotalEmBytes
  processo { nivelDeSigilo processoDeNegocio interessados urgente motivoUrgencia { codigo } }
  documentos { ordem descricao nivelDeSigilo especie { codigo nome } hipoteseLegal { identificacao }
    componentes { ordem nome hash tamanhoEmBytes mimeType recebidoPelaPlataforma urlDeDownload } }
  componentesPendentesDeEnvio { hash }
  historico { situacao lado ator }
} } }`;

describe.each(BACKENDS)('%s', (backend) => {
  let gw: TestGateway;
  let l: Lados;
  let n = 0;

  beforeAll(async () => {
    gw = await startTestGateway(backend);
    l = await tresOrgaos(gw);
  });
  afterAll(async () => {
    await gw?.close();
  });

  const contagem = async () =>
    (
      await gw.database.rows<{ tramites: number; conteudos: number; blocos: number }>(
        'select (select count(*)::int from tramites) as tramites, (select count(*)::int from conteudos) as conteudos, (select count(*)::int from conteudo_blocos) as blocos',
      )
    )[0]!;

  async function iniciar(extra: Record<string, unknown>) {
    n += 1;
    const data = await gw.ok(
      INICIAR,
      {
        input: {
          tipo: 'PROCESSO',
          numeroProcesso: `${backend}-componentes-${n}`,
          unidadeRemetente: gid('UnidadeAdministrativa', l.rem.unidade),
          unidadeDestinataria: gid('UnidadeAdministrativa', l.dest.unidade),
          ...extra,
        },
      },
      l.rem.token,
    );
    return data.r;
  }

  async function comArquivos(...porDocumento: Arquivo[][]) {
    const r = await iniciar({ processo: PROCESSO_PUBLICO, documentos: documentosDe(...porDocumento) });
    expect(r.__typename, JSON.stringify(r)).toBe('TransicaoRealizada');
    return r.tramite as { id: string; idt: string };
  }

  const tramite = async (id: string, token = l.rem.token) => (await gw.ok(TRAMITE, { id }, token)).node;

  test('the reference lists are data: espécies, hipóteses legais (active filter) and motivos de urgência', async () => {
    const data = await gw.ok(
      '{ especiesDocumentais { codigo nome } hipotesesLegais(ativas: true) { identificacao ativa } motivosUrgencia { codigo } }',
      {},
      l.rem.token,
    );
    const [{ especies, ativas, motivos }] = (await gw.database.rows<{ especies: number; ativas: number; motivos: number }>(
      'select (select count(*)::int from especies_documentais) as especies, (select count(*)::int from hipoteses_legais where ativa) as ativas, (select count(*)::int from motivos_urgencia) as motivos',
    )) as [{ especies: number; ativas: number; motivos: number }];
    expect(data.especiesDocumentais).toHaveLength(especies);
    expect(data.especiesDocumentais).toContainEqual({ codigo: 63, nome: 'Ofício' });
    expect(data.hipotesesLegais).toHaveLength(ativas);
    expect(data.hipotesesLegais.every((h: { ativa: boolean }) => h.ativa)).toBe(true);
    expect(data.motivosUrgencia).toHaveLength(motivos);
  });

  test('sigiloso, restrito without hipótese legal, unknown codes and bad hashes are coded validation errors; nothing is written', async () => {
    const antes = await contagem();
    const docs = documentosDe([arquivo('a.pdf')]);
    const casos: Array<[Record<string, unknown>, string]> = [
      [{ processo: { nivelDeSigilo: 'SIGILOSO' }, documentos: docs }, 'processo.nivelDeSigilo'],
      [{ processo: { nivelDeSigilo: 'RESTRITO' }, documentos: docs }, 'processo.hipoteseLegal'],
      [{ processo: PROCESSO_PUBLICO, documentos: [{ ...docs[0], nivelDeSigilo: 'RESTRITO' }] }, 'documentos.0.hipoteseLegal'],
      [{ processo: PROCESSO_PUBLICO, documentos: [{ ...docs[0], nivelDeSigilo: 'SIGILOSO' }] }, 'documentos.0.nivelDeSigilo'],
      [{ processo: PROCESSO_PUBLICO, documentos: [{ ...docs[0], especie: 4242 }] }, 'documentos.0.especie'],
      [{ processo: { nivelDeSigilo: 'RESTRITO', hipoteseLegal: 10 }, documentos: docs }, 'processo.hipoteseLegal'], // inactive
      [{ processo: { ...PROCESSO_PUBLICO, urgente: true, motivoUrgencia: 77 }, documentos: docs }, 'processo.motivoUrgencia'],
      [
        { processo: PROCESSO_PUBLICO, documentos: [{ ...docs[0], componentes: [{ ...docs[0]!.componentes[0], hash: 'abc' }] }] },
        'documentos.0.componentes.0.hash',
      ],
      [{ processo: PROCESSO_PUBLICO, documentos: [{ ...docs[0], ordem: 2 }] }, 'documentos'],
      [{ processo: PROCESSO_PUBLICO, documentos: [] }, 'documentos'],
    ];
    for (const [input, campo] of casos) {
      const r = await iniciar(input);
      expect(r.__typename, JSON.stringify(input)).toBe('ErroValidacao');
      expect(
        r.problemas.map((p: { campo: string }) => p.campo),
        JSON.stringify(r),
      ).toContain(campo);
    }
    expect(await contagem()).toEqual(antes);
  });

  test('a restricted process with an active hipótese legal is accepted; the restricted description is hidden from PEN_ADMIN only', async () => {
    const a = arquivo('parecer.pdf');
    const [doc] = documentosDe([a]);
    const r = await iniciar({
      processo: { nivelDeSigilo: 'RESTRITO', hipoteseLegal: 1, urgente: true, motivoUrgencia: 2 },
      documentos: [{ ...doc, nivelDeSigilo: 'RESTRITO', hipoteseLegal: 1, descricao: 'Parecer com dados pessoais' }],
    });
    expect(r.__typename, JSON.stringify(r)).toBe('TransicaoRealizada');
    const visto = await tramite(r.tramite.id);
    expect(visto.processo).toMatchObject({ nivelDeSigilo: 'RESTRITO', urgente: true, motivoUrgencia: { codigo: 2 } });
    expect(visto.documentos[0]).toMatchObject({
      descricao: 'Parecer com dados pessoais',
      nivelDeSigilo: 'RESTRITO',
      hipoteseLegal: { identificacao: 1 },
    });
    const peloAdmin = await tramite(r.tramite.id, await gw.tokenOf('pen.admin'));
    expect(peloAdmin.documentos[0].descricao).toBeNull();
  });

  test('upload: a mismatch stores nothing; the last component moves the trâmite to 2 by the platform; a repeat is a no-op', async () => {
    const a = arquivo('oficio.pdf');
    const b = arquivo('anexo.png', undefined, 'image/png');
    const c = arquivo('despacho.pdf');
    const t = await comArquivos([a, b], [c]);
    let visto = await tramite(t.id);
    expect(visto).toMatchObject({
      codigoSituacao: 1,
      totalDeDocumentos: 2,
      totalDeComponentes: 3,
      tamanhoTotalEmBytes: a.bytes.length + b.bytes.length + c.bytes.length,
    });
    expect(visto.componentesPendentesDeEnvio.map((p: { hash: string }) => p.hash).sort()).toEqual([a.hash, b.hash, c.hash].sort());

    const antes = await contagem();
    const corrompido = Buffer.from(a.bytes);
    corrompido[10] = corrompido[10]! ^ 0xff;
    const erros: Array<[Parameters<typeof enviarComponentes>[3], number, string]> = [
      [[{ ...a, bytes: corrompido }], 422, 'HASH_NAO_CONFERE'],
      [[{ ...a, bytes: Buffer.concat([a.bytes, Buffer.from('x')]) }], 422, 'TAMANHO_NAO_CONFERE'],
      [[{ ...a, bytes: a.bytes.subarray(1) }], 422, 'TAMANHO_NAO_CONFERE'],
      [[{ ...a, mimeType: 'text/html' }], 422, 'MIME_TYPE_NAO_CONFERE'],
      [[arquivo('intruso.pdf')], 422, 'COMPONENTE_NAO_DECLARADO'],
    ];
    for (const [partes, status, codigo] of erros) {
      const res = await enviarComponentes(gw, l.rem.token, t.idt, partes);
      expect(res.body.erro?.codigo, JSON.stringify(res.body)).toBe(codigo);
      expect(res.status).toBe(status);
    }
    expect(await enviarComponentes(gw, l.dest.token, t.idt, [a]).then((r) => r.body.erro.codigo)).toBe('ACAO_NAO_PERMITIDA');
    expect(await enviarComponentes(gw, l.outro.token, t.idt, [a]).then((r) => r.status)).toBe(404);
    // No orphan bytes after any of them.
    expect(await contagem()).toEqual(antes);

    // The manual steps are gone: 1 → 2 is the platform's, 3 → 4 is the confirmation of the hashes.
    const mutacoes = await gw.ok('{ __type(name: "Mutation") { fields { name } } }', {}, l.rem.token);
    const nomes = mutacoes.__type.fields.map((f: { name: string }) => f.name);
    expect(nomes).toEqual(expect.arrayContaining(['enviarComponentesDigitais', 'confirmarRecebimentoDeComponentes']));
    expect(nomes).not.toContain('registrarComponentesDigitaisEnviados');
    expect(nomes).not.toContain('registrarComponentesDigitaisRecebidos');

    const primeiro = await enviarComponentes(gw, l.rem.token, t.idt, [a, b]);
    expect(primeiro.status, JSON.stringify(primeiro.body)).toBe(200);
    expect(primeiro.body).toMatchObject({
      situacao: 1,
      recebidos: [
        { hash: a.hash, jaGuardado: false },
        { hash: b.hash, jaGuardado: false },
      ],
    });
    visto = await tramite(t.id);
    expect(visto.componentesPendentesDeEnvio).toEqual([{ hash: c.hash }]);
    const repetido = await enviarComponentes(gw, l.rem.token, t.idt, [a]);
    expect(repetido.body).toMatchObject({ situacao: 1, recebidos: [{ hash: a.hash, jaGuardado: true }] });

    const ultimo = await enviarComponentes(gw, l.rem.token, t.idt, [c]);
    expect(ultimo.body).toMatchObject({ situacao: 2 });
    visto = await tramite(t.id);
    expect(visto.codigoSituacao).toBe(2);
    expect(visto.componentesPendentesDeEnvio).toEqual([]);
    expect(visto.documentos.flatMap((d: { componentes: unknown[] }) => d.componentes).every((x: any) => x.recebidoPelaPlataforma)).toBe(
      true,
    );
    expect(visto.historico.at(-1)).toEqual({ situacao: 'ARQUIVOS_RECEBIDOS_PELA_PLATAFORMA', lado: 'PLATAFORMA', ator: ATOR_PLATAFORMA });
    // Past 1, uploads are refused with the status machine's error.
    expect(await enviarComponentes(gw, l.rem.token, t.idt, [c]).then((r) => [r.status, r.body.erro.codigo])).toEqual([
      409,
      'TRANSICAO_INVALIDA',
    ]);
  });

  test('download: sides only, whole or by Range, with the SHA-256 in ETag and Digest', async () => {
    const a = arquivo('grande.bin', Buffer.concat([Buffer.alloc(1024 * 1024 + 10, 7), Buffer.from('fim')]), 'application/octet-stream');
    const t = await comArquivos([a]);
    const [componente] = (await tramite(t.id)).documentos[0].componentes;
    const url = `${origem(gw)}${componente.urlDeDownload}`;
    const get = (token: string, headers: Record<string, string> = {}) =>
      fetch(url, { headers: { authorization: `Bearer ${token}`, ...headers } });

    expect((await get(l.rem.token)).status).toBe(409); // not sent yet
    expect((await get(l.dest.token)).status).toBe(404); // the recipient reads from 2 on
    await enviarComponentes(gw, l.rem.token, t.idt, [a]);

    const inteiro = await get(l.dest.token);
    expect(inteiro.status).toBe(200);
    const bytes = Buffer.from(await inteiro.arrayBuffer());
    expect(sha256(bytes)).toBe(a.hash);
    expect(inteiro.headers.get('content-length')).toBe(String(a.bytes.length));
    expect(inteiro.headers.get('etag')).toBe(`"${a.hash}"`);
    expect(inteiro.headers.get('digest')).toBe(`sha-256=${a.hash}`);

    // Resuming across the 1 MiB block boundary.
    const parte = await get(l.dest.token, { range: `bytes=${1024 * 1024 - 5}-` });
    expect(parte.status).toBe(206);
    expect(parte.headers.get('content-range')).toBe(`bytes ${1024 * 1024 - 5}-${a.bytes.length - 1}/${a.bytes.length}`);
    expect(Buffer.from(await parte.arrayBuffer()).equals(a.bytes.subarray(1024 * 1024 - 5))).toBe(true);
    const sufixo = await get(l.rem.token, { range: 'bytes=-3' });
    expect(Buffer.from(await sufixo.arrayBuffer()).toString()).toBe('fim');
    expect((await get(l.rem.token, { range: `bytes=${a.bytes.length}-` })).status).toBe(416);

    expect((await get(l.outro.token)).status).toBe(404);
    expect((await fetch(url)).status).toBe(401);
  });

  const passo = async (mutacao: string, input: Record<string, unknown>, token: string, tipo = 'AcaoTramiteInput') =>
    (
      await gw.ok(
        `mutation($input: ${tipo}!) { r: ${mutacao}(input: $input) { __typename ... on TransicaoRealizada { tramite { codigoSituacao } evento { lado motivoRecusa justificativa } } ... on Erro { codigo mensagem } } }`,
        { input },
        token,
      )
    ).r;

  /** The recipient downloads every component and computes its hashes, as the connection module does. */
  async function baixarEConferir(id: string, token: string, corromper = false) {
    const visto = await tramite(id, token);
    const hashes = [];
    for (const d of visto.documentos) {
      for (const c of d.componentes) {
        const res = await fetch(`${origem(gw)}${c.urlDeDownload}`, { headers: { authorization: `Bearer ${token}` } });
        expect(res.status).toBe(200);
        const bytes = Buffer.from(await res.arrayBuffer());
        // A transfer that went wrong on the recipient's side: the bytes it computes over differ.
        if (corromper && d.ordem === 1 && c.ordem === 2) bytes[0] = bytes[0]! ^ 0xff;
        hashes.push({ documento: d.ordem, componente: c.ordem, hash: sha256(bytes) });
      }
    }
    return hashes;
  }

  const CONFIRMAR = 'ConfirmarRecebimentoDeComponentesInput';

  test('the three endings end to end with real bytes: success (6), refusal with motive 02 after a corrupted download (9), cancellation (7)', async () => {
    const arquivos = [arquivo('1.pdf'), arquivo('2.pdf'), arquivo('3.txt', undefined, 'text/plain')];
    const [a, b, c] = arquivos as [Arquivo, Arquivo, Arquivo];

    // Success.
    const ok = await comArquivos([a, b], [c]);
    await enviarComponentes(gw, l.rem.token, ok.idt, arquivos);
    expect((await tramite(ok.id)).codigoSituacao).toBe(2);
    // The recibo de envio, verified from outside with jose through the published JWKS.
    const { node } = await gw.ok(
      'query($id: ID!) { node(id: $id) { ... on Tramite { idt nre reciboDeEnvio { jws chaveId chavesPublicasUrl hashesDosComponentesDigitais } } } }',
      { id: ok.id },
      l.rem.token,
    );
    const recibo = node.reciboDeEnvio;
    const jwks = createRemoteJWKSet(new URL(`${origem(gw)}${recibo.chavesPublicasUrl}`));
    const verificado = await compactVerify(recibo.jws, jwks);
    expect(verificado.protectedHeader.kid).toBe(recibo.chaveId);
    expect(JSON.parse(new TextDecoder().decode(verificado.payload))).toEqual({
      IDT: node.idt,
      NRE: node.nre,
      dataDeRecebimentoDoUltimoComponenteDigital: expect.any(String),
      hashesDosComponentesDigitais: arquivos.map((x) => x.hash).sort(),
    });
    // A tampered receipt does not verify.
    const [cabecalho, , assinatura] = recibo.jws.split('.');
    const adulterado = Buffer.from(
      JSON.stringify({ ...JSON.parse(new TextDecoder().decode(verificado.payload)), NRE: '0000000000000000' }),
    ).toString('base64url');
    await expect(compactVerify(`${cabecalho}.${adulterado}.${assinatura}`, jwks)).rejects.toThrow();
    expect(await passo('registrarMetadadosRecebidos', { tramite: ok.id }, l.dest.token)).toMatchObject({ tramite: { codigoSituacao: 3 } });
    const hashes = await baixarEConferir(ok.id, l.dest.token);
    expect(
      await passo('confirmarRecebimentoDeComponentes', { tramite: ok.id, hashes: hashes.slice(1) }, l.dest.token, CONFIRMAR),
    ).toMatchObject({
      __typename: 'ErroValidacao',
    });
    expect(await passo('confirmarRecebimentoDeComponentes', { tramite: ok.id, hashes }, l.outro.token, CONFIRMAR)).toMatchObject({
      __typename: 'ErroTramiteNaoEncontrado',
    });
    expect(await passo('confirmarRecebimentoDeComponentes', { tramite: ok.id, hashes }, l.dest.token, CONFIRMAR)).toMatchObject({
      tramite: { codigoSituacao: 4 },
      evento: { lado: 'DESTINATARIO' },
    });
    // 4 → 5 with the recipient SPE's signed recibo de conclusão (test/recibo-conclusao.test.ts has its bad cases).
    const hashDaAssinatura = assinarComoSpeDemo(await textoDoReciboDeConclusao(gw, ok.id, l.dest.token));
    expect(
      await passo('enviarReciboConclusao', { tramite: ok.id, hashDaAssinatura }, l.dest.token, 'EnviarReciboConclusaoInput'),
    ).toMatchObject({ tramite: { codigoSituacao: 5 } });
    expect(await passo('registrarReciboConclusaoRecebido', { tramite: ok.id }, l.rem.token)).toMatchObject({
      tramite: { codigoSituacao: 6 },
    });

    // Refusal: the recipient's hash of component 2 of document 1 differs → motive 02, automatically.
    const recusado = await comArquivos([a, b], [c]);
    await enviarComponentes(gw, l.rem.token, recusado.idt, arquivos);
    await passo('registrarMetadadosRecebidos', { tramite: recusado.id }, l.dest.token);
    const corrompidos = await baixarEConferir(recusado.id, l.dest.token, true);
    expect(
      await passo('confirmarRecebimentoDeComponentes', { tramite: recusado.id, hashes: corrompidos }, l.dest.token, CONFIRMAR),
    ).toMatchObject({
      tramite: { codigoSituacao: 8 },
      evento: {
        lado: 'DESTINATARIO',
        motivoRecusa: 'MOTIVO_02',
        justificativa: 'Hash do componente digital de ordem 2 não confere com o valor informado pelo remetente.',
      },
    });
    // After the refusal only the sender reads the components.
    const [, segundo] = (await tramite(recusado.id)).documentos[0].componentes;
    const baixar = (token: string) => fetch(`${origem(gw)}${segundo.urlDeDownload}`, { headers: { authorization: `Bearer ${token}` } });
    expect((await baixar(l.dest.token)).status).toBe(404);
    expect(sha256(Buffer.from(await (await baixar(l.rem.token)).arrayBuffer()))).toBe(b.hash);
    expect(await passo('darCienciaRecusa', { tramite: recusado.id }, l.rem.token)).toMatchObject({ tramite: { codigoSituacao: 9 } });

    // Resending the same process after the refusal: only the components the platform lacks for it are asked for.
    // (The process never reached 6, so the platform issues it a new NRE: docs/domain.md §2.)
    const { numeroProcesso } = (
      await gw.ok('query($id: ID!) { node(id: $id) { ... on Tramite { numeroProcesso } } }', { id: recusado.id }, l.rem.token)
    ).node;
    const novo = arquivo('4-corrigido.pdf');
    const reenvio = await iniciar({
      numeroProcesso,
      enviarApenasComponentesDigitaisPendentes: true,
      processo: PROCESSO_PUBLICO,
      documentos: documentosDe([a, b], [c, novo]),
    });
    expect(reenvio.__typename, JSON.stringify(reenvio)).toBe('TransicaoRealizada');
    expect((await tramite(reenvio.tramite.id)).componentesPendentesDeEnvio).toEqual([{ hash: novo.hash }]);
    expect((await enviarComponentes(gw, l.rem.token, reenvio.tramite.idt, [novo])).body).toMatchObject({ situacao: 2 });

    // Cancellation once the platform holds the files.
    const cancelado = await comArquivos([a]);
    await enviarComponentes(gw, l.rem.token, cancelado.idt, [a]);
    expect(
      await passo('cancelarTramite', { tramite: cancelado.id, justificativa: 'Enviado por engano' }, l.rem.token, 'CancelarTramiteInput'),
    ).toMatchObject({
      tramite: { codigoSituacao: 7 },
    });
  });
});

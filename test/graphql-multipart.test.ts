// Uploads through GraphQL with the multipart request spec (operations, map, files), as Apollo's and
// urql's upload clients send them: with fetch + FormData, and with urql's own fetch exchange (File
// variables), on both backends. The files stream into
// the ComponentStore through the same command as the REST route; errors are typed and store nothing.
import { Client, fetchExchange } from '@urql/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BACKENDS } from './support/backends.js';
import { arquivo, documentosDe, origem, PROCESSO_PUBLICO, tresOrgaos, type Arquivo, type Lados } from './support/componentes.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { gid } from './support/ids.js';

const ENVIAR = `mutation($tramite: ID!, $arquivos: [ArquivoDeComponenteInput!]!) {
  r: enviarComponentesDigitais(tramite: $tramite, arquivos: $arquivos) {
    __typename
    ... on ComponentesDigitaisEnviados { tramite { codigoSituacao reciboDeEnvio { hashesDosComponentesDigitais } } recebidos { hash jaGuardado componentes { ordem recebidoPelaPlataforma } } }
    ... on Erro { codigo }
  }
}`;

describe.each(BACKENDS)('%s', (backend) => {
  let gw: TestGateway;
  let l: Lados;
  beforeAll(async () => {
    gw = await startTestGateway(backend);
    l = await tresOrgaos(gw);
  });
  afterAll(() => gw?.close());

  async function iniciar(...porDocumento: Arquivo[][]) {
    const { r } = await gw.ok(
      'mutation($input: IniciarTramiteInput!) { r: iniciarTramite(input: $input) { __typename ... on TransicaoRealizada { tramite { id idt } } } }',
      {
        input: {
          tipo: 'DOCUMENTO_AVULSO',
          numeroProcesso: `MP-${Math.random()}`.slice(0, 20),
          unidadeRemetente: gid('UnidadeAdministrativa', l.rem.unidade),
          unidadeDestinataria: gid('UnidadeAdministrativa', l.dest.unidade),
          processo: PROCESSO_PUBLICO,
          documentos: documentosDe(...porDocumento),
        },
      },
      l.rem.token,
    );
    expect(r.__typename).toBe('TransicaoRealizada');
    return r.tramite as { id: string; idt: string };
  }

  /** The spec's request: `operations` with null where each file goes, `map`, then the files in order. */
  async function multipart(
    tramite: string,
    arquivos: Array<{ hash: string; bytes: Buffer; nome: string; mimeType: string }>,
    token = l.rem.token,
  ) {
    const form = new FormData();
    form.append(
      'operations',
      JSON.stringify({ query: ENVIAR, variables: { tramite, arquivos: arquivos.map((a) => ({ hash: a.hash, arquivo: null })) } }),
    );
    form.append('map', JSON.stringify(Object.fromEntries(arquivos.map((_, i) => [String(i), [`variables.arquivos.${i}.arquivo`]]))));
    arquivos.forEach((a, i) => {
      form.append(String(i), new Blob([new Uint8Array(a.bytes)], { type: a.mimeType }), a.nome);
    });
    const res = await fetch(`${origem(gw)}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    return { status: res.status, body: (await res.json()) as { data?: any; errors?: any[] } };
  }

  const blocos = async () =>
    (
      await gw.database.rows<{ n: number }>(
        'select (select count(*) from conteudo_blocos)::int + (select count(*) from conteudos)::int as n',
      )
    )[0]!.n;

  test('several components in one multipart request: stored, the platform moves the trâmite to 2 with its recibo de envio', async () => {
    const a = arquivo('a.pdf');
    const b = arquivo('b.txt', undefined, 'text/plain');
    const t = await iniciar([a], [b]);
    const { status, body } = await multipart(t.id, [a, b]);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.r).toMatchObject({
      __typename: 'ComponentesDigitaisEnviados',
      tramite: { codigoSituacao: 2, reciboDeEnvio: { hashesDosComponentesDigitais: [a.hash, b.hash].sort() } },
      recebidos: [
        { hash: a.hash, jaGuardado: false, componentes: [{ recebidoPelaPlataforma: true }] },
        { hash: b.hash, jaGuardado: false },
      ],
    });
    // Past 1 an upload is refused, typed.
    expect((await multipart(t.id, [a])).body.data.r).toMatchObject({ codigo: 'TRANSICAO_INVALIDA' });
  });

  test("a real upload client: urql's fetch exchange sends File variables with the multipart spec", async () => {
    const a = arquivo('a.pdf');
    const b = arquivo('b.txt', undefined, 'text/plain');
    const t = await iniciar([a, b]);
    const client = new Client({
      url: `${origem(gw)}/graphql`,
      exchanges: [fetchExchange],
      fetchOptions: { headers: { authorization: `Bearer ${l.rem.token}` } },
    });
    // urql finds the File objects in the variables and builds operations + map + one part per file itself.
    const arquivos = [a, b].map((x) => ({ hash: x.hash, arquivo: new File([new Uint8Array(x.bytes)], x.nome, { type: x.mimeType }) }));
    const r = await client.mutation(ENVIAR, { tramite: t.id, arquivos }).toPromise();
    expect(r.error).toBeUndefined();
    expect(r.data.r).toMatchObject({
      __typename: 'ComponentesDigitaisEnviados',
      tramite: { codigoSituacao: 2, reciboDeEnvio: { hashesDosComponentesDigitais: [a.hash, b.hash].sort() } },
      recebidos: [
        { hash: a.hash, jaGuardado: false },
        { hash: b.hash, jaGuardado: false },
      ],
    });
  });

  test('bad uploads are typed errors and leave no bytes behind; a malformed request is a 400', async () => {
    const a = arquivo('a.pdf');
    const t = await iniciar([a]);
    const antes = await blocos();
    const casos: Array<[string, Parameters<typeof multipart>[1], string]> = [
      ['hash mismatch', [{ ...a, bytes: Buffer.concat([a.bytes.subarray(1), Buffer.from('x')]) }], 'HASH_NAO_CONFERE'],
      ['larger than declared', [{ ...a, bytes: Buffer.concat([a.bytes, Buffer.from('mais')]) }], 'TAMANHO_NAO_CONFERE'],
      ['wrong MIME type', [{ ...a, mimeType: 'image/png' }], 'MIME_TYPE_NAO_CONFERE'],
      ['undeclared', [arquivo('outro.pdf')], 'COMPONENTE_NAO_DECLARADO'],
    ];
    for (const [nome, arquivos, codigo] of casos) {
      const { status, body } = await multipart(t.id, arquivos);
      expect(status, nome).toBe(200);
      expect(body.data.r, nome).toMatchObject({ codigo });
    }
    // The sender's side only: the recipient cannot upload.
    expect((await multipart(t.id, [a], l.dest.token)).body.data.r).toMatchObject({ codigo: 'ACAO_NAO_PERMITIDA' });
    expect(await blocos()).toBe(antes);

    // Not the spec: map before operations, map naming a path that is not a null.
    const semOperations = new FormData();
    semOperations.append('map', '{}');
    const r1 = await fetch(`${origem(gw)}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${l.rem.token}` },
      body: semOperations,
    });
    expect(r1.status).toBe(400);
    const caminhoErrado = new FormData();
    caminhoErrado.append('operations', JSON.stringify({ query: ENVIAR, variables: { tramite: t.id, arquivos: [] } }));
    caminhoErrado.append('map', JSON.stringify({ 0: ['variables.arquivos.7.arquivo'] }));
    caminhoErrado.append('0', new Blob([new Uint8Array(a.bytes)]), 'a.pdf');
    const r2 = await fetch(`${origem(gw)}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${l.rem.token}` },
      body: caminhoErrado,
    });
    expect(r2.status).toBe(400);
    // Without a token: refused before anything runs.
    expect((await multipart(t.id, [a], 'sem-token')).status).toBe(401);
    expect(await blocos()).toBe(antes);

    // An Upload given as JSON (not multipart) is refused as bad input.
    const json = await gw.gql(ENVIAR, { tramite: t.id, arquivos: [{ hash: a.hash, arquivo: 'x' }] }, l.rem.token);
    expect(json.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

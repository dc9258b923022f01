// A 200 MB digital component, generated on disk, uploaded with fetch + FormData from another Node process
// (a file-backed Blob, streamed) and downloaded again, on PostgreSQL, with this process's RSS sampled
// throughout: the gateway runs in this process, so a gateway that held the file in memory would show it.
// PGlite is left out: its database lives in this process's WASM heap, which grows with the stored pages
// whatever the gateway does, so it cannot show the gateway's own buffers.
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BACKENDS } from './support/backends.js';
import { enviarEmOutroProcesso, origem, PROCESSO_PUBLICO, tresOrgaos, type Lados } from './support/componentes.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { dbId, gid } from './support/ids.js';

const MB = 1024 * 1024;
const TAMANHO = 200 * MB;
/**
 * How much RSS may grow above the level before each transfer. Measured here (2 cores, load 4 to 20):
 * - upload +6 to +25 MB: busboy's part buffers, one 1 MiB block, postgres.js's COPY messages. Before the
 *   blocks went through COPY, each INSERT sent its 1 MiB block as a 2 MiB hex string that postgres.js keeps
 *   in the query's parameters: +70 MB on the same machine (and more with smaller blocks). 48 MB leaves about
 *   twice the worst figure for a loaded machine and fails that.
 * - download +5 to +57 MB (one block per SELECT, the response stream's and fetch's buffers): 100 MB, half
 *   the file, fails a gateway that buffers the file.
 */
const LIMITE_ENVIO = 48 * MB;
const LIMITE_DOWNLOAD = 100 * MB;

let pasta: string;
let caminho: string;
let hash: string;

beforeAll(async () => {
  pasta = await mkdtemp(join(tmpdir(), 'componente-grande-'));
  caminho = join(pasta, 'grande.bin');
  // 200 distinct random MiB blocks, written and hashed as they are made.
  const sha = createHash('sha256');
  const saida = createWriteStream(caminho);
  for (let i = 0; i < TAMANHO / MB; i++) {
    const bloco = randomBytes(MB);
    sha.update(bloco);
    if (!saida.write(bloco)) await new Promise<void>((r) => saida.once('drain', () => r()));
  }
  await new Promise<void>((r, f) => saida.end((e?: Error | null) => (e ? f(e) : r())));
  hash = sha.digest('base64');
}, 60_000);

afterAll(async () => {
  await rm(pasta, { recursive: true, force: true });
});

/** Samples RSS every 10 ms while `trabalho` runs; returns the peak above the level at the start. */
async function picoDeRss<T>(trabalho: () => Promise<T>): Promise<{ resultado: T; acima: number }> {
  global.gc?.();
  const inicio = process.memoryUsage.rss();
  let pico = inicio;
  const amostra = setInterval(() => {
    pico = Math.max(pico, process.memoryUsage.rss());
  }, 10);
  try {
    const resultado = await trabalho();
    pico = Math.max(pico, process.memoryUsage.rss());
    return { resultado, acima: pico - inicio };
  } finally {
    clearInterval(amostra);
  }
}

describe.runIf(BACKENDS.includes('postgres'))('postgres', () => {
  const backend = 'postgres';
  let gw: TestGateway;
  let l: Lados;

  beforeAll(async () => {
    // A short per-statement write timeout: the COPY that stores the blocks lasts as long as the upload (seconds),
    // so this also checks that it is not cut by the timeout every other write statement runs under.
    gw = await startTestGateway(backend, { componentMaxBytes: 256 * MB, statementTimeouts: { readMs: 10_000, writeMs: 1_000 } });
    l = await tresOrgaos(gw);
  });
  afterAll(async () => {
    await gw?.close();
  });

  test('a 200 MB component streams in and out with RSS bounded', { timeout: 180_000 }, async () => {
    const iniciado = await gw.ok(
      `mutation($input: IniciarTramiteInput!) { r: iniciarTramite(input: $input) { ... on TransicaoRealizada { tramite { id idt } } ... on Erro { codigo mensagem } } }`,
      {
        input: {
          tipo: 'PROCESSO',
          numeroProcesso: `${backend}-grande`,
          unidadeRemetente: gid('UnidadeAdministrativa', l.rem.unidade),
          unidadeDestinataria: gid('UnidadeAdministrativa', l.dest.unidade),
          processo: PROCESSO_PUBLICO,
          documentos: [
            {
              ordem: 1,
              especie: 79,
              nivelDeSigilo: 'PUBLICO',
              componentes: [
                {
                  ordem: 1,
                  nome: 'grande.bin',
                  hash,
                  tamanhoEmBytes: TAMANHO,
                  mimeType: 'application/octet-stream',
                  tipoDeConteudo: 'out',
                },
              ],
            },
          ],
        },
      },
      l.rem.token,
    );
    const t = iniciado.r.tramite as { id: string; idt: string };
    const envio = await picoDeRss(() =>
      enviarEmOutroProcesso(`${origem(gw)}/tramites/${t.idt}/componentes`, l.rem.token, hash, caminho, 'application/octet-stream'),
    );
    expect(envio.resultado, JSON.stringify(envio.resultado)).toMatchObject({ situacao: 2 });
    expect(envio.acima, `upload RSS +${Math.round(envio.acima / MB)} MB`).toBeLessThan(LIMITE_ENVIO);

    const [{ url }] = (await gw.database.rows<{ url: string }>('select id::text as url from tramite_componentes where tramite_id = $1', [
      dbId(t.id),
    ])) as [{ url: string }];
    const download = await picoDeRss(async () => {
      const res = await fetch(`${origem(gw)}/componentes/${url}`, { headers: { authorization: `Bearer ${l.rem.token}` } });
      const sha = createHash('sha256');
      let bytes = 0;
      for await (const parte of res.body!) {
        sha.update(parte);
        bytes += parte.byteLength;
      }
      return { bytes, hash: sha.digest('base64'), cabecalho: res.headers.get('etag') };
    });
    expect(download.resultado).toEqual({ bytes: TAMANHO, hash, cabecalho: `"${hash}"` });
    expect(download.acima, `download RSS +${Math.round(download.acima / MB)} MB`).toBeLessThan(LIMITE_DOWNLOAD);
    console.log(
      `[${backend}] 200 MB component: upload RSS +${Math.round(envio.acima / MB)} MB, download RSS +${Math.round(download.acima / MB)} MB`,
    );
  });
});

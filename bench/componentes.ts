/**
 * Throughput and memory of a 200 MB digital component through the gateway, against `cat` of the same
 * file into PostgreSQL's COPY, in the same run on the same server.
 *
 *   node --expose-gc --import tsx bench/componentes.ts     (or npx tsx bench/componentes.ts: no GC before each measure)
 *
 * Uses BENCH_DATABASE_URL (admin URL; a fresh database is created and dropped) or a throwaway server
 * (test/support/postgres-server.sh). BENCH_COMPONENT_MB (200) sets the size. The file is base64 text
 * lines, so the very same bytes are a valid COPY text input (one row per line) and a component.
 * Prints MB/s of: upload (POST /tramites/<idt>/componentes, fetch + FormData from a file-backed Blob, in a child process),
 * download (GET /componentes/<id>, hashed as it streams), and `cat file | psql -c "COPY … FROM STDIN"`;
 * with this process's peak RSS above its start during each (the gateway runs in this process) and
 * psql's maximum resident size from /usr/bin/time. Not part of the test suite.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { startGateway } from '../src/http/gateway.js';
import { mintToken } from '../src/identity/tokens.js';
import { createLogger } from '../src/logger.js';
import { enviarEmOutroProcesso } from '../test/support/componentes.js';
import { bancoDeBench, limpar, parDeUnidades, run, type Limpeza } from './support.js';

const MB = 1024 * 1024;
const TAMANHO_MB = Number(process.env.BENCH_COMPONENT_MB) > 0 ? Number(process.env.BENCH_COMPONENT_MB) : 200;
const SEGREDO = 'bench-secret-with-at-least-thirty-two-characters';

async function medir<T>(trabalho: () => Promise<T>) {
  // With --expose-gc: start from collected garbage (the file's generation leaves plenty).
  (globalThis as { gc?: () => void }).gc?.();
  const inicio = process.memoryUsage();
  const pico = { ...inicio };
  const amostrar = () => {
    const m = process.memoryUsage();
    for (const k of Object.keys(pico) as (keyof NodeJS.MemoryUsage)[]) pico[k] = Math.max(pico[k], m[k]);
  };
  const amostra = setInterval(amostrar, 10);
  const t0 = performance.now();
  try {
    const resultado = await trabalho();
    amostrar();
    const acima = (k: keyof NodeJS.MemoryUsage) => pico[k] - inicio[k];
    return {
      resultado,
      segundos: (performance.now() - t0) / 1000,
      rssAcima: acima('rss'),
      heapAcima: acima('heapUsed'),
      externoAcima: acima('external'),
    };
  } finally {
    clearInterval(amostra);
  }
}

async function main() {
  const limpeza: Limpeza = [];
  try {
    const banco = await bancoDeBench('componentes', 10, limpeza);
    const par = await parDeUnidades(banco.handle);
    const pasta = await mkdtemp(join(tmpdir(), 'bench-componentes-'));
    limpeza.push(() => rm(pasta, { recursive: true, force: true }));

    // The file: base64 lines of random bytes (no tab, backslash or NUL: valid COPY text as is).
    const caminho = join(pasta, 'componente.txt');
    const sha = createHash('sha256');
    const saida = createWriteStream(caminho);
    let tamanho = 0;
    while (tamanho < TAMANHO_MB * MB) {
      const linhas = Buffer.from(
        `${randomBytes(57 * 16384)
          .toString('base64')
          .replace(/(.{76})/g, '$1\n')}\n`,
      );
      sha.update(linhas);
      tamanho += linhas.length;
      if (!saida.write(linhas)) await new Promise<void>((r) => saida.once('drain', () => r()));
    }
    await new Promise<void>((r, f) => saida.end((e?: Error | null) => (e ? f(e) : r())));
    const hash = sha.digest('base64');

    const config = { ...loadConfig({ DATABASE_URL: banco.url, JWT_SECRET: SEGREDO, PORT: '0', LOG_LEVEL: 'silent' }) };
    config.componentes = { maxBytes: tamanho + MB };
    const gateway = await startGateway({ config, database: banco.handle, logger: createLogger('silent') });
    limpeza.push(() => gateway.close());
    const origem = gateway.url.replace(/\/graphql$/, '');
    const [rem] = await banco.handle.rows<{ repositorio: number; numero: number }>(
      'select repositorio_id::int as repositorio, numero_identificacao::int as numero from estruturas where id = $1',
      [par.rem_orgao],
    );
    const token = await mintToken(SEGREDO, {
      sub: 'bench',
      orgao: { repositorio: rem!.repositorio, estrutura: rem!.numero },
      roles: ['SPE'],
    });
    const gid = (id: number) => Buffer.from(`UnidadeAdministrativa:${id}`).toString('base64');
    const inicio = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query:
          'mutation($i: IniciarTramiteInput!) { r: iniciarTramite(input: $i) { __typename ... on TransicaoRealizada { tramite { idt documentos { componentes { urlDeDownload } } } } ... on Erro { mensagem } } }',
        variables: {
          i: {
            tipo: 'PROCESSO',
            numeroProcesso: 'bench-componente',
            unidadeRemetente: gid(par.rem),
            unidadeDestinataria: gid(par.dest),
            processo: { nivelDeSigilo: 'PUBLICO' },
            documentos: [
              {
                ordem: 1,
                especie: 79,
                nivelDeSigilo: 'PUBLICO',
                componentes: [
                  { ordem: 1, nome: 'componente.txt', hash, tamanhoEmBytes: tamanho, mimeType: 'text/plain', tipoDeConteudo: 'txt' },
                ],
              },
            ],
          },
        },
      }),
    }).then((r) => r.json() as Promise<any>);
    const tramite = inicio.data?.r?.tramite;
    if (!tramite) throw new Error(`iniciarTramite failed: ${JSON.stringify(inicio)}`);

    // The client runs in a child process: fetch's FormData body in this process would hold the file-backed
    // Blob's bytes (about +230 MB of external memory here), which is the client's memory, not the gateway's.
    const envio = await medir(async () => {
      const body = await enviarEmOutroProcesso(`${origem}/tramites/${tramite.idt}/componentes`, token, hash, caminho, 'text/plain');
      if (body.situacao !== 2) throw new Error(`upload failed: ${JSON.stringify(body)}`);
    });
    const download = await medir(async () => {
      const res = await fetch(`${origem}${tramite.documentos[0].componentes[0].urlDeDownload}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const h = createHash('sha256');
      for await (const parte of res.body!) h.update(parte);
      if (h.digest('base64') !== hash) throw new Error('downloaded bytes differ');
    });

    await banco.handle.rows('create table bench_copia (linha text)');
    const bindir = (await run('pg_config', ['--bindir'])).stdout.trim();
    const copia = await medir(() =>
      run(
        '/usr/bin/time',
        [
          '-f',
          '%M',
          'bash',
          '-c',
          `cat "$0" | "$1/psql" -X -q -d "$2" -c 'copy bench_copia (linha) from stdin'`,
          caminho,
          bindir,
          banco.url,
        ],
        {
          maxBuffer: 16 * MB,
        },
      ),
    );
    const psqlKb = Number(copia.resultado.stderr.trim().split('\n').pop());

    const mbps = (s: number) => (tamanho / MB / s).toFixed(1);
    const mb = (b: number) => `${Math.round(b / MB)} MB`;
    console.log(`PostgreSQL ${banco.versao} (${banco.servidor}); component ${(tamanho / MB).toFixed(1)} MB`);
    console.log(
      `upload   (gateway, multipart, streamed): ${mbps(envio.segundos)} MB/s  peak RSS +${mb(envio.rssAcima)} (gateway process; JS heap +${mb(envio.heapAcima)}, external +${mb(envio.externoAcima)})`,
    );
    console.log(
      `download (gateway, GET, hashed):        ${mbps(download.segundos)} MB/s  peak RSS +${mb(download.rssAcima)} (gateway process; JS heap +${mb(download.heapAcima)}, external +${mb(download.externoAcima)})`,
    );
    console.log(`baseline cat | psql COPY FROM STDIN:    ${mbps(copia.segundos)} MB/s  psql max RSS ${Math.round(psqlKb / 1024)} MB`);
    console.log(
      `ratio: upload ${(copia.segundos / envio.segundos).toFixed(2)}x COPY, download ${(copia.segundos / download.segundos).toFixed(2)}x COPY`,
    );
  } finally {
    await limpar(limpeza);
  }
}

await main();

/** What the benches share: a fresh, seeded PostgreSQL database, and two units that can exchange trâmites. */
import { type ChildProcess, execFile, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { type Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import postgres from 'postgres';
import { loadConfig } from '../src/config.js';
import { createDatabase, type DatabaseHandle } from '../src/db/client.js';
import { startGateway, type Gateway } from '../src/http/gateway.js';
import { createLogger } from '../src/logger.js';
import type { Database } from '../src/db/client.js';
import { assinaturaDeDemo, COMPONENTE_DE_DEMO, HASH_DE_DEMO, type PedidoDeConducao } from '../src/demo/conducao.js';
import { seedDemoData } from '../src/demo/seed.js';
import { MUTACAO_POR_ACAO } from '../src/tramites/graphql/tramite.js';
import { habilitada } from '../test/support/configuracao.js';

/** The repository's root: where forked bench servers run. */
const raiz = fileURLToPath(new URL('..', import.meta.url));

export const run = promisify(execFile);

/** A positive integer from the environment (a bench's bound or size), else the fallback. */
export const envInt = (name: string, fallback: number): number => {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
};

/** The nearest-rank percentile `p` (0–100) of values sorted ascending; NaN when there are none. */
export function percentil(ordenados: ArrayLike<number>, p: number): number {
  if (ordenados.length === 0) return Number.NaN;
  return ordenados[Math.min(ordenados.length - 1, Math.max(0, Math.ceil((p / 100) * ordenados.length) - 1))]!;
}

/** The median (the mean of the two middle values for an even count); NaN when there are none. */
export function mediana(xs: number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** CPU time (user + system) of a process in ms, from /proc (clock ticks of 10 ms); NaN once it has exited or off Linux. */
export function cpuMs(pid: number | undefined): number {
  try {
    const campos = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(campos[11]) + Number(campos[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/** CPU time of the whole machine from /proc/stat, in ms: busy (every state but idle and iowait) and total. */
export function cpuDaMaquinaMs(): { ocupado: number; total: number } {
  const campos = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = campos.reduce((a, b) => a + b, 0);
  return { ocupado: (total - campos[3]! - campos[4]!) * 10, total: total * 10 };
}

/** Cleanup steps, run last-in first-out by the bench when it ends (or is interrupted). */
export type Limpeza = Array<() => Promise<unknown>>;

/** Undoes what a bench started, last first; a failing step is reported and the rest still run. */
export async function limpar(limpeza: Limpeza): Promise<void> {
  for (const passo of limpeza.reverse()) await passo().catch((e) => console.error('cleanup:', e));
}

export interface BancoDeBench {
  handle: DatabaseHandle;
  /** The database's URL, for child processes. */
  url: string;
  /** Where the server came from, for the report. */
  servidor: string;
  versao: string;
}

/**
 * A fresh database with the demo data, on BENCH_DATABASE_URL's server or on a throwaway PostgreSQL
 * started here on 127.0.0.1 (test/support/postgres-server.sh). Everything it creates is undone by `limpeza`.
 */
export async function bancoDeBench(prefixo: string, poolSize: number, limpeza: Limpeza): Promise<BancoDeBench> {
  let adminUrl = process.env.BENCH_DATABASE_URL?.trim();
  let servidor = 'BENCH_DATABASE_URL';
  if (!adminUrl) {
    const script = fileURLToPath(new URL('../test/support/postgres-server.sh', import.meta.url));
    const dir = await mkdtemp(join(tmpdir(), `tramita-${prefixo}-pg-`));
    limpeza.push(() => rm(dir, { recursive: true, force: true }));
    limpeza.push(() => run('bash', [script, 'stop', dir], { timeout: 120_000 }));
    const { stdout } = await run('bash', [script, 'start', dir], { timeout: 120_000 });
    adminUrl = stdout.trim().split('\n').pop()!.trim();
    servidor = `throwaway server (${dir}; fsync off)`;
  }
  const nomeBanco = `${prefixo}_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${nomeBanco}"`);
  limpeza.push(async () => {
    await admin.unsafe(`drop database if exists "${nomeBanco}" with (force)`);
    await admin.end({ timeout: 5 });
  });
  const url = new URL(adminUrl);
  url.pathname = `/${nomeBanco}`;
  // The bench's own handle seeds millions of rows in one statement: bounded by the bench, not by a request's 10 s.
  const handle = await createDatabase({ kind: 'postgres', url: url.toString(), poolSize, timeouts: { readMs: 300_000, writeMs: 300_000 } });
  limpeza.push(() => handle.close());
  const [linha] = await handle.rows<{ v: string }>("select current_setting('server_version') as v");
  await seedDemoData(handle.db, new Date());
  return { handle, url: url.toString(), servidor, versao: linha!.v };
}

export interface ParDeUnidades {
  rem: number;
  rem_orgao: number;
  dest: number;
  dest_orgao: number;
}

/** A sender unit and a recipient unit of two different agencies, by SQL. */
export async function parDeUnidades(handle: DatabaseHandle): Promise<ParDeUnidades> {
  const [par] = await handle.rows<ParDeUnidades>(
    `select r.id::int as rem, r.orgao_id::int as rem_orgao, d.id::int as dest, d.orgao_id::int as dest_orgao
       from estruturas r join estruturas d on d.orgao_id <> r.orgao_id
      where ${habilitada('r', 'envio')} and ${habilitada('d', 'recebimento')} and r.pai_id is not null and d.pai_id is not null
      order by r.id, d.id limit 1`,
  );
  if (!par) throw new Error('no pair of units enabled to send and receive in the demo seed');
  return par;
}

/**
 * One step of a trâmite started with CONTEUDO_DE_DEMO, over HTTP as its SPE takes it: the component uploaded with the
 * GraphQL multipart request spec, the hash confirmed, the recibo de conclusão signed with the demo key, the bare step
 * otherwise. Answers the GraphQL body, with the step's event seq when it succeeded.
 */
export async function passoPorHttp(
  url: string,
  db: Database,
  acao: PedidoDeConducao['acao'],
  tramiteId: number,
  token: string,
): Promise<{ ok: boolean; seq: number | null; body: unknown }> {
  const tramite = Buffer.from(`Tramite:${tramiteId}`).toString('base64');
  const headers = { authorization: `Bearer ${token}` };
  if (acao === 'ENVIAR_COMPONENTES_DIGITAIS') {
    const form = new FormData();
    form.append(
      'operations',
      JSON.stringify({
        query: `mutation($t: ID!, $f: Upload!) { r: enviarComponentesDigitais(tramite: $t, arquivos: [{ hash: "${HASH_DE_DEMO}", arquivo: $f }]) { __typename ... on ComponentesDigitaisEnviados { evento { cursor } } ... on Erro { codigo mensagem } } }`,
        variables: { t: tramite, f: null },
      }),
    );
    form.append('map', JSON.stringify({ 0: ['variables.f'] }));
    form.append('0', new Blob([new Uint8Array(COMPONENTE_DE_DEMO)], { type: 'application/pdf' }), 'oficio.pdf');
    const res = await fetch(url, { method: 'POST', headers, body: form });
    const body = (await res.json()) as { data?: { r?: { evento?: { cursor: string } | null } } };
    // The upload that brings the last component answers the platform's move to 2.
    const cursor = body.data?.r?.evento?.cursor;
    return { ok: cursor != null, seq: cursor != null ? Number(cursor) : null, body };
  }
  const [tipo, extra] =
    acao === 'RECEBER_COMPONENTES_DIGITAIS'
      ? ['ConfirmarRecebimentoDeComponentesInput', { hashes: [{ documento: 1, componente: 1, hash: HASH_DE_DEMO }] }]
      : acao === 'ENVIAR_RECIBO_CONCLUSAO'
        ? ['EnviarReciboConclusaoInput', { hashDaAssinatura: await assinaturaDeDemo(db, tramiteId) }]
        : ['AcaoTramiteInput', {}];
  const res = await fetch(url, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({
      query: `mutation($input: ${tipo}!) { r: ${MUTACAO_POR_ACAO[acao]}(input: $input) { __typename ... on TransicaoRealizada { evento { cursor } } ... on Erro { codigo mensagem } } }`,
      variables: { input: { tramite, ...extra } },
    }),
  });
  const body = (await res.json()) as { data?: { r?: { __typename: string; evento?: { cursor: string } } } };
  const ok = body.data?.r?.__typename === 'TransicaoRealizada';
  return { ok, seq: ok ? Number(body.data!.r!.evento!.cursor) : null, body };
}

/** A gateway on the bench's PostgreSQL with the periodic jobs off (they would write beside the measured traffic). */
export async function gatewayDeBench(url: string, banco: DatabaseHandle, segredo: string, limpeza: Limpeza): Promise<Gateway> {
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: url,
    JWT_SECRET: segredo,
    LOG_LEVEL: 'silent',
    AUTO_CANCEL_ENABLED: 'false',
    STUCK_ALERT_ENABLED: 'false',
  });
  const gateway = await startGateway({ config, database: banco, logger: createLogger('silent') });
  limpeza.push(() => gateway.close());
  return gateway;
}

/**
 * `tramites` generated trâmites between units of different agencies (88% concluded, the rest across the other
 * statuses) with `eventosPorTramite` events each, by SQL on a connection of its own without the gateway's read
 * timeout; then vacuum and analyze.
 */
export async function semearTramites(
  url: string,
  handle: DatabaseHandle,
  tramites: number,
  eventosPorTramite: number,
  limpeza: Limpeza,
): Promise<void> {
  const semeadura = postgres(url, { max: 1, onnotice: () => {}, connection: { statement_timeout: 0 } });
  limpeza.push(() => semeadura.end({ timeout: 5 }));
  const [unidades] = await handle.rows<{ n: number }>('select count(*)::int as n from estruturas where pai_id is not null');
  await semeadura.unsafe(
    `with u as (select row_number() over (order by id) - 1 as k, id, orgao_id from estruturas where pai_id is not null)
     insert into tramites (idt, nre, numero_processo, tipo, remetente_unidade_id, remetente_orgao_id, destinatario_unidade_id,
                           destinatario_orgao_id, situacao, versao, criado_em, atualizado_em, situacao_alterada_em, ambiente)
     select 9000000000 + g, lpad((8000000000 + g)::text, 16, '0'), 'BENCH-' || g, 'PROCESSO', r.id, r.orgao_id, d.id, d.orgao_id,
            case when g % 100 < 88 then 6 else (array[1, 2, 3, 4, 5, 8, 7, 9, 10, 1, 2, 5])[1 + g % 12] end,
            ${eventosPorTramite}, s.em - interval '1 hour', s.em, s.em, 'PRODUCAO'
       from generate_series(1, 2 * $1::int) g
       cross join lateral (select now() - ((g::bigint * 7919) % 5184000) * interval '1 second' as em) s
       join u r on r.k = g % $2::int
       join u d on d.k = (g * 7 + 13) % $2::int
      where r.orgao_id <> d.orgao_id
      limit $1`,
    [tramites, unidades!.n],
  );
  await semeadura.unsafe(
    `insert into tramite_eventos (tramite_id, de_situacao, para_situacao, ator_sujeito, ator_orgao_id, ator_lado, ocorrido_em)
     select t.id, nullif(k - 1, 0), k, 'bench.spe', case when k in (1, 5) then t.remetente_orgao_id else t.destinatario_orgao_id end,
            case when k in (1, 5) then 'REMETENTE' else 'DESTINATARIO' end, t.criado_em + k * interval '1 minute'
       from tramites t cross join generate_series(1, ${eventosPorTramite}) k
      where t.idt >= 9000000000 order by t.id, k`,
  );
  await semeadura.unsafe('vacuum analyze tramites');
  await semeadura.unsafe('vacuum analyze tramite_eventos');
  await semeadura.unsafe('analyze estruturas');
}

/** The parent of a process (a PostgreSQL backend's: its postmaster), or null if it is not on this machine. */
export function paiDoProcesso(pid: number): number | null {
  try {
    return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
  } catch {
    return null;
  }
}

/**
 * CPU time in ms of every live child of `ppid` (a PostgreSQL server's backends, under its postmaster), by pid: a
 * point's database CPU is the sum of the differences over the pids present at both ends.
 */
export function cpuDosFilhos(ppid: number): Map<number, number> {
  const porPid = new Map<number, number>();
  for (const nome of readdirSync('/proc')) {
    if (!/^\d+$/.test(nome)) continue;
    try {
      const campos = readFileSync(`/proc/${nome}/stat`, 'utf8').split(') ')[1]!.split(' ');
      if (Number(campos[1]) === ppid) porPid.set(Number(nome), (Number(campos[11]) + Number(campos[12])) * 10);
    } catch {
      // exited while listed
    }
  }
  return porPid;
}

/**
 * A GraphQL POST over node:http on `agente`'s kept-alive sockets: a lighter client than fetch, whose own CPU shares the
 * machine with what it measures. `aceita` (e.g. "br, gzip", as a browser asks) requests compression, and the answer is
 * decompressed here; null asks for none, as autocannon in the other read benches.
 */
export function postarGraphql(agente: Agent, url: string | URL, token: string, corpo: unknown, aceita: string | null): Promise<unknown> {
  const dados = Buffer.from(JSON.stringify(corpo));
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent: agente,
        headers: {
          'content-type': 'application/json',
          'content-length': dados.length,
          authorization: `Bearer ${token}`,
          ...(aceita ? { 'accept-encoding': aceita } : {}),
        },
      },
      (res) => {
        const partes: Buffer[] = [];
        res.on('data', (p: Buffer) => partes.push(p));
        res.on('error', reject);
        res.on('end', () => {
          try {
            const bruto = Buffer.concat(partes);
            const codificacao = res.headers['content-encoding'];
            const texto = codificacao === 'br' ? brotliDecompressSync(bruto) : codificacao === 'gzip' ? gunzipSync(bruto) : bruto;
            resolve(JSON.parse(texto.toString('utf8')));
          } catch (e) {
            reject(e);
          }
        });
      },
    );
    req.on('error', reject);
    req.end(dados);
  });
}

/**
 * A bench server in a process of its own (bench/gateway-child.ts, reads-postgraphile-child.mjs, reads-floor-child.ts):
 * forked under tsx, ready when its first message ({ tipo: 'pronto', url }) arrives, within 120 s.
 */
export function iniciarFilho(
  script: string,
  env: Record<string, string>,
  execArgv: string[] = [],
): Promise<{ proc: ChildProcess; url: URL }> {
  const proc = fork(join(raiz, script), [], {
    cwd: raiz,
    execArgv: ['--import', 'tsx', ...execArgv],
    env: { ...process.env, NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start within 120 s`)), 120_000);
    proc.once('exit', (code) => reject(new Error(`${script} exited (${code}) before it was ready`)));
    proc.once('message', (m: { tipo: string; url: string }) => {
      clearTimeout(timer);
      if (m.tipo === 'pronto') resolve({ proc, url: new URL(m.url) });
      else reject(new Error(`${script}: unexpected first message ${JSON.stringify(m)}`));
    });
  });
}

/** Ends a forked bench server (`iniciarFilho`): asks it to close ({ tipo: 'fechar' }), killed if still there after 10 s. */
export function fecharFilho(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      resolve();
    }, 10_000);
    proc.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    proc.send({ tipo: 'fechar' });
  });
}

/**
 * Where the bytes of digital components live. `ComponentStore` is the seam: this file has the
 * PostgreSQL implementation (chunks of `TAMANHO_DO_BLOCO` in `conteudo_blocos`, the same on PGlite
 * and PostgreSQL); an S3-compatible store would implement the same two calls.
 */
import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { ADVISORY_LOCKS } from '../kernel/locks.js';
import type { Database } from '../db/client.js';
import type { Transaction } from './eventos.js';
import { TamanhoNaoConfere } from './erros.js';
import { conteudoBlocos, conteudos } from './tables.js';

/** 1 MiB: few round trips for a large file, and at most one block in memory per transfer. */
export const TAMANHO_DO_BLOCO = 1024 * 1024;

export interface ConteudoGuardado {
  id: number;
  /** SHA-256 of the bytes, base64 (the platform's `hash.conteudo`). */
  hash: string;
  tamanho: number;
}

export interface ComponentStore {
  /**
   * Streams `bytes` into the store inside `tx` (so a rollback leaves nothing behind), hashing them as
   * they pass; more than `tamanhoEsperado` bytes stops the transfer with TamanhoNaoConfere. When the
   * same content is already held, the new copy is dropped and the held one returned.
   */
  guardar(tx: Transaction, bytes: AsyncIterable<Uint8Array>, opcoes: { tamanhoEsperado: number; agora: Date }): Promise<ConteudoGuardado>;
  /** The bytes `inicio`..`fim` (inclusive) of a held content, one block at a time. */
  ler(db: Database, conteudoId: number, inicio: number, fim: number): AsyncIterable<Uint8Array>;
}

export const postgresComponentStore: ComponentStore = {
  async guardar(tx, bytes, { tamanhoEsperado, agora }) {
    // The row is named by a placeholder until the bytes are hashed: the unique (hash, tamanho) index
    // then tells whether this content was already held.
    const [novo] = await tx
      .insert(conteudos)
      .values({ hash: `parcial:${agora.getTime()}:${Math.random()}`, tamanho: 0, criadoEm: agora })
      .returning({ id: conteudos.id });
    const sha = createHash('sha256');
    let tamanho = 0;
    let n = 0;
    // One block buffer for the whole transfer, refilled only once the previous block was handed over.
    const bloco = Buffer.allocUnsafe(TAMANHO_DO_BLOCO);
    let noBloco = 0;
    const escritor = await escritorDeBlocos(tx, novo!.id);
    try {
      for await (const parte of bytes) {
        tamanho += parte.byteLength;
        if (tamanho > tamanhoEsperado) throw new TamanhoNaoConfere(tamanhoEsperado, tamanho);
        sha.update(parte);
        let lido = 0;
        while (lido < parte.byteLength) {
          const cabe = Math.min(TAMANHO_DO_BLOCO - noBloco, parte.byteLength - lido);
          bloco.set(parte.subarray(lido, lido + cabe), noBloco);
          noBloco += cabe;
          lido += cabe;
          if (noBloco === TAMANHO_DO_BLOCO) {
            await escritor.escrever(n++, bloco);
            noBloco = 0;
          }
        }
      }
      if (noBloco > 0) await escritor.escrever(n++, bloco.subarray(0, noBloco));
      await escritor.fechar();
    } catch (erro) {
      escritor.abortar(erro as Error);
      throw erro;
    }
    const hash = sha.digest('base64');
    // Identical bytes uploaded at once (to two trâmites) take turns: the second sees the first's row, or its rollback.
    await tx.execute(sql`select pg_advisory_xact_lock(${ADVISORY_LOCKS.conteudoPorHash}, hashtext(${hash}))`);
    const [existente] = await tx
      .select({ id: conteudos.id })
      .from(conteudos)
      .where(and(eq(conteudos.hash, hash), eq(conteudos.tamanho, tamanho)));
    if (existente) {
      await tx.delete(conteudos).where(eq(conteudos.id, novo!.id));
      return { id: existente.id, hash, tamanho };
    }
    await tx.update(conteudos).set({ hash, tamanho }).where(eq(conteudos.id, novo!.id));
    return { id: novo!.id, hash, tamanho };
  },

  async *ler(db, conteudoId, inicio, fim) {
    const primeiro = Math.floor(inicio / TAMANHO_DO_BLOCO);
    const ultimo = Math.floor(fim / TAMANHO_DO_BLOCO);
    for (let n = primeiro; n <= ultimo; n++) {
      const [bloco] = await db
        .select({ dados: conteudoBlocos.dados })
        .from(conteudoBlocos)
        .where(and(eq(conteudoBlocos.conteudoId, conteudoId), eq(conteudoBlocos.n, n)));
      if (!bloco) return;
      const base = n * TAMANHO_DO_BLOCO;
      const dados = bloco.dados as Uint8Array;
      yield dados.subarray(Math.max(0, inicio - base), Math.min(dados.byteLength, fim - base + 1));
    }
  },
};

interface EscritorDeBlocos {
  /** Hands block `n` over; `dados` may be reused once this resolves. */
  escrever(n: number, dados: Buffer): Promise<void>;
  fechar(): Promise<void>;
  /** Stops the transfer (the transaction then rolls back: nothing stays). */
  abortar(erro: Error): void;
}

/** postgres.js's `sql` as drizzle's transaction holds it (the reserved connection of `sql.begin`). */
type ClientePostgresJs = {
  unsafe(query: string): Promise<unknown> & { writable(): Promise<NodeJS.WritableStream & { destroy(e?: Error): void }> };
};

/** The PGCOPY binary header: signature, flags, header-extension length (PostgreSQL's COPY BINARY format). */
const CABECALHO_COPY_BINARIO = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
const FIM_COPY_BINARIO = Buffer.from([0xff, 0xff]);

/**
 * Where the blocks of one content go. On PostgreSQL (postgres.js) they stream through one
 * `COPY conteudo_blocos FROM STDIN (FORMAT binary)` on the transaction's connection: postgres.js sends every
 * parameter as text, so an INSERT of a 1 MiB bytea built a 2 MiB hex string kept in the query's parameters,
 * garbage only a full GC reclaims: a 200 MB upload grew RSS by ~70 MB, against ~6-25 MB through COPY
 * (bench/componentes.ts). COPY writes the bytes as they are, and with no round trip per block. On PGlite
 * (in process, no wire) one INSERT per block, awaited before the next.
 */
async function escritorDeBlocos(tx: Transaction, conteudoId: number): Promise<EscritorDeBlocos> {
  // drizzle offers no COPY: its postgres-js transaction holds postgres.js's reserved `sql` as `session.client`
  // (drizzle-orm 1.0.0-rc.5). Should that change, this falls back to INSERTs and test/componentes-grandes.test.ts's
  // RSS bound fails.
  const cliente = (tx as unknown as { session?: { client?: unknown } }).session?.client;
  if (typeof cliente === 'function' && 'unsafe' in cliente) {
    // The COPY is one statement as long as the upload: the write transactions' per-statement timeout would
    // cut any upload longer than it, so it is lifted for the COPY and restored after it. A stalled client is
    // bounded by the HTTP server's HTTP_REQUEST_TIMEOUT_MS instead (the stream then fails and all rolls back).
    // Read and lifted in one statement: the subquery gives the value before the outer select changes it.
    const [{ anterior }] = (await (cliente as ClientePostgresJs).unsafe(
      "select anterior, set_config('statement_timeout', '0', true) from (select current_setting('statement_timeout') as anterior offset 0) s",
    )) as [{ anterior: string }];
    const restaurar = () => (cliente as ClientePostgresJs).unsafe(`set local statement_timeout = '${anterior.replace(/'/g, "''")}'`);
    const consulta = (cliente as ClientePostgresJs).unsafe('copy conteudo_blocos (conteudo_id, n, dados) from stdin (format binary)');
    // An aborted COPY also rejects the query itself: the stream's listener below reports it, not this promise.
    consulta.catch(() => {});
    const copia = await consulta.writable();
    // Always listened to: an unheard stream error would be an uncaught exception; the write callbacks and
    // `fechar` report it, and the transaction rolls back.
    let falha: Error | null = null;
    copia.on('error', (erro: Error) => {
      falha ??= erro;
    });
    const escrever = (dados: Buffer) =>
      new Promise<void>((resolve, reject) => {
        if (falha) return reject(falha);
        // postgres.js copies the chunk into its message at once; the callback waits for the socket, so the
        // caller's buffer is free to refill when this resolves and nothing queues up in memory.
        copia.write(dados, (erro?: Error | null) => (erro ? reject(erro) : resolve()));
      });
    await escrever(CABECALHO_COPY_BINARIO);
    const linha = Buffer.alloc(2 + 4 + 8 + 4 + 4 + 4);
    return {
      async escrever(n, dados) {
        // A tuple: 3 fields, then each as int32 length + bytes (bigint, integer, bytea).
        linha.writeInt16BE(3, 0);
        linha.writeInt32BE(8, 2);
        linha.writeBigInt64BE(BigInt(conteudoId), 6);
        linha.writeInt32BE(4, 14);
        linha.writeInt32BE(n, 18);
        linha.writeInt32BE(dados.byteLength, 22);
        await escrever(linha);
        await escrever(dados);
      },
      async fechar() {
        await escrever(FIM_COPY_BINARIO);
        await new Promise<void>((resolve, reject) => {
          copia.once('error', reject);
          copia.end(() => (falha ? reject(falha) : resolve()));
        });
        await restaurar();
      },
      abortar(erro) {
        copia.destroy(erro);
      },
    };
  }
  return {
    async escrever(n, dados) {
      await tx.insert(conteudoBlocos).values({ conteudoId, n, dados });
    },
    async fechar() {},
    abortar() {},
  };
}

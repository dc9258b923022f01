/**
 * Where the bytes of digital components live. `ComponentStore` is the seam: this file has the
 * PostgreSQL implementation (chunks of `TAMANHO_DO_BLOCO` in `conteudo_blocos`, the same on PGlite
 * and PostgreSQL); an S3-compatible store would implement the same two calls.
 */
import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { ADVISORY_LOCKS } from '../kernel/locks.js';
import type { Database } from '../db/client.js';
import { linhasDe } from '../db/linhas.js';
import type { Transaction } from './eventos.js';
import { TamanhoNaoConfere } from './erros.js';
import { conteudoBlocos, conteudos } from './tables.js';

/** 1 MiB: few round trips for a large file, and at most one block in memory per transfer. */
export const TAMANHO_DO_BLOCO = 1024 * 1024;

export interface ConteudoGuardado {
  /** SHA-256 of the bytes, base64 (the platform's `hash.conteudo`). */
  hash: string;
  tamanho: number;
  /**
   * Names the content: when the same (hash, tamanho) is already held the new copy is dropped and the held one kept,
   * else the new copy is named. Answers the kept content's id. Its statements are issued at once (before the
   * promise settles), so a statement the caller issues after this call on the same transaction already finds the
   * content by (hash, tamanho). Identical bytes stored at once take turns on a lock held until commit: call it as
   * late in the transaction as the caller can, with the transaction's last statements.
   */
  nomear(): Promise<number>;
}

export interface ComponentStore {
  /**
   * Streams `bytes` into the store inside `tx` (so a rollback leaves nothing behind), hashing them as
   * they pass; more than `tamanhoEsperado` bytes stops the transfer with TamanhoNaoConfere. The copy is
   * deduplicated against the held contents when the caller names it (`nomear`).
   */
  guardar(tx: Transaction, bytes: AsyncIterable<Uint8Array>, opcoes: { tamanhoEsperado: number; agora: Date }): Promise<ConteudoGuardado>;
  /** The bytes `inicio`..`fim` (inclusive) of a held content, one block at a time. */
  ler(db: Database, conteudoId: number, inicio: number, fim: number): AsyncIterable<Uint8Array>;
}

export const postgresComponentStore: ComponentStore = {
  async guardar(tx, bytes, { tamanhoEsperado, agora }) {
    const escritor = await escritorDeBlocos(tx, agora);
    const sha = createHash('sha256');
    let tamanho = 0;
    let n = 0;
    // One block buffer for the whole transfer, refilled only once the previous block was handed over; no larger than
    // the declared size (more bytes stop the transfer above), so a small component does not hold a whole MiB.
    const tamanhoDoBloco = Math.max(1, Math.min(TAMANHO_DO_BLOCO, tamanhoEsperado));
    const bloco = Buffer.allocUnsafe(tamanhoDoBloco);
    let noBloco = 0;
    try {
      for await (const parte of bytes) {
        tamanho += parte.byteLength;
        if (tamanho > tamanhoEsperado) throw new TamanhoNaoConfere(tamanhoEsperado, tamanho);
        sha.update(parte);
        let lido = 0;
        while (lido < parte.byteLength) {
          const cabe = Math.min(tamanhoDoBloco - noBloco, parte.byteLength - lido);
          bloco.set(parte.subarray(lido, lido + cabe), noBloco);
          noBloco += cabe;
          lido += cabe;
          if (noBloco === tamanhoDoBloco) {
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
    return {
      hash,
      tamanho,
      // Identical bytes named at once take turns on the lock: the second's lookup, a statement that starts after the
      // lock is granted, sees the first's row (or its rollback). The new copy is dropped when the content was held,
      // else named. What the COPY left to say, the lock and the lookup go out together, in this order (the lock and
      // the lookup both raw statements, so drizzle hands them to the driver as they are issued).
      async nomear() {
        const [, , [guardado]] = await Promise.all([
          escritor.fechado,
          tx.execute(sql`select pg_advisory_xact_lock(${ADVISORY_LOCKS.conteudoPorHash}, hashtext(${hash}))`).execute(),
          tx
            .execute(
              sql`with existente as (select id from ${conteudos} where hash = ${hash} and tamanho = ${tamanho}),
                       apagado as (delete from ${conteudos} where id = ${escritor.id} and exists (select 1 from existente)),
                       nomeado as (update ${conteudos} set hash = ${hash}, tamanho = ${tamanho} where id = ${escritor.id} and not exists (select 1 from existente))
                  select coalesce((select id from existente), ${escritor.id}) as id`,
            )
            .execute()
            .then(linhasDe<{ id: number }>),
        ]);
        return Number(guardado!.id);
      },
    };
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
  /** The new content's row, named by a placeholder until the bytes are hashed. */
  id: number;
  /** Hands block `n` over; `dados` may be reused once this resolves. */
  escrever(n: number, dados: Buffer): Promise<void>;
  /** Ends the transfer; what it still has to say to the database goes out with the caller's next statements. */
  fechar(): Promise<void>;
  /** Settles once that, too, was answered (await it with the next statements). */
  fechado: Promise<unknown>;
  /** Stops the transfer (the transaction then rolls back: nothing stays). */
  abortar(erro: Error): void;
}

/** postgres.js's `sql` as drizzle's transaction holds it (the reserved connection of `sql.begin`). */
type ClientePostgresJs = {
  unsafe(
    query: string,
    params?: unknown[],
  ): Promise<unknown> & { execute(): Promise<unknown>; writable(): Promise<NodeJS.WritableStream & { destroy(e?: Error): void }> };
};

/** A placeholder name for a content row until its bytes are hashed (the unique (hash, tamanho) index then decides). */
const nomeProvisorio = (agora: Date) => `parcial:${agora.getTime()}:${Math.random()}`;

/** The PGCOPY binary header: signature, flags, header-extension length (PostgreSQL's COPY BINARY format). */
const CABECALHO_COPY_BINARIO = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
const FIM_COPY_BINARIO = Buffer.from([0xff, 0xff]);

/**
 * Where the blocks of one content go. On PostgreSQL (postgres.js) they stream through one
 * `COPY conteudo_blocos FROM STDIN (FORMAT binary)` on the transaction's connection: postgres.js sends every
 * parameter as text, so an INSERT of a 1 MiB bytea built a 2 MiB hex string kept in the query's parameters,
 * garbage only a full GC reclaims: a 200 MB upload grew RSS by ~70 MB, against ~6-25 MB through COPY
 * (bench/componentes.ts). COPY writes the bytes as they are, and with no round trip per block. On PGlite
 * (in process, no wire) one INSERT per block, awaited before the next. The content's row is created first.
 */
async function escritorDeBlocos(tx: Transaction, agora: Date): Promise<EscritorDeBlocos> {
  // drizzle offers no COPY: its postgres-js transaction holds postgres.js's reserved `sql` as `session.client`
  // (drizzle-orm 1.0.0-rc.5). Should that change, this falls back to INSERTs and test/componentes-grandes.test.ts's
  // RSS bound fails.
  const sessao = (tx as unknown as { session?: { client?: unknown } }).session?.client;
  if (typeof sessao === 'function' && 'unsafe' in sessao) {
    const cliente = sessao as unknown as ClientePostgresJs;
    // The row, the timeout's lift and the COPY go out together, in this order (postgres.js sends a connection's
    // queries in the order they are executed; nothing may follow the COPY before its data): one round trip.
    const criacao = cliente
      .unsafe('insert into conteudos (hash, tamanho, criado_em) values ($1, 0, $2) returning id', [nomeProvisorio(agora), agora])
      .execute() as Promise<[{ id: number | string }]>;
    // The COPY is one statement as long as the upload: the write transactions' per-statement timeout would
    // cut any upload longer than it, so it is lifted for the COPY and restored after it. A stalled client is
    // bounded by the HTTP server's HTTP_REQUEST_TIMEOUT_MS instead (the stream then fails and all rolls back).
    // Read and lifted in one statement: the subquery gives the value before the outer select changes it.
    const levantamento = cliente
      .unsafe(
        "select anterior, set_config('statement_timeout', '0', true) from (select current_setting('statement_timeout') as anterior offset 0) s",
      )
      .execute() as Promise<[{ anterior: string }]>;
    const consulta = cliente.unsafe('copy conteudo_blocos (conteudo_id, n, dados) from stdin (format binary)');
    // An aborted COPY also rejects the query itself: the stream's listener below reports it, not this promise.
    consulta.catch(() => {});
    const [[linhaCriada], [{ anterior }], copia] = await Promise.all([criacao, levantamento, consulta.writable()]);
    const id = Number(linhaCriada.id);
    let fechado: Promise<unknown> = Promise.resolve();
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
      id,
      async escrever(n, dados) {
        // A tuple: 3 fields, then each as int32 length + bytes (bigint, integer, bytea).
        linha.writeInt16BE(3, 0);
        linha.writeInt32BE(8, 2);
        linha.writeBigInt64BE(BigInt(id), 6);
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
        // Not awaited here: the restore goes out with the caller's next statements.
        fechado = cliente.unsafe(`set local statement_timeout = '${anterior.replace(/'/g, "''")}'`).execute();
      },
      get fechado() {
        return fechado;
      },
      abortar(erro) {
        copia.destroy(erro);
      },
    };
  }
  const [{ id }] = (await tx
    .insert(conteudos)
    .values({ hash: nomeProvisorio(agora), tamanho: 0, criadoEm: agora })
    .returning({ id: conteudos.id })) as [{ id: number }];
  return {
    id,
    async escrever(n, dados) {
      await tx.insert(conteudoBlocos).values({ conteudoId: id, n, dados });
    },
    async fechar() {},
    fechado: Promise.resolve(),
    abortar() {},
  };
}

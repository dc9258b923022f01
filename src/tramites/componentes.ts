/**
 * Where the bytes of digital components live. `ComponentStore` is the seam: this file has the
 * PostgreSQL implementation (chunks of `TAMANHO_DO_BLOCO` in `conteudo_blocos`, the same on PGlite
 * and PostgreSQL); an S3-compatible store would implement the same two calls.
 */
import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
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
    let pendentes: Uint8Array[] = [];
    let noBloco = 0;
    const gravarBloco = async () => {
      if (noBloco === 0) return;
      const dados = Buffer.concat(pendentes, noBloco);
      pendentes = [];
      noBloco = 0;
      await tx.insert(conteudoBlocos).values({ conteudoId: novo!.id, n: n++, dados });
    };
    for await (const parte of bytes) {
      tamanho += parte.byteLength;
      if (tamanho > tamanhoEsperado) throw new TamanhoNaoConfere(tamanhoEsperado, tamanho);
      sha.update(parte);
      let resto = parte;
      while (resto.byteLength > 0) {
        const cabe = Math.min(TAMANHO_DO_BLOCO - noBloco, resto.byteLength);
        pendentes.push(resto.subarray(0, cabe));
        noBloco += cabe;
        resto = resto.subarray(cabe);
        if (noBloco === TAMANHO_DO_BLOCO) await gravarBloco();
      }
    }
    await gravarBloco();
    const hash = sha.digest('base64');
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

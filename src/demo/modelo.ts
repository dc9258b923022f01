/**
 * The demo data inside the embedded template (`npm run build`: dist/pglite-template-demo): the build seeds it once,
 * at its own clock, and records that instant (`marcarSemente`); the first start on a copy moves every timestamp by the
 * time since (`trazerAoPresente`), so a cold start copies files instead of seeding. The demo's dates are relative to
 * now (parados, the 60-day window, the automatic cancellation's 8 days): a uniform shift keeps every one of them, and
 * the counters' period buckets follow (the trâmites' update trigger moves them). What carries a date inside a signed
 * text is signed again: the recibos de envio with the key this gateway signs with (its RECEIPT_SIGNING_KEY, or the
 * demo's), the recibos de conclusão with the demo SPE key. Years written into texts (NUPs, descriptions) stay as the
 * build wrote them. No secret is made at build time: the seed uses the demo's published keys only; the homologação
 * counterparts' key is still generated on first use, per installation.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { linhasDe } from '../db/linhas.js';
import type { Transaction } from '../tramites/eventos.js';
import { criarAssinadorDeRecibos, type ChaveDeAssinatura, type ConteudoReciboDeEnvio, dataDoRecibo } from '../tramites/recibos.js';
import { recibosDeConclusao, recibosDeEnvio } from '../tramites/tables.js';
import { assinarComoSpeDemo, CHAVE_RECIBOS_DEMO } from './chaves-spe.js';

/** Where the template keeps its seed's instant: a schema of its own, dropped by the shift that uses it. */
const ESQUEMA = 'demo_modelo';

/** Records `em` as the instant the data was seeded at (the build, after `seedDemoData(db, em)`). */
export async function marcarSemente(db: Database, em: Date): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql.raw(`create schema ${ESQUEMA}`));
    await tx.execute(sql.raw(`create table ${ESQUEMA}.semente (semeada_em timestamptz not null)`));
    await tx.execute(sql`insert into ${sql.raw(ESQUEMA)}.semente (semeada_em) values (${em.toISOString()})`);
  });
}

/**
 * On a database copied from the demo template, once: moves every timestamp of the public tables by whole seconds from
 * the seed's instant to `agora` and signs the receipts again; in one transaction that also drops the mark, so a start
 * cut short shifts on the next one, and no start shifts twice. Anywhere else (no mark) it does nothing.
 */
export async function trazerAoPresente(
  db: Database,
  agora: Date,
  opcoes: { chaveDeRecibos?: ChaveDeAssinatura } = {},
): Promise<{ ajustado: boolean; segundos: number }> {
  return db.transaction(async (tx) => {
    const [marca] = linhasDe<{ existe: boolean }>(await tx.execute(sql`select to_regclass(${`${ESQUEMA}.semente`}) is not null as existe`));
    if (!marca?.existe) return { ajustado: false, segundos: 0 };
    const [semente] = linhasDe<{ semeada_em: string | Date }>(
      await tx.execute(sql.raw(`select semeada_em from ${ESQUEMA}.semente for update`)),
    );
    // Whole seconds: the recibo de conclusão's date has no milliseconds, so shifting it stays the truncation of the shifted arrival.
    const segundos = Math.floor((agora.getTime() - new Date(semente!.semeada_em).getTime()) / 1000);
    await deslocarDatas(tx, segundos);
    await assinarDeNovo(tx, segundos, opcoes.chaveDeRecibos ?? CHAVE_RECIBOS_DEMO);
    await tx.execute(sql.raw(`drop schema ${ESQUEMA} cascade`));
    return { ajustado: true, segundos };
  });
}

/** Every timestamp column of every public table, one UPDATE per table, in one statement (a DO block). */
async function deslocarDatas(tx: Transaction, segundos: number): Promise<void> {
  await tx.execute(
    sql.raw(`do $$
declare t record;
begin
  for t in
    select table_name, string_agg(format('%1$I = %1$I + make_interval(secs => ${Math.trunc(segundos)})', column_name), ', ') as sets
      from information_schema.columns
     where table_schema = 'public' and data_type like 'timestamp%'
     group by table_name
  loop
    execute format('update %I set %s', t.table_name, t.sets);
  end loop;
end $$`),
  );
}

/** The receipts whose signed text carries a date, signed again over the shifted date. */
async function assinarDeNovo(tx: Transaction, segundos: number, chaveDeRecibos: ChaveDeAssinatura): Promise<void> {
  const assinador = criarAssinadorDeRecibos(chaveDeRecibos);
  const envios = await tx.select({ tramiteId: recibosDeEnvio.tramiteId, jws: recibosDeEnvio.jws }).from(recibosDeEnvio);
  const novosJws = await Promise.all(
    envios.map(async ({ jws }) => {
      const conteudo = JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8')) as ConteudoReciboDeEnvio;
      const data = new Date(new Date(conteudo.dataDeRecebimentoDoUltimoComponenteDigital).getTime() + segundos * 1000);
      return assinador.assinar({ ...conteudo, dataDeRecebimentoDoUltimoComponenteDigital: data.toISOString() });
    }),
  );
  await tx.execute(sql`update recibos_de_envio r set jws = v.jws
      from jsonb_to_recordset(${JSON.stringify(envios.map((e, i) => ({ id: e.tramiteId, jws: novosJws[i] })))}::text::jsonb) as v(id bigint, jws text)
     where r.tramite_id = v.id`);

  // Read after the shift: the date is already the new one.
  const conclusoes = await tx
    .select({
      tramiteId: recibosDeConclusao.tramiteId,
      texto: recibosDeConclusao.textoAssinado,
      data: recibosDeConclusao.dataDeRecebimento,
    })
    .from(recibosDeConclusao);
  const textos = conclusoes.map(({ texto, data }) =>
    texto.replace(/<dataDeRecebimento>[^<]*<\/dataDeRecebimento>/, `<dataDeRecebimento>${dataDoRecibo(data)}</dataDeRecebimento>`),
  );
  const novas = conclusoes.map((c, i) => ({ id: c.tramiteId, texto: textos[i], assinatura: assinarComoSpeDemo(textos[i]!) }));
  await tx.execute(sql`update recibos_de_conclusao r set texto_assinado = v.texto, hash_da_assinatura = v.assinatura
      from jsonb_to_recordset(${JSON.stringify(novas)}::text::jsonb) as v(id bigint, texto text, assinatura text)
     where r.tramite_id = v.id`);
}

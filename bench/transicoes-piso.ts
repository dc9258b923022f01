/**
 * The floor of bench/transicoes.ts: each step of a trâmite walked 1 → 6 done by hand, with the same work per step as
 * the gateway's path and nothing else: node:http + postgres.js + node:crypto/jose, no GraphQL, no token (the acting
 * agency comes in the body), no drizzle. Per step:
 *
 *   1 → 2  the component's bytes in a multipart body parsed by @fastify/busboy (the gateway's parser, streamed the
 *          same way), hashed with SHA-256 as they pass and COPYed (binary) into `conteudo_blocos` under a new
 *          `conteudos` row; the content deduplicated by (hash, size) under the same advisory lock; the component
 *          marked; the recibo de envio signed as a compact JWS with the same kind of key (ES256); the trâmite at 2,
 *          the receipt and the platform's event written.
 *   2 → 3, 5 → 6  the row read under lock, the rules checked (regras.ts, the same pure functions), update + event
 *          (at 6 the onboarding requirement rows are locked as the gateway's effect does).
 *   3 → 4  as above, the declared components read with the row and the recipient's hashes compared.
 *   4 → 5  as above, with the components' hashes and the recipient's registered key read with the row, the text
 *          rebuilt and its RSA-SHA256 signature verified; the recibo de conclusão stored with the step.
 *
 * Each step is one transaction whose statements are folded as a hand-writer would fold them: begin, one read
 * (`for update`) bringing all the step needs, the writes as one statement (data-modifying CTEs), commit. The table
 * triggers (counters, the event log's transaction id and NOTIFY) run for both sides alike.
 */
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Busboy } from '@fastify/busboy';
import { CompactSign, calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import postgres from 'postgres';
import { ADVISORY_LOCKS } from '../src/kernel/locks.js';
import { ATOR_PLATAFORMA } from '../src/kernel/platform.js';
import type { Viewer } from '../src/kernel/viewer.js';
import { ETAPA_DOS_REQUISITOS } from '../src/onboarding/regras.js';
import { conferirHashes, mensagemHashDivergente, type HashCalculado } from '../src/tramites/conteudo.js';
import { conteudoReciboDeConclusao, conteudoReciboDeEnvio, textoReciboDeConclusao } from '../src/tramites/recibos.js';
import { autorizarPasso, PASSO_POR_ACAO, type Acao } from '../src/tramites/regras.js';
import { assinaturaDeDemo, COMPONENTE_DE_DEMO, HASH_DE_DEMO, type PedidoDeConducao } from '../src/demo/conducao.js';
import type { Database } from '../src/db/client.js';

/** 1 MiB, as the gateway's store (componentes.ts TAMANHO_DO_BLOCO). */
const BLOCO = 1024 * 1024;
const CABECALHO_COPY = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
const FIM_COPY = Buffer.from([0xff, 0xff]);
const ETAPAS_EM_REQUISITOS = Object.values(ETAPA_DOS_REQUISITOS);

interface Linha {
  id: string;
  idt: string;
  nre: string;
  ambiente: string;
  situacao: number;
  versao: number;
  remetente_orgao_id: number;
  destinatario_orgao_id: number;
  destinatario_unidade_id: number;
  remetente_unidade_id: number;
  unidade_receptora_id: number | null;
  situacao_alterada_em: Date;
}

interface Pedido {
  tramite: number;
  orgao: number;
  acao: PedidoDeConducao['acao'];
  hashes?: HashCalculado[];
  hashDaAssinatura?: string;
}

class Recusa extends Error {}

export interface Piso {
  url: string;
  close(): Promise<void>;
}

export async function iniciarPiso(urlDoBanco: string, max: number): Promise<Piso> {
  const sql = postgres(urlDoBanco, { max, onnotice: () => {} });
  // The same kind of key as the gateway's default (RECEIPT_SIGNING_ALG=ES256, a key generated at start).
  const par = await generateKeyPair('ES256');
  const kid = await calculateJwkThumbprint(await exportJWK(par.publicKey));
  const chaves = new Map<string, KeyObject>();

  const viewer = (orgao: number): Viewer => ({ sujeito: 'bench.piso', orgaoId: orgao, papeis: new Set(['SPE']) });
  const autorizar = (acao: Acao, orgao: number, t: Linha) => {
    const passo = PASSO_POR_ACAO[acao];
    const a = autorizarPasso(viewer(orgao), passo, {
      remetenteOrgaoId: t.remetente_orgao_id,
      destinatarioOrgaoId: t.destinatario_orgao_id,
    });
    if (!a.ok) throw new Recusa(`${acao}: not this side`);
    if (!passo.de.includes(t.situacao as never)) throw new Recusa(`cannot ${acao} from ${t.situacao}`);
    return passo;
  };

  /** 1 → 2: the upload, then the platform's move with its signed recibo de envio. */
  async function enviar(pedido: Pick<Pedido, 'tramite' | 'orgao'> & { hash: string }, mimeType: string, bytes: AsyncIterable<Buffer>) {
    const agora = new Date();
    return sql.begin(async (tx) => {
      // The row locked, and the trâmite's components read by a statement of their own once the lock is granted: one
      // round trip.
      const [[t], todos] = await Promise.all([
        tx<Linha[]>`select t.* from tramites t where t.id = ${pedido.tramite} for update of t`,
        tx<{ id: string; hash: string; tamanho: string; mime_type: string; conteudo_id: string | null }[]>`
          select id, hash, tamanho, mime_type, conteudo_id from tramite_componentes where tramite_id = ${pedido.tramite}`,
      ]);
      const c = todos.find((x) => x.hash === pedido.hash);
      if (!t || !c) throw new Recusa('no such trâmite or component');
      autorizar('ENVIAR_COMPONENTES_DIGITAIS', pedido.orgao, t);
      if (c.conteudo_id != null) throw new Recusa('already held');
      if (mimeType !== c.mime_type) throw new Recusa('mime type');
      const [novo] = await tx<{ id: string }[]>`
        insert into conteudos (hash, tamanho, criado_em) values (${`parcial:${agora.getTime()}:${Math.random()}`}, 0, ${agora}) returning id`;
      const copia = await tx.unsafe('copy conteudo_blocos (conteudo_id, n, dados) from stdin (format binary)').writable();
      const escrever = (b: Buffer) => new Promise<void>((resolve, reject) => copia.write(b, (e) => (e ? reject(e) : resolve())));
      const sha = createHash('sha256');
      const tamanhoDoBloco = Math.max(1, Math.min(BLOCO, Number(c.tamanho)));
      const bloco = Buffer.allocUnsafe(tamanhoDoBloco);
      const linha = Buffer.alloc(26);
      let noBloco = 0;
      let n = 0;
      let tamanho = 0;
      const gravar = async (dados: Buffer) => {
        linha.writeInt16BE(3, 0);
        linha.writeInt32BE(8, 2);
        linha.writeBigInt64BE(BigInt(novo!.id), 6);
        linha.writeInt32BE(4, 14);
        linha.writeInt32BE(n++, 18);
        linha.writeInt32BE(dados.byteLength, 22);
        await escrever(linha);
        await escrever(dados);
      };
      try {
        await escrever(CABECALHO_COPY);
        for await (const parte of bytes) {
          tamanho += parte.byteLength;
          if (tamanho > Number(c.tamanho)) throw new Recusa('too large');
          sha.update(parte);
          for (let lido = 0; lido < parte.byteLength; ) {
            const cabe = Math.min(tamanhoDoBloco - noBloco, parte.byteLength - lido);
            parte.copy(bloco, noBloco, lido, lido + cabe);
            noBloco += cabe;
            lido += cabe;
            if (noBloco === tamanhoDoBloco) {
              await gravar(bloco);
              noBloco = 0;
            }
          }
        }
        if (noBloco > 0) await gravar(bloco.subarray(0, noBloco));
        await escrever(FIM_COPY);
        await new Promise<void>((resolve, reject) => {
          copia.once('error', reject);
          copia.end(() => resolve());
        });
      } catch (erro) {
        // The transaction then rolls back: nothing stays.
        copia.destroy(erro as Error);
        throw erro;
      }
      const hash = sha.digest('base64');
      if (tamanho !== Number(c.tamanho) || hash !== pedido.hash) throw new Recusa('hash or size differs');
      // What is missing once these bytes are in, from the read under the row lock; the receipt, when nothing is,
      // signed before anything else is written.
      const completo = todos.every((x) => x.conteudo_id != null || x.hash === hash);
      const jws = completo
        ? await new CompactSign(
            new TextEncoder().encode(
              JSON.stringify(
                conteudoReciboDeEnvio(
                  { idt: Number(t.idt), nre: t.nre },
                  todos.map((x) => x.hash),
                  agora,
                ),
              ),
            ),
          )
            .setProtectedHeader({ alg: 'ES256', kid, typ: 'recibo-de-envio+jws' })
            .sign(par.privateKey)
        : null;
      // The transaction's last statements, in one round trip: identical bytes stored at once take turns on the lock
      // (held to commit), and the lookup is its own statement, so it sees what committed meanwhile; then the
      // component marked with the kept content and its event, and the move with its receipt and events.
      const [, [guardado], , movido] = await Promise.all([
        tx`select pg_advisory_xact_lock(${ADVISORY_LOCKS.conteudoPorHash}, hashtext(${hash}))`,
        tx<{ id: string }[]>`
          with existente as (select id from conteudos where hash = ${hash} and tamanho = ${tamanho}),
               apagado as (delete from conteudos where id = ${novo!.id} and exists (select 1 from existente)),
               nomeado as (update conteudos set hash = ${hash}, tamanho = ${tamanho} where id = ${novo!.id} and not exists (select 1 from existente))
          select coalesce((select id from existente), ${novo!.id}) as id`,
        tx`
          with marcado as (update tramite_componentes set conteudo_id = (select id from conteudos where hash = ${hash} and tamanho = ${tamanho}), enviado_em = ${agora}
                            where tramite_id = ${t.id} and hash = ${hash} and conteudo_id is null returning id)
          insert into tramite_eventos (tramite_id, tipo, componente_id, de_situacao, para_situacao, ator_sujeito, ator_orgao_id, ator_lado, ator_pen_admin, ocorrido_em)
          select ${t.id}, 'COMPONENTE_RECEBIDO', id, 1, 1, 'bench.piso', ${pedido.orgao}, 'REMETENTE', false, ${agora} from marcado`,
        jws
          ? tx<{ seq: string }[]>`
          with movido as (update tramites set situacao = 2, versao = versao + 1, atualizado_em = ${agora}, situacao_alterada_em = ${agora}
                           where id = ${t.id} and versao = ${t.versao} returning id),
               recibo as (insert into recibos_de_envio (tramite_id, jws, emitido_em) select id, ${jws}, ${agora} from movido)
          insert into tramite_eventos (tramite_id, tipo, recibo, de_situacao, para_situacao, ator_sujeito, ator_lado, ator_pen_admin, ocorrido_em)
          select id, 'SITUACAO'::tipo_evento_tramite, null::tipo_recibo, 1, 2, ${ATOR_PLATAFORMA}, 'PLATAFORMA', false, ${agora} from movido
          union all
          select id, 'RECIBO_EMITIDO', 'ENVIO', 2, 2, ${ATOR_PLATAFORMA}, 'PLATAFORMA', false, ${agora} from movido
          returning seq`
          : null,
      ]);
      if (!guardado) throw new Recusa('content not named');
      if (!movido) return null;
      const [evento] = movido;
      if (!evento) throw new Recusa('concurrent change');
      return evento.seq;
    });
  }

  /** 2 → 3, 3 → 4 (or the refusal with motive 02), 4 → 5, 5 → 6. */
  async function passo(pedido: Pedido) {
    const agora = new Date();
    return sql.begin(async (tx) => {
      // One read bringing what the step needs besides the row.
      const [t] = await tx<
        (Linha & {
          componentes: { documento: number; ordem: number; hash: string }[] | null;
          pem: string | null;
          chave_id: string | null;
          em_requisitos: number;
        })[]
      >`
        select t.*,
               ${
                 pedido.acao === 'RECEBER_COMPONENTES_DIGITAIS' || pedido.acao === 'ENVIAR_RECIBO_CONCLUSAO'
                   ? tx`(select json_agg(json_build_object('documento', d.ordem, 'ordem', c.ordem, 'hash', c.hash))
                 from tramite_componentes c join tramite_documentos d on d.id = c.documento_id where c.tramite_id = t.id)`
                   : tx`null`
               } as componentes,
               k.pem, k.chave_id,
               ${pedido.acao === 'RECEBER_RECIBO_CONCLUSAO' ? tx`(select count(*)::int from (select 1 from onboardings o where o.orgao_id in (t.remetente_orgao_id, t.destinatario_orgao_id) and o.etapa in ${tx(ETAPAS_EM_REQUISITOS)} for update of o) q)` : tx`0`} as em_requisitos
          from tramites t
          left join chaves_publicas_spe k on ${pedido.acao === 'ENVIAR_RECIBO_CONCLUSAO'} and k.orgao_id = t.destinatario_orgao_id and k.ambiente = t.ambiente
         where t.id = ${pedido.tramite} for update of t`;
      if (!t) throw new Recusa('no such trâmite');
      let acao: Acao = pedido.acao;
      let motivo: string | null = null;
      let justificativa: string | null = null;
      if (acao === 'RECEBER_COMPONENTES_DIGITAIS') {
        const { divergente } = conferirHashes(
          (t.componentes ?? []).map((c) => ({ ordemDocumento: c.documento, ordem: c.ordem, hash: c.hash })),
          pedido.hashes ?? [],
        );
        if (divergente) [acao, motivo, justificativa] = ['RECUSAR', '02', mensagemHashDivergente(divergente)];
      }
      const p = autorizar(acao, pedido.orgao, t);
      // The gateway's onboarding effect locks these rows and records requirements; the bench's agencies have none.
      if (t.em_requisitos > 0) throw new Recusa('the floor does not record onboarding requirements');
      let recibo = tx`select 1`;
      if (acao === 'ENVIAR_RECIBO_CONCLUSAO') {
        if (!t.pem || !pedido.hashDaAssinatura) throw new Recusa('no key or no signature');
        const texto = textoReciboDeConclusao(
          conteudoReciboDeConclusao(
            { idt: Number(t.idt), nre: t.nre },
            (t.componentes ?? []).map((c) => c.hash),
            t.situacao_alterada_em,
          ),
        );
        let chave = chaves.get(t.pem);
        if (!chave) chaves.set(t.pem, (chave = createPublicKey(t.pem)));
        if (!verify('sha256', Buffer.from(texto), chave, Buffer.from(pedido.hashDaAssinatura, 'base64'))) throw new Recusa('bad signature');
        const data = new Date(`${t.situacao_alterada_em.toISOString().slice(0, 19)}.000Z`);
        recibo = tx`insert into recibos_de_conclusao (tramite_id, data_de_recebimento, texto_assinado, hash_da_assinatura, chave_publica_pem, chave_id, recebido_em)
                    select id, ${data}, ${texto}, ${pedido.hashDaAssinatura}, ${t.pem}, ${t.chave_id!}, ${agora} from movido`;
      }
      const [evento] = await tx<{ seq: string }[]>`
        with movido as (update tramites set situacao = ${p.para}, versao = versao + 1, atualizado_em = ${agora}, situacao_alterada_em = ${agora}
                         where id = ${t.id} and versao = ${t.versao} returning id),
             recibo as (${recibo}),
             emitido as (${
               acao === 'ENVIAR_RECIBO_CONCLUSAO'
                 ? tx`insert into tramite_eventos (tramite_id, tipo, recibo, de_situacao, para_situacao, ator_sujeito, ator_orgao_id, ator_lado, ator_pen_admin, ocorrido_em)
                      select id, 'RECIBO_EMITIDO', 'CONCLUSAO', 5, 5, 'bench.piso', ${pedido.orgao}, ${p.lado}, false, ${agora} from movido`
                 : tx`select 1`
             })
        insert into tramite_eventos (tramite_id, de_situacao, para_situacao, ator_sujeito, ator_orgao_id, ator_lado, ator_pen_admin, motivo, justificativa, ocorrido_em)
        select id, ${t.situacao}, ${p.para}, 'bench.piso', ${pedido.orgao}, ${p.lado}, false, ${motivo}, ${justificativa}, ${agora} from movido returning seq`;
      if (!evento) throw new Recusa('concurrent change');
      return evento.seq;
    });
  }

  const responder = (res: ServerResponse, seq: string | null, erro?: unknown) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify(erro ? { errors: [{ message: (erro as Error).message }] } : { data: { r: { evento: seq ? { cursor: seq } : null } } }),
    );
  };

  /** The upload: `pedido` (JSON) first, then the file, streamed into the COPY as busboy reads it. */
  function multipart(req: IncomingMessage, res: ServerResponse) {
    const parser = new Busboy({ headers: req.headers as never, limits: { fileSize: 64 * 1024 * 1024, fields: 1, files: 1 } });
    let pedido: (Pick<Pedido, 'tramite' | 'orgao'> & { hash: string }) | null = null;
    let feito: Promise<string | null> | null = null;
    parser.on('field', (nome: string, valor: string) => {
      if (nome === 'pedido') pedido = JSON.parse(valor);
    });
    parser.on('file', (_nome: string, stream: NodeJS.ReadableStream, _arquivo: string, _enc: string, mimeType: string) => {
      if (!pedido || feito) return void stream.resume();
      const s = stream as NodeJS.ReadableStream & { iterator(o: { destroyOnReturn: boolean }): AsyncIterable<Buffer> };
      feito = enviar(pedido, mimeType, s.iterator({ destroyOnReturn: false }));
      void feito.catch(() => stream.resume());
    });
    parser.on('finish', async () => {
      try {
        if (!feito) throw new Recusa('no file');
        responder(res, await feito);
      } catch (erro) {
        responder(res, null, erro);
      }
    });
    req.pipe(parser);
  }

  const server: Server = createServer(async (req, res) => {
    if (/^multipart\/form-data/i.test(req.headers['content-type'] ?? '')) return multipart(req, res);
    let corpo = '';
    for await (const parte of req) corpo += parte;
    try {
      responder(res, await passo(JSON.parse(corpo) as Pedido));
    } catch (erro) {
      responder(res, null, erro);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await sql.end({ timeout: 5 });
    },
  };
}

/**
 * One step as a client of the floor, doing the same client-side work as `passoPorHttp` does for the gateway: the same
 * bytes in a FormData body (fetch's multipart encoder), the same hashes, the recibo signed with the demo key.
 */
export async function passoNoPiso(
  url: string,
  db: Database,
  acao: PedidoDeConducao['acao'],
  tramite: number,
  orgao: number,
): Promise<{ ok: boolean; body: unknown }> {
  let res: Response;
  if (acao === 'ENVIAR_COMPONENTES_DIGITAIS') {
    const form = new FormData();
    form.append('pedido', JSON.stringify({ tramite, orgao, hash: HASH_DE_DEMO }));
    form.append('0', new Blob([new Uint8Array(COMPONENTE_DE_DEMO)], { type: 'application/pdf' }), 'oficio.pdf');
    res = await fetch(url, { method: 'POST', body: form });
  } else {
    const extra =
      acao === 'RECEBER_COMPONENTES_DIGITAIS'
        ? { hashes: [{ documento: 1, componente: 1, hash: HASH_DE_DEMO }] }
        : acao === 'ENVIAR_RECIBO_CONCLUSAO'
          ? { hashDaAssinatura: await assinaturaDeDemo(db, tramite) }
          : {};
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tramite, orgao, acao, ...extra }),
    });
  }
  const body = (await res.json()) as { data?: { r?: { evento?: { cursor: string } | null } } };
  return { ok: body.data?.r?.evento?.cursor != null, body };
}

/**
 * The plain HTTP routes of digital components, beside /graphql on the same server and the same bearer token:
 *
 *   POST /tramites/<idt>/componentes   multipart/form-data, one file part per component, named by its
 *                                      declared SHA-256 (base64); streamed into the ComponentStore
 *   GET  /componentes/<id>             the bytes, streamed, with Content-Length, ETag/Digest (SHA-256), Range
 *   GET  /.well-known/jwks.json        the public key of the recibo de envio's signature
 *
 * The same upload goes through GraphQL's multipart request spec too (graphql-multipart.ts, the same
 * command); both stream with busboy, one block in memory at a time (yoga's own parser would buffer).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Busboy } from '@fastify/busboy';
import { eq } from 'drizzle-orm';
import type { DatabaseHandle } from '../db/client.js';
import type { Logger } from '../logger.js';
import { ErroDeNegocio } from '../kernel/erros.js';
import { canReadTramite } from '../tramites/acesso.js';
import type { ComponentStore } from '../tramites/componentes.js';
import { paraOrgao } from '../kernel/viewer.js';
import { AcaoNaoPermitida, OrgaoNaoServido, PapelSemPermissao, TramiteNaoEncontrado, TransicaoInvalida } from '../tramites/erros.js';
import { ladosDoViewer } from '../tramites/regras.js';
import { CAMINHO_JWKS } from '../tramites/graphql/recibo.js';
import { conteudos, tramiteComponentes, tramites } from '../tramites/tables.js';
import type { App } from './app.js';

export const ROTA_ENVIO = /^\/tramites\/(\d{1,15})\/componentes$/;
export const ROTA_DOWNLOAD = /^\/componentes\/(\d{1,15})$/;
/** The gateway's public receipt-signing keys (JWKS, RFC 7517). */
export const ROTA_JWKS = CAMINHO_JWKS;

export interface ComponentRoutesOptions {
  app: App;
  database: DatabaseHandle;
  logger: Logger;
  store: ComponentStore;
  /** COMPONENT_MAX_BYTES: busboy stops a part above it even before the store compares with the declaration. */
  maxBytes: number;
}

interface Recebido {
  hash: string;
  componentes: number[];
  jaGuardado: boolean;
}

const STATUS_POR_ERRO = new Map<new (...args: never[]) => ErroDeNegocio, number>([
  [TramiteNaoEncontrado, 404],
  [AcaoNaoPermitida, 403],
  [PapelSemPermissao, 403],
  [TransicaoInvalida, 409],
]);

function statusDe(erro: ErroDeNegocio): number {
  for (const [classe, status] of STATUS_POR_ERRO) if (erro instanceof classe) return status;
  return 422;
}

/** Pipes the request into the multipart parser; resolves once it has read the body, with the parser's error, if any. */
export function lerCorpoMultipart(req: IncomingMessage, parser: InstanceType<typeof Busboy>): Promise<unknown> {
  return new Promise((resolve) => {
    parser.on('finish', () => resolve(null));
    parser.on('error', (erro: unknown) => resolve(erro));
    req.pipe(parser);
  });
}

export function enviarJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

export function enviarErro(res: ServerResponse, erro: unknown, extra: Record<string, unknown> = {}): void {
  if (erro instanceof ErroDeNegocio) {
    const { message, stack: _stack, ...campos } = erro as ErroDeNegocio & Record<string, unknown>;
    enviarJson(res, statusDe(erro), { erro: { ...campos, codigo: erro.codigo, mensagem: message }, ...extra });
    return;
  }
  throw erro;
}

/**
 * A part's bytes for the service. Leaving a `for await` early must not destroy busboy's stream (busboy
 * would then wait forever for it): the route drains it instead, and answers once the body has ended.
 */
export const semDestruir = (stream: NodeJS.ReadableStream & { iterator(o: { destroyOnReturn: boolean }): AsyncIterable<Uint8Array> }) =>
  stream.iterator({ destroyOnReturn: false });

export function componentRoutes({ app, database, logger, store, maxBytes }: ComponentRoutesOptions) {
  const autenticar = async (req: IncomingMessage, res: ServerResponse) => {
    const auth = await app.authenticate(req.headers.authorization ?? null);
    if (!auth.viewer) {
      enviarJson(res, 401, { erro: { codigo: 'UNAUTHENTICATED', mensagem: 'Envie um token válido em Authorization: Bearer <token>.' } });
      return null;
    }
    // An SPE serving several agencies names the one it acts for, as in the mutations: `?orgao=<Orgao's global id>`.
    const pedido = new URL(req.url ?? '/', 'http://gateway').searchParams.get('orgao');
    const orgaoId = pedido == null ? null : /^Orgao:(\d{1,10})$/.exec(Buffer.from(pedido, 'base64').toString('utf8'))?.[1];
    const r = paraOrgao(auth.viewer, orgaoId === undefined ? -1 : orgaoId == null ? null : Number(orgaoId));
    if ('recusa' in r) {
      enviarErro(res, new OrgaoNaoServido(r.recusa));
      return null;
    }
    return r.viewer;
  };

  /** POST /tramites/<idt>/componentes */
  async function envio(req: IncomingMessage, res: ServerResponse, idt: number): Promise<void> {
    const viewer = await autenticar(req, res);
    if (!viewer) return void req.resume();
    const [tramite] = await database.db.select({ id: tramites.id }).from(tramites).where(eq(tramites.idt, idt));
    if (!tramite) {
      req.resume();
      return enviarErro(res, new TramiteNaoEncontrado());
    }
    let parser: InstanceType<typeof Busboy>;
    try {
      parser = new Busboy({ headers: req.headers as never, limits: { fileSize: maxBytes, files: 1000, fields: 0 } });
    } catch {
      req.resume();
      return enviarJson(res, 400, {
        erro: {
          codigo: 'BAD_REQUEST',
          mensagem: 'Envie multipart/form-data: uma parte de arquivo por componente, com o nome do campo igual ao hash.',
        },
      });
    }
    const recebidos: Recebido[] = [];
    let situacao: number | null = null;
    let falha: unknown = null;
    // Parts are handled one after the other; busboy waits for each stream to be read (back-pressure).
    let fila: Promise<void> = Promise.resolve();
    parser.on('file', (hash, stream, _nome, _encoding, mimeType) => {
      fila = fila.then(async () => {
        if (falha) return void stream.resume();
        try {
          const r = await app.servicos.tramites.receberComponente({
            viewer,
            tramiteId: tramite.id,
            hash,
            mimeType,
            bytes: semDestruir(stream),
            agora: new Date(),
          });
          recebidos.push({ hash, componentes: r.componentes.map((c) => c.id), jaGuardado: r.jaGuardado });
          situacao = r.tramite.situacao;
        } catch (erro) {
          falha = erro;
          stream.resume();
        }
      });
    });
    const erroDoCorpo = await lerCorpoMultipart(req, parser);
    falha ??= erroDoCorpo;
    await fila;
    if (falha instanceof ErroDeNegocio) return enviarErro(res, falha, { recebidos });
    if (falha) {
      return enviarJson(res, 400, { erro: { codigo: 'BAD_REQUEST', mensagem: 'Corpo multipart inválido ou interrompido.' }, recebidos });
    }
    if (recebidos.length === 0) return enviarJson(res, 400, { erro: { codigo: 'BAD_REQUEST', mensagem: 'Nenhum arquivo no pedido.' } });
    enviarJson(res, 200, { recebidos, situacao });
  }

  /** GET /componentes/<id> */
  async function download(req: IncomingMessage, res: ServerResponse, id: number): Promise<void> {
    const viewer = await autenticar(req, res);
    if (!viewer) return;
    const [linha] = await database.db
      .select({ componente: tramiteComponentes, tramite: tramites, conteudo: conteudos })
      .from(tramiteComponentes)
      .innerJoin(tramites, eq(tramites.id, tramiteComponentes.tramiteId))
      .leftJoin(conteudos, eq(conteudos.id, tramiteComponentes.conteudoId))
      .where(eq(tramiteComponentes.id, id));
    const lados = linha ? ladosDoViewer(viewer, linha.tramite) : [];
    // The recipient reads from 2 on; the sender always; after a refusal only the sender (canReadTramite).
    const podeLer =
      linha &&
      canReadTramite(viewer, linha.tramite) &&
      (lados.includes('REMETENTE') || (lados.includes('DESTINATARIO') && linha.tramite.situacao >= 2));
    if (!linha || !podeLer)
      return enviarJson(res, 404, { erro: { codigo: 'COMPONENTE_NAO_ENCONTRADO', mensagem: 'Componente digital não encontrado.' } });
    if (!linha.conteudo) {
      return enviarJson(res, 409, {
        erro: { codigo: 'COMPONENTE_PENDENTE', mensagem: 'O remetente ainda não enviou este componente digital.' },
      });
    }
    const { tamanho, hash } = linha.conteudo;
    const etag = `"${hash}"`;
    const cabecalhos: Record<string, string | number> = {
      'content-type': linha.componente.mimeType,
      'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(linha.componente.nome)}`,
      'accept-ranges': 'bytes',
      etag,
      // RFC 3230 and its successor RFC 9530: the SHA-256 of the whole content, whatever range is sent.
      digest: `sha-256=${hash}`,
      'repr-digest': `sha-256=:${hash}:`,
      'cache-control': 'private, no-store',
    };
    let inicio = 0;
    let fim = tamanho - 1;
    let status = 200;
    const range = req.headers.range;
    if (range && (!req.headers['if-range'] || req.headers['if-range'] === etag)) {
      const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
      const a = m?.[1] ? Number(m[1]) : null;
      const b = m?.[2] ? Number(m[2]) : null;
      if (m && a !== null) [inicio, fim] = [a, b === null ? tamanho - 1 : Math.min(b, tamanho - 1)];
      else if (m && b !== null) [inicio, fim] = [Math.max(0, tamanho - b), tamanho - 1];
      if (!m || (a === null && b === null) || inicio > fim || inicio >= tamanho) {
        res.writeHead(416, { 'content-range': `bytes */${tamanho}` }).end();
        return;
      }
      status = 206;
      cabecalhos['content-range'] = `bytes ${inicio}-${fim}/${tamanho}`;
    }
    cabecalhos['content-length'] = tamanho === 0 ? 0 : fim - inicio + 1;
    res.writeHead(status, cabecalhos);
    if (req.method === 'HEAD' || tamanho === 0) return void res.end();
    for await (const bloco of store.ler(database.db, linha.conteudo.id, inicio, fim)) {
      if (res.destroyed) return;
      if (!res.write(bloco)) await new Promise((resolve) => res.once('drain', resolve));
    }
    res.end();
  }

  /** Answers the request when it is one of these routes; false otherwise. */
  return function route(req: IncomingMessage, res: ServerResponse, path: string): boolean {
    if (path === ROTA_JWKS) {
      void app.servicos.assinador.jwks().then((jwks) => {
        res
          .writeHead(200, { 'content-type': 'application/jwk-set+json', 'cache-control': 'public, max-age=300' })
          .end(JSON.stringify(jwks));
      });
      return true;
    }
    const envioMatch = ROTA_ENVIO.exec(path);
    const downloadMatch = ROTA_DOWNLOAD.exec(path);
    if (!envioMatch && !downloadMatch) return false;
    const metodoOk = envioMatch ? req.method === 'POST' : req.method === 'GET' || req.method === 'HEAD';
    if (!metodoOk) {
      res.writeHead(405, { allow: envioMatch ? 'POST' : 'GET, HEAD' }).end();
      return true;
    }
    const trabalho = envioMatch ? envio(req, res, Number(envioMatch[1])) : download(req, res, Number(downloadMatch![1]));
    trabalho.catch((erro: unknown) => {
      logger.error({ err: erro }, 'component route failed');
      if (!res.headersSent) enviarJson(res, 500, { erro: { codigo: 'INTERNAL', mensagem: 'Unexpected error.' } });
      else res.destroy();
    });
    return true;
  };
}

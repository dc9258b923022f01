/**
 * The GraphQL multipart request spec (jaydenseric/graphql-multipart-request-spec), streamed: a
 * `multipart/form-data` POST to /graphql carries `operations` (the JSON request, `null` where each file
 * goes), `map` (which file fills which variable path) and then the files. busboy reads it; once `map`
 * is in, the operation runs through Yoga as a JSON request (every plugin, limit and auth check as
 * usual), with each file slot named (`arquivo:<n>`, the `Upload` scalar) and the parts handed to the
 * resolver as streams when they arrive. A part is read only by its consumer, straight into the
 * ComponentStore: busboy waits for it (back-pressure), so no file is ever held whole in memory.
 * yoga's own multipart parser is not used: it collects every file before the resolver runs.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Busboy } from '@fastify/busboy';
import { PREFIXO_UPLOAD } from '../schema/scalars.js';
import type { ArquivoDoPedido, ArquivosDoPedido } from '../tramites/graphql/envio-componentes.js';
import type { App } from './app.js';

export interface GraphqlMultipartOptions {
  app: App;
  /** COMPONENT_MAX_BYTES: busboy stops a file above it. */
  maxFileBytes: number;
  /** MAX_REQUEST_BODY_BYTES: the `operations` and `map` fields are bounded like a JSON body. */
  maxFieldBytes: number;
}

interface Aguardado {
  resolve(arquivo: ArquivoDoPedido): void;
  reject(erro: Error): void;
  chegou: boolean;
}

function erroHttp(res: ServerResponse, status: number, mensagem: string) {
  res
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
    .end(JSON.stringify({ errors: [{ message: mensagem, extensions: { code: 'BAD_REQUEST' } }] }));
}

/** Puts `valor` at a dotted path (`variables.arquivos.0.arquivo`) of `alvo`; false when the path is not there. */
function colocar(alvo: unknown, caminho: string, valor: string): boolean {
  const partes = caminho.split('.');
  let atual = alvo as Record<string, unknown> | null;
  for (const p of partes.slice(0, -1)) {
    atual = atual && typeof atual === 'object' ? (atual[p] as Record<string, unknown>) : null;
    if (!atual || typeof atual !== 'object') return false;
  }
  const ultimo = partes.at(-1)!;
  if (!atual || !(ultimo in atual) || atual[ultimo] !== null) return false;
  atual[ultimo] = valor;
  return true;
}

export function graphqlMultipart({ app, maxFileBytes, maxFieldBytes }: GraphqlMultipartOptions) {
  /** Answers the request when it is a multipart POST to /graphql; false otherwise (Yoga takes it). */
  return function route(req: IncomingMessage, res: ServerResponse, path: string): boolean {
    if (path !== '/graphql' || req.method !== 'POST' || !/^multipart\/form-data/i.test(req.headers['content-type'] ?? '')) return false;
    let parser: InstanceType<typeof Busboy>;
    try {
      parser = new Busboy({
        headers: req.headers as never,
        limits: { fileSize: maxFileBytes, fieldSize: maxFieldBytes, fields: 2, files: 1000 },
      });
    } catch {
      req.resume();
      erroHttp(res, 400, 'Corpo multipart inválido.');
      return true;
    }
    let operations: unknown = null;
    let falha: string | null = null;
    const falhar = (mensagem: string) => {
      falha ??= mensagem;
    };
    const aguardados = new Map<string, Aguardado>();
    const arquivos: ArquivosDoPedido = new Map();
    let resposta: Promise<Response> | null = null;
    let terminou = false;
    const recebidas: NodeJS.ReadableStream[] = [];

    const executar = (mapa: Record<string, unknown>) => {
      for (const [nome, caminhos] of Object.entries(mapa)) {
        if (!Array.isArray(caminhos) || caminhos.length === 0) return falhar(`map: o arquivo "${nome}" não indica onde vai.`);
        for (const caminho of caminhos)
          if (typeof caminho !== 'string' || !colocar(operations, caminho, `${PREFIXO_UPLOAD}${nome}`))
            return falhar(`map: o caminho "${String(caminho)}" não é um null de operations.`);
        arquivos.set(
          `${PREFIXO_UPLOAD}${nome}`,
          new Promise<ArquivoDoPedido>((resolve, reject) => aguardados.set(nome, { resolve, reject, chegou: false })),
        );
      }
      // Rejections nobody awaited (a file the operation never reads) are not crashes.
      for (const p of arquivos.values()) p.catch(() => {});
      // yoga's own Request (@whatwg-node's): its string body is read back as it is, with no web stream in between.
      const { Headers, Request } = app.yoga.fetchAPI;
      const cabecalhos = new Headers();
      for (const nome of ['authorization', 'accept', 'accept-encoding', 'x-request-id', 'user-agent']) {
        const v = req.headers[nome];
        if (typeof v === 'string') cabecalhos.set(nome, v);
      }
      cabecalhos.set('content-type', 'application/json');
      const pedido = new Request(`http://${req.headers.host ?? '127.0.0.1'}/graphql`, {
        method: 'POST',
        headers: cabecalhos,
        body: JSON.stringify(operations),
      });
      resposta = Promise.resolve(app.yoga.handleRequest(pedido, { arquivosDoPedido: arquivos }));
      // Once answered, nothing reads the parts any more: drain them, so busboy reaches the end.
      void resposta.finally(() => {
        terminou = true;
        for (const s of recebidas) s.resume();
      });
    };

    parser.on('field', (nome: string, valor: string, _nomeTruncado: boolean, valorTruncado: boolean) => {
      if (falha) return;
      if (valorTruncado) return falhar(`O campo ${nome} passa de ${maxFieldBytes} bytes.`);
      let json: unknown;
      try {
        json = JSON.parse(valor);
      } catch {
        return falhar(`O campo ${nome} não é JSON.`);
      }
      if (nome === 'operations' && operations === null && json && typeof json === 'object' && !Array.isArray(json)) operations = json;
      else if (nome === 'map' && operations !== null && resposta === null && json && typeof json === 'object' && !Array.isArray(json))
        executar(json as Record<string, unknown>);
      else falha = 'Envie primeiro o campo operations (um objeto JSON, uma operação) e depois map, antes dos arquivos.';
    });
    parser.on('file', (nome: string, stream: NodeJS.ReadableStream, _arquivo: string, _enc: string, mimeType: string) => {
      const aguardado = aguardados.get(nome);
      if (!aguardado || aguardado.chegou || terminou) return void stream.resume();
      aguardado.chegou = true;
      recebidas.push(stream);
      const s = stream as NodeJS.ReadableStream & {
        iterator(o: { destroyOnReturn: boolean }): AsyncIterable<Uint8Array>;
        truncated?: boolean;
      };
      // Leaving the loop early must not destroy busboy's stream (it would wait forever): drained below.
      aguardado.resolve({ bytes: s.iterator({ destroyOnReturn: false }), mimeType });
    });
    const fim = new Promise<void>((resolve) => {
      parser.on('finish', resolve);
      parser.on('error', (e: Error) => {
        falha ??= `Corpo multipart inválido: ${e.message}`;
        resolve();
      });
    });
    req.pipe(parser);

    void (async () => {
      await fim;
      terminou = true;
      for (const a of aguardados.values()) if (!a.chegou) a.reject(new Error('arquivo ausente do pedido multipart'));
      if (!resposta) return erroHttp(res, 400, falha ?? 'Faltam os campos operations e map (GraphQL multipart request spec).');
      const r: Response = await resposta;
      const corpo = Buffer.from(await r.arrayBuffer());
      const cabecalhos: Record<string, string> = {};
      r.headers.forEach((v, k) => {
        cabecalhos[k] = v;
      });
      res.writeHead(r.status, cabecalhos).end(corpo);
    })().catch((erro: unknown) => {
      if (!res.headersSent) erroHttp(res, 500, 'Unexpected error.');
      else res.destroy(erro as Error);
    });
    return true;
  };
}

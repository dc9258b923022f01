/**
 * POST /onboarding/solicitacoes — the access request with its content, as one multipart/form-data body:
 *
 *   dados       a JSON field (first): the request's fields (src/onboarding/servico.ts, dadosSolicitacaoSchema)
 *   documento   the supporting PDF ("documento comprobatório"), streamed into the ComponentStore
 *
 * The same streamed plumbing as the component upload (busboy, one block in memory, helpers from
 * componentes.ts); everything is one transaction, so a bad field or document leaves nothing behind.
 * Answers 201 with the request, the agency and the onboarding event, or a coded error.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Busboy } from '@fastify/busboy';
import type { DatabaseHandle } from '../db/client.js';
import { DadosInvalidos, ErroDeNegocio } from '../kernel/erros.js';
import type { Logger } from '../logger.js';
import { PapelNaoPermitido } from '../onboarding/erros.js';
import { solicitarAcessoComDados } from '../onboarding/servico.js';
import type { App } from './app.js';
import { enviarErro, enviarJson, lerCorpoMultipart, semDestruir } from './componentes.js';

export const ROTA_SOLICITACAO = '/onboarding/solicitacoes';

export interface AccessRequestRouteOptions {
  app: App;
  database: DatabaseHandle;
  logger: Logger;
  /** ACCESS_REQUEST_DOCUMENT_MAX_BYTES. */
  maxBytes: number;
}

export function accessRequestRoute({ app, database, logger, maxBytes }: AccessRequestRouteOptions) {
  async function solicitar(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const auth = await app.authenticate(req.headers.authorization ?? null);
    if (!auth.viewer) {
      req.resume();
      return enviarJson(res, 401, {
        erro: { codigo: 'UNAUTHENTICATED', mensagem: 'Envie um token válido em Authorization: Bearer <token>.' },
      });
    }
    const viewer = auth.viewer;
    let parser: InstanceType<typeof Busboy>;
    try {
      // One byte over the limit is enough for the service to refuse the document as too large.
      parser = new Busboy({ headers: req.headers as never, limits: { fileSize: maxBytes + 1, files: 1, fields: 1, fieldSize: 64 * 1024 } });
    } catch {
      req.resume();
      return enviarJson(res, 400, {
        erro: {
          codigo: 'BAD_REQUEST',
          mensagem: 'Envie multipart/form-data: o campo "dados" (JSON) e depois o arquivo "documento" (PDF).',
        },
      });
    }
    let dados: unknown;
    let dadosRecebidos = false;
    let resultado: Awaited<ReturnType<typeof solicitarAcessoComDados>> | null = null;
    let falha: unknown = null;
    let trabalho: Promise<void> | null = null;
    parser.on('field', (nome, valor) => {
      if (nome !== 'dados') return;
      dadosRecebidos = true;
      try {
        dados = JSON.parse(valor);
      } catch {
        falha ??= new DadosInvalidos([{ campo: 'dados', mensagem: 'JSON inválido' }]);
      }
    });
    parser.on('file', (nome, stream, nomeArquivo) => {
      if (nome !== 'documento' || falha || !dadosRecebidos || trabalho) return void stream.resume();
      trabalho = solicitarAcessoComDados(database.db, app.servicos.store, maxBytes, {
        viewer,
        agora: new Date(),
        dados,
        documento: { nome: nomeArquivo || 'documento.pdf', bytes: semDestruir(stream) },
      })
        .then((r) => {
          resultado = r;
        })
        .catch((erro: unknown) => {
          falha = erro;
        })
        .finally(() => stream.resume());
    });
    const erroDoCorpo = await lerCorpoMultipart(req, parser);
    falha ??= erroDoCorpo;
    await trabalho;
    // No file part (or the data after it): the service decides, so the order of checks is one.
    if (!trabalho && !falha) {
      try {
        await solicitarAcessoComDados(database.db, app.servicos.store, maxBytes, { viewer, agora: new Date(), dados, documento: null });
      } catch (erro) {
        falha = erro;
      }
    }
    if (falha instanceof PapelNaoPermitido) return enviarJson(res, 403, { erro: { codigo: falha.codigo, mensagem: falha.message } });
    if (falha instanceof ErroDeNegocio) return enviarErro(res, falha);
    if (falha) return enviarJson(res, 400, { erro: { codigo: 'BAD_REQUEST', mensagem: 'Corpo multipart inválido ou interrompido.' } });
    const r = resultado!;
    enviarJson(res, 201, {
      solicitacao: { id: String(r.solicitacao.id), situacao: r.solicitacao.situacao, documento: r.solicitacao.documentoNome },
      orgao: { id: r.onboarding.orgaoId },
      onboarding: { etapa: r.onboarding.etapa, versao: r.onboarding.versao },
    });
  }

  /** Answers the request when it is this route; false otherwise. */
  return function route(req: IncomingMessage, res: ServerResponse, path: string): boolean {
    if (path !== ROTA_SOLICITACAO) return false;
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST' }).end();
      return true;
    }
    solicitar(req, res).catch((erro: unknown) => {
      logger.error({ err: erro }, 'access request route failed');
      if (!res.headersSent) enviarJson(res, 500, { erro: { codigo: 'INTERNAL', mensagem: 'Unexpected error.' } });
      else res.destroy();
    });
    return true;
  };
}

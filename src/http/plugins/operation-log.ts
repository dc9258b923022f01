import { getOperationAST, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../../logger.js';
import type { GatewayContext } from '../../schema/context.js';

export interface OperationLogOptions {
  /** For requests refused before an operation ran (they have no context, so no context logger). */
  logger: Logger;
}

/** An HTTP request's operation, kept until its line is written. */
interface Linha {
  log: Logger;
  operation: string | null;
  started: number;
  escrita: boolean;
}

/**
 * One log line per operation: its name, duration, and the error codes when it failed; the request id and the
 * viewer's ids (the context's logger) tie it to the request and to who asked. An HTTP request refused before
 * execution (no token, bad syntax, a limit) or whose execution threw gets its line when its result is sent.
 * With `info` off (asked per request, so a level changed at run time holds) it keeps nothing per request.
 */
export function operationLog({ logger }: OperationLogOptions): Plugin<GatewayContext> {
  const linhas = new WeakMap<Request, Linha>();
  const escrever = (linha: Linha, result: ExecutionResult) => {
    linha.escrita = true;
    const ms = Math.round(performance.now() - linha.started);
    const errors = result.errors?.length ?? 0;
    if (errors === 0) linha.log.info({ operation: linha.operation, ms, errors }, 'graphql operation');
    else linha.log.info({ operation: linha.operation, ms, errors, codes: codesOf(result) }, 'graphql operation');
  };
  return {
    onExecute({ args }) {
      if (!logger.isLevelEnabled('info')) return;
      const linha: Linha = {
        log: args.contextValue.log,
        operation: getOperationAST(args.document, args.operationName)?.name?.value ?? null,
        started: performance.now(),
        escrita: false,
      };
      const request = (args.contextValue as { request?: Request }).request;
      if (request) linhas.set(request, linha);
      return {
        onExecuteDone({ result }) {
          if (!(Symbol.asyncIterator in result)) escrever(linha, result);
        },
      };
    },
    onResultProcess({ request, result }) {
      if (!logger.isLevelEnabled('info')) return;
      const linha = linhas.get(request);
      if (linha?.escrita || Array.isArray(result) || Symbol.asyncIterator in result) return;
      if (linha) return escrever(linha, result as ExecutionResult);
      if (!(result as ExecutionResult).errors?.length) return;
      logger.info(
        { requestId: request.headers.get('x-request-id'), codes: codesOf(result as ExecutionResult) },
        'graphql request refused before execution',
      );
    },
  };
}

function codesOf(result: ExecutionResult): string[] {
  return [...new Set((result.errors ?? []).map((e) => (typeof e.extensions?.code === 'string' ? e.extensions.code : 'UNCODED')))];
}

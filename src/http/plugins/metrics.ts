import { getOperationAST, type DocumentNode, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../../schema/context.js';
import type { Metricas } from '../metrics.js';

export interface GraphqlMetricsOptions {
  metricas: Pick<Metricas, 'operacao'>;
}

/** An HTTP request's operation while it runs: filled in at execution, recorded with its final result. */
interface Pedido {
  inicio: number;
  nome: string | null | undefined;
  tipo: string;
}

/**
 * One sample per operation: over HTTP when the final result is processed (so refusals before execution,
 * parse, validation, limits, count too, with type `unknown` when no operation was chosen); over
 * WebSocket when the execution ends or the subscription starts. No per-field work.
 */
export function graphqlMetrics({ metricas }: GraphqlMetricsOptions): Plugin<GatewayContext> {
  const pedidos = new WeakMap<Request, Pedido>();
  const operacaoDe = (document: DocumentNode, operationName: string | null | undefined) => {
    const operacao = getOperationAST(document, operationName);
    return { nome: operacao?.name?.value ?? null, tipo: operacao?.operation ?? 'unknown' };
  };
  /**
   * The operation's name and type; over HTTP they go on the request's sample (recorded with its final result) and
   * `null` is returned, over WebSocket the caller records them itself.
   */
  const identificar = (args: { document: DocumentNode; operationName?: string | null; contextValue: unknown }) => {
    const operacao = operacaoDe(args.document, args.operationName);
    const request = (args.contextValue as { request?: Request }).request;
    const pedido = request ? pedidos.get(request) : undefined;
    if (!pedido) return operacao;
    pedido.nome = operacao.nome;
    pedido.tipo = operacao.tipo;
    return null;
  };
  return {
    onRequest({ request }) {
      pedidos.set(request, { inicio: performance.now(), nome: undefined, tipo: 'unknown' });
    },
    onParams({ params, request }) {
      const pedido = pedidos.get(request);
      if (pedido) pedido.nome = params.operationName;
    },
    onExecute({ args }) {
      const operacao = identificar(args);
      if (!operacao) return;
      const { nome, tipo } = operacao;
      const inicio = performance.now();
      return {
        onExecuteDone({ result }) {
          const codigo = Symbol.asyncIterator in result ? null : codigoDoResultado(result);
          metricas.operacao(nome, tipo, codigo, (performance.now() - inicio) / 1000);
        },
      };
    },
    onSubscribe({ args }) {
      const operacao = identificar(args);
      if (!operacao) return;
      const { nome, tipo } = operacao;
      const inicio = performance.now();
      const registrar = (codigo: string | null) => metricas.operacao(nome, tipo, codigo, (performance.now() - inicio) / 1000);
      return {
        onSubscribeResult({ result }) {
          registrar(Symbol.asyncIterator in result ? null : codigoDoResultado(result));
        },
        onSubscribeError() {
          registrar('INTERNAL_SERVER_ERROR');
        },
      };
    },
    onResultProcess({ request, result }) {
      const pedido = pedidos.get(request);
      if (!pedido) return;
      pedidos.delete(request);
      const unico = Array.isArray(result) ? result[0] : result;
      const codigo = !unico || Symbol.asyncIterator in unico ? null : codigoDoResultado(unico as ExecutionResult);
      metricas.operacao(pedido.nome, pedido.tipo, codigo, (performance.now() - pedido.inicio) / 1000);
    },
  };
}

/** `null` for a result without errors, else its first error's code (`UNCODED` when it has none). */
export function codigoDoResultado(result: ExecutionResult): string | null {
  const erro = result.errors?.[0];
  if (!erro) return null;
  const codigo = erro.extensions?.code;
  return typeof codigo === 'string' ? codigo : 'UNCODED';
}

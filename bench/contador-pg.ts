/**
 * A counting TCP proxy in front of PostgreSQL, for the benches: every byte passes through unchanged, and the
 * frontend messages are read to count the statements a client sends (a simple `Query`, or an extended-protocol
 * `Execute`, with its text from the `Parse` that prepared it) and the writes that carried them (statements sent
 * together, pipelined, wait for the server once). Driver-independent, and it sees what drizzle's logger does not (BEGIN, COMMIT,
 * COPY, raw `unsafe` calls). Used on a separate, unmeasured pass: the proxy's own parsing is not in any figure.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface Instrucao {
  texto: string;
  /** The values bound to it (text format; a binary one as null), to run it again by hand (bench/sql-leituras.ts). */
  parametros: (string | null)[];
  /** Which write of the client carried it: statements sent together (pipelined) share one, one round trip. */
  lote: number;
}

export interface ContadorPg {
  /** The same URL with the proxy's host and port. */
  url: string;
  /** Statements seen since the last `zerar()`, in the order they were sent (all connections). */
  instrucoes: Instrucao[];
  zerar(): void;
  close(): Promise<void>;
}

const SSL_REQUEST = 80877103;

/** A Bind message's parameter values, from `de` (after its portal and statement names): text ones as strings. */
function parametrosDoBind(corpo: Buffer, de: number): (string | null)[] {
  const formatos = corpo.readInt16BE(de);
  const codigos = Array.from({ length: formatos }, (_, i) => corpo.readInt16BE(de + 2 + 2 * i));
  let pos = de + 2 + 2 * formatos;
  const n = corpo.readInt16BE(pos);
  pos += 2;
  const valores: (string | null)[] = [];
  for (let i = 0; i < n; i++) {
    const tamanho = corpo.readInt32BE(pos);
    pos += 4;
    const binario = (formatos === 1 ? codigos[0] : codigos[i]) === 1;
    valores.push(tamanho < 0 || binario ? null : corpo.toString('utf8', pos, pos + tamanho));
    if (tamanho > 0) pos += tamanho;
  }
  return valores;
}

export async function contadorPg(urlDoBanco: string): Promise<ContadorPg> {
  const alvo = new URL(urlDoBanco);
  const estado = { instrucoes: [] as Instrucao[] };
  const sockets = new Set<Socket>();
  let lotes = 0;

  const server: Server = createServer((cliente) => {
    const servidor = connect(Number(alvo.port || 5432), alvo.hostname);
    sockets.add(cliente).add(servidor);
    const preparadas = new Map<string, string>();
    let ultimaVinculada = '';
    let parametros: (string | null)[] = [];
    let inicio = true;
    let pendente: Buffer = Buffer.alloc(0);
    cliente.on('data', (dados: Buffer) => {
      servidor.write(dados);
      const lote = ++lotes;
      pendente = pendente.length ? Buffer.concat([pendente, dados]) : dados;
      for (;;) {
        const tipado = !inicio;
        const cabecalho = tipado ? 5 : 4;
        if (pendente.length < cabecalho) break;
        const tamanho = pendente.readInt32BE(tipado ? 1 : 0);
        const total = tamanho + (tipado ? 1 : 0);
        if (pendente.length < total) break;
        const msg = pendente.subarray(0, total);
        pendente = pendente.subarray(total);
        if (!tipado) {
          // The startup message (or an SSL request before it): typed messages follow the startup message.
          if (msg.readInt32BE(4) !== SSL_REQUEST) inicio = false;
          continue;
        }
        const tipo = String.fromCharCode(msg[0]!);
        const corpo = msg.subarray(5);
        const cstring = (de: number) => {
          const fim = corpo.indexOf(0, de);
          return { valor: corpo.toString('utf8', de, fim), proximo: fim + 1 };
        };
        if (tipo === 'Q') {
          estado.instrucoes.push({ texto: cstring(0).valor, parametros: [], lote });
        } else if (tipo === 'P') {
          const nome = cstring(0);
          preparadas.set(nome.valor, cstring(nome.proximo).valor);
        } else if (tipo === 'B') {
          const portal = cstring(0);
          const nome = cstring(portal.proximo);
          ultimaVinculada = nome.valor;
          parametros = parametrosDoBind(corpo, nome.proximo);
        } else if (tipo === 'E') {
          estado.instrucoes.push({ texto: preparadas.get(ultimaVinculada) ?? '?', parametros, lote });
        }
      }
    });
    servidor.on('data', (dados: Buffer) => cliente.write(dados));
    const fechar = () => {
      cliente.destroy();
      servidor.destroy();
      sockets.delete(cliente);
      sockets.delete(servidor);
    };
    cliente.on('close', fechar).on('error', fechar);
    servidor.on('close', fechar).on('error', fechar);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(urlDoBanco);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as AddressInfo).port);
  return {
    url: url.toString(),
    get instrucoes() {
      return estado.instrucoes;
    },
    zerar() {
      estado.instrucoes = [];
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

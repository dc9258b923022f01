// A real SMTP server for the tests (smtp-server on 127.0.0.1): what the e-mail outbox's deliveries reach.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface Recebido {
  para: string[];
  messageId: string | null;
  texto: string;
}

/** A real SMTP server on 127.0.0.1 that refuses its first `recusar` sessions (421 at connect). */
export async function servidorSmtp(recusar: number) {
  const recebidos: Recebido[] = [];
  let sessoes = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onConnect(_session, callback) {
      sessoes++;
      if (sessoes <= recusar) return callback(Object.assign(new Error('serviço indisponível'), { responseCode: 421 }));
      callback();
    },
    onData(stream, session, callback) {
      const partes: Buffer[] = [];
      stream.on('data', (p: Buffer) => partes.push(p));
      stream.on('end', () => {
        const texto = Buffer.concat(partes).toString('utf8');
        recebidos.push({
          para: session.envelope.rcptTo.map((r) => r.address),
          messageId: /^Message-ID:\s*(.+)$/im.exec(texto)?.[1]?.trim() ?? null,
          texto,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const porta = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${porta}`,
    recebidos,
    sessoes: () => sessoes,
    fechar: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

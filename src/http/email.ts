/**
 * The SMTP transport of the e-mail outbox (nodemailer), from SMTP_URL. One connection per delivery
 * run is plenty for a handful of institutional notices; bounded timeouts keep a dead server from
 * holding the outbox's row locks for nodemailer's 2-minute defaults.
 */
import nodemailer from 'nodemailer';
import type { TransporteEmail } from '../onboarding/avisos.js';

export function transporteSmtp(url: string): TransporteEmail & { fechar(): void } {
  const u = new URL(url);
  const secure = u.protocol === 'smtps:';
  const transporter = nodemailer.createTransport({
    host: u.hostname,
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    auth: u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async enviar({ de, para, assunto, corpo, messageId }) {
      await transporter.sendMail({ from: de, to: para, subject: assunto, text: corpo, messageId });
    },
    fechar: () => transporter.close(),
  };
}

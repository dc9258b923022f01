/**
 * `npm start`: validates the environment, opens the database (embedded PGlite, or PostgreSQL with
 * DATABASE_URL), applies migrations, seeds the demo data on first run, and serves the gateway.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig, type Config } from '../src/config.js';
import { createDatabase, type DatabaseOptions } from '../src/db/client.js';
import { DataFolderInUseError } from '../src/db/folder-lock.js';
import { CHAVE_RECIBOS_DEMO } from '../src/demo/chaves-spe.js';
import { DEMO_ACCOUNTS, seedDemoData } from '../src/demo/seed.js';
import { mintToken } from '../src/identity/tokens.js';
import { createLogger } from '../src/logger.js';
import { startGateway } from '../src/http/gateway.js';
import { agendarAlertasParados } from '../src/tramites/alertas-parados.js';
import { agendarCancelamentoAutomatico } from '../src/tramites/cancelamento-automatico.js';
import { transporteSmtp } from '../src/http/email.js';
import { agendarEntregaDeAvisos } from '../src/onboarding/avisos.js';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const started = performance.now();

  const database = await createDatabase(withMigratedTemplate(config.database));
  logger.info(
    { backend: database.backend, where: config.database.kind === 'pglite' ? config.database.dataDir : 'DATABASE_URL' },
    'database open, migrations applied',
  );

  // The demo's receipts are signed with the demo key at seed time: without RECEIPT_SIGNING_KEY the gateway signs with it too.
  if (config.demoSeed && !config.recibos.pem) config = { ...config, recibos: CHAVE_RECIBOS_DEMO };
  if (config.demoSeed) {
    const seeded = await seedDemoData(database.db, new Date(), { chaveDeRecibos: config.recibos });
    if (seeded.seeded) logger.info(seeded, 'demo data seeded');
  }

  const gateway = await startGateway({ config, database, logger });
  const autoCancel = config.autoCancel.enabled
    ? agendarCancelamentoAutomatico(database.db, {
        intervaloMs: config.autoCancel.intervalMs,
        dias: config.autoCancel.days,
        clock: () => new Date(),
        logger,
      })
    : null;
  // Without SMTP_URL the notices wait in the outbox (PEN reads them in GraphQL: Onboarding.avisosEmail).
  const smtp = config.avisos.smtpUrl ? transporteSmtp(config.avisos.smtpUrl) : null;
  const avisos = smtp
    ? agendarEntregaDeAvisos(database.db, smtp, {
        intervaloMs: config.avisos.intervaloMs,
        de: config.avisos.de,
        clock: () => new Date(),
        logger,
      })
    : null;
  const stuckAlerts = config.stuckAlerts.enabled
    ? agendarAlertasParados(database.db, {
        intervaloMs: config.stuckAlerts.intervalMs,
        limiaresMinutos: config.stuckAlerts.thresholdsMinutes,
        clock: () => new Date(),
        logger,
      })
    : null;
  logger.info({ url: gateway.url, startupMs: Math.round(performance.now() - started) }, 'gateway listening (GraphiQL at this URL)');

  if (config.jwt.kind === 'secret' && config.jwt.demo) {
    const lines = await Promise.all(
      DEMO_ACCOUNTS.map(async (account) => {
        const token = await mintToken(config.jwt.kind === 'secret' ? config.jwt.secret : '', {
          sub: account.sujeito,
          orgao: account.orgao,
          roles: account.papeis,
          spe: account.spe,
        });
        return `  ${account.descricao}\n    Authorization: Bearer ${token}`;
      }),
    );
    // Plain text on purpose: these are for a person to copy into GraphiQL's headers.
    console.log(`\nDemo tokens (valid 12 h; mint more with \`npm run token\`):\n${lines.join('\n')}\n`);
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new connections, finishing in-flight requests');
    await autoCancel?.parar();
    await avisos?.parar();
    smtp?.fechar();
    await stuckAlerts?.parar();
    await gateway.close();
    await database.close();
    logger.info('bye');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

/**
 * `npm run build` leaves beside the compiled start script an embedded database with every migration
 * applied (dist/pglite-template.tar): a new, empty data folder starts from it instead of running
 * initdb and the migrations. The migrations still run after it (a no-op when the template is current).
 */
function withMigratedTemplate(database: DatabaseOptions): DatabaseOptions {
  if (database.kind !== 'pglite' || database.dataDir.includes('://')) return database;
  const template = fileURLToPath(new URL('../pglite-template.tar', import.meta.url));
  const empty = !existsSync(database.dataDir) || readdirSync(database.dataDir).length === 0;
  if (!empty || !existsSync(template)) return database;
  return { ...database, loadDataDir: new Blob([readFileSync(template)]) };
}

main().catch((error: unknown) => {
  if (error instanceof DataFolderInUseError) {
    console.error(error.message);
    process.exit(1);
  }
  console.error(JSON.stringify({ level: 'fatal', msg: 'gateway failed to start', err: String((error as Error)?.stack ?? error) }));
  process.exit(1);
});

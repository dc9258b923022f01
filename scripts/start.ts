/**
 * `npm start`: validates the environment, opens the database (embedded PGlite, or PostgreSQL with
 * DATABASE_URL), applies migrations, seeds the demo data on first run, and serves the gateway.
 */
import { ConfigError, loadConfig, type Config } from '../src/config.js';
import { createDatabase } from '../src/db/client.js';
import { DataFolderInUseError } from '../src/db/folder-lock.js';
import { DEMO_ACCOUNTS, seedDemoData } from '../src/demo/seed.js';
import { mintToken } from '../src/identity/tokens.js';
import { createLogger } from '../src/logger.js';
import { startGateway } from '../src/http/gateway.js';
import { agendarCancelamentoAutomatico } from '../src/tramites/cancelamento-automatico.js';

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

  const database = await createDatabase(config.database);
  logger.info(
    { backend: database.backend, where: config.database.kind === 'pglite' ? config.database.dataDir : 'DATABASE_URL' },
    'database open, migrations applied',
  );

  if (config.demoSeed) {
    const seeded = await seedDemoData(database.db, new Date());
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
    await gateway.close();
    await database.close();
    logger.info('bye');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof DataFolderInUseError) {
    console.error(error.message);
    process.exit(1);
  }
  console.error(JSON.stringify({ level: 'fatal', msg: 'gateway failed to start', err: String((error as Error)?.stack ?? error) }));
  process.exit(1);
});

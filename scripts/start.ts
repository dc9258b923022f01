/**
 * `npm start`: validates the environment, opens the database (embedded PGlite, or PostgreSQL with
 * DATABASE_URL), applies migrations, seeds the demo data on first run, and serves the gateway.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { ConfigError, loadConfig, type Config } from '../src/config.js';
import { createDatabase, type DatabaseOptions } from '../src/db/client.js';
import { DataFolderInUseError } from '../src/db/folder-lock.js';
import { createLogger } from '../src/logger.js';

/** Periodic jobs start this long after the gateway listens: their first runs do not compete with the first requests. */
const JOBS_DELAY_MS = 2_000;

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
  // PGlite's WebAssembly (PostgreSQL) runs on V8's baseline compiler only: V8 otherwise recompiles every function that
  // gets warm (opening, the template's shift, the first queries) with its optimising compiler, on other threads, which
  // was most of a cold start's CPU; measured per query afterwards, no slower. Set before PGlite compiles its module.
  if (config.database.kind === 'pglite') setFlagsFromString('--liftoff-only');
  // Per phase, wall and CPU milliseconds (CPU of every thread: PGlite compiles WebAssembly on others), from the
  // process's start: the start-up log says where the time went.
  const cpuMs = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  const phasesMs: Record<string, number> = { modules: Math.round(performance.now()) };
  const phasesCpuMs: Record<string, number> = { modules: Math.round(cpuMs()) };
  let last = { wall: performance.now(), cpu: cpuMs() };
  const phase = (name: string) => {
    const now = { wall: performance.now(), cpu: cpuMs() };
    phasesMs[name] = Math.round(now.wall - last.wall);
    phasesCpuMs[name] = Math.round(now.cpu - last.cpu);
    last = now;
  };

  // The gateway's modules (schema, plugins, domains) load while the database opens: PGlite's file reads
  // and WebAssembly compilation wait on other threads.
  const gatewayModules = Promise.all([
    import('../src/http/gateway.js'),
    import('../src/tramites/alertas-parados.js'),
    import('../src/tramites/cancelamento-automatico.js'),
    import('../src/onboarding/avisos.js'),
  ]);
  gatewayModules.catch(() => {}); // awaited below; a failure is reported there
  const database = await createDatabase(withTemplate(config.database, config.demoSeed));
  phase('database');
  logger.info(
    { backend: database.backend, where: config.database.kind === 'pglite' ? config.database.dataDir : 'DATABASE_URL' },
    'database open, migrations applied',
  );

  const [{ startGateway }, { agendarAlertasParados }, { agendarCancelamentoAutomatico }, { agendarEntregaDeAvisos }] = await gatewayModules;
  phase('gatewayModules');
  if (config.demoSeed) {
    const [{ seedDemoData }, { CHAVE_RECIBOS_DEMO }, { trazerAoPresente }] = await Promise.all([
      import('../src/demo/seed.js'),
      import('../src/demo/chaves-spe.js'),
      import('../src/demo/modelo.js'),
    ]);
    // The demo's receipts are signed with the demo key at seed time: without RECEIPT_SIGNING_KEY the gateway signs with it too.
    if (!config.recibos.pem) config = { ...config, recibos: CHAVE_RECIBOS_DEMO };
    const now = new Date();
    // A folder copied from the demo template holds the build's seed: its dates move to now, its receipts are signed again.
    const moved = await trazerAoPresente(database.db, now, { chaveDeRecibos: config.recibos });
    if (moved.ajustado) logger.info({ shiftedSeconds: moved.segundos }, 'demo data from the template, brought to the present');
    // Anywhere else (no template: `npm run dev`, DATABASE_URL), seeded here, once.
    const seeded = await seedDemoData(database.db, now, { chaveDeRecibos: config.recibos });
    if (seeded.seeded) logger.info(seeded, 'demo data seeded');
    phase('demoSeed');
  }

  const gateway = await startGateway({ config, database, logger });
  phase('gateway');
  // Without SMTP_URL the notices wait in the outbox (PEN reads them in GraphQL: Onboarding.avisosEmail).
  const smtp = config.avisos.smtpUrl ? (await import('../src/http/email.js')).transporteSmtp(config.avisos.smtpUrl) : null;
  const jobs = [
    config.autoCancel.enabled
      ? agendarCancelamentoAutomatico(database.db, {
          intervaloMs: config.autoCancel.intervalMs,
          primeiraEmMs: JOBS_DELAY_MS,
          dias: config.autoCancel.days,
          clock: () => new Date(),
          logger,
        })
      : null,
    smtp
      ? agendarEntregaDeAvisos(database.db, smtp, {
          intervaloMs: config.avisos.intervaloMs,
          primeiraEmMs: JOBS_DELAY_MS,
          de: config.avisos.de,
          clock: () => new Date(),
          logger,
        })
      : null,
    config.stuckAlerts.enabled
      ? agendarAlertasParados(database.db, {
          intervaloMs: config.stuckAlerts.intervalMs,
          primeiraEmMs: JOBS_DELAY_MS,
          limiaresMinutos: config.stuckAlerts.thresholdsMinutes,
          clock: () => new Date(),
          logger,
        })
      : null,
  ];
  logger.info(
    { url: gateway.url, startupMs: Math.round(performance.now()), phasesMs, phasesCpuMs },
    'gateway listening (GraphiQL at this URL)',
  );

  if (config.jwt.kind === 'secret' && config.jwt.demo) {
    const [{ DEMO_ACCOUNTS }, { mintToken }] = await Promise.all([import('../src/demo/seed.js'), import('../src/identity/tokens.js')]);
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
    await Promise.all(jobs.map((job) => job?.parar()));
    smtp?.fechar();
    await gateway.close();
    await database.close();
    logger.info('bye');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

/**
 * The migrations beside this script (drizzle/ from scripts/, dist/drizzle from the bundle in dist/scripts/),
 * and, in a build, an embedded database `npm run build` made and shut down: with the demo, dist/pglite-template-demo
 * (migrated and seeded), else dist/pglite-template (migrated). A new, empty data folder starts as a copy of it instead
 * of running initdb, the migrations and the seed. The migrations are still checked after it (one SELECT when the
 * template is current).
 */
function withTemplate(database: DatabaseOptions, demo: boolean): DatabaseOptions {
  const migrationsFolder = fileURLToPath(new URL('../drizzle', import.meta.url));
  const template = fileURLToPath(new URL(demo ? '../pglite-template-demo' : '../pglite-template', import.meta.url));
  if (database.kind !== 'pglite' || !existsSync(template)) return { ...database, migrationsFolder };
  return { ...database, migrationsFolder, template };
}

main().catch((error: unknown) => {
  if (error instanceof DataFolderInUseError) {
    console.error(error.message);
    process.exit(1);
  }
  console.error(JSON.stringify({ level: 'fatal', msg: 'gateway failed to start', err: String((error as Error)?.stack ?? error) }));
  process.exit(1);
});

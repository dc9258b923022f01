/** `npm run autocancel`: one run of the automatic cancellation against the configured database. */
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '../src/config.js';
import { createDatabase } from '../src/db/client.js';
import { DataFolderInUseError } from '../src/db/folder-lock.js';
import { cancelarTramitesParados } from '../src/tramites/cancelamento-automatico.js';

try {
  const config = loadConfig();
  // The migrations beside this script: drizzle/ from scripts/, dist/drizzle from the bundle in dist/scripts/.
  const database = await createDatabase({ ...config.database, migrationsFolder: fileURLToPath(new URL('../drizzle', import.meta.url)) });
  const cancelados = await cancelarTramitesParados(database.db, { agora: new Date(), dias: config.autoCancel.days });
  console.log(JSON.stringify({ msg: 'auto-cancel run', cancelados, dias: config.autoCancel.days }));
  await database.close();
} catch (error) {
  if (error instanceof DataFolderInUseError) {
    // Writing behind the running gateway's back is what the lock prevents; it cancels on its own schedule.
    console.error(
      `${error.message}\nA running gateway already runs the automatic cancellation every AUTO_CANCEL_INTERVAL_MS (unless AUTO_CANCEL_ENABLED=false).`,
    );
    process.exit(1);
  }
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(error instanceof ConfigError ? 2 : 1);
}

/**
 * `npm run build` (also run by `npm install`, and by `npm start` when dist/ is stale): bundles each production script
 * (start, token, autocancel) with esbuild into one file under dist/scripts/ with the packages it uses, so a
 * start reads one file instead of ~1,200 modules; copies the runtime files beside it (drizzle/ migrations,
 * schema/); and leaves dist/pglite-template/: an embedded database with every migration applied, shut down
 * cleanly, which a first `npm start` copies into an empty data folder instead of running initdb and the
 * migrations (most of a cold start).
 *
 * Left out of the bundles, loaded from node_modules when used: PGlite (it reads its WebAssembly and data
 * files beside its own modules), ws's optional native add-ons, and what no first answer needs (the GraphiQL
 * page's 9 MB of files, nodemailer). Plain JavaScript so it runs without compiling itself. `npm start`
 * (scripts/start-built.mjs) imports it first, in its own Node process, only when a source file is newer than the last
 * build; the template is rebuilt only when the migrations or PGlite changed. `node dist/scripts/start.js` is
 * what `npm start` runs next and what the container runs.
 */
import { createHash } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { builtStamp } from './build-freshness.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');

function filesUnder(dir, keep) {
  return readdirSync(dir, { recursive: true })
    .map((name) => join(dir, name))
    .filter((path) => keep(path) && statSync(path).isFile());
}

/** Packages loaded from node_modules at run time instead of bundled (see above). */
const EXTERNAL = [
  '@electric-sql/pglite',
  '@electric-sql/pglite/*',
  '@graphql-yoga/render-graphiql/*',
  'nodemailer',
  'bufferutil',
  'utf-8-validate',
];
const SCRIPTS = ['start', 'token', 'autocancel'];

const { build, stop } = await import('esbuild');
// A build from an older layout (one file per module) leaves nothing behind that could be run by mistake.
for (const old of ['src', 'scripts', 'pglite-template.tar', 'pglite-template.tar.stamp'])
  rmSync(join(dist, old), { recursive: true, force: true });
await build({
  entryPoints: SCRIPTS.map((name) => join(root, 'scripts', `${name}.ts`)),
  outdir: join(dist, 'scripts'),
  bundle: true,
  external: EXTERNAL,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Bundled CommonJS packages call require() for Node's built-ins.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  sourcemap: 'linked',
  logLevel: 'warning',
});
for (const folder of ['drizzle', 'schema']) {
  rmSync(join(dist, folder), { recursive: true, force: true });
  cpSync(join(root, folder), join(dist, folder), { recursive: true });
}

const template = join(dist, 'pglite-template');
const stampFile = `${template}.stamp`;
const stamp = createHash('sha256');
for (const file of filesUnder(join(root, 'drizzle'), () => true).sort()) stamp.update(relative(root, file)).update(readFileSync(file));
stamp.update(readFileSync(join(root, 'node_modules/@electric-sql/pglite/package.json')));
stamp.update(readFileSync(join(root, 'src/db/client.ts')));
const digest = stamp.digest('hex');
if (!existsSync(template) || !existsSync(stampFile) || readFileSync(stampFile, 'utf8') !== digest) {
  // The gateway's own code opens it (the same extensions, the same migrations), then closes it: PostgreSQL
  // shuts down cleanly, so a copy opens without crash recovery. Built in a sibling folder renamed into place.
  const { outputFiles } = await build({
    entryPoints: [join(root, 'src/db/client.ts')],
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    logLevel: 'warning',
  });
  const staging = mkdtempSync(join(dist, '.template-'));
  const clientModule = join(staging, 'client.mjs');
  try {
    writeFileSync(clientModule, outputFiles[0].text);
    const { createDatabase } = await import(pathToFileURL(clientModule).href);
    const database = await createDatabase({
      kind: 'pglite',
      dataDir: join(staging, 'pglite'),
      migrationsFolder: join(dist, 'drizzle'),
    });
    await database.close();
    // Readable by any user: the gateway may run as another user than the build's (the container's `node`).
    for (const name of readdirSync(join(staging, 'pglite'), { recursive: true })) {
      const path = join(staging, 'pglite', name);
      chmodSync(path, statSync(path).isDirectory() ? 0o755 : 0o644);
    }
    rmSync(template, { recursive: true, force: true });
    renameSync(join(staging, 'pglite'), template);
    writeFileSync(stampFile, digest);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
// esbuild's service process would otherwise live on beside a gateway started in this process (`npm start`).
await stop();
writeFileSync(builtStamp, new Date().toISOString());

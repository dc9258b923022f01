/**
 * `npm run build` (also run by `npm install`, and by `npm start` when dist/ is stale): bundles each production script
 * (start, token, autocancel) with esbuild into one file under dist/scripts/ with the packages it uses, so a
 * start reads one file instead of ~1,200 modules; copies the runtime files beside it (drizzle/ migrations,
 * schema/); and leaves dist/pglite-template/: an embedded database with every migration applied, shut down
 * cleanly, which a first start without the demo copies into an empty data folder instead of running initdb and the
 * migrations, and dist/pglite-template-demo/: the same with the demo data seeded at the build's clock, which a first
 * `npm start` copies and brings to the present instead of seeding (src/demo/modelo.ts).
 *
 * Left out of the bundles, loaded from node_modules when used: PGlite (it reads its WebAssembly and data
 * files beside its own modules), ws's optional native add-ons, and what no first answer needs (the GraphiQL
 * page's 9 MB of files, nodemailer). Plain JavaScript so it runs without compiling itself. `npm start`
 * (scripts/start-built.mjs) imports it first, in its own Node process, only when a source file is newer than the last
 * build; a template is rebuilt only when what it is made from changed (the migrations, PGlite, the bundled sources). `node dist/scripts/start.js` is
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

/**
 * A template folder, rebuilt only when its stamp (a digest of what it is made from) changed: `fill(dataDir, module)`
 * writes it through the gateway's own code, bundled from `exports` (the packages stay external), then the database is
 * closed (PostgreSQL shuts down cleanly, so a copy opens without crash recovery). Built in a sibling folder renamed
 * into place. Answers the stamp.
 */
async function buildTemplate(name, exports, stampParts, fill) {
  const template = join(dist, name);
  const stampFile = `${template}.stamp`;
  const { outputFiles, metafile } = await build({
    stdin: { contents: exports, resolveDir: root, loader: 'ts', sourcefile: `${name}.ts` },
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    metafile: true,
    logLevel: 'warning',
  });
  const stamp = createHash('sha256');
  for (const part of stampParts) stamp.update(part);
  // Every source file the bundle holds: a change to any of them can change what the template contains.
  stamp.update(exports);
  for (const file of Object.keys(metafile.inputs).sort())
    if (file !== `${name}.ts`) stamp.update(file).update(readFileSync(join(root, file)));
  const digest = stamp.digest('hex');
  if (existsSync(template) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === digest) return digest;
  const staging = mkdtempSync(join(dist, '.template-'));
  const bundled = join(staging, 'template.mjs');
  try {
    writeFileSync(bundled, outputFiles[0].text);
    await fill(join(staging, 'pglite'), await import(pathToFileURL(bundled).href));
    // Readable by any user: the gateway may run as another user than the build's (the container's `node`).
    for (const entry of readdirSync(join(staging, 'pglite'), { recursive: true })) {
      const path = join(staging, 'pglite', entry);
      chmodSync(path, statSync(path).isDirectory() ? 0o755 : 0o644);
    }
    rmSync(template, { recursive: true, force: true });
    renameSync(join(staging, 'pglite'), template);
    writeFileSync(stampFile, digest);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return digest;
}

// Bump when a template's making changes in this file (the stamps cover the sources it bundles, not this script).
const TEMPLATE_LAYOUT = 'no template0/template1';
const migrations = filesUnder(join(root, 'drizzle'), () => true)
  .sort()
  .map((file) => Buffer.concat([Buffer.from(relative(root, file)), readFileSync(file)]));
const pgliteVersion = readFileSync(join(root, 'node_modules/@electric-sql/pglite/package.json'));
// Every migration applied (the same extensions, the same migrations as a start): what a start without the demo copies.
const migrated = await buildTemplate(
  'pglite-template',
  "export { createDatabase } from './src/db/client.ts';",
  [TEMPLATE_LAYOUT, ...migrations, pgliteVersion],
  async (dataDir, { createDatabase }) => {
    const database = await createDatabase({ kind: 'pglite', dataDir, migrationsFolder: join(dist, 'drizzle') });
    try {
      // initdb's template databases are half of the folder's files (600 of 1,170, 14 MB) and a first start copies
      // every file; the gateway opens `postgres` only and never creates a database.
      await database.rows("update pg_database set datistemplate = false where datname in ('template0', 'template1')");
      await database.rows('drop database template0');
      await database.rows('drop database template1');
    } finally {
      await database.close();
    }
  },
);
// The same with the demo data seeded at the build's clock (src/demo/modelo.ts): what a demo start copies and brings
// to the present, instead of seeding (most of a cold start's CPU). Only the demo's published keys are in it.
await buildTemplate(
  'pglite-template-demo',
  "export { createDatabase } from './src/db/client.ts'; export { seedDemoData } from './src/demo/seed.ts'; export { marcarSemente } from './src/demo/modelo.ts';",
  [migrated],
  async (dataDir, { createDatabase, seedDemoData, marcarSemente }) => {
    cpSync(join(dist, 'pglite-template'), dataDir, { recursive: true });
    const database = await createDatabase({ kind: 'pglite', dataDir, migrationsFolder: join(dist, 'drizzle') });
    try {
      const now = new Date();
      await seedDemoData(database.db, now);
      await marcarSemente(database.db, now);
    } finally {
      await database.close();
    }
  },
);
// esbuild's service process would otherwise live on beside a gateway started in this process (`npm start`).
await stop();
writeFileSync(builtStamp, new Date().toISOString());

/**
 * `npm run build` (also run by `npm install` and before `npm start`): compiles src/ and scripts/ to
 * dist/ with esbuild (one file per module, no bundling: node_modules stay external), copies the runtime
 * files the code reads beside itself (drizzle/ migrations, schema/), and writes dist/pglite-template.tar:
 * an embedded database with every migration applied, which a first `npm start` on an empty folder loads
 * instead of running initdb and the migrations (most of a cold start).
 *
 * Plain JavaScript so it runs without compiling itself. `--if-stale` (what `npm start` runs first) does
 * nothing when no source file is newer than the last build; the template is rebuilt only when the
 * migrations or PGlite changed. `node dist/scripts/start.js` is what `npm start` and the container run.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');

function filesUnder(dir, keep) {
  return readdirSync(dir, { recursive: true })
    .map((name) => join(dir, name))
    .filter((path) => keep(path) && statSync(path).isFile());
}

const builtStamp = join(dist, '.built');
const sources = ['src', 'scripts', 'drizzle', 'schema'].flatMap((folder) => filesUnder(join(root, folder), () => true));
const newestSource = Math.max(statSync(join(root, 'package-lock.json')).mtimeMs, ...sources.map((file) => statSync(file).mtimeMs));
if (process.argv.includes('--if-stale') && existsSync(builtStamp) && statSync(builtStamp).mtimeMs >= newestSource) process.exit(0);

const { build } = await import('esbuild');
await build({
  entryPoints: sources.filter((file) => file.endsWith('.ts')).filter((file) => !file.startsWith(join(root, 'drizzle'))),
  outdir: dist,
  outbase: root,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
});
for (const folder of ['drizzle', 'schema']) {
  rmSync(join(dist, folder), { recursive: true, force: true });
  cpSync(join(root, folder), join(dist, folder), { recursive: true });
}

const templateFile = join(dist, 'pglite-template.tar');
const stampFile = `${templateFile}.stamp`;
const stamp = createHash('sha256');
for (const file of filesUnder(join(root, 'drizzle'), () => true).sort()) stamp.update(relative(root, file)).update(readFileSync(file));
stamp.update(readFileSync(join(root, 'node_modules/@electric-sql/pglite/package.json')));
const digest = stamp.digest('hex');
if (!existsSync(templateFile) || !existsSync(stampFile) || readFileSync(stampFile, 'utf8') !== digest) {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  // The same contrib extensions the gateway loads at open (the migrations create them).
  const { PGLITE_EXTENSIONS } = await import(join(dist, 'src/db/client.js'));
  const pglite = await PGlite.create('memory://', { extensions: PGLITE_EXTENSIONS });
  await migrate(drizzle({ client: pglite }), { migrationsFolder: join(dist, 'drizzle') });
  writeFileSync(templateFile, Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer()));
  await pglite.close();
  writeFileSync(stampFile, digest);
}
writeFileSync(builtStamp, new Date().toISOString());

/**
 * Whether dist/ is older than a source: a file under src/, scripts/, drizzle/, schema/ or patches/ (the bundle
 * carries the patched packages), or package-lock.json, newer than the last build's stamp (dist/.built), or no build
 * yet. One stat per file (~200): a few milliseconds, cheap enough for every `npm start` to check in its own process.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const builtStamp = join(root, 'dist', '.built');

function newestMtimeUnder(dir) {
  let newest = 0;
  for (const name of readdirSync(dir, { recursive: true })) {
    const stats = statSync(join(dir, name));
    if (stats.isFile() && stats.mtimeMs > newest) newest = stats.mtimeMs;
  }
  return newest;
}

export function buildIsStale() {
  if (!existsSync(builtStamp)) return true;
  const newestSource = Math.max(
    statSync(join(root, 'package-lock.json')).mtimeMs,
    ...['src', 'scripts', 'drizzle', 'schema', 'patches'].map((folder) => newestMtimeUnder(join(root, folder))),
  );
  return statSync(builtStamp).mtimeMs < newestSource;
}

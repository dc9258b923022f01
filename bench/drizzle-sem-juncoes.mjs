/**
 * `node --import ./bench/drizzle-sem-juncoes.mjs …`: the process loads drizzle-orm's relational query builder as
 * released, without patches/drizzle-orm+*.patch (a nested `one` relation as a per-row lateral sub-query instead of a
 * left join, the page size as a parameter, the statement's text built at every query, the rows mapped as released),
 * so bench/sql-leituras.ts can catch the statement the gateway sent before the patch in the same run as the one it
 * sends now. The released files are rebuilt at start by reversing the patch on temporary copies.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { register } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';

const ARQUIVOS = [
  'node_modules/drizzle-orm/pg-core/dialect.js',
  'node_modules/drizzle-orm/pg-core/query-builders/query.js',
  'node_modules/drizzle-orm/relations.js',
];

if (isMainThread) {
  const raiz = join(dirname(fileURLToPath(import.meta.url)), '..');
  const patch = readdirSync(join(raiz, 'patches')).find((f) => f.startsWith('drizzle-orm+'));
  if (!patch) throw new Error('bench/drizzle-sem-juncoes.mjs: no patches/drizzle-orm+*.patch to reverse');
  const tmp = mkdtempSync(join(tmpdir(), 'drizzle-sem-juncoes-'));
  try {
    for (const arquivo of ARQUIVOS) {
      mkdirSync(join(tmp, dirname(arquivo)), { recursive: true });
      cpSync(join(raiz, arquivo), join(tmp, arquivo));
    }
    execFileSync('git', ['apply', '--reverse', ...ARQUIVOS.map((a) => `--include=${a}`), join(raiz, 'patches', patch)], {
      cwd: tmp,
      encoding: 'utf8',
    });
    const fontes = Object.fromEntries(ARQUIVOS.map((a) => [pathToFileURL(join(raiz, a)).href, readFileSync(join(tmp, a), 'utf8')]));
    register(import.meta.url, { data: { fontes } });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

let fontes;
export function initialize(data) {
  fontes = data.fontes;
}

export async function load(url, context, nextLoad) {
  if (Object.hasOwn(fontes, url)) return { format: 'module', source: fontes[url], shortCircuit: true };
  return nextLoad(url, context);
}

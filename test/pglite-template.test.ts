// A new embedded data folder starts as a copy of a cleanly shut-down template (what `npm run build` leaves in
// dist/pglite-template for `npm start`); a folder with data is never overwritten; a migration the template
// lacks is still applied at open. PGlite only by nature (a template folder is an embedded database).
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDatabase, type DatabaseOptions } from '../src/db/client.js';
import { freshDatabase } from './support/backends.js';

const MIGRATIONS = fileURLToPath(new URL('../drizzle', import.meta.url));

describe('pglite: a data folder from the template', () => {
  let dir: string;
  let template: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tramita-template-'));
    template = join(dir, 'template');
    // The suite's migrated dump, loaded into a folder on disk, marked, and closed cleanly.
    const { options } = await freshDatabase('pglite', { migrated: true });
    const handle = await createDatabase({ ...(options as Extract<DatabaseOptions, { kind: 'pglite' }>), dataDir: template });
    await handle.rows('create table marca_do_modelo (n int)');
    await handle.rows('insert into marca_do_modelo values (1)');
    await handle.close();
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('an empty folder opens as a copy of the template, and a folder with data is not overwritten', async () => {
    const dataDir = join(dir, 'dados');
    mkdirSync(dataDir); // empty, as a fresh volume mount would be
    const primeira = await createDatabase({ kind: 'pglite', dataDir, template });
    expect(await primeira.rows('select n from marca_do_modelo')).toEqual([{ n: 1 }]);
    await primeira.rows('insert into marca_do_modelo values (2)');
    await primeira.close();
    expect(existsSync(`${dataDir}.partial`)).toBe(false);

    const segunda = await createDatabase({ kind: 'pglite', dataDir, template });
    expect(await segunda.rows('select n from marca_do_modelo order by n')).toEqual([{ n: 1 }, { n: 2 }]);
    await segunda.close();
  });

  test('a migration the template lacks is applied when the folder opens', async () => {
    const migrationsFolder = join(dir, 'migracoes');
    cpSync(MIGRATIONS, migrationsFolder, { recursive: true });
    const nova = '99991231235959_teste_de_partida';
    mkdirSync(join(migrationsFolder, nova));
    writeFileSync(join(migrationsFolder, nova, 'migration.sql'), 'CREATE TABLE "teste_de_partida" ("id" integer);');

    const handle = await createDatabase({ kind: 'pglite', dataDir: join(dir, 'dados-novos'), template, migrationsFolder });
    try {
      expect(await handle.rows('select count(*)::int as n from teste_de_partida')).toEqual([{ n: 0 }]);
      expect(await handle.rows('select name from drizzle.__drizzle_migrations where name = $1', [nova])).toEqual([{ name: nova }]);
    } finally {
      await handle.close();
    }
  });
});

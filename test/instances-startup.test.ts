// Several gateway instances starting together on one empty PostgreSQL database: migrations run
// once (serialised by an advisory lock) and the demo seed is written by exactly one of them.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../src/db/client.js';
import { seedDemoData } from '../src/demo/seed.js';
import { BACKENDS, freshDatabase, type FreshDatabase } from './support/backends.js';

const INSTANCIAS = 3;

describe.skipIf(!BACKENDS.includes('postgres'))('postgres: instances starting together', () => {
  let fresh: FreshDatabase;
  let handles: DatabaseHandle[] = [];

  beforeAll(async () => {
    fresh = await freshDatabase('postgres');
  });

  afterAll(async () => {
    await Promise.allSettled(handles.map((h) => h.close()));
    await fresh?.drop();
  });

  test('each migration is applied once and the seed is written once', async () => {
    handles = await Promise.all(Array.from({ length: INSTANCIAS }, () => createDatabase(fresh.options)));
    const migracoes = await handles[0]!.rows<{ n: number }>('select count(*)::int as n from drizzle.__drizzle_migrations');
    const pastas = readdirSync(fileURLToPath(new URL('../drizzle', import.meta.url)), { withFileTypes: true }).filter((d) =>
      d.isDirectory(),
    );
    expect(migracoes[0]!.n).toBe(pastas.length);

    const agora = new Date();
    const resultados = await Promise.all(handles.map((h) => seedDemoData(h.db, agora)));
    expect(resultados.filter((r) => r.seeded)).toHaveLength(1);
    const semeado = resultados.find((r) => r.seeded)!;
    const [contagem] = await handles[1]!.rows<{ tramites: number; orgaos: number }>(
      'select (select count(*)::int from tramites) as tramites, (select count(*)::int from estruturas where pai_id is null) as orgaos',
    );
    expect(contagem).toEqual({ tramites: semeado.tramites, orgaos: semeado.orgaos });
  });
});

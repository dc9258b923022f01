// Database faults are told apart from bugs (coded, retryable), and every statement has a time bound:
// the session's statement_timeout for reads, SET LOCAL in each write transaction. A mutation the
// database does not finish is answered by the execution deadline, and its late commit is safe to retry.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../src/db/client.js';
import { databaseFault } from '../src/db/faults.js';
import { ADVISORY_LOCKS } from '../src/kernel/locks.js';
import { BACKENDS, postgresAdminUrl, freshDatabase, type FreshDatabase } from './support/backends.js';
import { montarCenario, RESULTADO, tokenDeConta } from './support/feeds.js';
import { startTestApp, type InProcessTestApp } from './support/gateway.js';
import { gid } from './support/ids.js';
import { CONTEUDO_DE_DEMO_GQL } from './support/tramites.js';
import { waitUntil } from './support/wait.js';

/**
 * Takes, in another transaction, the lock a start of this process number takes (on PGlite, the only session), and
 * resolves once it is held; the function it gives releases it and waits for that transaction to end.
 */
async function segurarNumero(gw: InProcessTestApp, numero: string): Promise<() => Promise<void>> {
  let release!: () => void;
  let holding!: () => void;
  const held = new Promise<void>((resolve) => (holding = resolve));
  const holder = gw.database.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${ADVISORY_LOCKS.processoPorNumero}, hashtext(${numero}))`);
    holding();
    await new Promise<void>((resolve) => (release = resolve));
  });
  await held;
  return async () => {
    release();
    await holder;
  };
}

/** How many trâmites a process number has, and how many events they hold. */
async function tramitesEEventosDe(gw: InProcessTestApp, numero: string) {
  const [linha] = await gw.database.rows<{ tramites: number; eventos: number }>(
    `select count(distinct t.id)::int as tramites, count(e.seq)::int as eventos
       from tramites t join tramite_eventos e on e.tramite_id = t.id where t.numero_processo = $1`,
    [numero],
  );
  return linha;
}

/** iniciarTramite over HTTP from the scenario's sending unit to its receiving one, under an idempotency key. */
function iniciarComChave(
  gw: InProcessTestApp,
  { rem, dest }: Pick<Awaited<ReturnType<typeof montarCenario>>, 'rem' | 'dest'>,
  numero: string,
  chave: string,
) {
  return gw.gql(
    `mutation($input: IniciarTramiteInput!) { r: iniciarTramite(input: $input) { ${RESULTADO} } }`,
    {
      input: {
        tipo: 'PROCESSO',
        numeroProcesso: numero,
        chaveIdempotencia: chave,
        unidadeRemetente: gid('UnidadeAdministrativa', rem.envio[0]!.id),
        unidadeDestinataria: gid('UnidadeAdministrativa', dest.recebimento[0]!.id),
        ...CONTEUDO_DE_DEMO_GQL,
      },
    },
    rem.token,
  );
}

describe('databaseFault', () => {
  test.each([
    ['postgres.js lost connection', { code: 'CONNECTION_CLOSED' }, 'DATABASE_UNAVAILABLE'],
    ['refused connection', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'DATABASE_UNAVAILABLE'],
    ['server shutting down (57P01)', { code: '57P01' }, 'DATABASE_UNAVAILABLE'],
    ['connection exception class 08', { code: '08006' }, 'DATABASE_UNAVAILABLE'],
    ['wrapped by drizzle', new Error('Failed query', { cause: { code: 'CONNECTION_DESTROYED' } }), 'DATABASE_UNAVAILABLE'],
    ['statement_timeout (57014)', new Error('Failed query', { cause: { code: '57014' } }), 'DATABASE_TIMEOUT'],
  ])('%s → %s, retryable', (_name, error, code) => {
    expect(databaseFault(error)?.extensions).toEqual({ code: code, retryable: true });
  });

  test.each([
    ['a unique violation', { code: '23505' }],
    ['a bug', new TypeError('x is undefined')],
    ['nothing', null],
  ])('%s is not a database fault', (_name, error) => {
    expect(databaseFault(error)).toBeNull();
  });
});

describe.skipIf(!postgresAdminUrl())('postgres: statement timeouts per kind of work', () => {
  let fresh: FreshDatabase;
  let handle: DatabaseHandle;

  beforeAll(async () => {
    fresh = await freshDatabase('postgres');
    if (fresh.options.kind !== 'postgres') throw new Error('unreachable');
    handle = await createDatabase({ ...fresh.options, timeouts: { readMs: 1_500, writeMs: 700 } });
  });

  afterAll(async () => {
    await handle?.close();
    await fresh?.drop();
  });

  test('reads run under the read timeout, write transactions under the write timeout', async () => {
    expect(await handle.rows('show statement_timeout')).toEqual([{ statement_timeout: '1500ms' }]);
    const inTransaction = await handle.db.transaction(async (tx) => tx.execute(sql`show statement_timeout`));
    expect(JSON.stringify(inTransaction)).toContain('700ms');
  });

  test('a statement past its timeout fails as DATABASE_TIMEOUT, retryable', async () => {
    const error = await handle.db.transaction(async (tx) => tx.execute(sql`select pg_sleep(2)`)).catch((e: unknown) => e);
    expect(databaseFault(error)?.extensions.code).toBe('DATABASE_TIMEOUT');
  });
});

describe.each(BACKENDS)('%s: a mutation the database does not finish', (backend) => {
  const DEADLINE_MS = 1_000;
  let gw: InProcessTestApp;

  beforeAll(async () => {
    gw = await startTestApp(backend, { limits: { executionDeadlineMs: DEADLINE_MS } });
  });

  afterAll(async () => {
    await gw?.close();
  });

  test('is answered DATABASE_TIMEOUT (retryable) at the deadline; its late commit is what the retry with the same key returns', async () => {
    const { rem, dest } = await montarCenario(gw.database.rows, tokenDeConta);
    const iniciar = () => iniciarComChave(gw, { rem, dest }, `${backend}-prazo-1`, `${backend}-prazo-chave-1`);
    await gw.ok('{ __typename }', {}, rem.token); // the token's agency is looked up (and cached) before the database stalls

    // Another transaction holds the lock a start of this process takes (on PGlite, the only session):
    // the mutation's statements wait, with no statement of their own timing out before the deadline.
    const soltar = await segurarNumero(gw, `${backend}-prazo-1`);
    const started = Date.now();
    let first: Awaited<ReturnType<typeof iniciar>>;
    try {
      first = await iniciar();
    } finally {
      await soltar();
    }
    expect(Date.now() - started, 'answered near the deadline, not when the database came back').toBeLessThan(DEADLINE_MS + 3_000);
    expect(first.status).toBeLessThan(500);
    expect(first.errors?.[0]?.extensions).toMatchObject({ code: 'DATABASE_TIMEOUT', retryable: true });

    // The abandoned execution goes on and commits whole, after its answer.
    const committed = async () =>
      (
        await gw.database.rows<{ n: number }>('select count(*)::int as n from tramites where numero_processo = $1', [`${backend}-prazo-1`])
      )[0]!.n;
    for (let t = 0; t < 100 && (await committed()) === 0; t++) await new Promise((resolve) => setTimeout(resolve, 50));
    const retry = await iniciar();
    expect(retry.errors).toBeUndefined();
    expect(retry.data!.r).toMatchObject({ __typename: 'TransicaoRealizada', repetida: true });
    expect(await tramitesEEventosDe(gw, `${backend}-prazo-1`)).toEqual({ tramites: 1, eventos: 1 });
  });
});

// The connection a mutation's transaction runs on is lost mid-flight (PostgreSQL ends that backend, as a restart
// does): the answer is DATABASE_UNAVAILABLE, retryable, under whichever executor runs mutations (GRAPHQL_EXECUTOR),
// and the retry with the same key starts the trâmite once. The chaos test shows the same through restarts; this
// pins the error's shape to one mutation.
if (postgresAdminUrl())
  describe('postgres: a mutation whose connection is lost', () => {
    let gw: InProcessTestApp;

    beforeAll(async () => {
      gw = await startTestApp('postgres');
    });

    afterAll(async () => {
      await gw?.close();
    });

    test('is answered DATABASE_UNAVAILABLE (retryable), not a masked error; the retry with the same key starts it once', async () => {
      const numero = 'conexao-perdida-1';
      const { rem, dest } = await montarCenario(gw.database.rows, tokenDeConta);
      const iniciar = () => iniciarComChave(gw, { rem, dest }, numero, `${numero}-chave`);
      await gw.ok('{ __typename }', {}, rem.token); // the token's agency is looked up (and cached) first

      // The mutation's transaction waits on a lock another transaction holds; then its backend is terminated.
      const soltar = await segurarNumero(gw, numero);
      let first: Awaited<ReturnType<typeof iniciar>>;
      try {
        const answer = iniciar();
        let waiting: number[] = [];
        await waitUntil('the mutation waiting on the lock', async () => {
          waiting = (
            await gw.database.rows<{ pid: number }>(
              `select pid from pg_stat_activity
                where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`,
            )
          ).map((r) => r.pid);
          return waiting.length > 0;
        });
        await gw.database.rows('select pg_terminate_backend(pid) from unnest($1::int[]) as pid', [waiting]);
        first = await answer;
      } finally {
        await soltar();
      }
      expect(first.status).toBeLessThan(500);
      expect(first.errors?.[0]?.extensions).toMatchObject({ code: 'DATABASE_UNAVAILABLE', retryable: true });

      const retry = await iniciar();
      expect(retry.errors).toBeUndefined();
      expect(retry.data!.r).toMatchObject({ __typename: 'TransicaoRealizada', repetida: false });
      expect(await tramitesEEventosDe(gw, numero)).toEqual({ tramites: 1, eventos: 1 });
    });
  });

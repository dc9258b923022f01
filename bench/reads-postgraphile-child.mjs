/**
 * PostGraphile v5 (Amber preset, no auth) over the bench's database, in its own process, for bench/reads.ts.
 * Started with child_process.fork; sends `{ tipo: 'pronto', url }` once listening, exits on `{ tipo: 'fechar' }`
 * or when the parent goes away. Environment: BENCH_CHILD_DATABASE_URL, BENCH_CHILD_POOL_SIZE.
 *
 * Plain JavaScript on purpose: PostGraphile's type declarations (grafast) augment graphql's `ExecutionResult` for the
 * whole program (`hasNext?: never`), which would change the gateway's own types if this file were type-checked with it.
 */
import { createServer } from 'node:http';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';

// PostGraphile v5 declares Node >= 22 and calls ES2024's Promise.withResolvers (absent from Node 20, which this
// project runs on): the standard shape, for this bench process only.
Promise.withResolvers ??= () => {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

async function main() {
  if (!process.send) throw new Error('bench/reads-postgraphile-child.mjs runs under bench/reads.ts (fork with IPC)');
  const url = process.env.BENCH_CHILD_DATABASE_URL;
  if (!url) throw new Error('BENCH_CHILD_DATABASE_URL is required');
  const pgl = postgraphile({
    extends: [PostGraphileAmberPreset],
    pgServices: [
      makePgService({ connectionString: url, poolConfig: { max: Number(process.env.BENCH_CHILD_POOL_SIZE ?? 10) }, schemas: ['public'] }),
    ],
    grafserv: { graphqlPath: '/graphql', watch: false },
    grafast: { explain: false },
  });
  const serv = pgl.createServ(grafserv);
  const server = createServer();
  serv.addTo(server);
  await pgl.getSchema();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  process.send({ tipo: 'pronto', url: `http://127.0.0.1:${port}/graphql` });
  const fechar = async () => {
    server.close();
    await Promise.resolve(pgl.release()).catch(() => {});
    process.exit(0);
  };
  process.on('message', (m) => {
    if (m.tipo === 'fechar') void fechar();
  });
  process.on('disconnect', () => void fechar());
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

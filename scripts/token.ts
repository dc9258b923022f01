/**
 * `npm run token -- --sub ana@mgi --orgao 1/26 --roles GESTOR_PROTOCOLO`
 * `npm run token -- --demo <n>` (one of the demo accounts, numbered as `--list` shows)
 * Signs with JWT_SECRET, or with the demo secret when none is set (embedded demo only).
 */
import { parseArgs } from 'node:util';
import { DEMO_JWT_SECRET } from '../src/config.js';
import { DEMO_ACCOUNTS } from '../src/demo/seed.js';
import { mintToken, type TokenClaims } from '../src/identity/tokens.js';
import { PAPEIS, type Papel } from '../src/kernel/viewer.js';

const { values } = parseArgs({
  options: {
    sub: { type: 'string' },
    orgao: { type: 'string' },
    roles: { type: 'string' },
    demo: { type: 'string' },
    list: { type: 'boolean' },
    expires: { type: 'string', default: '12h' },
  },
});

function fail(message: string): never {
  console.error(`${message}\nUsage: npm run token -- --sub <id> [--orgao <repositorio>/<estrutura>] --roles ${PAPEIS.join(',')} [--expires 12h]\n       npm run token -- --list | --demo <n>`);
  process.exit(2);
}

if (values.list) {
  for (const [i, a] of DEMO_ACCOUNTS.entries()) console.log(`${i}\t${a.descricao}`);
  process.exit(0);
}

let claims: TokenClaims;
if (values.demo !== undefined) {
  const account = DEMO_ACCOUNTS[Number(values.demo)];
  if (!account) fail(`No demo account ${values.demo}; see --list.`);
  claims = { sub: account.sujeito, orgao: account.orgao, roles: account.papeis };
} else {
  if (!values.sub || !values.roles) fail('--sub and --roles are required.');
  const roles = values.roles.split(',').map((r) => r.trim());
  const unknown = roles.filter((r) => !(PAPEIS as readonly string[]).includes(r));
  if (unknown.length) fail(`Unknown role(s): ${unknown.join(', ')}.`);
  let orgao: TokenClaims['orgao'] = null;
  if (values.orgao) {
    const match = /^(\d+)\/(\d+)$/.exec(values.orgao);
    if (!match) fail('--orgao takes <repositorio>/<numero de identificacao>, e.g. 1/26.');
    orgao = { repositorio: Number(match[1]), estrutura: Number(match[2]) };
  }
  claims = { sub: values.sub, orgao, roles: roles as Papel[] };
}

console.log(await mintToken(process.env.JWT_SECRET || DEMO_JWT_SECRET, claims, { expiresIn: values.expires }));

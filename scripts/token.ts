/**
 * `npm run -s token -- --sub ana@mgi --orgao 1/26 --roles GESTOR_PROTOCOLO`
 * `npm run -s token -- --demo <n>` (one of the demo accounts, numbered from 1 as `--list` shows)
 * Prints only the token (`-s` keeps npm's banner out of `TOKEN=$(...)`). Signs with JWT_SECRET, or
 * with the demo secret when none is set (embedded demo only).
 */
import { parseArgs } from 'node:util';
import { DEMO_JWT_SECRET } from '../src/config.js';
import { DEMO_ACCOUNTS } from '../src/demo/seed.js';
import { mintToken, type TokenClaims } from '../src/identity/tokens.js';
import { PAPEIS, type Papel } from '../src/kernel/viewer.js';

const USAGE = `Usage: npm run -s token -- --sub <id> [--orgao <repositorio>/<estrutura>] --roles ${PAPEIS.join(',')} [--expires 12h]
       npm run -s token -- --demo <n> [--expires 12h]   (n from --list, starting at 1)
       npm run -s token -- --list | --help`;

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

function parse() {
  try {
    return parseArgs({
      options: {
        sub: { type: 'string' },
        orgao: { type: 'string' },
        roles: { type: 'string' },
        demo: { type: 'string' },
        list: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        expires: { type: 'string', default: '12h' },
      },
    }).values;
  } catch (error) {
    return fail((error as Error).message);
  }
}
const values = parse();

if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

if (values.list) {
  for (const [i, a] of DEMO_ACCOUNTS.entries()) console.log(`${i + 1}\t${a.descricao}`);
  process.exit(0);
}

let claims: TokenClaims;
if (values.demo !== undefined) {
  const account = /^\d+$/.test(values.demo) ? DEMO_ACCOUNTS[Number(values.demo) - 1] : undefined;
  if (!account) fail(`No demo account ${values.demo}; see --list (1 to ${DEMO_ACCOUNTS.length}).`);
  claims = { sub: account.sujeito, orgao: account.orgao, roles: account.papeis, spe: account.spe };
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

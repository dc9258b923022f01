import SchemaBuilder, { brandWithType } from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import DrizzlePlugin from '@pothos/plugin-drizzle';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import ValidationPlugin from '@pothos/plugin-validation';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { relations } from '../db/relations.js';
import type { AuthenticatedContext, GatewayContext } from './context.js';
import { badUserInput, tokenRequired } from './errors.js';
import { nodeReaderOf, readRulesPlugin } from './read-rules.js';

export const MAX_PAGE_SIZE = 100;

/** The scope every root field has: `t.withAuth(AUTHENTICATED)` gives its resolver a non-null viewer. */
export const AUTHENTICATED = { authenticated: true } as const;
export const DEFAULT_PAGE_SIZE = 20;

export { registerReadRule } from './read-rules.js';
/**
 * The cost model (src/http/plugins/query-cost.ts): every field costs 1; a list field multiplies its
 * children by 10 unless it says otherwise; a connection by the page it asks for, so the unit tree
 * under a page of trâmites is priced per trâmite. Its edges/nodes lists are that page: ×1. A cost reads
 * Int arguments only (`first`/`last`): the plugin remembers a price per document and Int variables.
 */
export const LIST_COST_MULTIPLIER = 10;
export const pageCost = (args: { first?: number | null; last?: number | null }) => ({
  field: 1,
  multiplier: Math.min(Math.max(args.first ?? args.last ?? DEFAULT_PAGE_SIZE, 0), MAX_PAGE_SIZE),
});
const PAGE_ITEMS_COST = { field: 1, multiplier: 1 };

export const builder = new SchemaBuilder<{
  Context: GatewayContext;
  AuthScopes: { authenticated: boolean };
  AuthContexts: { authenticated: AuthenticatedContext };
  DrizzleRelations: typeof relations;
  DefaultFieldNullability: false;
  DefaultInputFieldRequiredness: false;
  Scalars: {
    ID: { Input: string; Output: string | number };
    DateTime: { Input: Date; Output: Date };
    /** A file part of a GraphQL multipart request (src/http/graphql-multipart.ts): the slot's name. */
    Upload: { Input: string; Output: never };
  };
}>({
  // Scope auth first, so its check runs before the other plugins' wrappers.
  plugins: [ScopeAuthPlugin, ErrorsPlugin, RelayPlugin, ValidationPlugin, DrizzlePlugin, ComplexityPlugin, readRulesPlugin],
  // Costs are declared here and on fields; the gateway's query-cost plugin enforces them before execution.
  complexity: { disabled: true, defaultComplexity: 1, defaultListMultiplier: LIST_COST_MULTIPLIER },
  // One scope, `authenticated`, on the root types (below and where each domain declares Mutation and
  // Subscription): every root field needs a viewer, and `t.withAuth(AUTHENTICATED)` types it non-null.
  // Object types keep their read rules (read-rules.ts): a refused scope is an error, the rules answer null.
  scopeAuth: {
    authScopes: (ctx) => ({ authenticated: ctx.viewer != null }),
    // Subscriptions are checked once when they start, as before, not again on every event.
    authorizeOnSubscribe: true,
    unauthorizedError: () => tokenRequired(),
  },
  // Non-null by default (docs/stack.md trap 11): a nullable field is a deliberate choice below.
  defaultFieldNullability: false,
  drizzle: {
    client: (ctx) => ctx.db,
    getTableConfig,
    relations,
    defaultConnectionSize: DEFAULT_PAGE_SIZE,
    maxConnectionSize: MAX_PAGE_SIZE,
  },
  relay: {
    clientMutationId: 'omit',
    nodesOnConnection: true,
    cursorType: 'String',
    nodesQueryOptions: false,
    nodeQueryOptions: {
      description:
        'Qualquer objeto pelo identificador global. Nulo se não existir ou se você não puder vê-lo. Um objeto de um ambiente (um trâmite) só é respondido no ambiente padrão da implantação (AMBIENTE_PADRAO); de outro ambiente é nulo: leia-o pelo campo que recebe `ambiente` (ex.: `tramite(id:, ambiente:)`).',
      args: { id: { description: 'Identificador global do objeto.' } },
      nullable: true,
      // `node` bypasses the root resolvers, so it applies the read rule the type registered.
      authScopes: AUTHENTICATED,
      resolve: async (_root, { id }, ctx) => {
        // The scope above ran first: the viewer is there (the relay plugin's options take no typed context).
        const viewer = ctx.viewer!;
        // The node types `node(id:)` resolves are those that registered a read rule and a loader (read-rules.ts).
        const reader = nodeReaderOf(id.typename);
        if (!reader) return null;
        const row = await reader.load(ctx.db, String(id.id));
        // No `ambiente` argument here: an object of another environment than the default is null (read-rules.ts).
        if (row == null || !reader.canRead(viewer, row, ctx.ambientePadrao)) return null;
        // Two node types share the estruturas table: the brand tells the Node interface which one this is.
        brandWithType(row, id.typename as never);
        return row;
      },
    },
    nodeTypeOptions: { description: 'Objeto com identificador global, recuperável pela consulta `node(id:)`.' },
    pageInfoTypeOptions: { description: 'Informações de paginação de uma conexão (especificação Relay).' },
    idFieldOptions: { description: 'Identificador global (opaco) do objeto.' },
    cursorFieldOptions: { description: 'Cursor opaco deste item, para `after`/`before`.' },
    nodeFieldOptions: { description: 'O item.' },
    edgesFieldOptions: { description: 'Os itens da página, cada um com seu cursor.', complexity: PAGE_ITEMS_COST },
    nodesFieldOptions: { complexity: PAGE_ITEMS_COST },
    pageInfoFieldOptions: { description: 'Informações para pedir a página seguinte ou a anterior.' },
    hasNextPageFieldOptions: { description: 'Há itens depois desta página.' },
    hasPreviousPageFieldOptions: { description: 'Há itens antes desta página.' },
    startCursorFieldOptions: { description: 'Cursor do primeiro item da página.' },
    endCursorFieldOptions: { description: 'Cursor do último item da página.' },
    firstArgOptions: {
      description: `Quantos itens a partir do início ou de \`after\` (padrão ${DEFAULT_PAGE_SIZE}, máximo ${MAX_PAGE_SIZE}).`,
    },
    afterArgOptions: { description: 'Cursor depois do qual a página começa (o `endCursor` da página anterior).' },
    lastArgOptions: { description: `Quantos itens antes do fim ou de \`before\` (máximo ${MAX_PAGE_SIZE}).` },
    beforeArgOptions: { description: 'Cursor antes do qual a página termina (o `startCursor` da página seguinte).' },
    defaultConnectionTypeOptions: { description: 'Uma página de resultados (conexão Relay).' },
    defaultEdgeTypeOptions: { description: 'Um item de uma página, com seu cursor.' },
    decodeGlobalID: (globalID) => {
      const decoded = Buffer.from(globalID, 'base64').toString('utf8');
      const separator = decoded.indexOf(':');
      if (separator <= 0 || Buffer.from(decoded, 'utf8').toString('base64') !== globalID) {
        throw badUserInput('id', 'Identificador global inválido.');
      }
      const typename = decoded.slice(0, separator);
      const id = decoded.slice(separator + 1);
      // Every node key is a positive integer column: int4 for estruturas, bigint (safe range) for trâmites.
      const maximo = typename === 'Tramite' ? Number.MAX_SAFE_INTEGER : 2_147_483_647;
      if (!/^[1-9]\d{0,15}$/.test(id) || Number(id) > maximo) throw badUserInput('id', 'Identificador global inválido.');
      return { typename, id };
    },
  },
  errors: { unsafelyHandleInputErrors: true },
  validation: {
    validationError: (result) => {
      const issue = result.issues[0];
      const path = issue?.path?.map((p) => String(typeof p === 'object' ? p.key : p)).join('.') ?? '';
      return badUserInput(path, result.issues.map((i) => i.message).join('; '));
    },
  },
});

builder.queryType({ description: 'Consultas do gateway do Tramita.GOV.BR.', authScopes: AUTHENTICATED });

/**
 * plugin-drizzle 0.20 types a connection's planned query under drizzle 1.0 rc as selecting no
 * columns, though at run time the rows carry every column the selection needs. This is the one
 * place that says so to the compiler.
 */
export function plannedRows(rows: PromiseLike<unknown>): never {
  return rows as never;
}

/** The builder's type parameters, for helpers that take a Pothos field builder. */
export type BuilderTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

import { isObjectType } from 'graphql';
import SchemaBuilder from '@pothos/core';
import DrizzlePlugin from '@pothos/plugin-drizzle';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import ValidationPlugin from '@pothos/plugin-validation';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { relations } from '../db/relations.js';
import { requireViewer, type GatewayContext } from './context.js';
import { badUserInput } from './errors.js';
import { readRuleOf, readRulesPlugin } from './read-rules.js';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export { registerReadRule } from './read-rules.js';

export const builder = new SchemaBuilder<{
  Context: GatewayContext;
  DrizzleRelations: typeof relations;
  DefaultFieldNullability: false;
  DefaultInputFieldRequiredness: false;
  Scalars: {
    ID: { Input: string; Output: string | number };
    DateTime: { Input: Date; Output: Date };
  };
}>({
  plugins: [ErrorsPlugin, RelayPlugin, ValidationPlugin, DrizzlePlugin, readRulesPlugin],
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
      description: 'Qualquer objeto pelo identificador global. Nulo se não existir ou se você não puder vê-lo.',
      args: { id: { description: 'Identificador global do objeto.' } },
      nullable: true,
      // `node` bypasses the root resolvers, so it applies the read rule the type registered.
      resolve: async (_root, { id }, ctx, info, resolveNode) => {
        const viewer = requireViewer(ctx);
        // The node types `node(id:)` resolves are the Node types that registered a read rule (read-rules.ts);
        // a read rule also guards plain object types (e.g. Processo), which have no global id.
        const type = info.schema.getType(id.typename);
        if (!isObjectType(type) || !type.getInterfaces().some((i) => i.name === 'Node')) return null;
        const canRead = readRuleOf(id.typename);
        if (!canRead) return null;
        let node: unknown;
        try {
          node = await resolveNode(id);
        } catch (error) {
          // The drizzle loader rejects a key with no row; for `node` that is simply "not found".
          if (error instanceof Error && /^Model \w+\(.*\) not found$/.test(error.message)) return null;
          throw error;
        }
        return node && canRead(viewer, node as never) ? node : null;
      },
    },
    nodeTypeOptions: { description: 'Objeto com identificador global, recuperável pela consulta `node(id:)`.' },
    pageInfoTypeOptions: { description: 'Informações de paginação de uma conexão (especificação Relay).' },
    idFieldOptions: { description: 'Identificador global (opaco) do objeto.' },
    cursorFieldOptions: { description: 'Cursor opaco deste item, para `after`/`before`.' },
    nodeFieldOptions: { description: 'O item.' },
    edgesFieldOptions: { description: 'Os itens da página, cada um com seu cursor.' },
    pageInfoFieldOptions: { description: 'Informações para pedir a página seguinte ou a anterior.' },
    hasNextPageFieldOptions: { description: 'Há itens depois desta página.' },
    hasPreviousPageFieldOptions: { description: 'Há itens antes desta página.' },
    startCursorFieldOptions: { description: 'Cursor do primeiro item da página.' },
    endCursorFieldOptions: { description: 'Cursor do último item da página.' },
    firstArgOptions: { description: `Quantos itens a partir do início ou de \`after\` (padrão ${DEFAULT_PAGE_SIZE}, máximo ${MAX_PAGE_SIZE}).` },
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

builder.queryType({ description: 'Consultas do gateway do Tramita.GOV.BR.' });

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

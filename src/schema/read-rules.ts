/**
 * Authorization declared where a type is declared: a domain registers the rule that says whether a
 * viewer may read one of its objects (`registerReadRule('Tramite', canReadTramite)`), and every
 * nullable field that returns that type, and `node(id:)`, answer null for an object the viewer may
 * not read, as for a missing one, without an error. So the next field that returns a trâmite is safe
 * without its author remembering the rule. Non-null fields are left alone: they are reached only
 * through an object already read (e.g. an event's trâmite), and nulling one would be an error.
 *
 * Why not @pothos/plugin-scope-auth: its type-level scopes answer a refusal with an error (and null
 * the nearest nullable parent), while the gateway's contract for an unreadable trâmite is a plain null.
 */
import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import type { GraphQLFieldResolver } from 'graphql';
import type { Viewer } from '../kernel/viewer.js';

export type ReadRule<Row = never> = (viewer: Viewer, row: Row) => boolean;

const readRules = new Map<string, ReadRule>();

export function registerReadRule<Row>(typename: string, rule: ReadRule<Row>): void {
  readRules.set(typename, rule as ReadRule);
}

/** The rule registered for a type, if any (`node(id:)` resolves only types that registered one). */
export function readRuleOf(typename: string): ReadRule | undefined {
  return readRules.get(typename);
}

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      readRules: ReadRulesPlugin<Types>;
    }
  }
}

export class ReadRulesPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> {
    const { type } = fieldConfig;
    if (type.kind !== 'Object' || !type.nullable) return resolver;
    const rule = readRules.get(this.buildCache.getTypeConfig(type.ref).name);
    if (!rule) return resolver;
    return async (parent, args, context, info) => {
      const row = await resolver(parent, args, context, info);
      const viewer = (context as { viewer: Viewer | null }).viewer;
      return row != null && viewer && rule(viewer, row as never) ? row : null;
    };
  }
}

/** The plugin's name, as the builder's `plugins` list takes it. */
export const readRulesPlugin = 'readRules' as const;

SchemaBuilder.registerPlugin(readRulesPlugin, ReadRulesPlugin);

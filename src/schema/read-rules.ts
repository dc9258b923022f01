/**
 * Authorization declared where a type is declared: a domain registers the rule that says whether a
 * viewer may read one of its objects (`registerReadRule('Tramite', canReadTramite)`), and every
 * nullable field that returns that type, and `node(id:)`, answer null for an object the viewer may
 * not read, as for a missing one, without an error. So the next field that returns a trâmite is safe
 * without its author remembering the rule. A rule also gets the environment the field is about (the field's own
 * `ambiente` argument, else the environment of the object it is a field of, e.g. a homologação requirement's
 * evidence, else the deployment's AMBIENTE_PADRAO; `node(id:)` has neither, so it answers in the default
 * environment), so an object of another environment is null by construction too. Non-null fields are left alone: they are reached only
 * through an object already read (e.g. an event's trâmite), and nulling one would be an error.
 *
 * Why not @pothos/plugin-scope-auth here (the builder uses it for the root types' `authenticated` scope
 * only): its type-level scopes answer a refusal with an error (and null the nearest nullable parent),
 * while the gateway's contract for an unreadable trâmite is a plain null.
 */
import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import type { GraphQLFieldResolver } from 'graphql';
import type { Database } from '../db/client.js';
import type { Ambiente } from '../kernel/ambiente.js';
import type { Viewer } from '../kernel/viewer.js';

/** `ambiente`: the environment the field is about (rules of objects that have none ignore it). */
export type ReadRule<Row = never> = (viewer: Viewer, row: Row, ambiente: Ambiente) => boolean;

/** The environment a field is about: its `ambiente` argument, else its parent object's, else the request's default. */
export function ambienteDoCampo(args: object, parent: unknown, ambientePadrao: Ambiente): Ambiente {
  const doPai = parent != null && typeof parent === 'object' ? (parent as { ambiente?: unknown }).ambiente : undefined;
  return (args as { ambiente?: Ambiente | null }).ambiente ?? (typeof doPai === 'string' ? (doPai as Ambiente) : ambientePadrao);
}

/** The row of a node type by the key in its global id, or undefined when there is none. */
export type NodeLoader<Row = never> = (db: Database, id: string) => Promise<Row | undefined>;

const readRules = new Map<string, ReadRule>();
const nodeLoaders = new Map<string, NodeLoader<unknown>>();

/**
 * Who may read an object of this type; `load` makes the type one `node(id:)` resolves (a type without
 * one, such as a plain object with no global id, is only guarded by the rule). The loader is the
 * domain's own read by key, answering undefined for a missing row (plugin-drizzle's node loader rejects
 * instead, with nothing but its message to tell "not found" from a failure).
 */
export function registerReadRule<Row>(typename: string, rule: ReadRule<Row>, load?: NodeLoader<Row>): void {
  readRules.set(typename, rule as ReadRule);
  if (load) nodeLoaders.set(typename, load as NodeLoader<unknown>);
}

/** How `node(id:)` reads a type: its loader and its rule, if the type registered them. */
export function nodeReaderOf(typename: string): { load: NodeLoader<unknown>; canRead: ReadRule<unknown> } | undefined {
  const load = nodeLoaders.get(typename);
  const canRead = readRules.get(typename);
  return load && canRead ? { load, canRead: canRead as ReadRule<unknown> } : undefined;
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
      const { viewer, ambientePadrao } = context as { viewer: Viewer | null; ambientePadrao: Ambiente };
      return row != null && viewer && rule(viewer, row as never, ambienteDoCampo(args, parent, ambientePadrao)) ? row : null;
    };
  }
}

/** The plugin's name, as the builder's `plugins` list takes it. */
export const readRulesPlugin = 'readRules' as const;

SchemaBuilder.registerPlugin(readRulesPlugin, ReadRulesPlugin);

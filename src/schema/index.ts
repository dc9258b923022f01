// Every module that declares types, queries or mutations, imported for its effect on the builder.
import './scalars.js';
import '../orgaos/graphql.js';
import '../tramites/graphql.js';
import '../tramites/painel.js';
import { lexicographicSortSchema } from 'graphql';
import { builder } from './builder.js';

export const schema = lexicographicSortSchema(builder.toSchema());

/** `npm run schema:print`: writes the published SDL to schema/schema.graphql (a test fails on drift). */
import { writeFileSync } from 'node:fs';
import { printPublishedSchema, SCHEMA_FILE } from '../src/http/schema.js';

writeFileSync(SCHEMA_FILE, printPublishedSchema());
console.log(`wrote ${SCHEMA_FILE}`);

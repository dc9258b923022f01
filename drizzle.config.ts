import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/orgaos/tables.ts', './src/sistemas/tables.ts', './src/tramites/tables.ts', './src/onboarding/tables.ts'],
  out: './drizzle',
});

import { defineConfig } from 'drizzle-kit';

// Migrations are generated from the modules' schema files and committed under src/core/db/migrations.
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/core/*/schema.ts', './src/modules/*/schema.ts'],
  out: './src/core/db/migrations',
});

#!/usr/bin/env node
// `lienthong <command>`: the compiled server (npm run build) when present, else the TypeScript sources via tsx.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = fileURLToPath(new URL('../dist/main.js', import.meta.url));
if (existsSync(compiled)) {
  const { runCli } = await import(compiled);
  runCli();
} else {
  const { register } = await import('tsx/esm/api');
  register();
  const { runCli } = await import('../src/main.ts');
  runCli();
}

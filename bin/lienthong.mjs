#!/usr/bin/env node
// `lienthong <command>`: the compiled server (dist/) when it is up to date with src/, else the
// TypeScript sources through tsx — never stale code.
import { fileURLToPath } from 'node:url';
import { serverIsStale } from '../scripts/build-state.mjs';

if (!serverIsStale()) {
  const { runCli } = await import(fileURLToPath(new URL('../dist/main.js', import.meta.url)));
  runCli();
} else {
  const { register } = await import('tsx/esm/api');
  register();
  const { runCli } = await import('../src/main.ts');
  runCli();
}

#!/usr/bin/env node
// Builds the staff SPA (web/dist) when it is missing or older than its sources (before the e2e tests).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./ensure-built.mjs', import.meta.url));
process.exit(spawnSync(process.execPath, [script, 'web'], { stdio: 'inherit' }).status ?? 1);

/**
 * Diagnostic: times the phases inside the server's "ready in" (open database, migrate, build the
 * Fastify app, seed the demo data, listen) by calling the same functions src/main.ts calls.
 * Cold (empty) then warm (same data), on PGlite and on PostgreSQL. Run: npx tsx bench/startup-phases.ts
 */
import { spawnSync } from 'node:child_process';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { ActorContext } from '../src/core/audit/index.js';
import { migrateDatabase, openDatabase } from '../src/core/db/index.js';
import { seedDemo } from '../src/modules/directory/index.js';
import { ROOT, createDatabase, dropDatabase, rmDir, tempDir } from './lib.js';

const actor = (): ActorContext => ({ actorId: null, actorName: 'Hệ thống', unitId: null, requestId: null, ip: null, now: new Date() });

async function phases(dataDir: string, databaseUrl: string | undefined): Promise<Record<string, number>> {
  const config = loadConfig({ DATA_DIR: dataDir, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: '3406' });
  const out: Record<string, number> = {};
  let t = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    out[name] = Math.round(now - t);
    t = now;
  };
  const database = await openDatabase({ databaseUrl, dataDir, poolMax: config.databasePoolMax });
  lap('open');
  await migrateDatabase(database);
  lap('migrate');
  const app = await buildApp({ config, database });
  lap('buildApp');
  await seedDemo(app.db, actor());
  lap('seed');
  await app.listen({ port: config.port, host: config.host });
  lap('listen');
  await app.close();
  await database.close();
  lap('close');
  return out;
}

// Each phase set also runs in a fresh process on kept data: in-process warm runs reuse PGlite's
// compiled WebAssembly and the warm caches, which a real restart does not.
const keep = process.env.PHASES_PGLITE_DIR;
if (keep) {
  console.log('PGlite warm, fresh process', JSON.stringify(await phases(keep, undefined)));
  process.exit(0);
}
for (const kind of ['PGlite', 'PostgreSQL'] as const) {
  const dir = tempDir('phases');
  const name = `lienthong_bench_phases_${process.pid}`;
  try {
    const url = kind === 'PostgreSQL' ? await createDatabase(name) : undefined;
    console.log(`${kind} cold`, JSON.stringify(await phases(dir, url)));
    console.log(`${kind} warm, same process`, JSON.stringify(await phases(dir, url)));
    if (kind === 'PGlite') {
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/startup-phases.ts'], { cwd: ROOT, env: { ...process.env, PHASES_PGLITE_DIR: dir }, encoding: 'utf8' });
      process.stdout.write(r.stdout + r.stderr);
    }
  } finally {
    rmDir(dir);
    if (kind === 'PostgreSQL') await dropDatabase(name);
  }
}

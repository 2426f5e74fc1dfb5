import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import type { ActorContext } from '../core/audit/index.js';
import { hashPassword } from '../core/auth/password.js';
import { migrateDatabase, openDatabase } from '../core/db/index.js';
import { DEMO_PASSWORD, seedDemo } from '../modules/directory/index.js';

/**
 * Once per test run, before any test file: a database migrated to the latest schema, and one with the demo
 * province on top. Every test file then starts from a copy instead of running the migrations and the seed
 * itself (about 2 s per file, a couple of minutes per run):
 * - PGlite: two dumps of the data directory in a temporary folder; each file loads one into a new in-memory cluster.
 * - PostgreSQL (DATABASE_URL): two template databases; each file's database is `CREATE DATABASE … TEMPLATE …`.
 * The copies hold exactly what the migrations and `seedDemo` make, so a file sees what it would have built itself.
 */

export type TestSnapshots = { kind: 'pglite'; migrated: string; seeded: string } | { kind: 'postgresql'; migrated: string; seeded: string };

const systemCtx = (): ActorContext => ({ actorId: null, actorName: 'Hệ thống', unitId: null, requestId: null, ip: null, now: new Date() });

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions -- vitest's ProvidedContext is extended by declaration merging, which needs an interface
  export interface ProvidedContext {
    testSnapshots: TestSnapshots;
  }
}

async function pgliteSnapshots(): Promise<{ snapshots: TestSnapshots; teardown: () => void }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lienthong-test-snapshots-'));
  const database = await openDatabase({});
  await migrateDatabase(database);
  const migrated = path.join(dir, 'migrated.tar');
  fs.writeFileSync(migrated, Buffer.from(await (await database.pglite!.dumpDataDir('none')).arrayBuffer()));
  await seedDemo(database.db, systemCtx(), await hashPassword(DEMO_PASSWORD));
  const seeded = path.join(dir, 'seeded.tar');
  fs.writeFileSync(seeded, Buffer.from(await (await database.pglite!.dumpDataDir('none')).arrayBuffer()));
  await database.close();
  return { snapshots: { kind: 'pglite', migrated, seeded }, teardown: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

async function postgresSnapshots(url: string): Promise<{ snapshots: TestSnapshots; teardown: () => Promise<void> }> {
  const prefix = `lt_tpl_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const names = { migrated: `${prefix}_m`, seeded: `${prefix}_s` };
  const admin = async (statement: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(statement);
    } finally {
      await c.end();
    }
  };
  const dbUrl = (name: string) => {
    const u = new URL(url);
    u.pathname = `/${name}`;
    return u.toString();
  };
  await admin(`CREATE DATABASE ${names.migrated}`);
  const m = await openDatabase({ databaseUrl: dbUrl(names.migrated), poolMax: 2 });
  await migrateDatabase(m);
  await m.close();
  // A template must have no connection while it is copied: the seeded one is made from the migrated one, then filled.
  await admin(`CREATE DATABASE ${names.seeded} TEMPLATE ${names.migrated}`);
  const s = await openDatabase({ databaseUrl: dbUrl(names.seeded), poolMax: 2 });
  await seedDemo(s.db, systemCtx(), await hashPassword(DEMO_PASSWORD));
  await s.close();
  return {
    snapshots: { kind: 'postgresql', ...names },
    teardown: async () => {
      for (const name of Object.values(names)) await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const url = process.env.DATABASE_URL;
  const made = url ? await postgresSnapshots(url) : await pgliteSnapshots();
  project.provide('testSnapshots', made.snapshots);
  return async () => {
    await made.teardown();
  };
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { inject } from 'vitest';
import { buildApp, type LienThongApp } from '../app.js';
import { loadConfig, type Config } from '../config.js';
import type { ActorContext } from '../core/audit/index.js';
import { hashPassword } from '../core/auth/password.js';
import type { Clock } from '../core/clock/index.js';
import { type Database, migrateDatabase, openDatabase, queryRows } from '../core/db/index.js';
import { DEMO_PASSWORD, seedDemo } from '../modules/directory/index.js';
import type { TestSnapshots } from './global-setup.js';

/**
 * Test harness: every test file gets its own database — a fresh in-memory PGlite, or, when
 * DATABASE_URL points at a PostgreSQL server, a throw-away database created for the file and
 * dropped afterwards. The demo province is loaded unless `seed: false`. Both start from the run's
 * snapshots (global-setup.ts) when vitest made them.
 */
export type TestContext = {
  app: LienThongApp;
  database: Database;
  config: Config;
  close(): Promise<void>;
  /** Signs in through the API and returns the bearer token. */
  login(username: string, password?: string): Promise<string>;
  /** Resolves a demo unit id by its agency code. */
  unitId(agencyCode: string): Promise<string>;
  userId(username: string): Promise<string>;
};

let demoHash: Promise<string> | undefined;

export const systemCtx = (): ActorContext => ({ actorId: null, actorName: 'Hệ thống', unitId: null, requestId: null, ip: null, now: new Date() });

/** The snapshots made once per run by global-setup.ts (undefined when the harness is used outside vitest). */
function snapshots(): TestSnapshots | undefined {
  try {
    return inject('testSnapshots');
  } catch {
    return undefined;
  }
}

/**
 * A fresh database for one test file, migrated, and with the demo province when `seeded` — a copy of the run's
 * snapshot when there is one (global-setup.ts), else built here.
 */
export async function openTestDatabase(opts: { seeded?: boolean } = {}): Promise<{ database: Database; drop(): Promise<void>; seeded: boolean }> {
  const url = process.env.DATABASE_URL;
  const snap = snapshots();
  if (!url) {
    if (snap?.kind === 'pglite') {
      const file = opts.seeded ? snap.seeded : snap.migrated;
      const database = await openDatabase({ loadDataDir: new Blob([fs.readFileSync(file)]) });
      return { database, drop: async () => undefined, seeded: !!opts.seeded };
    }
    const database = await openDatabase({});
    await migrateDatabase(database);
    return { database, drop: async () => undefined, seeded: false };
  }
  const name = `lt_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const template = snap?.kind === 'postgresql' ? (opts.seeded ? snap.seeded : snap.migrated) : undefined;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`);
  // A throw-away database need not wait for the disk at each commit (the tests' transactions stay transactions).
  await admin.query(`ALTER DATABASE ${name} SET synchronous_commit = off`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: u.toString(), poolMax: 5, onError: () => undefined });
  if (!template) await migrateDatabase(database);
  return {
    database,
    seeded: !!template && !!opts.seeded,
    drop: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * `ownIds`: seed this database itself instead of copying the run's demo snapshot, so that its ids differ from every
 * other test database's (tests of two deployments exchanging data).
 */
export async function createTestApp(opts: { seed?: boolean; ownIds?: boolean; clock?: Clock; config?: Partial<Config> } = {}): Promise<TestContext> {
  const { database, drop, seeded } = await openTestDatabase({ seeded: opts.seed !== false && !opts.ownIds });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lienthong-test-'));
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir, WEB_DIST_DIR: path.join(dataDir, 'no-web') }, {
    loginRateLimitPerMinute: 1000,
    ...opts.config,
  });
  const app = await buildApp({ config, database, clock: opts.clock, logger: false });
  if (opts.seed !== false && !seeded) await seedDemo(database.db, systemCtx(), await (demoHash ??= hashPassword(DEMO_PASSWORD)));
  const ctx: TestContext = {
    app,
    database,
    config,
    async close() {
      await app.close();
      await database.close();
      await drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
    async login(username, password = DEMO_PASSWORD) {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
      if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
      return res.json().token as string;
    },
    async unitId(agencyCode) {
      const rows = await queryRows<{ id: string }>(database.db, sql`SELECT id FROM units WHERE agency_code = ${agencyCode}`);
      if (!rows[0]) throw new Error(`no unit ${agencyCode}`);
      return rows[0].id;
    },
    async userId(username) {
      const rows = await queryRows<{ id: string }>(database.db, sql`SELECT id FROM users WHERE username = ${username}`);
      if (!rows[0]) throw new Error(`no user ${username}`);
      return rows[0].id;
    },
  };
  return ctx;
}

/** Authorization header for a bearer token. */
export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

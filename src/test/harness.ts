import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { buildApp, type LienThongApp } from '../app.js';
import { loadConfig, type Config } from '../config.js';
import type { ActorContext } from '../core/audit/index.js';
import { hashPassword } from '../core/auth/password.js';
import type { Clock } from '../core/clock/index.js';
import { type Database, migrateDatabase, openDatabase, queryRows } from '../core/db/index.js';
import { DEMO_PASSWORD, seedDemo } from '../modules/directory/index.js';

/**
 * Test harness: every test file gets its own database — a fresh in-memory PGlite, or, when
 * DATABASE_URL points at a PostgreSQL server, a throw-away database created for the file and
 * dropped afterwards. The demo province is loaded unless `seed: false`.
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

export async function openTestDatabase(): Promise<{ database: Database; drop(): Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const database = await openDatabase({});
    await migrateDatabase(database);
    return { database, drop: async () => undefined };
  }
  const name = `lt_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: u.toString(), poolMax: 5, onError: () => undefined });
  await migrateDatabase(database);
  return {
    database,
    drop: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export async function createTestApp(opts: { seed?: boolean; clock?: Clock; config?: Partial<Config> } = {}): Promise<TestContext> {
  const { database, drop } = await openTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lienthong-test-'));
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir, WEB_DIST_DIR: path.join(dataDir, 'no-web') }, {
    loginRateLimitPerMinute: 1000,
    ...opts.config,
  });
  const app = await buildApp({ config, database, clock: opts.clock, logger: false });
  if (opts.seed !== false) await seedDemo(database.db, systemCtx(), await (demoHash ??= hashPassword(DEMO_PASSWORD)));
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

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { type sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { loadTemplate } from './pglite-template.js';

/** A Drizzle handle; transactions have the same shape, so services accept either. */
export type Db = PgDatabase<PgQueryResultHKT, Record<string, never>>;

export type Database = {
  db: Db;
  kind: 'pglite' | 'postgresql';
  close(): Promise<void>;
  /** Present for the embedded database (backup, tests). */
  pglite?: PGlite;
  /** Present for a PostgreSQL server. */
  pool?: pg.Pool;
};

export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

// timestamptz → Date, bigint → number where safe; keep pg's defaults otherwise.
pg.types.setTypeParser(20, (v) => {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
});

// A calendar date (date columns) stays the string 'yyyy-MM-dd': no time zone can shift it.
pg.types.setTypeParser(1082, (v) => v);
const pgliteParsers = { 1082: (v: string) => v };

export type OpenOptions = {
  databaseUrl?: string;
  dataDir?: string;
  poolMax?: number;
  onError?: (err: Error) => void;
  /** A new embedded cluster starts from this dump (`PGlite.dumpDataDir`) instead of the saved empty template (tests). */
  loadDataDir?: Blob;
};

const defaultPoolError = (err: Error) => console.error(JSON.stringify({ level: 50, msg: 'idle database connection lost', err: err.message }));

/** Opens PostgreSQL when a URL is given, else the embedded PGlite in `<dataDir>/pgdata` (in memory without dataDir). */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolMax ?? 10 });
    // An idle connection dropped by the server (restart, failover) must not crash the process:
    // the pool discards it and opens a new one on the next query.
    pool.on('error', (err) => (opts.onError ?? defaultPoolError)(err));
    // Fail fast with a clear message when the server is unreachable.
    const client = await pool.connect().catch((err: Error) => {
      void pool.end();
      throw new Error(`Không kết nối được PostgreSQL (${redact(opts.databaseUrl!)}): ${err.message}`);
    });
    client.release();
    const db = drizzlePg(pool) as unknown as Db;
    return { db, kind: 'postgresql', pool, close: () => pool.end() };
  }
  let dataPath: string | undefined;
  let fresh = true;
  if (opts.dataDir) {
    dataPath = path.join(opts.dataDir, 'pgdata');
    fresh = !fs.existsSync(path.join(dataPath, 'PG_VERSION'));
    fs.mkdirSync(dataPath, { recursive: true });
  }
  // A new cluster starts from the saved template when there is one (see pglite-template.ts).
  const loadDataDir = fresh ? (opts.loadDataDir ?? loadTemplate()) : undefined;
  // Options as the only argument: `new PGlite(undefined, options)` ignores the options, so an in-memory database
  // used to run initdb (3–5 s) instead of loading the template, and could not start from a dump.
  const pglite = new PGlite({ ...(dataPath ? { dataDir: dataPath } : {}), ...(loadDataDir ? { loadDataDir } : {}), parsers: pgliteParsers });
  await pglite.waitReady;
  const db = drizzlePglite(pglite) as unknown as Db;
  return { db, kind: 'pglite', pglite, close: () => pglite.close() };
}

/** Applies the committed SQL migrations; on a server, one process at a time (advisory lock). */
export async function migrateDatabase(database: Database): Promise<void> {
  if (database.pglite) {
    await migratePglite(drizzlePglite(database.pglite), { migrationsFolder });
    return;
  }
  const client = await database.pool!.connect();
  try {
    await client.query('SELECT pg_advisory_lock(724100)');
    await migratePg(drizzlePg(client), { migrationsFolder });
  } finally {
    await client.query('SELECT pg_advisory_unlock(724100)').catch(() => undefined);
    client.release();
  }
}

const roots = new WeakMap<object, Db>();

/**
 * The database a handle belongs to: itself, or for a transaction (made by `inTransaction`) the database it was
 * opened on. Per-database caches (calendars) key on it, so that a request inside a transaction finds them.
 */
export function rootDb(db: Db): Db {
  return roots.get(db) ?? db;
}

/**
 * A value kept per database (a transaction shares its database's): the home of every per-process cache, so that
 * two databases in one process (two deployments in a test, the test files of one worker) never share entries.
 */
export function perDatabase<T>(make: () => T): (db: Db) => T {
  const values = new WeakMap<object, T>();
  return (db) => {
    const root = rootDb(db);
    let value = values.get(root);
    if (value === undefined) values.set(root, (value = make()));
    return value;
  };
}

/** The one transaction helper: every state change and its audit record commit together. */
export function inTransaction<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  const root = rootDb(db);
  return db.transaction((tx) => {
    roots.set(tx, root);
    return fn(tx as unknown as Db);
  });
}

/** Raw SQL rows, the same shape on both drivers. */
export async function queryRows<T>(db: Db, query: ReturnType<typeof sql>): Promise<T[]> {
  const res = (await db.execute(query)) as unknown as { rows: T[] };
  return res.rows;
}

export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

/** A user's search text as a literal ILIKE pattern: `%` and `_` match themselves. */
export function containsPattern(q: string): string {
  return `%${q.normalize('NFC').replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * For the few queries on every request (session lookup): a named prepared statement on a server
 * (parsed and planned once per connection), a plain parameterised query on PGlite.
 */
export async function hotQuery<T>(database: Database, name: string, text: string, values: unknown[]): Promise<T[]> {
  if (database.pool) return (await database.pool.query<T & object>({ name, text, values })).rows as T[];
  return (await database.pglite!.query<T>(text, values)).rows;
}

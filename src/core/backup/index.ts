import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import * as tar from 'tar';
import { type Db, inTransaction, queryRows } from '../db/index.js';
import type { FileStore } from '../files/index.js';

/**
 * Logical backup that works the same on PGlite and PostgreSQL (and moves data between them):
 * a .tar.gz with manifest.json, one JSON-lines file per table (rows as row_to_json), and the file
 * store's content. Restore goes into an empty, migrated database in one transaction.
 */
const FORMAT = 'lienthong-backup/1';
const BATCH = 1000;

type TableInfo = { name: string; deps: string[]; selfRef: string | null; serials: string[]; columns: string[] };

// Tables whose rows come from migrations (reference data): replaced, not required empty, on restore.
const SEEDED_BY_MIGRATIONS = new Set(['settings', 'document_types', 'calendar_adjustments']);

async function tables(db: Db): Promise<TableInfo[]> {
  const names = await queryRows<{ name: string }>(db, sql`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`);
  const fks = await queryRows<{ child: string; parent: string; col: string }>(
    db,
    sql`SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent, a.attname AS col
          FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
         WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace`,
  );
  const serials = await queryRows<{ t: string; c: string }>(
    db,
    sql`SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = current_schema() AND column_default LIKE 'nextval(%'`,
  );
  // Generated columns (e.g. search vectors) are recomputed by the database, never restored.
  const cols = await queryRows<{ t: string; c: string }>(
    db,
    sql`SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = current_schema() AND is_generated = 'NEVER' ORDER BY ordinal_position`,
  );
  const strip = (s: string) => s.replace(/^"|"$/g, '');
  const info = names.map(({ name }) => ({
    name,
    deps: [...new Set(fks.filter((f) => strip(f.child) === name && strip(f.parent) !== name).map((f) => strip(f.parent)))],
    selfRef: fks.find((f) => strip(f.child) === name && strip(f.parent) === name)?.col ?? null,
    serials: serials.filter((s) => s.t === name).map((s) => s.c),
    columns: cols.filter((c) => c.t === name).map((c) => c.c),
  }));
  // Parents before children.
  const ordered: TableInfo[] = [];
  const seen = new Set<string>();
  const visit = (t: TableInfo) => {
    if (seen.has(t.name)) return;
    seen.add(t.name);
    for (const d of t.deps) {
      const dep = info.find((x) => x.name === d);
      if (dep) visit(dep);
    }
    ordered.push(t);
  };
  info.forEach(visit);
  return ordered;
}

const ident = (name: string) => sql.raw(`"${name.replace(/"/g, '""')}"`);

export async function backup(db: Db, store: FileStore, outFile: string, meta: { version: string; database: string }): Promise<{ tables: Record<string, number>; files: number }> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'lienthong-backup-'));
  try {
    const counts: Record<string, number> = {};
    await fsp.mkdir(path.join(dir, 'tables'));
    // One snapshot for all tables, so the backup is consistent while the server keeps running.
    await inTransaction(db, async (tx) => {
      if (meta.database === 'postgresql') await tx.execute(sql`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY`);
      for (const t of await tables(tx)) {
        const out = fs.createWriteStream(path.join(dir, 'tables', `${t.name}.jsonl`));
        let n = 0;
        // Self-referencing rows (unit tree) are written parents first.
        const order = t.selfRef && t.name === 'units' ? sql`ORDER BY depth` : sql``;
        const rows = await queryRows<{ r: unknown }>(tx, sql`SELECT row_to_json(x) AS r FROM ${ident(t.name)} x ${order}`);
        for (const { r } of rows) {
          out.write(`${typeof r === 'string' ? r : JSON.stringify(r)}\n`);
          n++;
        }
        await new Promise<void>((res, rej) => out.end((err?: Error | null) => (err ? rej(err) : res())));
        counts[t.name] = n;
      }
    });
    let fileCount = 0;
    await fsp.mkdir(path.join(dir, 'files'));
    for await (const sha of store.list()) {
      await fsp.writeFile(path.join(dir, 'files', sha), await store.read(sha));
      fileCount++;
    }
    const manifest = { format: FORMAT, createdAt: new Date().toISOString(), ...meta, tables: counts, files: fileCount };
    await fsp.writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
    await tar.c({ gzip: true, file: outFile, cwd: dir }, ['manifest.json', 'tables', 'files']);
    return { tables: counts, files: fileCount };
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
}

export async function restore(db: Db, store: FileStore, inFile: string): Promise<{ tables: Record<string, number>; files: number }> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'lienthong-restore-'));
  try {
    await tar.x({ file: inFile, cwd: dir });
    const manifest = JSON.parse(await fsp.readFile(path.join(dir, 'manifest.json'), 'utf8')) as { format: string; tables: Record<string, number> };
    if (manifest.format !== FORMAT) throw new Error(`Định dạng sao lưu không được hỗ trợ: ${manifest.format}`);
    const all = await tables(db);
    for (const t of all) {
      if (SEEDED_BY_MIGRATIONS.has(t.name)) continue;
      const [{ n }] = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM ${ident(t.name)}`);
      if (n > 0) throw new Error(`Cơ sở dữ liệu đích không trống (bảng ${t.name} có ${n} dòng). Hãy khôi phục vào một cơ sở dữ liệu mới.`);
    }
    const missing = Object.keys(manifest.tables).filter((name) => !all.some((t) => t.name === name));
    if (missing.length) throw new Error(`Bản sao lưu có bảng không có trong lược đồ hiện tại: ${missing.join(', ')}`);
    // Files first: a row must never point to a missing file.
    let files = 0;
    for (const f of fs.existsSync(path.join(dir, 'files')) ? await fsp.readdir(path.join(dir, 'files')) : []) {
      await store.put(await fsp.readFile(path.join(dir, 'files', f)));
      files++;
    }
    const counts: Record<string, number> = {};
    await inTransaction(db, async (tx) => {
      for (const name of SEEDED_BY_MIGRATIONS) if (all.some((t) => t.name === name)) await tx.execute(sql`DELETE FROM ${ident(name)}`);
      for (const t of all) {
        const file = path.join(dir, 'tables', `${t.name}.jsonl`);
        if (!fs.existsSync(file)) continue;
        const lines = (await fsp.readFile(file, 'utf8')).split('\n').filter(Boolean);
        for (let i = 0; i < lines.length; i += BATCH) {
          const batch = `[${lines.slice(i, i + BATCH).join(',')}]`;
          const list = sql.raw(t.columns.map((c) => `"${c.replace(/"/g, '""')}"`).join(', '));
          await tx.execute(sql`INSERT INTO ${ident(t.name)} (${list}) SELECT ${list} FROM json_populate_recordset(NULL::${ident(t.name)}, ${batch}::json)`);
        }
        for (const col of t.serials) {
          await tx.execute(sql`SELECT setval(pg_get_serial_sequence(${t.name}, ${col}), coalesce((SELECT max(${ident(col)}) FROM ${ident(t.name)}), 0) + 1, false)`);
        }
        counts[t.name] = lines.length;
      }
    });
    return { tables: counts, files };
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
}

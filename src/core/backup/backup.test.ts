import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, systemCtx } from '../../test/harness.js';
import { seedDemo } from '../../modules/directory/index.js';
import { verifyAuditChain } from '../audit/index.js';
import { type Database, queryRows } from '../db/index.js';
import { type FileStore, localFileStore } from '../files/index.js';
import { backup, restore } from './index.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lienthong-backup-test-'));
let source: { database: Database; drop(): Promise<void> };
let target: { database: Database; drop(): Promise<void> };
let sourceFiles: FileStore;
let targetFiles: FileStore;
let sha: string;

beforeAll(async () => {
  source = await openTestDatabase();
  target = await openTestDatabase();
  sourceFiles = localFileStore(path.join(tmp, 'src-files'));
  targetFiles = localFileStore(path.join(tmp, 'dst-files'));
  await seedDemo(source.database.db, systemCtx());
  sha = await sourceFiles.put(Buffer.from('%PDF-1.7 công văn mẫu'));
  await source.database.db.execute(sql`INSERT INTO files (id, sha256, size, content_type, name) VALUES (gen_random_uuid(), ${sha}, 24, 'application/pdf', 'cong-van.pdf')`);
  // A document: its search vector is a generated column, recomputed on restore, never copied.
  await source.database.db.execute(sql`
    INSERT INTO register_books (id, unit_id, direction, series, name) SELECT gen_random_uuid(), id, 'incoming', 'regular', 'Sổ đến' FROM units WHERE agency_code = '000.01.31.H99'`);
  await source.database.db.execute(sql`INSERT INTO register_counters (book_id, year, last_number) SELECT id, 2026, 1 FROM register_books`);
  await source.database.db.execute(sql`
    INSERT INTO documents (id, unit_id, direction, status, type_code, subject, issuer_name, book_id, arrival_number, created_by, created_at, updated_at, search_text)
    SELECT gen_random_uuid(), b.unit_id, 'incoming', 'registered', 'QD', 'Quyết định về khai sinh', 'Sở Tư pháp', b.id, 1, u.id, now(), now(), 'quyet dinh ve khai sinh so tu phap'
      FROM register_books b, users u WHERE u.username = 'vanthu.xa'`);
});
afterAll(async () => {
  await source.database.close();
  await target.database.close();
  await source.drop();
  await target.drop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function snapshot(db: Database['db']) {
  const out: Record<string, string[]> = {};
  for (const table of ['units', 'users', 'officials', 'role_assignments', 'citizens', 'audit_log', 'files', 'settings', 'document_types', 'register_books', 'register_counters', 'documents']) {
    const rows = await queryRows<{ r: unknown }>(db, sql`SELECT row_to_json(x)::text AS r FROM ${sql.raw(table)} x`);
    out[table] = rows.map((r) => String(r.r)).sort();
  }
  return out;
}

describe('backup and restore', () => {
  it('reproduces every row and every file in an empty database', async () => {
    const file = path.join(tmp, 'lienthong.tar.gz');
    const made = await backup(source.database.db, sourceFiles, file, { version: 'test', database: source.database.kind });
    expect(made.tables.units).toBe(10);
    expect(made.files).toBe(1);
    const res = await restore(target.database.db, targetFiles, file);
    expect(res.tables.users).toBe(made.tables.users);
    expect(await snapshot(target.database.db)).toEqual(await snapshot(source.database.db));
    expect((await targetFiles.read(sha)).toString()).toBe('%PDF-1.7 công văn mẫu');
    expect((await verifyAuditChain(target.database.db)).ok).toBe(true);
    // Full-text search works on the restored documents (the vector was regenerated).
    const [{ n }] = await queryRows<{ n: number }>(target.database.db, sql`SELECT count(*)::int AS n FROM documents WHERE search_vector @@ to_tsquery('simple', 'khai & sinh')`);
    expect(n).toBe(1);
    // Sequences continue after the restored rows.
    await target.database.db.execute(sql`INSERT INTO audit_log (id, at, action, object_type, summary, prev_hash, hash) VALUES (gen_random_uuid(), now(), 'x', 'x', '{}', 'x', 'x')`);
    const [{ ok }] = await queryRows<{ ok: boolean }>(target.database.db, sql`SELECT count(DISTINCT seq) = count(*) AS ok FROM audit_log`);
    expect(ok).toBe(true);
  });

  it('refuses to restore into a database that already has data', async () => {
    await expect(restore(source.database.db, sourceFiles, path.join(tmp, 'lienthong.tar.gz'))).rejects.toThrow(/không trống/);
  });
});

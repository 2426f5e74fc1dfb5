import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, systemCtx } from '../../test/harness.js';
import { type Database, inTransaction, queryRows } from '../db/index.js';
import { newId } from '../ids/index.js';
import { AUDIT_CHAINS, auditCount, canonicalJson, chainOf, verifyAuditChain, writeAudit } from './index.js';

let database: Database;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ database, drop } = await openTestDatabase());
});
afterAll(async () => {
  await database.close();
  await drop();
});

const entry = (i: number) => ({ action: 'test.write', objectType: 'test', objectId: String(i), summary: { i, nested: { b: 2, a: 'Tiếng Việt' } } });

describe('audit chain', () => {
  it('canonicalises JSON independently of key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 1, x: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"x":2,"y":1}]},"b":1}');
  });

  it('chains records written by concurrent transactions', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => inTransaction(database.db, (tx) => writeAudit(tx, systemCtx(), entry(i)))));
    expect(await auditCount(database.db)).toBe(20);
    expect(await verifyAuditChain(database.db)).toEqual({ ok: true, checked: 20 });
  });

  it('writes nothing when the surrounding transaction rolls back', async () => {
    await expect(
      inTransaction(database.db, async (tx) => {
        await writeAudit(tx, systemCtx(), entry(99));
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    expect(await auditCount(database.db)).toBe(20);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it('refuses UPDATE, DELETE and TRUNCATE (append-only)', async () => {
    await expect(database.db.execute(sql`UPDATE audit_log SET action = 'x'`)).rejects.toThrow();
    await expect(database.db.execute(sql`DELETE FROM audit_log`)).rejects.toThrow();
    await expect(database.db.execute(sql`TRUNCATE audit_log`)).rejects.toThrow();
    expect(await auditCount(database.db)).toBe(20);
  });

  it('detects a record altered behind the triggers, and reports the first broken link', async () => {
    const [row] = await queryRows<{ seq: number }>(database.db, sql`SELECT seq FROM audit_log ORDER BY seq OFFSET 5 LIMIT 1`);
    await database.db.execute(sql`ALTER TABLE audit_log DISABLE TRIGGER USER`);
    await database.db.execute(sql`UPDATE audit_log SET summary = '{"i": 666}' WHERE seq = ${row.seq}`);
    const res = await verifyAuditChain(database.db);
    expect(res).toMatchObject({ ok: false, firstBrokenSeq: row.seq, checked: 5 });
    expect(res.reason).toMatch(/sửa/);
  });

  it('detects a removed record through the next record\'s link', async () => {
    const [a, b] = await queryRows<{ seq: number }>(database.db, sql`SELECT seq FROM audit_log ORDER BY seq LIMIT 2`);
    await database.db.execute(sql`DELETE FROM audit_log WHERE seq = ${a.seq}`);
    await database.db.execute(sql`ALTER TABLE audit_log ENABLE TRIGGER USER`);
    const res = await verifyAuditChain(database.db);
    expect(res).toMatchObject({ ok: false, firstBrokenSeq: b.seq, checked: 0 });
    expect(res.reason).toMatch(/Liên kết/);
  });
});

describe('parallel chains (one per group of units)', () => {
  let db2: Database;
  let drop2: () => Promise<void>;
  beforeAll(async () => {
    ({ database: db2, drop: drop2 } = await openTestDatabase());
  });
  afterAll(async () => {
    await db2.close();
    await drop2();
  });

  it('puts each unit’s records in its own chain, written concurrently, and verifies every chain', async () => {
    const units = Array.from({ length: 6 }, () => newId());
    await Promise.all(
      units.flatMap((unitId, u) => Array.from({ length: 5 }, (_, i) => inTransaction(db2.db, (tx) => writeAudit(tx, { ...systemCtx(), unitId }, entry(u * 10 + i))))),
    );
    await inTransaction(db2.db, (tx) => writeAudit(tx, systemCtx(), entry(999))); // no unit: chain 0
    const rows = await queryRows<{ unit_id: string | null; chain: number }>(db2.db, sql`SELECT unit_id, chain FROM audit_log`);
    expect(rows).toHaveLength(31);
    for (const r of rows) expect(r.chain).toBe(chainOf(r.unit_id));
    expect(new Set(rows.map((r) => r.chain)).size).toBeGreaterThan(1);
    expect(await verifyAuditChain(db2.db)).toEqual({ ok: true, checked: 31 });
  });

  it('detects a record moved to another chain', async () => {
    const [r] = await queryRows<{ seq: number; chain: number }>(db2.db, sql`SELECT seq, chain FROM audit_log WHERE unit_id IS NOT NULL ORDER BY seq DESC LIMIT 1`);
    await db2.db.execute(sql`ALTER TABLE audit_log DISABLE TRIGGER USER`);
    await db2.db.execute(sql`UPDATE audit_log SET chain = ${(r.chain + 1) % AUDIT_CHAINS} WHERE seq = ${r.seq}`);
    await db2.db.execute(sql`ALTER TABLE audit_log ENABLE TRIGGER USER`);
    const res = await verifyAuditChain(db2.db);
    expect(res.ok).toBe(false);
    expect(res.reason).toMatch(/Liên kết|chuỗi/);
  });
});

import { createHash } from 'node:crypto';
import { asc, desc, gt, sql } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { queryRows } from '../db/index.js';
import { newId } from '../ids/index.js';
import { auditLog } from './schema.js';

export { auditLog } from './schema.js';

/** Who is acting, from where: carried from the HTTP request (or the CLI) into every service call. */
export type ActorContext = {
  actorId: string | null;
  actorName: string | null;
  unitId: string | null;
  requestId: string | null;
  ip: string | null;
  now: Date;
};

export type AuditEntry = {
  action: string; // e.g. 'unit.create'
  objectType: string;
  objectId?: string | null;
  unitId?: string | null; // unit owning the object (defaults to the actor's unit)
  summary: Record<string, unknown>;
};

const GENESIS = '0'.repeat(64);
const CHAIN_LOCK = 724_101;

/** JSON with sorted keys at every level, so the hash does not depend on jsonb's key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

type HashedFields = {
  id: string;
  at: Date;
  actorId: string | null;
  actorName: string | null;
  unitId: string | null;
  action: string;
  objectType: string;
  objectId: string | null;
  summary: unknown;
  requestId: string | null;
  ip: string | null;
  prevHash: string;
};

export function hashRecord(r: HashedFields): string {
  const body = canonicalJson({ ...r, at: r.at.toISOString() });
  return createHash('sha256').update(body).digest('hex');
}

/**
 * Appends one record in the caller's transaction. The chain head is read under a transaction-scoped
 * advisory lock, so concurrent writers queue here (a short critical section at the end of a write).
 */
export async function writeAudit(tx: Db, ctx: ActorContext, entry: AuditEntry): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${CHAIN_LOCK})`);
  const [last] = await tx.select({ hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
  const at = new Date(Math.floor(ctx.now.getTime()));
  const fields: HashedFields = {
    id: newId(),
    at,
    actorId: ctx.actorId,
    actorName: ctx.actorName,
    unitId: entry.unitId === undefined ? ctx.unitId : entry.unitId,
    action: entry.action,
    objectType: entry.objectType,
    objectId: entry.objectId ?? null,
    summary: JSON.parse(JSON.stringify(entry.summary)),
    requestId: ctx.requestId,
    ip: ctx.ip,
    prevHash: last?.hash ?? GENESIS,
  };
  await tx.insert(auditLog).values({ ...fields, hash: hashRecord(fields) });
}

export type VerifyResult = { ok: boolean; checked: number; firstBrokenSeq?: number; reason?: string };

/** Walks the chain in order; reports the first record whose link or content does not match. */
export async function verifyAuditChain(db: Db, batch = 2000): Promise<VerifyResult> {
  let prev = GENESIS;
  let checked = 0;
  let cursor = 0;
  for (;;) {
    const rows = await db.select().from(auditLog).where(gt(auditLog.seq, cursor)).orderBy(asc(auditLog.seq)).limit(batch);
    if (rows.length === 0) return { ok: true, checked };
    for (const r of rows) {
      if (r.prevHash !== prev) {
        return { ok: false, checked, firstBrokenSeq: r.seq, reason: 'Liên kết với bản ghi trước bị đứt (bản ghi trước đã bị xoá hoặc sửa)' };
      }
      const { seq: _seq, hash, ...fields } = r;
      if (hashRecord(fields as HashedFields) !== hash) {
        return { ok: false, checked, firstBrokenSeq: r.seq, reason: 'Nội dung bản ghi không khớp mã băm (đã bị sửa)' };
      }
      prev = hash;
      checked++;
      cursor = r.seq;
    }
  }
}

export async function auditCount(db: Db): Promise<number> {
  const rows = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM audit_log`);
  return rows[0].n;
}

import { createHash } from 'node:crypto';
import { and, asc, desc, eq, gt, sql } from 'drizzle-orm';
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
/**
 * Number of parallel chains. One chain under one lock made every audited write of the deployment queue on
 * it until COMMIT (pgbench on this disk: 666 registration-shaped transactions/s with the lock, 2,006 without).
 * A record goes to the chain of its unit, so a unit's records stay in one ordered chain.
 */
export const AUDIT_CHAINS = 16;

/** The chain of a unit's records: from the random tail of its UUID (chain 0 for records without a unit). */
export function chainOf(unitId: string | null): number {
  if (!unitId) return 0;
  const n = Number.parseInt(unitId.slice(-4), 16);
  return Number.isNaN(n) ? 0 : n % AUDIT_CHAINS;
}

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
  const unitId = entry.unitId === undefined ? ctx.unitId : entry.unitId;
  const chain = chainOf(unitId);
  // Two statements on purpose: the head must be read with a snapshot taken after the lock is held.
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${CHAIN_LOCK}, ${chain})`);
  const [last] = await tx.select({ hash: auditLog.hash }).from(auditLog).where(eq(auditLog.chain, chain)).orderBy(desc(auditLog.seq)).limit(1);
  const at = new Date(Math.floor(ctx.now.getTime()));
  const fields: HashedFields = {
    id: newId(),
    at,
    actorId: ctx.actorId,
    actorName: ctx.actorName,
    unitId,
    action: entry.action,
    objectType: entry.objectType,
    objectId: entry.objectId ?? null,
    summary: JSON.parse(JSON.stringify(entry.summary)),
    requestId: ctx.requestId,
    ip: ctx.ip,
    prevHash: last?.hash ?? GENESIS,
  };
  await tx.insert(auditLog).values({ ...fields, hash: hashRecord(fields), chain });
}

export type VerifyResult = { ok: boolean; checked: number; firstBrokenSeq?: number; reason?: string };

/**
 * Walks each chain in order; reports the first record whose link or content does not match. A record moved
 * to another chain breaks the links of both.
 */
export async function verifyAuditChain(db: Db, batch = 2000): Promise<VerifyResult> {
  let checked = 0;
  for (let chain = 0; chain < AUDIT_CHAINS; chain++) {
    let prev = GENESIS;
    let cursor = 0;
    for (;;) {
      const rows = await db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.chain, chain), gt(auditLog.seq, cursor)))
        .orderBy(asc(auditLog.seq))
        .limit(batch);
      if (rows.length === 0) break;
      for (const r of rows) {
        if (r.prevHash !== prev) {
          return { ok: false, checked, firstBrokenSeq: r.seq, reason: 'Liên kết với bản ghi trước bị đứt (bản ghi trước đã bị xoá hoặc sửa)' };
        }
        const { seq: _seq, hash, chain: _chain, ...fields } = r;
        if (hashRecord(fields as HashedFields) !== hash) {
          return { ok: false, checked, firstBrokenSeq: r.seq, reason: 'Nội dung bản ghi không khớp mã băm (đã bị sửa)' };
        }
        prev = hash;
        checked++;
        cursor = r.seq;
      }
    }
  }
  const total = await auditCount(db);
  if (total !== checked) return { ok: false, checked, reason: 'Có bản ghi nằm ngoài các chuỗi (cột chain đã bị sửa)' };
  return { ok: true, checked };
}

export async function auditCount(db: Db): Promise<number> {
  const rows = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM audit_log`);
  return rows[0].n;
}

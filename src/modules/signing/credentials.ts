import { eq, sql, type SQL } from 'drizzle-orm';
import { can, isSystemAdmin, type Principal } from '../../core/access/index.js';
import { type ActorContext, writeAudit } from '../../core/audit/index.js';
import { type Db, inTransaction, queryRows } from '../../core/db/index.js';
import { AppError, forbidden, notFound, validationFailed } from '../../core/errors/index.js';
import { isUuid, newId } from '../../core/ids/index.js';
import { certificateInfo, toBase64 } from './certificates.js';
import { signingCredentials } from './schema.js';

/**
 * Signing credentials of officials (their own key) and of units (the agency seal key). Who may manage
 * them: the system administrator anywhere; a unit administrator for officials and units of their subtree;
 * an official for their own credentials (upload a PKCS#12, link a remote credential, register a token).
 */

export type CredentialRow = typeof signingCredentials.$inferSelect;
export type Owner = { owner: 'official'; userId: string } | { owner: 'unit'; unitId: string };

export type Credential = {
  id: string;
  owner: 'official' | 'unit';
  userId: string | null;
  userName: string | null;
  unitId: string;
  unitName: string;
  kind: 'local' | 'remote' | 'token';
  label: string;
  subject: string;
  issuer: string;
  serialNumber: string;
  fingerprint: string;
  notBefore: string;
  notAfter: string;
  source: string;
  status: 'active' | 'disabled' | 'revoked';
  remoteCredentialId: string | null;
  failedAttempts: number;
  lockedUntil: string | null;
  lastUsedAt: string | null;
  createdAt: string;
  /** Can sign now: active, within validity, not locked, and not a certificate-only entry. */
  usable: boolean;
};

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

export function presentCredential(r: CredentialRow & { user_name?: string | null; unit_name?: string }, now: Date): Credential {
  const locked = !!r.lockedUntil && new Date(r.lockedUntil) > now;
  return {
    id: r.id,
    owner: r.owner,
    userId: r.userId,
    userName: r.user_name ?? null,
    unitId: r.unitId,
    unitName: r.unit_name ?? '',
    kind: r.kind,
    label: r.label,
    subject: r.subject,
    issuer: r.issuer,
    serialNumber: r.serialNumber,
    fingerprint: r.fingerprint,
    notBefore: iso(r.notBefore)!,
    notAfter: iso(r.notAfter)!,
    source: r.source,
    status: r.status,
    remoteCredentialId: r.remoteCredentialId,
    failedAttempts: r.failedAttempts,
    lockedUntil: locked ? iso(r.lockedUntil) : null,
    lastUsedAt: iso(r.lastUsedAt),
    createdAt: iso(r.createdAt)!,
    usable: r.kind !== 'token' && r.status === 'active' && !locked && new Date(r.notBefore) <= now && new Date(r.notAfter) > now,
  };
}

type UnitRef = { id: string; path: string; name: string };
async function unitRef(db: Db, id: string): Promise<UnitRef | undefined> {
  if (!isUuid(id)) return undefined;
  const [u] = await queryRows<UnitRef>(db, sql`SELECT id, path, name FROM units WHERE id = ${id}`);
  return u;
}
async function officialRef(db: Db, userId: string): Promise<{ userId: string; fullName: string; unit: UnitRef } | undefined> {
  if (!isUuid(userId)) return undefined;
  const [o] = await queryRows<{ user_id: string; full_name: string; id: string; path: string; name: string }>(
    db,
    sql`SELECT o.user_id, us.full_name, un.id, un.path, un.name FROM officials o JOIN users us ON us.id = o.user_id JOIN units un ON un.id = o.unit_id WHERE o.user_id = ${userId}`,
  );
  return o ? { userId: o.user_id, fullName: o.full_name, unit: { id: o.id, path: o.path, name: o.name } } : undefined;
}

/**
 * The owner of a new credential, checked against the caller: officials for themselves, managers for the
 * officials and units in their scope. Returns the owning unit (isolation) and names for labels and audit.
 */
export async function resolveOwner(db: Db, p: Principal | null, o: Owner, opts: { managerOnly?: boolean } = {}): Promise<{ unitId: string; userId: string | null; name: string; unitName: string }> {
  if (o.owner === 'official') {
    const off = await officialRef(db, o.userId);
    if (!off) throw validationFailed([{ field: 'userId', message: 'Không tìm thấy cán bộ' }]);
    const manager = !!p && can(p, 'official.manage', off.unit.path);
    if (p && opts.managerOnly && !manager) throw forbidden('Chỉ quản trị được cấp chứng thư số từ CA mẫu.');
    if (p && p.userId !== off.userId && !manager) throw forbidden('Bạn chỉ quản lý chứng thư số của mình hoặc của cán bộ thuộc đơn vị mình quản trị.');
    return { unitId: off.unit.id, userId: off.userId, name: off.fullName, unitName: off.unit.name };
  }
  const u = await unitRef(db, o.unitId);
  if (!u) throw validationFailed([{ field: 'unitId', message: 'Không tìm thấy đơn vị' }]);
  if (p && !can(p, 'unit.manage', u.path)) throw forbidden('Chỉ quản trị đơn vị được quản lý chứng thư số (con dấu điện tử) của đơn vị.');
  return { unitId: u.id, userId: null, name: u.name, unitName: u.name };
}

export type NewCredential = {
  kind: 'local' | 'remote' | 'token';
  label?: string | null;
  certificates: Uint8Array[];
  pkcs12Encrypted?: string | null;
  keyId?: string | null;
  remoteCredentialId?: string | null;
  remoteUserId?: string | null;
  source: 'demo_ca' | 'uploaded' | 'remote' | 'certificate';
};

/** Stores a credential (the caller checked the owner with resolveOwner) and audits it, in the caller's transaction. */
export async function insertCredential(tx: Db, owner: Awaited<ReturnType<typeof resolveOwner>> & { owner: 'official' | 'unit' }, c: NewCredential, ctx: ActorContext): Promise<CredentialRow> {
  if (c.certificates.length === 0) throw validationFailed([{ field: 'file', message: 'Không có chứng thư số' }]);
  const info = certificateInfo(c.certificates[0]);
  const label = (c.label?.normalize('NFC').trim() || `${info.commonName ?? owner.name} — ${info.issuer.replace(/^.*CN=/, '')}`).slice(0, 200);
  const [row] = await tx
    .insert(signingCredentials)
    .values({
      id: newId(),
      unitId: owner.unitId,
      owner: owner.owner,
      userId: owner.userId,
      kind: c.kind,
      label,
      pkcs12Encrypted: c.pkcs12Encrypted ?? null,
      keyId: c.keyId ?? null,
      remoteCredentialId: c.remoteCredentialId ?? null,
      remoteUserId: c.remoteUserId ?? null,
      certificates: c.certificates.map(toBase64),
      subject: info.subject,
      issuer: info.issuer,
      serialNumber: info.serialNumber,
      fingerprint: info.fingerprint,
      notBefore: info.notBefore,
      notAfter: info.notAfter,
      source: c.source,
      createdBy: ctx.actorId,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    })
    .returning();
  await writeAudit(tx, ctx, {
    action: 'signing.credential_add',
    objectType: 'signing_credential',
    objectId: row.id,
    unitId: row.unitId,
    summary: { owner: row.owner, userId: row.userId, kind: row.kind, source: row.source, subject: row.subject, serialNumber: row.serialNumber, notAfter: row.notAfter },
  });
  return row;
}

export async function findCredential(db: Db, id: string): Promise<CredentialRow | undefined> {
  if (!isUuid(id)) return undefined;
  const [c] = await db.select().from(signingCredentials).where(eq(signingCredentials.id, id)).limit(1);
  return c;
}

/** May the caller see (and manage) this credential? Own credentials are visible, managers see their scope. */
async function manages(db: Db, p: Principal, c: CredentialRow): Promise<boolean> {
  if (isSystemAdmin(p)) return true;
  const u = await unitRef(db, c.unitId);
  if (!u) return false;
  return can(p, c.owner === 'official' ? 'official.manage' : 'unit.manage', u.path);
}

export async function visibleCredential(db: Db, p: Principal, id: string): Promise<CredentialRow> {
  const c = await findCredential(db, id);
  if (!c || (c.userId !== p.userId && !(await manages(db, p, c)))) throw notFound('Chứng thư số');
  return c;
}

const SELECT = sql`SELECT c.*, us.full_name AS user_name, un.name AS unit_name FROM signing_credentials c JOIN units un ON un.id = c.unit_id LEFT JOIN users us ON us.id = c.user_id`;

type Raw = Record<string, unknown>;
/** Raw rows (snake_case) to the typed row shape. */
function fromRaw(r: Raw): CredentialRow & { user_name: string | null; unit_name: string } {
  return {
    id: r.id as string,
    unitId: r.unit_id as string,
    owner: r.owner as 'official',
    userId: (r.user_id as string) ?? null,
    kind: r.kind as 'local',
    label: r.label as string,
    pkcs12Encrypted: null,
    keyId: (r.key_id as string) ?? null,
    remoteCredentialId: (r.remote_credential_id as string) ?? null,
    remoteUserId: (r.remote_user_id as string) ?? null,
    certificates: r.certificates as string[],
    subject: r.subject as string,
    issuer: r.issuer as string,
    serialNumber: r.serial_number as string,
    fingerprint: r.fingerprint as string,
    notBefore: new Date(r.not_before as string),
    notAfter: new Date(r.not_after as string),
    source: r.source as 'uploaded',
    status: r.status as 'active',
    failedAttempts: Number(r.failed_attempts),
    lockedUntil: r.locked_until ? new Date(r.locked_until as string) : null,
    lastUsedAt: r.last_used_at ? new Date(r.last_used_at as string) : null,
    createdBy: (r.created_by as string) ?? null,
    createdAt: new Date(r.created_at as string),
    updatedAt: new Date(r.updated_at as string),
    user_name: (r.user_name as string) ?? null,
    unit_name: r.unit_name as string,
  };
}

export type CredentialFilter = { mine?: boolean; userId?: string; unitId?: string; owner?: 'official' | 'unit'; page: number; pageSize: number };

/** Credentials the caller may see: their own, plus (for managers) those of their scope; newest first. */
export async function listCredentials(db: Db, p: Principal, f: CredentialFilter, now: Date): Promise<{ items: Credential[]; total: number }> {
  const where: SQL[] = [];
  if (f.mine) where.push(sql`c.user_id = ${p.userId}`);
  else if (!isSystemAdmin(p)) {
    const paths = (action: 'official.manage' | 'unit.manage') => p.roles.filter((r) => can(p, action, r.unitPath)).map((r) => `${r.unitPath}%`);
    const off = paths('official.manage');
    const uni = paths('unit.manage');
    const arr = (xs: string[]) => sql`${`{${xs.map((x) => `"${x}"`).join(',')}}`}::text[]`;
    where.push(sql`(c.user_id = ${p.userId} OR (c.owner = 'official' AND un.path LIKE ANY (${arr(off)})) OR (c.owner = 'unit' AND un.path LIKE ANY (${arr(uni)})))`);
  }
  if (f.userId) where.push(isUuid(f.userId) ? sql`c.user_id = ${f.userId}` : sql`false`);
  if (f.unitId) where.push(isUuid(f.unitId) ? sql`c.unit_id = ${f.unitId}` : sql`false`);
  if (f.owner) where.push(sql`c.owner = ${f.owner}`);
  const cond = where.length ? sql`WHERE ${sql.join(where, sql` AND `)}` : sql``;
  const [rows, [count]] = await Promise.all([
    queryRows<Raw>(db, sql`${SELECT} ${cond} ORDER BY c.created_at DESC, c.id DESC LIMIT ${f.pageSize} OFFSET ${(f.page - 1) * f.pageSize}`),
    queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM signing_credentials c JOIN units un ON un.id = c.unit_id ${cond}`),
  ]);
  return { items: rows.map((r) => presentCredential(fromRaw(r), now)), total: Number(count.n) };
}

export async function getCredential(db: Db, p: Principal, id: string, now: Date): Promise<Credential> {
  const c = await visibleCredential(db, p, id);
  const [raw] = await queryRows<Raw>(db, sql`${SELECT} WHERE c.id = ${c.id}`);
  return presentCredential(fromRaw(raw), now);
}

/**
 * Disable, re-enable or revoke (final) a credential; also clears a PIN lock. Owners may disable their own;
 * only managers re-enable, unlock or revoke.
 */
export async function changeCredentialStatus(db: Db, p: Principal, id: string, action: 'disable' | 'enable' | 'revoke' | 'unlock', ctx: ActorContext): Promise<void> {
  const c = await visibleCredential(db, p, id);
  const manager = await manages(db, p, c);
  if (action !== 'disable' && !manager) throw forbidden('Chỉ quản trị được mở khoá, kích hoạt lại hoặc thu hồi chứng thư số.');
  if (c.status === 'revoked') throw new AppError(409, 'credential-revoked', 'Chứng thư số đã bị thu hồi', 'Chứng thư số đã thu hồi không dùng lại được.');
  const set =
    action === 'disable'
      ? { status: 'disabled' as const }
      : action === 'enable'
        ? { status: 'active' as const }
        : action === 'revoke'
          ? { status: 'revoked' as const, pkcs12Encrypted: null }
          : { failedAttempts: 0, lockedUntil: null };
  await inTransaction(db, async (tx) => {
    await tx.update(signingCredentials).set({ ...set, updatedAt: ctx.now }).where(eq(signingCredentials.id, c.id));
    await writeAudit(tx, ctx, { action: `signing.credential_${action}`, objectType: 'signing_credential', objectId: c.id, unitId: c.unitId, summary: { before: c.status, subject: c.subject } });
  });
}

/** The active credentials of an official or a unit, newest first (for the "Ký số" and seal dialogs). */
export async function activeCredentials(db: Db, o: Owner, now: Date): Promise<Credential[]> {
  const who = o.owner === 'official' ? sql`c.owner = 'official' AND c.user_id = ${o.userId}` : sql`c.owner = 'unit' AND c.unit_id = ${o.unitId}`;
  const rows = await queryRows<Raw>(db, sql`${SELECT} WHERE ${who} AND c.status = 'active' ORDER BY c.created_at DESC, c.id DESC LIMIT 50`);
  return rows.map((r) => presentCredential(fromRaw(r), now));
}

import { and, asc, count, eq, ilike, inArray, or, sql } from 'drizzle-orm';
import { type Principal, type Role, can } from '../../core/access/index.js';
import { type ActorContext, writeAudit } from '../../core/audit/index.js';
import { hashPassword, passwordProblems } from '../../core/auth/password.js';
import { users } from '../../core/auth/schema.js';
import { deleteUserSessions } from '../../core/auth/sessions.js';
import { type Db, containsPattern, inTransaction } from '../../core/db/index.js';
import { conflict, forbidden, notFound, validationFailed, type FieldError } from '../../core/errors/index.js';
import { isUuid, newId } from '../../core/ids/index.js';
import { officials, roleAssignments, units } from './schema.js';
import { findUnit, scopeCondition } from './units.js';
import { emailProblem, phoneProblem, usernameProblem } from './validation.js';

export type RoleInput = { unitId: string; role: Role };
export type OfficialInput = {
  username: string;
  fullName: string;
  positionTitle?: string | null;
  unitId: string;
  email?: string | null;
  phone?: string | null;
  password: string;
  roles: RoleInput[];
};
export type Official = {
  id: string;
  username: string;
  fullName: string;
  positionTitle: string | null;
  unitId: string;
  unitName: string;
  email: string | null;
  phone: string | null;
  active: boolean;
  twoFactorEnabled: boolean;
  roles: { unitId: string; unitName: string; role: Role }[];
};

async function present(db: Db, ids: string[]): Promise<Official[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ u: users, o: officials, unitName: units.name })
    .from(users)
    .innerJoin(officials, eq(officials.userId, users.id))
    .innerJoin(units, eq(units.id, officials.unitId))
    .where(inArray(users.id, ids));
  const roles = await db
    .select({ userId: roleAssignments.userId, unitId: roleAssignments.unitId, role: roleAssignments.role, unitName: units.name })
    .from(roleAssignments)
    .innerJoin(units, eq(units.id, roleAssignments.unitId))
    .where(inArray(roleAssignments.userId, ids));
  const byId = new Map(rows.map((r) => [r.u.id, r]));
  return ids
    .map((id) => byId.get(id))
    .filter((r): r is NonNullable<typeof r> => !!r)
    .map(({ u, o, unitName }) => ({
      id: u.id,
      username: u.username,
      fullName: u.fullName,
      positionTitle: o.positionTitle,
      unitId: o.unitId,
      unitName,
      email: u.email,
      phone: u.phone,
      active: u.active,
      twoFactorEnabled: u.totpEnabled,
      roles: roles.filter((r) => r.userId === u.id).map(({ unitId, unitName: n, role }) => ({ unitId, unitName: n, role })),
    }));
}

export async function listOfficials(
  db: Db,
  p: Principal,
  q: { unitId?: string; q?: string; includeInactive?: boolean; page: number; pageSize: number },
) {
  const where = and(
    scopeCondition(p, 'official.read', units.path),
    q.unitId ? (isUuid(q.unitId) ? eq(officials.unitId, q.unitId) : sql`false`) : undefined,
    q.includeInactive ? undefined : eq(users.active, true),
    q.q ? or(ilike(users.fullName, containsPattern(q.q)), ilike(users.username, containsPattern(q.q)), ilike(users.email, containsPattern(q.q))) : undefined,
  );
  const base = db.select({ id: users.id }).from(users).innerJoin(officials, eq(officials.userId, users.id)).innerJoin(units, eq(units.id, officials.unitId));
  const [{ total }] = await db
    .select({ total: count() })
    .from(users)
    .innerJoin(officials, eq(officials.userId, users.id))
    .innerJoin(units, eq(units.id, officials.unitId))
    .where(where);
  const ids = await base.where(where).orderBy(asc(users.fullName), asc(users.id)).limit(q.pageSize).offset((q.page - 1) * q.pageSize);
  return { items: await present(db, ids.map((r) => r.id)), total, page: q.page, pageSize: q.pageSize };
}

/** An official whose unit the principal may read for `action` — 404 otherwise. */
async function officialInScope(db: Db, p: Principal, id: string, action: 'official.read' | 'official.manage') {
  if (!isUuid(id)) throw notFound('Cán bộ');
  const [row] = await db
    .select({ u: users, o: officials, path: units.path })
    .from(users)
    .innerJoin(officials, eq(officials.userId, users.id))
    .innerJoin(units, eq(units.id, officials.unitId))
    .where(eq(users.id, id))
    .limit(1);
  if (!row || !can(p, 'official.read', row.path)) throw notFound('Cán bộ');
  if (action === 'official.manage' && !can(p, 'official.manage', row.path)) throw forbidden('Bạn không có quyền quản trị cán bộ này.');
  return row;
}

/**
 * Control of the account itself (password, deactivation, profile) needs authority over every role the
 * official holds: otherwise a unit administrator could reset the password of someone who also holds
 * roles in another unit (or the system admin role) and act there as them.
 */
async function assertControlsAccount(db: Db, p: Principal, id: string): Promise<void> {
  const held = await db.select({ role: roleAssignments.role, path: units.path }).from(roleAssignments).innerJoin(units, eq(units.id, roleAssignments.unitId)).where(eq(roleAssignments.userId, id));
  if (held.some((r) => !can(p, 'official.manage', r.path) || (r.role === 'admin' && !can(p, 'role.grant_admin')))) {
    throw forbidden('Cán bộ này giữ vai trò ngoài phạm vi quản trị của bạn. Hãy liên hệ quản trị hệ thống.');
  }
}

export async function getOfficial(db: Db, p: Principal, id: string): Promise<Official> {
  await officialInScope(db, p, id, 'official.read');
  return (await present(db, [id]))[0];
}

/** Checks that every role's unit exists, is manageable by the principal, and that only admins grant 'admin'. */
async function checkRoles(db: Db, p: Principal, roles: RoleInput[], field = 'roles'): Promise<void> {
  const errors: FieldError[] = [];
  for (const [i, r] of roles.entries()) {
    const u = await findUnit(db, r.unitId);
    if (!u || !can(p, 'unit.read', u.path)) errors.push({ field: `${field}.${i}.unitId`, message: 'Đơn vị không tồn tại.' });
    else if (!can(p, 'official.manage', u.path)) errors.push({ field: `${field}.${i}.unitId`, message: 'Bạn không có quyền phân vai trò tại đơn vị này.' });
    else if (!u.active) errors.push({ field: `${field}.${i}.unitId`, message: 'Đơn vị đã ngừng hoạt động.' });
    if (r.role === 'admin' && !can(p, 'role.grant_admin')) errors.push({ field: `${field}.${i}.role`, message: 'Chỉ quản trị hệ thống được cấp vai trò quản trị hệ thống.' });
  }
  if (errors.length) throw validationFailed(errors);
}

export function officialInputProblems(input: Partial<OfficialInput>): FieldError[] {
  const errors: FieldError[] = [];
  if (input.username !== undefined) {
    const m = usernameProblem(input.username);
    if (m) errors.push({ field: 'username', message: m });
  }
  if (input.fullName !== undefined && !input.fullName.trim()) errors.push({ field: 'fullName', message: 'Họ và tên không được để trống.' });
  if (input.email) {
    const m = emailProblem(input.email);
    if (m) errors.push({ field: 'email', message: m });
  }
  if (input.phone) {
    const m = phoneProblem(input.phone);
    if (m) errors.push({ field: 'phone', message: m });
  }
  if (input.password !== undefined) {
    for (const message of passwordProblems(input.password, input.username)) errors.push({ field: 'password', message });
  }
  return errors;
}

/** Inserts an official with roles (already authorised and validated); shared with the Excel import. */
export async function insertOfficial(tx: Db, input: Omit<OfficialInput, 'password'> & { passwordHash: string }, ctx: ActorContext): Promise<string> {
  const id = newId();
  const [dup] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.username}) = ${input.username.toLowerCase()}`).limit(1);
  if (dup) throw conflict(`Tên đăng nhập "${input.username}" đã được dùng.`, 'username-taken');
  await tx.insert(users).values({
    id,
    kind: 'official',
    username: input.username.toLowerCase(),
    fullName: input.fullName.trim().normalize('NFC'),
    email: input.email || null,
    phone: input.phone || null,
    passwordHash: input.passwordHash,
    createdAt: ctx.now,
    updatedAt: ctx.now,
    passwordChangedAt: ctx.now,
  });
  await tx.insert(officials).values({ userId: id, unitId: input.unitId, positionTitle: input.positionTitle?.trim().normalize('NFC') || null });
  if (input.roles.length) await tx.insert(roleAssignments).values(input.roles.map((r) => ({ userId: id, unitId: r.unitId, role: r.role }))).onConflictDoNothing();
  await writeAudit(tx, ctx, {
    action: 'official.create',
    objectType: 'official',
    objectId: id,
    unitId: input.unitId,
    summary: { username: input.username, fullName: input.fullName, unitId: input.unitId, roles: input.roles },
  });
  return id;
}

export async function createOfficial(db: Db, p: Principal, input: OfficialInput, ctx: ActorContext): Promise<Official> {
  const errors = officialInputProblems(input);
  if (errors.length) throw validationFailed(errors);
  await checkRoles(db, p, [{ unitId: input.unitId, role: 'specialist' }], 'unitId').catch(() => {
    throw validationFailed([{ field: 'unitId', message: 'Đơn vị không tồn tại hoặc bạn không có quyền quản trị đơn vị này.' }]);
  });
  await checkRoles(db, p, input.roles);
  const passwordHash = await hashPassword(input.password);
  const id = await inTransaction(db, (tx) => insertOfficial(tx, { ...input, passwordHash }, ctx));
  return getOfficial(db, p, id);
}

export type OfficialPatch = { fullName?: string; positionTitle?: string | null; unitId?: string; email?: string | null; phone?: string | null; active?: boolean };

export async function updateOfficial(db: Db, p: Principal, id: string, patch: OfficialPatch, ctx: ActorContext): Promise<Official> {
  const errors = officialInputProblems(patch);
  if (errors.length) throw validationFailed(errors);
  const row = await officialInScope(db, p, id, 'official.manage');
  await assertControlsAccount(db, p, id);
  if (patch.unitId && patch.unitId !== row.o.unitId) {
    await checkRoles(db, p, [{ unitId: patch.unitId, role: 'specialist' }], 'unitId').catch(() => {
      throw validationFailed([{ field: 'unitId', message: 'Đơn vị không tồn tại hoặc bạn không có quyền quản trị đơn vị này.' }]);
    });
  }
  if (patch.active === false && id === p.userId) throw conflict('Bạn không thể tự ngừng kích hoạt tài khoản của mình.');
  await inTransaction(db, async (tx) => {
    const u: Partial<typeof users.$inferInsert> = { updatedAt: ctx.now };
    if (patch.fullName !== undefined) u.fullName = patch.fullName.trim().normalize('NFC');
    if (patch.email !== undefined) u.email = patch.email || null;
    if (patch.phone !== undefined) u.phone = patch.phone || null;
    if (patch.active !== undefined) u.active = patch.active;
    await tx.update(users).set(u).where(eq(users.id, id));
    const o: Partial<typeof officials.$inferInsert> = {};
    if (patch.unitId !== undefined) o.unitId = patch.unitId;
    if (patch.positionTitle !== undefined) o.positionTitle = patch.positionTitle?.trim().normalize('NFC') || null;
    if (Object.keys(o).length) await tx.update(officials).set(o).where(eq(officials.userId, id));
    if (patch.active === false) await deleteUserSessions(tx, id);
    await writeAudit(tx, ctx, {
      action: patch.active === false ? 'official.deactivate' : patch.active === true && !row.u.active ? 'official.reactivate' : 'official.update',
      objectType: 'official',
      objectId: id,
      unitId: patch.unitId ?? row.o.unitId,
      summary: { changes: patch },
    });
  });
  return getOfficial(db, p, id);
}

export async function setRoles(db: Db, p: Principal, id: string, roles: RoleInput[], ctx: ActorContext): Promise<Official> {
  const row = await officialInScope(db, p, id, 'official.manage');
  const current = await db.select().from(roleAssignments).where(eq(roleAssignments.userId, id));
  // Roles the principal could not grant must not be removable by them either.
  const untouchable: typeof current = [];
  for (const r of current) {
    const u = await findUnit(db, r.unitId);
    if (!u || !can(p, 'official.manage', u.path) || (r.role === 'admin' && !can(p, 'role.grant_admin'))) untouchable.push(r);
  }
  const wanted = roles.filter((r) => !untouchable.some((x) => x.unitId === r.unitId && x.role === r.role));
  await checkRoles(db, p, wanted);
  if (id === p.userId && current.some((r) => r.role === 'admin') && !roles.some((r) => r.role === 'admin')) {
    throw conflict('Bạn không thể tự gỡ vai trò quản trị hệ thống của mình.');
  }
  await inTransaction(db, async (tx) => {
    for (const r of current) {
      if (untouchable.includes(r)) continue;
      await tx.delete(roleAssignments).where(and(eq(roleAssignments.userId, id), eq(roleAssignments.unitId, r.unitId), eq(roleAssignments.role, r.role)));
    }
    if (wanted.length) await tx.insert(roleAssignments).values(wanted.map((r) => ({ userId: id, ...r }))).onConflictDoNothing();
    await writeAudit(tx, ctx, {
      action: 'official.set_roles',
      objectType: 'official',
      objectId: id,
      unitId: row.o.unitId,
      summary: { before: current.map(({ unitId, role }) => ({ unitId, role })), after: [...untouchable.map(({ unitId, role }) => ({ unitId, role })), ...wanted] },
    });
  });
  return getOfficial(db, p, id);
}

export async function resetPassword(db: Db, p: Principal, id: string, newPassword: string, ctx: ActorContext): Promise<void> {
  const row = await officialInScope(db, p, id, 'official.manage');
  await assertControlsAccount(db, p, id);
  const problems = passwordProblems(newPassword, row.u.username);
  if (problems.length) throw validationFailed(problems.map((message) => ({ field: 'newPassword', message })));
  const passwordHash = await hashPassword(newPassword);
  await inTransaction(db, async (tx) => {
    await tx.update(users).set({ passwordHash, passwordChangedAt: ctx.now, updatedAt: ctx.now }).where(eq(users.id, id));
    await deleteUserSessions(tx, id);
    await writeAudit(tx, ctx, { action: 'official.reset_password', objectType: 'official', objectId: id, unitId: row.o.unitId, summary: {} });
  });
}

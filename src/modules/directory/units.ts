import { and, eq, like, or, sql, type SQL } from 'drizzle-orm';
import { type Principal, can, scopeFor, type Action } from '../../core/access/index.js';
import { type ActorContext, writeAudit } from '../../core/audit/index.js';
import { type Db, inTransaction, queryRows } from '../../core/db/index.js';
import { AppError, conflict, forbidden, notFound, validationFailed, type FieldError } from '../../core/errors/index.js';
import { isUuid, newId } from '../../core/ids/index.js';
import { units, type UNIT_KINDS, type UNIT_LEVELS } from './schema.js';
import { agencyCodeProblem, emailProblem, phoneProblem } from './validation.js';

export type UnitRow = typeof units.$inferSelect;
export type Unit = Omit<UnitRow, 'path' | 'createdAt' | 'updatedAt'>;
export type UnitLevel = (typeof UNIT_LEVELS)[number];
export type UnitKind = (typeof UNIT_KINDS)[number];

export type UnitInput = {
  parentId: string | null;
  level: UnitLevel;
  kind: UnitKind;
  name: string;
  shortName: string;
  agencyCode?: string | null;
  address?: string | null;
  phone?: string | null;
  email?: string | null;
};

export const presentUnit = (u: UnitRow): Unit => ({
  id: u.id,
  parentId: u.parentId,
  depth: u.depth,
  level: u.level,
  kind: u.kind,
  name: u.name,
  shortName: u.shortName,
  agencyCode: u.agencyCode,
  address: u.address,
  phone: u.phone,
  email: u.email,
  active: u.active,
});

/** SQL condition restricting a path column to the principal's scope for an action. */
export function scopeCondition(p: Principal, action: Action, pathCol: typeof units.path): SQL | undefined {
  const scope = scopeFor(p, action);
  if (scope.all) return undefined;
  if (scope.paths.length === 0) return sql`false`;
  return or(...scope.paths.map((prefix) => like(pathCol, `${prefix}%`)));
}

export async function findUnit(db: Db, id: string): Promise<UnitRow | undefined> {
  if (!isUuid(id)) return undefined;
  const [u] = await db.select().from(units).where(eq(units.id, id)).limit(1);
  return u;
}

/** A unit the principal may see (404 otherwise, so existence is not revealed). */
export async function readableUnit(db: Db, p: Principal, id: string): Promise<UnitRow> {
  const u = await findUnit(db, id);
  if (!u || !can(p, 'unit.read', u.path)) throw notFound('Đơn vị');
  return u;
}

async function manageableUnit(db: Db, p: Principal, id: string): Promise<UnitRow> {
  const u = await readableUnit(db, p, id);
  if (!can(p, 'unit.manage', u.path)) throw forbidden('Bạn không có quyền quản trị đơn vị này.');
  return u;
}

// Fixed SQL text (no query building per call): this list is read on most page loads.
export async function listUnits(db: Db, p: Principal, opts: { includeInactive?: boolean }): Promise<Unit[]> {
  const scope = scopeFor(p, 'unit.read');
  const prefixes = scope.all ? [] : scope.paths.map((x) => `${x}%`);
  const rows = await queryRows<{ id: string; parent_id: string | null; depth: number; level: UnitLevel; kind: UnitKind; name: string; short_name: string; agency_code: string | null; address: string | null; phone: string | null; email: string | null; active: boolean }>(
    db,
    sql`SELECT id, parent_id, depth, level, kind, name, short_name, agency_code, address, phone, email, active FROM units
         WHERE (${scope.all} OR path LIKE ANY (${`{${prefixes.map((x) => `"${x}"`).join(',')}}`}::text[]))
           AND (${!!opts.includeInactive} OR active)
         ORDER BY depth, name LIMIT 5000`,
  );
  return rows.map((u) => ({
    id: u.id,
    parentId: u.parent_id,
    depth: u.depth,
    level: u.level,
    kind: u.kind,
    name: u.name,
    shortName: u.short_name,
    agencyCode: u.agency_code,
    address: u.address,
    phone: u.phone,
    email: u.email,
    active: u.active,
  }));
}

export function unitInputProblems(input: Partial<UnitInput>): FieldError[] {
  const errors: FieldError[] = [];
  if (input.name !== undefined && !input.name.trim()) errors.push({ field: 'name', message: 'Tên đơn vị không được để trống.' });
  if (input.shortName !== undefined && !/^[\p{L}\p{N}.&-]{1,20}$/u.test(input.shortName)) {
    errors.push({ field: 'shortName', message: 'Tên viết tắt 1–20 ký tự, không có khoảng trắng (ví dụ UBND, VP).' });
  }
  if (input.agencyCode) {
    const m = agencyCodeProblem(input.agencyCode);
    if (m) errors.push({ field: 'agencyCode', message: m });
  }
  if (input.email) {
    const m = emailProblem(input.email);
    if (m) errors.push({ field: 'email', message: m });
  }
  if (input.phone) {
    const m = phoneProblem(input.phone);
    if (m) errors.push({ field: 'phone', message: m });
  }
  return errors;
}

const nfc = (s: string | null | undefined) => (s == null ? s : s.trim().normalize('NFC'));

/** Inserts a unit under its (already authorised) parent; shared by the API and the Excel import. */
export async function insertUnit(tx: Db, parent: UnitRow | null, input: UnitInput, ctx: ActorContext): Promise<UnitRow> {
  const id = newId();
  const [row] = await tx
    .insert(units)
    .values({
      id,
      parentId: parent?.id ?? null,
      path: `${parent?.path ?? '/'}${id}/`,
      depth: (parent?.depth ?? -1) + 1,
      level: input.level,
      kind: input.kind,
      name: nfc(input.name)!,
      shortName: nfc(input.shortName)!,
      agencyCode: input.agencyCode || null,
      address: nfc(input.address) || null,
      phone: input.phone || null,
      email: input.email || null,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    })
    .returning();
  await writeAudit(tx, ctx, { action: 'unit.create', objectType: 'unit', objectId: id, unitId: id, summary: { after: presentUnit(row) } });
  return row;
}

export async function createUnit(db: Db, p: Principal, input: UnitInput, ctx: ActorContext): Promise<Unit> {
  const errors = unitInputProblems(input);
  if (errors.length) throw validationFailed(errors);
  let parent: UnitRow | null = null;
  if (input.parentId) {
    parent = await manageableUnit(db, p, input.parentId);
  } else if (!can(p, 'unit.manage')) {
    throw forbidden('Chỉ quản trị hệ thống được tạo đơn vị gốc.');
  }
  if (parent && !parent.active) throw conflict('Không thể tạo đơn vị trực thuộc một đơn vị đã ngừng hoạt động.');
  return presentUnit(await inTransaction(db, (tx) => insertUnit(tx, parent, input, ctx)));
}

export type UnitPatch = Partial<Omit<UnitInput, 'parentId'>> & { parentId?: string | null; active?: boolean };

export async function updateUnit(db: Db, p: Principal, id: string, patch: UnitPatch, ctx: ActorContext): Promise<Unit> {
  const errors = unitInputProblems(patch);
  if (errors.length) throw validationFailed(errors);
  const unit = await manageableUnit(db, p, id);
  return inTransaction(db, async (tx) => {
    const changes: Partial<UnitRow> = {};
    for (const k of ['level', 'kind', 'name', 'shortName', 'agencyCode', 'address', 'phone', 'email'] as const) {
      if (patch[k] !== undefined) (changes as Record<string, unknown>)[k] = typeof patch[k] === 'string' ? nfc(patch[k] as string) || null : patch[k];
    }
    if (changes.name === null || changes.shortName === null) throw validationFailed([{ field: 'name', message: 'Tên không được để trống.' }]);
    if (patch.active === false && unit.active) {
      const [child] = await tx.select({ id: units.id }).from(units).where(and(eq(units.parentId, id), eq(units.active, true))).limit(1);
      if (child) throw conflict('Đơn vị còn đơn vị trực thuộc đang hoạt động. Hãy ngừng hoạt động các đơn vị đó trước.', 'has-active-children');
      changes.active = false;
    } else if (patch.active === true) {
      changes.active = true;
    }
    if (patch.parentId !== undefined && patch.parentId !== unit.parentId) await moveUnit(tx, p, unit, patch.parentId);
    const [after] = await tx.update(units).set({ ...changes, updatedAt: ctx.now }).where(eq(units.id, id)).returning();
    // Same rule as createUnit: no active unit below a deactivated one (moving or reactivating into one).
    if (after.active && after.parentId && (patch.active === true || after.parentId !== unit.parentId)) {
      const [parent] = await tx.select({ active: units.active }).from(units).where(eq(units.id, after.parentId)).limit(1);
      if (!parent?.active) throw conflict('Đơn vị cấp trên đã ngừng hoạt động. Hãy kích hoạt lại đơn vị cấp trên trước.', 'inactive-parent');
    }
    const before = presentUnit(unit);
    const diff = Object.fromEntries(
      Object.entries(presentUnit(after)).filter(([k, v]) => (before as Record<string, unknown>)[k] !== v).map(([k, v]) => [k, { from: (before as Record<string, unknown>)[k], to: v }]),
    );
    await writeAudit(tx, ctx, {
      action: patch.active === false ? 'unit.deactivate' : patch.parentId !== undefined && patch.parentId !== unit.parentId ? 'unit.move' : 'unit.update',
      objectType: 'unit',
      objectId: id,
      unitId: id,
      summary: { changes: diff },
    });
    return presentUnit(after);
  });
}

/** Moves a unit with its whole subtree; refuses cycles and targets outside the principal's reach. */
async function moveUnit(tx: Db, p: Principal, unit: UnitRow, newParentId: string | null): Promise<void> {
  if (unit.parentId === null && !can(p, 'unit.manage')) throw forbidden('Chỉ quản trị hệ thống được di chuyển đơn vị gốc.');
  let parent: UnitRow | null = null;
  if (newParentId) {
    parent = (await findUnit(tx, newParentId)) ?? null;
    if (!parent || !can(p, 'unit.read', parent.path)) throw validationFailed([{ field: 'parentId', message: 'Đơn vị cấp trên không tồn tại.' }]);
    if (!can(p, 'unit.manage', parent.path)) throw forbidden('Bạn không có quyền quản trị đơn vị cấp trên mới.');
    if (parent.path.startsWith(unit.path)) {
      throw validationFailed([{ field: 'parentId', message: 'Không thể chuyển đơn vị vào chính nó hoặc đơn vị trực thuộc của nó.' }]);
    }
  } else if (!can(p, 'unit.manage')) {
    throw forbidden('Chỉ quản trị hệ thống được tạo đơn vị gốc.');
  }
  const newPath = `${parent?.path ?? '/'}${unit.id}/`;
  const delta = (parent?.depth ?? -1) + 1 - unit.depth;
  await tx.execute(sql`UPDATE units SET path = ${newPath} || substr(path, ${unit.path.length + 1}), depth = depth + ${delta}
                       WHERE path LIKE ${unit.path + '%'}`);
  await tx.update(units).set({ parentId: parent?.id ?? null }).where(eq(units.id, unit.id));
}

/** Hard delete only when nothing references the unit; otherwise deactivate. */
export async function deleteUnit(db: Db, p: Principal, id: string, ctx: ActorContext): Promise<void> {
  const unit = await manageableUnit(db, p, id);
  try {
    await inTransaction(db, async (tx) => {
      await tx.delete(units).where(eq(units.id, id));
      await writeAudit(tx, ctx, { action: 'unit.delete', objectType: 'unit', objectId: id, unitId: unit.parentId, summary: { before: presentUnit(unit) } });
    });
  } catch (err) {
    const code = (err as { code?: string; cause?: { code?: string } }).cause?.code ?? (err as { code?: string }).code;
    if (code === '23503') {
      throw new AppError(409, 'unit-referenced', 'Không thể xoá đơn vị', 'Đơn vị đang được sử dụng (có đơn vị trực thuộc, cán bộ hoặc dữ liệu). Hãy chuyển sang ngừng hoạt động.');
    }
    throw err;
  }
}

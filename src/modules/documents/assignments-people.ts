import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../core/db/index.js';
import { AppError, type FieldError } from '../../core/errors/index.js';
import { isUuid } from '../../core/ids/index.js';

/** People and units a document may go to: leaders to present to, handlers to assign, units to forward to. */

export type Assignee = { kind: 'user' | 'unit'; id: string; name: string };
export type Ref = { field: string; id: string };

const uuids = (ids: string[]) => sql`${`{${ids.filter(isUuid).join(',')}}`}::uuid[]`;
const below = (path: string) => `${path.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** SQL: the official (users row `u`) works in the subtree: primary unit or any role there. */
const inSubtree = (path: string) => sql`(EXISTS (SELECT 1 FROM officials o JOIN units un ON un.id = o.unit_id WHERE o.user_id = u.id AND un.path LIKE ${below(path)})
   OR EXISTS (SELECT 1 FROM role_assignments ra JOIN units un ON un.id = ra.unit_id WHERE ra.user_id = u.id AND un.active AND un.path LIKE ${below(path)}))`;

export const notFoundFields = (detail: string, errors: FieldError[]) => new AppError(404, 'not-found', 'Không tìm thấy', detail, errors);

/**
 * Resolves ids (each an official or a unit) to assignees within the subtree of `basePath`: active officials
 * working there, active units strictly below the base unit. Anything else answers 404 naming the field.
 */
export async function resolveAssignees(db: Db, base: { id: string; path: string }, refs: Ref[]): Promise<Map<string, Assignee>> {
  const ids = [...new Set(refs.map((r) => r.id))];
  const found = new Map<string, Assignee>();
  if (ids.some(isUuid)) {
    const people = await queryRows<{ id: string; name: string }>(
      db,
      sql`SELECT u.id, u.full_name AS name FROM users u WHERE u.id = ANY(${uuids(ids)}) AND u.kind = 'official' AND u.active AND ${inSubtree(base.path)}`,
    );
    const unitRows = await queryRows<{ id: string; name: string }>(
      db,
      sql`SELECT id, name FROM units WHERE id = ANY(${uuids(ids)}) AND active AND id <> ${base.id} AND path LIKE ${below(base.path)}`,
    );
    people.forEach((x) => found.set(x.id, { kind: 'user', ...x }));
    unitRows.forEach((x) => found.set(x.id, { kind: 'unit', ...x }));
  }
  const missing = refs.filter((r) => !found.has(r.id)).map((r) => ({ field: r.field, message: 'Không tìm thấy cán bộ hoặc đơn vị này trong phạm vi đơn vị xử lý.' }));
  if (missing.length) throw notFoundFields('Người hoặc đơn vị được giao không thuộc đơn vị xử lý văn bản.', missing);
  return found;
}

/** A leader or deputy leader of the unit at `unitPath` or of an ancestor, active; undefined otherwise. */
export async function findLeader(db: Db, userId: string, unitPath: string): Promise<{ id: string; name: string } | undefined> {
  if (!isUuid(userId)) return undefined;
  const [row] = await queryRows<{ id: string; name: string }>(
    db,
    sql`SELECT u.id, u.full_name AS name FROM users u
         WHERE u.id = ${userId} AND u.kind = 'official' AND u.active
           AND EXISTS (SELECT 1 FROM role_assignments ra JOIN units un ON un.id = ra.unit_id
                        WHERE ra.user_id = u.id AND ra.role IN ('leader', 'deputy_leader') AND un.active AND ${unitPath} LIKE un.path || '%')`,
  );
  return row;
}

/** Is the user an active official working in the subtree (used to tell "not a leader" from "unknown")? */
export async function worksIn(db: Db, userId: string, path: string): Promise<boolean> {
  if (!isUuid(userId)) return false;
  const rows = await queryRows<{ id: string }>(db, sql`SELECT u.id FROM users u WHERE u.id = ${userId} AND u.kind = 'official' AND u.active AND ${inSubtree(path)}`);
  return rows.length > 0;
}

/** Unit ids among `unitIds` that have at least one active unit below them. */
export async function unitsWithSubordinates(db: Db, unitIds: string[]): Promise<Set<string>> {
  const ids = [...new Set(unitIds)].filter(isUuid);
  if (ids.length === 0) return new Set();
  const rows = await queryRows<{ id: string }>(
    db,
    sql`SELECT b.id FROM units b WHERE b.id = ANY(${uuids(ids)})
         AND EXISTS (SELECT 1 FROM units c WHERE c.parent_id = b.id AND c.active)`,
  );
  return new Set(rows.map((r) => r.id));
}

export type Handler = { id: string; fullName: string; positionTitle: string | null; unitId: string; unitName: string; roles: string[] };

/** Officials a leader may assign within a unit's subtree, or (`leaders`) the leaders a clerk may present to. */
export async function listHandlers(
  db: Db,
  unit: { id: string; path: string },
  opts: { leaders: boolean; q?: string; page: number; pageSize: number },
): Promise<{ items: Handler[]; total: number }> {
  const scope = opts.leaders
    ? sql`EXISTS (SELECT 1 FROM role_assignments ra JOIN units un ON un.id = ra.unit_id WHERE ra.user_id = u.id AND ra.role IN ('leader', 'deputy_leader') AND un.active AND ${unit.path} LIKE un.path || '%')`
    : inSubtree(unit.path);
  const q = opts.q?.trim() ? sql`AND lower(u.full_name) LIKE lower(${`%${opts.q.trim().normalize('NFC').replace(/[\\%_]/g, (c) => `\\${c}`)}%`})` : sql``;
  const where = sql`u.kind = 'official' AND u.active AND ${scope} ${q}`;
  const [{ n }] = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM users u WHERE ${where}`);
  const rows = await queryRows<{ id: string; full_name: string; position_title: string | null; unit_id: string; unit_name: string; roles: string[] | string | null }>(
    db,
    sql`SELECT u.id, u.full_name, o.position_title, o.unit_id, un.name AS unit_name,
               (SELECT json_agg(DISTINCT ra.role) FROM role_assignments ra JOIN units ru ON ru.id = ra.unit_id
                 WHERE ra.user_id = u.id AND (ru.path LIKE ${below(unit.path)} OR ${unit.path} LIKE ru.path || '%')) AS roles
          FROM users u JOIN officials o ON o.user_id = u.id JOIN units un ON un.id = o.unit_id
         WHERE ${where}
         ORDER BY un.path, u.full_name, u.id
         LIMIT ${opts.pageSize} OFFSET ${(opts.page - 1) * opts.pageSize}`,
  );
  const items = rows.map((r) => ({
    id: r.id,
    fullName: r.full_name,
    positionTitle: r.position_title,
    unitId: r.unit_id,
    unitName: r.unit_name,
    roles: (typeof r.roles === 'string' ? (JSON.parse(r.roles) as string[]) : (r.roles ?? [])).sort(),
  }));
  return { items, total: n };
}

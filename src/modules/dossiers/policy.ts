import { eq, sql, type SQL } from 'drizzle-orm';
import { type Principal, type Role, scopeFor } from '../../core/access/index.js';
import { type Db, queryRows } from '../../core/db/index.js';
import { notFound } from '../../core/errors/index.js';
import { isUuid } from '../../core/ids/index.js';
import type { DossierRow } from './log.js';
import { dossiers } from './schema.js';

/**
 * Who sees and acts on a dossier (one place):
 * - officials holding `dossier.read` (desk, specialists, leaders) over any unit the dossier passed
 *   through (`dossier_units`: the receiving unit, the units it was forwarded or transferred to) read it
 *   whole, history included; and whoever holds it now;
 * - the applicant (the citizen's account) reads their own dossiers;
 * - everyone else gets 404, so a dossier's existence is not revealed.
 * Which role may take which action is the transition table's business (transitions.ts); the reach of
 * a role is the unit where it is held and its descendants, as everywhere in core/access.
 */

const textArray = (xs: string[]) => sql`${`{${xs.map((x) => `"${x}%"`).join(',')}}`}::text[]`;

/** SQL: the dossier `d` is readable by the principal. */
export function readableCondition(p: Principal): SQL {
  if (p.kind === 'citizen') return sql`(d.applicant_user_id = ${p.userId} OR d.created_by = ${p.userId})`;
  // An online draft is the citizen's own until submitted: officials never see status 0.
  const scope = scopeFor(p, 'dossier.read');
  const holder = sql`d.holder_user_id = ${p.userId}`;
  if (scope.all) return sql`d.status <> 0`;
  if (scope.paths.length === 0) return holder;
  return sql`(d.status <> 0 AND (${holder} OR EXISTS (SELECT 1 FROM dossier_units du JOIN units u ON u.id = du.unit_id
      WHERE du.dossier_id = d.id AND u.path LIKE ANY (${textArray(scope.paths)}))))`;
}

export async function findDossier(db: Db, id: string): Promise<DossierRow | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await db.select().from(dossiers).where(eq(dossiers.id, id)).limit(1);
  return row;
}

/** The dossier if the principal may read it; 404 otherwise. */
export async function readableDossier(db: Db, p: Principal, id: string): Promise<DossierRow> {
  const row = await findDossier(db, id);
  if (!row || !(await canRead(db, p, row))) throw notFound('Hồ sơ');
  return row;
}

export async function canRead(db: Db, p: Principal, d: Pick<DossierRow, 'id' | 'applicantUserId' | 'createdBy' | 'holderUserId' | 'status'>): Promise<boolean> {
  if (p.kind === 'citizen') return d.applicantUserId === p.userId || d.createdBy === p.userId;
  if (d.status === 0) return false;
  if (d.holderUserId === p.userId) return true;
  const scope = scopeFor(p, 'dossier.read');
  if (scope.all) return true;
  if (scope.paths.length === 0) return false;
  const rows = await queryRows<{ ok: number }>(
    db,
    sql`SELECT 1 AS ok FROM dossier_units du JOIN units u ON u.id = du.unit_id WHERE du.dossier_id = ${d.id} AND u.path LIKE ANY (${textArray(scope.paths)}) LIMIT 1`,
  );
  return rows.length > 0;
}

/** Row-locked read inside a transaction (after access was checked). */
export async function lockDossier(tx: Db, id: string): Promise<DossierRow> {
  const [row] = await tx.select().from(dossiers).where(eq(dossiers.id, id)).for('update').limit(1);
  if (!row) throw notFound('Hồ sơ');
  return row;
}

/** Does the principal hold one of the roles over the unit at `unitPath` (there or at an ancestor)? */
export function holdsRoleOver(p: Principal, roles: readonly string[], unitPath: string): boolean {
  return p.kind === 'official' && p.roles.some((g) => roles.includes(g.role) && unitPath.startsWith(g.unitPath));
}

/** Ids of the units where the principal holds one of the roles, with their descendants. */
export async function unitIdsWithRoles(db: Db, p: Principal, roles: readonly Role[]): Promise<string[]> {
  if (p.kind !== 'official') return [];
  const paths = [...new Set(p.roles.filter((g) => roles.includes(g.role)).map((g) => g.unitPath))];
  if (paths.length === 0) return [];
  const rows = await queryRows<{ id: string }>(db, sql`SELECT id FROM units WHERE path LIKE ANY (${textArray(paths)})`);
  return rows.map((r) => r.id);
}

export type UnitInfo = { id: string; name: string; path: string; level: string; kind: string; parentName: string | null; active: boolean };

export async function unitInfo(db: Db, id: string): Promise<UnitInfo | undefined> {
  if (!isUuid(id)) return undefined;
  const [u] = await queryRows<{ id: string; name: string; path: string; level: string; kind: string; parent_name: string | null; active: boolean }>(
    db,
    sql`SELECT u.id, u.name, u.path, u.level, u.kind, p.name AS parent_name, u.active FROM units u LEFT JOIN units p ON p.id = u.parent_id WHERE u.id = ${id}`,
  );
  return u && { id: u.id, name: u.name, path: u.path, level: u.level, kind: u.kind, parentName: u.parent_name, active: u.active };
}

export type OfficialInfo = { id: string; fullName: string; active: boolean; roles: { role: string; unitId: string; unitPath: string }[] };

/** An official's roles with the paths of their units (for hand-over checks). */
export async function officialInfo(db: Db, userId: string): Promise<OfficialInfo | undefined> {
  if (!isUuid(userId)) return undefined;
  const rows = await queryRows<{ id: string; full_name: string; active: boolean; role: string | null; unit_id: string | null; path: string | null }>(
    db,
    sql`SELECT us.id, us.full_name, us.active, r.role, r.unit_id, u.path FROM users us
          LEFT JOIN role_assignments r ON r.user_id = us.id LEFT JOIN units u ON u.id = r.unit_id
         WHERE us.id = ${userId} AND us.kind = 'official'`,
  );
  if (rows.length === 0) return undefined;
  return {
    id: rows[0].id,
    fullName: rows[0].full_name,
    active: rows[0].active,
    roles: rows.filter((r) => r.role && r.unit_id && r.path).map((r) => ({ role: r.role!, unitId: r.unit_id!, unitPath: r.path! })),
  };
}

import { sql } from 'drizzle-orm';
import type { Principal, RoleGrant } from '../../core/access/index.js';
import { type Db, queryRows } from '../../core/db/index.js';

/** Loads who the user is and what they hold, in one query; roles on deactivated units do not count. */
export async function loadPrincipal(db: Db, userId: string): Promise<Principal | null> {
  const rows = await queryRows<{ kind: 'official' | 'citizen'; username: string; full_name: string; unit_id: string | null; roles: RoleGrant[] | string }>(
    db,
    sql`SELECT u.kind, u.username, u.full_name, o.unit_id,
          coalesce((SELECT json_agg(json_build_object('unitId', ra.unit_id, 'unitPath', un.path, 'role', ra.role))
                      FROM role_assignments ra JOIN units un ON un.id = ra.unit_id
                     WHERE ra.user_id = u.id AND un.active), '[]'::json) AS roles
        FROM users u LEFT JOIN officials o ON o.user_id = u.id
       WHERE u.id = ${userId} AND u.active`,
  );
  const r = rows[0];
  if (!r) return null;
  const roles = typeof r.roles === 'string' ? (JSON.parse(r.roles) as RoleGrant[]) : r.roles;
  return { userId, kind: r.kind, username: r.username, fullName: r.full_name, unitId: r.unit_id, roles };
}

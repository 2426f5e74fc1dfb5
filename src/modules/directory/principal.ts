import type { Principal, RoleGrant } from '../../core/access/index.js';
import type { UserProfile } from '../../core/auth/profile.js';
import type { ActiveSession } from '../../core/auth/sessions.js';
import { type Database, hotQuery } from '../../core/db/index.js';

// Session + user + official profile + roles (with their units' paths and names) in one statement:
// this runs on every authenticated request. Roles on deactivated units do not count.
const SESSION_SQL = `
SELECT s.id, s.user_id, s.csrf_hash, s.stage, s.attempts, s.expires_at, s.last_seen_at,
       u.kind, u.username, u.full_name, u.email, u.phone, u.active, u.totp_enabled,
       o.unit_id, o.position_title, ou.name AS unit_name, c.id_number,
       coalesce((SELECT json_agg(json_build_object('unitId', ra.unit_id, 'unitPath', un.path, 'unitName', un.name, 'role', ra.role)
                                 ORDER BY un.depth, un.name, ra.role)
                   FROM role_assignments ra JOIN units un ON un.id = ra.unit_id
                  WHERE ra.user_id = u.id AND un.active), '[]'::json) AS roles
  FROM sessions s
  JOIN users u ON u.id = s.user_id
  LEFT JOIN officials o ON o.user_id = u.id
  LEFT JOIN units ou ON ou.id = o.unit_id
  LEFT JOIN citizens c ON c.user_id = u.id
 WHERE s.token_hash = $1`;

type Row = {
  id: string;
  user_id: string;
  csrf_hash: string;
  stage: 'active' | 'totp';
  attempts: number;
  expires_at: Date;
  last_seen_at: Date;
  kind: 'official' | 'citizen';
  username: string;
  full_name: string;
  email: string | null;
  phone: string | null;
  active: boolean;
  totp_enabled: boolean;
  unit_id: string | null;
  position_title: string | null;
  unit_name: string | null;
  id_number: string | null;
  roles: RoleGrant[] | string;
};

export async function loadSession(database: Database, tokenHash: string): Promise<{ session: ActiveSession; principal: Principal; profile: UserProfile } | null> {
  const [r] = await hotQuery<Row>(database, 'lienthong_session', SESSION_SQL, [tokenHash]);
  if (!r) return null;
  const roles = typeof r.roles === 'string' ? (JSON.parse(r.roles) as RoleGrant[]) : r.roles;
  const session: ActiveSession = {
    id: r.id,
    userId: r.user_id,
    csrfHash: r.csrf_hash,
    stage: r.stage,
    attempts: r.attempts,
    expiresAt: new Date(r.expires_at),
    lastSeenAt: new Date(r.last_seen_at),
    user: { kind: r.kind, username: r.username, fullName: r.full_name, active: r.active, totpEnabled: r.totp_enabled },
  };
  const principal: Principal = { userId: r.user_id, kind: r.kind, username: r.username, fullName: r.full_name, unitId: r.unit_id, roles };
  const profile: UserProfile = {
    id: r.user_id,
    kind: r.kind,
    username: r.username,
    fullName: r.full_name,
    email: r.email,
    phone: r.phone,
    positionTitle: r.position_title,
    unitId: r.unit_id,
    unitName: r.unit_name,
    twoFactorEnabled: r.totp_enabled,
    idNumber: r.id_number,
  };
  return { session, principal, profile };
}

/** The principal of a user (for seeding and jobs acting as a person, outside any HTTP session). */
export async function loadPrincipal(database: Database, userId: string): Promise<Principal | null> {
  const [r] = await hotQuery<{ id: string; kind: 'official' | 'citizen'; username: string; full_name: string; unit_id: string | null; roles: RoleGrant[] | string }>(
    database,
    'lienthong_principal',
    `SELECT u.id, u.kind, u.username, u.full_name, o.unit_id,
            coalesce((SELECT json_agg(json_build_object('unitId', ra.unit_id, 'unitPath', un.path, 'unitName', un.name, 'role', ra.role) ORDER BY un.depth, un.name, ra.role)
                        FROM role_assignments ra JOIN units un ON un.id = ra.unit_id WHERE ra.user_id = u.id AND un.active), '[]'::json) AS roles
       FROM users u LEFT JOIN officials o ON o.user_id = u.id WHERE u.id = $1 AND u.active`,
    [userId],
  );
  if (!r) return null;
  const roles = typeof r.roles === 'string' ? (JSON.parse(r.roles) as RoleGrant[]) : r.roles;
  return { userId: r.id, kind: r.kind, username: r.username, fullName: r.full_name, unitId: r.unit_id, roles };
}

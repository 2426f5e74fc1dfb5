import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq, lt, or } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { newId } from '../ids/index.js';
import { sessions, users } from './schema.js';

export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
const token = (): string => randomBytes(32).toString('base64url');

export type SessionPolicy = { ttlMs: number; idleMs: number };
export type NewSession = { id: string; token: string; csrfToken: string; expiresAt: Date };

const CHALLENGE_MS = 5 * 60_000;

export async function createSession(
  tx: Db,
  userId: string,
  stage: 'active' | 'totp',
  policy: SessionPolicy,
  meta: { now: Date; ip: string | null; userAgent: string | null },
): Promise<NewSession> {
  const t = token();
  const csrf = token();
  const expiresAt = new Date(meta.now.getTime() + (stage === 'totp' ? CHALLENGE_MS : policy.ttlMs));
  const id = newId();
  await tx.insert(sessions).values({
    id,
    userId,
    tokenHash: sha256(t),
    csrfHash: sha256(csrf),
    stage,
    createdAt: meta.now,
    lastSeenAt: meta.now,
    expiresAt,
    ip: meta.ip,
    userAgent: meta.userAgent?.slice(0, 300) ?? null,
  });
  return { id, token: t, csrfToken: csrf, expiresAt };
}

export type ActiveSession = {
  id: string;
  userId: string;
  csrfHash: string;
  stage: 'active' | 'totp';
  attempts: number;
  expiresAt: Date;
  lastSeenAt: Date;
  user: { kind: 'official' | 'citizen'; username: string; fullName: string; active: boolean; totpEnabled: boolean };
};

/** Expiry rules: absolute lifetime for every session, idle timeout for signed-in ones. */
export function sessionIsLive(s: ActiveSession, policy: SessionPolicy, now: Date): boolean {
  const t = now.getTime();
  if (!s.user.active || s.expiresAt.getTime() <= t) return false;
  return s.stage !== 'active' || s.lastSeenAt.getTime() + policy.idleMs > t;
}

/** Records use of a session for the idle timeout — at most once a minute, to keep reads cheap. */
export async function touchSession(db: Db, s: ActiveSession, now: Date): Promise<void> {
  if (s.stage === 'active' && now.getTime() - s.lastSeenAt.getTime() > 60_000) {
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, s.id));
  }
}

/** Finds a live session by its raw token (used for the 2FA challenge; requests use the one-query loader). */
export async function resolveSession(db: Db, rawToken: string, policy: SessionPolicy, now: Date): Promise<ActiveSession | null> {
  if (!rawToken || rawToken.length > 200) return null;
  const [row] = await db
    .select({
      id: sessions.id,
      userId: sessions.userId,
      csrfHash: sessions.csrfHash,
      stage: sessions.stage,
      attempts: sessions.attempts,
      expiresAt: sessions.expiresAt,
      lastSeenAt: sessions.lastSeenAt,
      kind: users.kind,
      username: users.username,
      fullName: users.fullName,
      active: users.active,
      totpEnabled: users.totpEnabled,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.tokenHash, sha256(rawToken)))
    .limit(1);
  if (!row) return null;
  const { kind, username, fullName, active, totpEnabled, ...rest } = row;
  const s: ActiveSession = { ...rest, user: { kind, username, fullName, active, totpEnabled } };
  if (!sessionIsLive(s, policy, now)) return null;
  await touchSession(db, s, now);
  return s;
}

export function csrfMatches(session: ActiveSession, headerValue: string | undefined): boolean {
  if (!headerValue) return false;
  const a = Buffer.from(sha256(headerValue));
  const b = Buffer.from(session.csrfHash);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function deleteSession(tx: Db, id: string): Promise<void> {
  await tx.delete(sessions).where(eq(sessions.id, id));
}

/** Ends every session of a user except one (after a password change) — or all of them. */
export async function deleteUserSessions(tx: Db, userId: string, exceptId?: string): Promise<void> {
  const rows = await tx.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, userId));
  for (const r of rows) if (r.id !== exceptId) await tx.delete(sessions).where(eq(sessions.id, r.id));
}

export async function purgeExpiredSessions(db: Db, now: Date, idleMs: number): Promise<void> {
  await db
    .delete(sessions)
    .where(or(lt(sessions.expiresAt, now), and(eq(sessions.stage, 'active'), lt(sessions.lastSeenAt, new Date(now.getTime() - idleMs)))));
}

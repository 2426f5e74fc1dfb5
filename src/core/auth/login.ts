import { eq, or, sql } from 'drizzle-orm';
import { type ActorContext, writeAudit } from '../audit/index.js';
import { type Db, inTransaction } from '../db/index.js';
import { AppError, validationFailed } from '../errors/index.js';

const loginFailed = (detail: string) => new AppError(401, 'login-failed', 'Đăng nhập không thành công', detail);
import { dummyPasswordHash, hashPassword, passwordProblems, verifyPassword } from './password.js';
import { loginThrottle, sessions, users } from './schema.js';
import { type ActiveSession, type NewSession, type SessionPolicy, createSession, deleteSession, deleteUserSessions } from './sessions.js';
import { checkTotp } from './totp.js';

export type LoginPolicy = SessionPolicy & { maxFailures: number; lockMs: number };

export type LoginResult = { kind: 'session'; userId: string; session: NewSession } | { kind: 'totp'; challenge: string };

// One text for every failure, so nobody learns whether the account exists.
export const WRONG_CREDENTIALS = 'Tên đăng nhập hoặc mật khẩu không đúng.';

function lockedError(until: Date, now: Date): AppError {
  const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  return new AppError(
    429,
    'login-locked',
    'Tạm thời không thể đăng nhập',
    `Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau ${Math.ceil(seconds / 60)} phút.`,
    undefined,
    { 'retry-after': String(seconds) },
  );
}

async function recordFailure(db: Db, key: string, ctx: ActorContext, policy: LoginPolicy, reason: string): Promise<AppError> {
  const now = ctx.now;
  let lockedUntil: Date | null = null;
  await inTransaction(db, async (tx) => {
    const [row] = await tx.select().from(loginThrottle).where(eq(loginThrottle.usernameKey, key)).for('update');
    const failures = (row?.failures ?? 0) + 1;
    lockedUntil = failures >= policy.maxFailures ? new Date(now.getTime() + policy.lockMs) : null;
    const values = { failures: lockedUntil ? 0 : failures, lockedUntil, updatedAt: now };
    if (row) await tx.update(loginThrottle).set(values).where(eq(loginThrottle.usernameKey, key));
    else await tx.insert(loginThrottle).values({ usernameKey: key, ...values });
    await writeAudit(tx, ctx, {
      action: lockedUntil ? 'auth.login_locked' : 'auth.login_failed',
      objectType: 'login',
      objectId: key.slice(0, 100),
      unitId: null,
      summary: { username: key.slice(0, 100), reason },
    });
  });
  return lockedUntil ? lockedError(lockedUntil, now) : loginFailed(WRONG_CREDENTIALS);
}

export async function login(
  db: Db,
  input: { username: string; password: string; userAgent: string | null },
  ctx: ActorContext,
  policy: LoginPolicy,
): Promise<LoginResult> {
  const key = input.username.trim().normalize('NFC').toLowerCase();
  const now = ctx.now;
  const [throttle] = await db.select().from(loginThrottle).where(eq(loginThrottle.usernameKey, key)).limit(1);
  if (throttle?.lockedUntil && throttle.lockedUntil > now) throw lockedError(throttle.lockedUntil, now);

  const candidates = await db
    .select()
    .from(users)
    .where(or(sql`lower(${users.username}) = ${key}`, sql`lower(${users.email}) = ${key}`))
    .limit(2);
  const user = candidates.find((u) => u.username.toLowerCase() === key) ?? (candidates.length === 1 ? candidates[0] : undefined);
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), input.password);
  if (!user || !ok || !user.active) {
    throw await recordFailure(db, key, ctx, policy, !user ? 'unknown-user' : !user.active ? 'inactive' : 'wrong-password');
  }
  return inTransaction(db, async (tx) => {
    if (throttle) await tx.delete(loginThrottle).where(eq(loginThrottle.usernameKey, key));
    const meta = { now, ip: ctx.ip, userAgent: input.userAgent };
    if (user.totpEnabled) {
      const s = await createSession(tx, user.id, 'totp', policy, meta);
      return { kind: 'totp', challenge: s.token } as const;
    }
    const session = await createSession(tx, user.id, 'active', policy, meta);
    await writeAudit(tx, { ...ctx, actorId: user.id, actorName: user.fullName }, {
      action: 'auth.login',
      objectType: 'user',
      objectId: user.id,
      summary: { username: user.username, method: 'password' },
    });
    return { kind: 'session', userId: user.id, session } as const;
  });
}

/** Second step: the challenge from step one plus a TOTP code. Five wrong codes burn the challenge. */
export async function completeTotpLogin(
  db: Db,
  challenge: ActiveSession | null,
  code: string,
  input: { userAgent: string | null },
  ctx: ActorContext,
  policy: LoginPolicy,
): Promise<{ userId: string; session: NewSession }> {
  if (!challenge || challenge.stage !== 'totp') throw loginFailed('Phiên xác thực hai lớp đã hết hạn, vui lòng đăng nhập lại.');
  const [user] = await db.select().from(users).where(eq(users.id, challenge.userId)).limit(1);
  const step = user?.totpSecret ? await checkTotp(user.totpSecret, code, ctx.now, user.totpLastStep) : null;
  if (step === null) {
    await inTransaction(db, async (tx) => {
      if (challenge.attempts + 1 >= 5) await deleteSession(tx, challenge.id);
      else await tx.update(sessions).set({ attempts: challenge.attempts + 1 }).where(eq(sessions.id, challenge.id));
      await writeAudit(tx, { ...ctx, actorId: challenge.userId, actorName: challenge.user.fullName }, {
        action: 'auth.totp_failed',
        objectType: 'user',
        objectId: challenge.userId,
        summary: { attempt: challenge.attempts + 1 },
      });
    });
    throw loginFailed('Mã xác thực không đúng hoặc đã hết hạn.');
  }
  return inTransaction(db, async (tx) => {
    await deleteSession(tx, challenge.id);
    await tx.update(users).set({ totpLastStep: step }).where(eq(users.id, user.id));
    const session = await createSession(tx, user.id, 'active', policy, { now: ctx.now, ip: ctx.ip, userAgent: input.userAgent });
    await writeAudit(tx, { ...ctx, actorId: user.id, actorName: user.fullName }, {
      action: 'auth.login',
      objectType: 'user',
      objectId: user.id,
      summary: { username: user.username, method: 'password+totp' },
    });
    return { userId: user.id, session };
  });
}

export async function logout(db: Db, sessionId: string, ctx: ActorContext): Promise<void> {
  await inTransaction(db, async (tx) => {
    await deleteSession(tx, sessionId);
    await writeAudit(tx, ctx, { action: 'auth.logout', objectType: 'user', objectId: ctx.actorId, summary: {} });
  });
}

export async function changePassword(
  db: Db,
  userId: string,
  currentSessionId: string,
  input: { currentPassword: string; newPassword: string },
  ctx: ActorContext,
): Promise<void> {
  const [user] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!user || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw validationFailed([{ field: 'currentPassword', message: 'Mật khẩu hiện tại không đúng.' }]);
  }
  const problems = passwordProblems(input.newPassword, user.username);
  if (input.newPassword === input.currentPassword) problems.push('Mật khẩu mới phải khác mật khẩu hiện tại.');
  if (problems.length) throw validationFailed(problems.map((message) => ({ field: 'newPassword', message })));
  const passwordHash = await hashPassword(input.newPassword);
  await inTransaction(db, async (tx) => {
    await tx.update(users).set({ passwordHash, passwordChangedAt: ctx.now, updatedAt: ctx.now }).where(eq(users.id, userId));
    await deleteUserSessions(tx, userId, currentSessionId);
    await writeAudit(tx, ctx, { action: 'user.change_password', objectType: 'user', objectId: userId, summary: { otherSessionsEnded: true } });
  });
}

import { eq } from 'drizzle-orm';
import { type ActorContext, writeAudit } from '../audit/index.js';
import { type Db, inTransaction } from '../db/index.js';
import { conflict, validationFailed } from '../errors/index.js';
import { verifyPassword } from './password.js';
import { users } from './schema.js';
import { checkTotp, newTotpSecret, totpEnrolment } from './totp.js';

/** Step 1 of enrolment: a fresh secret is stored (not yet active) and shown as a QR code. */
export async function setupTotp(db: Db, userId: string, ctx: ActorContext) {
  const [user] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (user.totpEnabled) throw conflict('Xác thực hai lớp đã được bật. Hãy tắt trước khi đăng ký thiết bị mới.', 'totp-already-enabled');
  const secret = newTotpSecret();
  await inTransaction(db, async (tx) => {
    await tx.update(users).set({ totpSecret: secret, updatedAt: ctx.now }).where(eq(users.id, userId));
    await writeAudit(tx, ctx, { action: 'user.totp_setup', objectType: 'user', objectId: userId, summary: {} });
  });
  return totpEnrolment(secret, user.username);
}

/** Step 2: the first correct code from the authenticator app turns two-factor sign-in on. */
export async function enableTotp(db: Db, userId: string, code: string, ctx: ActorContext): Promise<void> {
  const [user] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (user.totpEnabled) throw conflict('Xác thực hai lớp đã được bật.', 'totp-already-enabled');
  if (!user.totpSecret) throw conflict('Chưa tạo mã bí mật. Hãy bắt đầu đăng ký lại.', 'totp-not-setup');
  const step = await checkTotp(user.totpSecret, code, ctx.now, null);
  if (step === null) {
    throw validationFailed([{ field: 'code', message: 'Mã xác thực không đúng hoặc đã hết hạn.' }]);
  }
  await inTransaction(db, async (tx) => {
    await tx.update(users).set({ totpEnabled: true, totpLastStep: step, updatedAt: ctx.now }).where(eq(users.id, userId));
    await writeAudit(tx, ctx, { action: 'user.totp_enable', objectType: 'user', objectId: userId, summary: {} });
  });
}

export async function disableTotp(db: Db, userId: string, password: string, requiredByRole: boolean, ctx: ActorContext): Promise<void> {
  if (requiredByRole) throw conflict('Vai trò của bạn bắt buộc dùng xác thực hai lớp nên không thể tắt.', 'totp-required');
  const [user] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!(await verifyPassword(user.passwordHash, password))) {
    throw validationFailed([{ field: 'password', message: 'Mật khẩu không đúng.' }]);
  }
  await inTransaction(db, async (tx) => {
    await tx.update(users).set({ totpEnabled: false, totpSecret: null, totpLastStep: null, updatedAt: ctx.now }).where(eq(users.id, userId));
    await writeAudit(tx, ctx, { action: 'user.totp_disable', objectType: 'user', objectId: userId, summary: {} });
  });
}

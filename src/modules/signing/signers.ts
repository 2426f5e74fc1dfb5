import { X509Certificate } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { type ActorContext, writeAudit } from '../../core/audit/index.js';
import { type Db, inTransaction, queryRows } from '../../core/db/index.js';
import { AppError } from '../../core/errors/index.js';
import { localKeySigner, type Signer } from '../../core/signing/index.js';
import { fromBase64 } from './certificates.js';
import type { CredentialRow } from './credentials.js';
import { CscAuthError, cscSigner } from './csc.js';
import { decrypt } from './keys.js';
import { requireCsc, requireKey, type SigningRuntime } from './runtime.js';
import { signingCredentials } from './schema.js';

/**
 * Opens a Signer over a credential with the holder's PIN (or OTP), at each signing: a local PKCS#12 is
 * decrypted and unlocked in memory, a remote credential is authorised at the CSC service. Wrong PINs are
 * counted per credential; after MAX_PIN_FAILURES in a row the credential is locked for PIN_LOCK_MINUTES.
 */

export const MAX_PIN_FAILURES = 5;
export const PIN_LOCK_MINUTES = 15;

const hhmm = (d: Date) => new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit', hour12: false }).format(d);
const ddmmyyyy = (d: Date) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric' }).format(d);

const locked = (until: Date) =>
  new AppError(423, 'credential-locked', 'Chứng thư số đang bị tạm khoá', `Nhập sai mã PIN quá ${MAX_PIN_FAILURES} lần liên tiếp. Thử lại sau ${hhmm(until)} ngày ${ddmmyyyy(until)} hoặc đề nghị quản trị mở khoá.`);

/** Refuses a credential that cannot sign now (status, validity, lock). */
export function assertUsable(c: CredentialRow, now: Date): void {
  if (c.kind === 'token') {
    throw new AppError(422, 'token-credential', 'Chứng thư này ký bằng thiết bị USB token', 'Khoá của chứng thư này nằm trên USB token: dùng ký qua công cụ ký trên máy tính (chuẩn bị → hoàn tất) hoặc tải lên tệp đã ký.');
  }
  if (c.status !== 'active') throw new AppError(409, 'credential-inactive', 'Chứng thư số không còn hoạt động', c.status === 'revoked' ? 'Chứng thư số đã bị thu hồi.' : 'Chứng thư số đang bị tạm ngừng sử dụng.');
  if (new Date(c.notBefore) > now || new Date(c.notAfter) <= now) {
    throw new AppError(409, 'credential-expired', 'Chứng thư số hết hiệu lực', `Chứng thư số có hiệu lực từ ${ddmmyyyy(new Date(c.notBefore))} đến ${ddmmyyyy(new Date(c.notAfter))}.`);
  }
  if (c.lockedUntil && new Date(c.lockedUntil) > now) throw locked(new Date(c.lockedUntil));
}

async function pinFailed(db: Db, c: CredentialRow, ctx: ActorContext): Promise<AppError> {
  const lockUntil = new Date(ctx.now.getTime() + PIN_LOCK_MINUTES * 60_000);
  const [row] = await inTransaction(db, async (tx) => {
    const r = await queryRows<{ failed_attempts: number; locked_until: string | null }>(
      tx,
      sql`UPDATE signing_credentials SET failed_attempts = failed_attempts + 1,
            locked_until = CASE WHEN failed_attempts + 1 >= ${MAX_PIN_FAILURES} THEN ${lockUntil.toISOString()}::timestamptz ELSE locked_until END,
            updated_at = ${ctx.now.toISOString()}::timestamptz
          WHERE id = ${c.id} RETURNING failed_attempts, locked_until`,
    );
    await writeAudit(tx, ctx, { action: 'signing.pin_failed', objectType: 'signing_credential', objectId: c.id, unitId: c.unitId, summary: { failedAttempts: Number(r[0].failed_attempts), locked: Number(r[0].failed_attempts) >= MAX_PIN_FAILURES } });
    return r;
  });
  const n = Number(row.failed_attempts);
  if (n >= MAX_PIN_FAILURES) return locked(lockUntil);
  return new AppError(422, 'wrong-pin', 'Mã PIN không đúng', `Mã PIN (hoặc mã OTP) không đúng. Còn ${MAX_PIN_FAILURES - n} lần thử trước khi chứng thư số bị tạm khoá ${PIN_LOCK_MINUTES} phút.`, [
    { field: 'pin', message: 'Mã PIN không đúng' },
  ]);
}

async function pinSucceeded(db: Db, c: CredentialRow, now: Date): Promise<void> {
  if (c.failedAttempts === 0 && c.lastUsedAt && now.getTime() - new Date(c.lastUsedAt).getTime() < 60_000) return;
  await db.update(signingCredentials).set({ failedAttempts: 0, lockedUntil: null, lastUsedAt: now }).where(eq(signingCredentials.id, c.id));
}

/**
 * The Signer of a credential, unlocked with the PIN/OTP now. Must not be called inside a transaction
 * (a wrong PIN is recorded in its own transaction, which must survive the failed action).
 */
export async function openSigner(db: Db, rt: SigningRuntime, c: CredentialRow, auth: { pin?: string | null; otp?: string | null }, ctx: ActorContext): Promise<Signer> {
  assertUsable(c, ctx.now);
  const pin = auth.pin ?? '';
  let signer: Signer;
  if (c.kind === 'local') {
    const key = requireKey(rt);
    if (!c.pkcs12Encrypted) throw new AppError(409, 'credential-inactive', 'Chứng thư số không còn khoá ký', 'Khoá ký của chứng thư này đã bị xoá.');
    const pkcs12 = decrypt(key, c.pkcs12Encrypted, c.keyId);
    if (!pin) throw new AppError(400, 'pin-required', 'Chưa nhập mã PIN', 'Nhập mã PIN của chứng thư số để ký.', [{ field: 'pin', message: 'Nhập mã PIN' }]);
    try {
      signer = await localKeySigner({ pkcs12, pin });
    } catch (err) {
      if (err instanceof AppError && err.code === 'signing-pin-invalid') throw await pinFailed(db, c, ctx);
      throw err;
    } finally {
      pkcs12.fill(0);
    }
  } else {
    const client = requireCsc(rt);
    if (!pin && !auth.otp) throw new AppError(400, 'pin-required', 'Chưa nhập mã PIN hoặc OTP', 'Nhập mã PIN (hoặc mã OTP) của dịch vụ ký số từ xa.', [{ field: 'pin', message: 'Nhập mã PIN' }]);
    try {
      const certificates = c.certificates.map(fromBase64);
      signer = await cscSigner(client, {
        credentialId: c.remoteCredentialId!,
        certificates,
        algorithm: new X509Certificate(certificates[0]).publicKey.asymmetricKeyType === 'ec' ? 'ecdsa-sha256' : 'rsa-pkcs1-sha256',
        pin: pin || undefined,
        otp: auth.otp ?? undefined,
      });
    } catch (err) {
      if (err instanceof CscAuthError) throw await pinFailed(db, c, ctx);
      throw err;
    }
  }
  await pinSucceeded(db, c, ctx.now);
  return signer;
}

import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../core/db/index.js';
import { AppError } from '../../core/errors/index.js';

/**
 * The key that encrypts private keys at rest (local PKCS#12 credentials, the demo CA's key): AES-256-GCM,
 * 32 bytes from SIGNING_KEY (base64). Each encrypted value is `base64(iv[12] | tag[16] | ciphertext)` and its
 * row carries the key's id (first 16 hex digits of SHA-256 of the key), so a wrong key is caught at start-up.
 */

export type SigningKey = { key: Buffer; id: string; source: 'env' | 'file' };

export class SigningKeyError extends Error {}

export const keyIdOf = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 16);

/** Parses SIGNING_KEY: base64 of exactly 32 bytes. */
export function parseSigningKey(value: string): Buffer {
  const key = Buffer.from(value.trim(), 'base64');
  if (key.length !== 32) throw new SigningKeyError('SIGNING_KEY phải là 32 byte mã hoá base64 (ví dụ: openssl rand -base64 32).');
  return key;
}

export const DEV_KEY_FILE = 'signing.key';

/**
 * The key of this process: SIGNING_KEY when set; otherwise, outside production and only with demo data on, a
 * key file in DATA_DIR made on first start (0600) so that a fresh `npm start` can sign. Null = no key.
 */
export function resolveSigningKey(input: { signingKey?: string; env: string; demoData: boolean; dataDir: string }): SigningKey | null {
  if (input.signingKey) {
    const key = parseSigningKey(input.signingKey);
    return { key, id: keyIdOf(key), source: 'env' };
  }
  if (input.env === 'production' || !input.demoData) return null;
  const file = path.join(input.dataDir, DEV_KEY_FILE);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(input.dataDir, { recursive: true });
    try {
      fs.writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      // Another process made it a moment ago: use theirs.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  const key = parseSigningKey(fs.readFileSync(file, 'utf8'));
  return { key, id: keyIdOf(key), source: 'file' };
}

export function encrypt(k: SigningKey, plain: Uint8Array): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', k.key, iv);
  const body = Buffer.concat([c.update(plain), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), body]).toString('base64');
}

export function decrypt(k: SigningKey, value: string, keyId: string | null): Buffer {
  if (keyId && keyId !== k.id) throw keyMismatch();
  const raw = Buffer.from(value, 'base64');
  const d = createDecipheriv('aes-256-gcm', k.key, raw.subarray(0, 12));
  d.setAuthTag(raw.subarray(12, 28));
  try {
    return Buffer.concat([d.update(raw.subarray(28)), d.final()]);
  } catch {
    throw keyMismatch();
  }
}

const keyMismatch = () =>
  new AppError(500, 'signing-key-mismatch', 'Khoá mã hoá khoá ký không khớp', 'Khoá bí mật đã được mã hoá bằng một SIGNING_KEY khác với khoá máy chủ đang dùng.');

/** A signing key is required for local keys; refuses to start when keys are stored and the key is missing or another one. */
export async function checkSigningKey(db: Db, key: SigningKey | null): Promise<void> {
  const rows = await queryRows<{ key_id: string; n: number }>(
    db,
    sql`SELECT key_id, count(*)::int AS n FROM (
          SELECT key_id FROM signing_credentials WHERE kind = 'local' AND key_id IS NOT NULL
          UNION ALL SELECT key_id FROM signing_authorities) k GROUP BY key_id`,
  );
  if (rows.length === 0) return;
  const total = rows.reduce((a, r) => a + Number(r.n), 0);
  if (!key) {
    throw new SigningKeyError(
      `Có ${total} khoá ký số lưu trên máy chủ nhưng chưa đặt SIGNING_KEY (32 byte, base64) để giải mã. ` +
        'Đặt biến môi trường SIGNING_KEY đúng khoá đã dùng khi tạo các khoá này rồi khởi động lại.',
    );
  }
  const other = rows.filter((r) => r.key_id !== key.id);
  if (other.length) {
    throw new SigningKeyError(
      `SIGNING_KEY hiện tại (mã ${key.id}) không phải khoá đã mã hoá ${other.reduce((a, r) => a + Number(r.n), 0)} khoá ký số (mã ${other.map((r) => r.key_id).join(', ')}). ` +
        'Dùng đúng khoá cũ; máy chủ không khởi động để tránh lỗi khi ký.',
    );
  }
}

import type { Principal } from '../../core/access/index.js';
import type { ActorContext } from '../../core/audit/index.js';
import { type Db, inTransaction } from '../../core/db/index.js';
import { AppError, validationFailed } from '../../core/errors/index.js';
import { readPkcs12 } from '../../core/signing/index.js';
import { certificateInfo, fromBase64, readCertificates } from './certificates.js';
import { type CredentialRow, insertCredential, type Owner, resolveOwner } from './credentials.js';
import { encrypt } from './keys.js';
import { requireCsc, requireKey, type SigningRuntime } from './runtime.js';

/**
 * Where credentials come from besides the demo CA: a PKCS#12 file with its PIN (kept encrypted, the PIN is
 * not stored), a credential of the remote signing service, or only a certificate (the key is on a USB token
 * and signs through the external signing tool; the certificate also identifies the signer of uploaded PDFs).
 */

const expired = (notAfter: Date, now: Date) => notAfter <= now;

export async function uploadPkcs12(
  db: Db,
  rt: SigningRuntime,
  p: Principal | null,
  o: Owner,
  input: { content: Uint8Array; pin: string; label?: string | null },
  ctx: ActorContext,
): Promise<CredentialRow> {
  const owner = await resolveOwner(db, p, o);
  const key = requireKey(rt);
  if (!input.pin) throw validationFailed([{ field: 'pin', message: 'Nhập mã PIN của tệp PKCS#12' }]);
  // Opening it proves the PIN and gives the chain; a wrong PIN here is not counted (nothing is stored yet).
  const { certificates } = await readPkcs12(input.content, input.pin);
  if (certificates.length === 0) throw new AppError(422, 'signing-key-invalid', 'Tệp khoá ký số không hợp lệ', 'Tệp PKCS#12 không có chứng thư số.');
  const leaf = certificateInfo(certificates[0]);
  if (expired(leaf.notAfter, ctx.now)) throw new AppError(422, 'certificate-expired', 'Chứng thư số đã hết hạn', `Chứng thư "${leaf.subject}" đã hết hạn.`);
  return inTransaction(db, (tx) =>
    insertCredential(tx, { ...owner, owner: o.owner }, { kind: 'local', label: input.label, certificates, pkcs12Encrypted: encrypt(key, input.content), keyId: key.id, source: 'uploaded' }, ctx),
  );
}

/** Links a credential of the CSC service: its certificate chain is read with credentials/info. */
export async function linkRemoteCredential(
  db: Db,
  rt: SigningRuntime,
  p: Principal | null,
  o: Owner,
  input: { remoteCredentialId: string; remoteUserId?: string | null; label?: string | null },
  ctx: ActorContext,
): Promise<CredentialRow> {
  const owner = await resolveOwner(db, p, o);
  const client = requireCsc(rt);
  if (input.remoteUserId) {
    const { credentialIDs } = await client.listCredentials(input.remoteUserId);
    if (!credentialIDs.includes(input.remoteCredentialId)) {
      throw validationFailed([{ field: 'remoteCredentialId', message: 'Dịch vụ ký số từ xa không có chứng thư này cho tài khoản đã nhập' }]);
    }
  }
  const info = await client.credentialInfo(input.remoteCredentialId);
  if (info.key.status !== 'enabled') throw new AppError(422, 'remote-credential-disabled', 'Chứng thư từ xa đang bị khoá', 'Dịch vụ ký số từ xa báo khoá của chứng thư này không dùng được.');
  const certificates = (info.cert.certificates ?? []).map(fromBase64);
  if (certificates.length === 0) throw new AppError(502, 'remote-signing-unavailable', 'Dịch vụ ký số từ xa không trả về chứng thư', 'credentials/info không có chứng thư số.');
  return inTransaction(db, (tx) =>
    insertCredential(
      tx,
      { ...owner, owner: o.owner },
      { kind: 'remote', label: input.label ?? info.description, certificates, remoteCredentialId: input.remoteCredentialId, remoteUserId: input.remoteUserId ?? null, source: 'remote' },
      ctx,
    ),
  );
}

/** Registers a certificate (PEM/DER, chain allowed) whose key is on a USB token. */
export async function registerTokenCertificate(db: Db, p: Principal | null, o: Owner, input: { content: Uint8Array; label?: string | null }, ctx: ActorContext): Promise<CredentialRow> {
  const owner = await resolveOwner(db, p, o);
  const certificates = readCertificates(input.content);
  const leaf = certificateInfo(certificates[0]);
  if (leaf.isCa) throw validationFailed([{ field: 'file', message: 'Đây là chứng thư của tổ chức chứng thực, không phải của người ký' }]);
  if (expired(leaf.notAfter, ctx.now)) throw new AppError(422, 'certificate-expired', 'Chứng thư số đã hết hạn', `Chứng thư "${leaf.subject}" đã hết hạn.`);
  return inTransaction(db, (tx) => insertCredential(tx, { ...owner, owner: o.owner }, { kind: 'token', label: input.label, certificates, source: 'certificate' }, ctx));
}

import { sql } from 'drizzle-orm';
import type { Principal } from '../../core/access/index.js';
import type { ActorContext } from '../../core/audit/index.js';
import { type Db, queryRows } from '../../core/db/index.js';
import { AppError, forbidden } from '../../core/errors/index.js';
import { type FileStore, files } from '../../core/files/index.js';
import { newId } from '../../core/ids/index.js';
import { type CredentialRow, findCredential, recordsForFiles, type VerificationReport } from '../signing/index.js';
import { foldText } from './text.js';
import type { DocumentRow } from './visibility.js';

/**
 * Rules shared by the digital-signature steps of an outgoing document (Decree 30 art. 13, 16 and Appendix I):
 * which file is signed, who may sign with which credential, and how to tell that a version carries the
 * competent person's valid signature.
 */

export type VersionFile = { documentFileId: string; fileId: string; sha256: string; version: number; name: string; contentType: string };

/** The PDF of the latest draft version (what the signer approved); 422 when that version has no PDF. */
export async function approvedDraftPdf(db: Db, d: DocumentRow): Promise<VersionFile> {
  const rows = await queryRows<{ id: string; file_id: string; sha256: string; version: number; name: string; content_type: string; role: string }>(
    db,
    sql`SELECT df.id, df.file_id, f.sha256, df.version, f.name, f.content_type, df.role FROM document_files df JOIN files f ON f.id = df.file_id
         WHERE df.document_id = ${d.id} AND df.role IN ('draft', 'draft_source') ORDER BY df.version DESC, df.role`,
  );
  const latest = rows[0]?.version;
  const pdf = rows.find((r) => r.version === latest && r.role === 'draft' && r.content_type === 'application/pdf');
  if (!pdf) throw new AppError(422, 'no-draft-pdf', 'Chưa có bản PDF để ký', 'Phiên bản dự thảo cuối cùng chưa có tệp PDF (máy chủ chưa chuyển được DOCX sang PDF). Cần bản PDF để ký số.');
  return { documentFileId: pdf.id, fileId: pdf.file_id, sha256: pdf.sha256, version: pdf.version, name: pdf.name, contentType: pdf.content_type };
}

/** The latest 'signed' version and whether it was signed digitally here or uploaded signed (else: a paper scan). */
export async function latestSignedVersion(db: Db, documentId: string): Promise<(VersionFile & { digital: boolean }) | null> {
  const [r] = await queryRows<{ id: string; file_id: string; sha256: string; version: number; name: string; content_type: string }>(
    db,
    sql`SELECT df.id, df.file_id, f.sha256, df.version, f.name, f.content_type FROM document_files df JOIN files f ON f.id = df.file_id
         WHERE df.document_id = ${documentId} AND df.role = 'signed' ORDER BY df.version DESC LIMIT 1`,
  );
  if (!r) return null;
  const records = await recordsForFiles(db, [r.file_id]);
  const digital = records.some((x) => (x.action === 'signed' || x.action === 'uploaded') && x.documentId === documentId);
  return { documentFileId: r.id, fileId: r.file_id, sha256: r.sha256, version: r.version, name: r.name, contentType: r.content_type, digital };
}

/** The designated signer only, on an approved, non-secret document. */
export function assertDesignatedSigner(d: DocumentRow, p: Principal): void {
  if (d.signerUserId !== p.userId) throw forbidden('Chỉ người ký được giao (người có thẩm quyền ký văn bản) được ký số văn bản này.', 'not-the-signer');
  if (d.secrecy !== 'none') throw new AppError(422, 'secret-no-file', 'Văn bản mật không ký số trên hệ thống', 'Văn bản mật không lưu tệp nội dung nên không ký số trên hệ thống.');
}

/** An official's own credential (403 for anyone else's, 404 when unknown). */
export async function ownCredential(db: Db, p: Principal, id: string): Promise<CredentialRow> {
  const c = await findCredential(db, id);
  if (!c) throw new AppError(404, 'not-found', 'Không tìm thấy', 'Chứng thư số không tồn tại.', [{ field: 'credentialId', message: 'Không tìm thấy chứng thư số' }]);
  if (c.owner !== 'official' || c.userId !== p.userId) throw forbidden('Chỉ được ký bằng chứng thư số của chính mình.', 'not-your-credential');
  return c;
}

/** The common name (CN) of a distinguished name as the validator prints it. */
export const cnOf = (dn: string) => /(?:^|,\s*)CN=((?:\\.|[^,])*)/.exec(dn)?.[1]?.replace(/\\(.)/g, '$1') ?? '';
/** Two names equal once folded (accents, case, spacing). */
export const sameName = (a: string | null | undefined, b: string | null | undefined) => !!a && !!b && foldText(a) === foldText(b);

/**
 * The competent person's signature in a report: valid, trusted, nothing unpermitted after it, and made with
 * one of the signer's registered credentials (serial and issuer) — or, for certificates not registered here
 * (e.g. a government-CA USB token used elsewhere), whose common name is the designated signer's name.
 */
export async function competentSignature(db: Db, d: DocumentRow, report: VerificationReport) {
  const creds = d.signerUserId
    ? await queryRows<{ serial_number: string; issuer: string }>(db, sql`SELECT serial_number, issuer FROM signing_credentials WHERE user_id = ${d.signerUserId} AND status <> 'revoked'`)
    : [];
  return report.signatures.find((s) => {
    if (s.kind === 'document-timestamp' || !s.valid || s.integrity !== 'valid' || s.chain !== 'trusted' || !s.certificate) return false;
    const cert = s.certificate;
    const registered = creds.some((c) => c.serial_number === cert.serialNumber && sameName(cnOf(c.issuer), cnOf(cert.issuer)));
    return registered || sameName(cnOf(cert.subject) || s.signerName, d.signerName);
  });
}

/** Why a report does not carry the competent person's valid signature, for the 422 problem. */
export function missingSignatureDetail(d: DocumentRow, report: VerificationReport): string {
  if (report.signatures.length === 0) return 'Tệp không có chữ ký số.';
  return `Tệp không có chữ ký số hợp lệ, được tin cậy của người có thẩm quyền ký (${d.signerName ?? 'chưa chọn người ký'}). Kết quả kiểm tra: ${report.verdict}`;
}

/** Stores signed bytes (file store first, then the row, in the caller's transaction). */
export async function insertSignedFile(tx: Db, store: FileStore, d: DocumentRow, content: Uint8Array, name: string, ctx: ActorContext): Promise<{ id: string; sha256: string; size: number; contentType: string; name: string }> {
  const buf = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  const sha256 = await store.put(buf);
  const id = newId();
  const row = { id, sha256, size: buf.length, contentType: 'application/pdf', name, unitId: d.unitId, createdBy: ctx.actorId, createdAt: ctx.now };
  await tx.insert(files).values(row);
  return row;
}

/**
 * A stored PDF as plain bytes for the signing engine (pdf.js, which finds placeholder text, refuses Node
 * Buffers and may take over the memory it is given, so it gets its own copy).
 */
export async function pdfBytes(store: FileStore, sha256: string): Promise<Uint8Array> {
  return new Uint8Array(await store.read(sha256));
}

/** File names of the signed versions: "<stem>-ky-so.pdf", "<số ký hiệu>.pdf". */
export const signedName = (source: string, suffix: string) => `${source.replace(/\.pdf$/i, '')}-${suffix}.pdf`;

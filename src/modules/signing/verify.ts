import { sql } from 'drizzle-orm';
import { type ActorContext, writeAudit } from '../../core/audit/index.js';
import { type Db, queryRows } from '../../core/db/index.js';
import { newId } from '../../core/ids/index.js';
import { type VerificationReport, verifyPdfSignatures } from '../../core/signing/index.js';
import { loadTrustedRoots } from './roots.js';
import { signatureRecords } from './schema.js';

/**
 * Verification with the deployment's trusted roots, and the signature records kept per file version: what
 * was signed here (leader, seal, a PDF signed elsewhere) and the automatic checks of received files, each
 * with the validator's report at that moment.
 */

export type { VerificationReport };

export async function verifyPdf(db: Db, pdf: Uint8Array, now: Date): Promise<VerificationReport> {
  return verifyPdfSignatures(pdf, { trustedRoots: await loadTrustedRoots(db), now });
}

const BYTE_RANGE = Buffer.from('/ByteRange');
/** Cheap test before a full parse: a PDF without a /ByteRange key has no signature. */
export const mayHaveSignatures = (pdf: Uint8Array) => Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).includes(BYTE_RANGE);

export const NO_SIGNATURE_VERDICT = 'Tệp không có chữ ký số.';
const emptyReport = (): VerificationReport => ({ signatures: [], verdict: NO_SIGNATURE_VERDICT, valid: false });

/** Verifies, skipping the parse for PDFs with no signature at all. */
export async function verifyIfSigned(db: Db, pdf: Uint8Array, now: Date): Promise<VerificationReport> {
  return mayHaveSignatures(pdf) ? verifyPdf(db, pdf, now) : emptyReport();
}

/** The level of a report: that of its weakest signature, or null. */
export function levelOf(report: VerificationReport): string | null {
  const order = ['not-pades', 'B-B', 'B-T', 'B-LT', 'B-LTA'];
  const levels = report.signatures.map((s) => s.level);
  return levels.length ? levels.reduce((a, b) => (order.indexOf(a) <= order.indexOf(b) ? a : b)) : null;
}

export type RecordInput = {
  unitId: string;
  documentId: string | null;
  file: { id: string; sha256: string };
  action: 'signed' | 'sealed' | 'uploaded' | 'verified';
  method?: 'local' | 'remote' | 'external' | 'upload' | null;
  credentialId?: string | null;
  fieldName?: string | null;
  placement?: unknown;
  report: VerificationReport;
};

/** Writes a signature record and its audit entry in the caller's transaction. */
export async function recordSignature(tx: Db, ctx: ActorContext, r: RecordInput): Promise<string> {
  const id = newId();
  await tx.insert(signatureRecords).values({
    id,
    unitId: r.unitId,
    documentId: r.documentId,
    fileId: r.file.id,
    sha256: r.file.sha256,
    action: r.action,
    method: r.method ?? null,
    credentialId: r.credentialId ?? null,
    actorId: ctx.actorId,
    actorName: ctx.actorName,
    at: ctx.now,
    fieldName: r.fieldName ?? null,
    placement: r.placement ?? null,
    level: levelOf(r.report),
    valid: r.report.valid,
    signatureCount: r.report.signatures.length,
    verdict: r.report.verdict,
    report: JSON.parse(JSON.stringify(r.report)),
  });
  await writeAudit(tx, ctx, {
    action: `signing.${r.action}`,
    objectType: 'file',
    objectId: r.file.id,
    unitId: r.unitId,
    summary: { documentId: r.documentId, method: r.method ?? null, credentialId: r.credentialId ?? null, valid: r.report.valid, signatures: r.report.signatures.length, level: levelOf(r.report), verdict: r.report.verdict },
  });
  return id;
}

export type StoredRecord = {
  id: string;
  unitId: string;
  fileId: string;
  documentId: string | null;
  action: 'signed' | 'sealed' | 'uploaded' | 'verified';
  method: string | null;
  credentialId: string | null;
  actorId: string | null;
  actorName: string | null;
  at: string;
  fieldName: string | null;
  placement: unknown;
  level: string | null;
  valid: boolean;
  signatureCount: number;
  verdict: string;
  report: VerificationReport;
};

/** Records of these files, oldest first. */
export async function recordsForFiles(db: Db, fileIds: string[]): Promise<StoredRecord[]> {
  if (fileIds.length === 0) return [];
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`SELECT * FROM signature_records WHERE file_id = ANY(${`{${fileIds.join(',')}}`}::uuid[]) ORDER BY at, id`,
  );
  return rows.map((r) => ({
    id: r.id as string,
    unitId: r.unit_id as string,
    fileId: r.file_id as string,
    documentId: (r.document_id as string) ?? null,
    action: r.action as StoredRecord['action'],
    method: (r.method as string) ?? null,
    credentialId: (r.credential_id as string) ?? null,
    actorId: (r.actor_id as string) ?? null,
    actorName: (r.actor_name as string) ?? null,
    at: new Date(r.at as string).toISOString(),
    fieldName: (r.field_name as string) ?? null,
    placement: r.placement ?? null,
    level: (r.level as string) ?? null,
    valid: r.valid as boolean,
    signatureCount: Number(r.signature_count),
    verdict: r.verdict as string,
    report: r.report as VerificationReport,
  }));
}

/**
 * Checks received PDFs (an incoming registration, a document accepted from another unit) in the caller's
 * transaction: each PDF is verified and a 'verified' record kept, so the clerk sees the verdict before
 * accepting (Decree 30: check the authenticity of electronic documents on arrival).
 */
export async function checkReceivedFiles(tx: Db, read: (sha256: string) => Promise<Uint8Array>, files: { id: string; sha256: string; contentType: string }[], unitId: string, ctx: ActorContext): Promise<StoredRecord[]> {
  const out: string[] = [];
  for (const f of files) {
    if (f.contentType !== 'application/pdf') continue;
    let report: VerificationReport;
    try {
      report = await verifyIfSigned(tx, await read(f.sha256), ctx.now);
    } catch (err) {
      report = { signatures: [], verdict: `Không kiểm tra được chữ ký số: ${(err as Error).message}`, valid: false };
    }
    out.push(f.id);
    await recordSignature(tx, ctx, { unitId, documentId: null, file: f, action: 'verified', report });
  }
  return (await recordsForFiles(tx, out)).filter((r) => r.action === 'verified');
}

import { sql } from 'drizzle-orm';
import type { Principal } from '../../core/access/index.js';
import { type Db, queryRows } from '../../core/db/index.js';
import type { FileStore } from '../../core/files/index.js';
import { recordsForFiles, type StoredRecord, type VerificationReport, verifyIfSigned } from '../signing/index.js';
import type { DocumentDetail } from './api.js';
import { isClerkOf } from './outgoing.js';
import { latestSignedVersion } from './signing-rules.js';
import { type DocumentRow, readableDocument } from './visibility.js';

/**
 * The signature panel of a document: for each PDF version (drafts, signed versions, the issued file,
 * received files) the validator's report now, with the trusted roots of today, and the records of what was
 * signed or checked when (the verdict at that moment).
 */

export type FileSignatures = {
  documentFileId: string;
  fileId: string;
  name: string;
  role: string;
  version: number;
  createdAt: string;
  report: VerificationReport;
  records: Omit<StoredRecord, 'report' | 'placement' | 'unitId'>[];
};

const MAX_FILES = 30;

export async function documentSignatures(db: Db, store: FileStore, p: Principal, id: string, now: Date): Promise<{ documentId: string; files: FileSignatures[]; truncated: boolean }> {
  const d = await readableDocument(db, p, id);
  const rows = await queryRows<{ id: string; file_id: string; name: string; role: string; version: number; sha256: string; created_at: string }>(
    db,
    sql`SELECT df.id, df.file_id, f.name, df.role, df.version, f.sha256, df.created_at FROM document_files df JOIN files f ON f.id = df.file_id
         WHERE df.document_id = ${d.id} AND f.content_type = 'application/pdf' ORDER BY df.created_at DESC, df.id DESC LIMIT ${MAX_FILES + 1}`,
  );
  const list = rows.slice(0, MAX_FILES);
  const records = await recordsForFiles(db, list.map((r) => r.file_id));
  // Records of this document, and checks made by this unit when the file arrived (before it had a document).
  const mine = (r: StoredRecord) => r.documentId === d.id || (r.documentId === null && r.unitId === d.unitId);
  const files: FileSignatures[] = [];
  for (const r of list) {
    files.push({
      documentFileId: r.id,
      fileId: r.file_id,
      name: r.name,
      role: r.role,
      version: r.version,
      createdAt: new Date(r.created_at).toISOString(),
      report: await verifyIfSigned(db, await store.read(r.sha256), now),
      records: records.filter((x) => x.fileId === r.file_id && mine(x)).map(({ report: _r, placement: _p, unitId: _u, ...rest }) => rest),
    });
  }
  return { documentId: d.id, files, truncated: rows.length > MAX_FILES };
}

/** Buttons of the digital flow on an approved outgoing document (added to outgoingActions). */
export async function signingActions(db: Db, p: Principal, doc: DocumentRow, detail: Pick<DocumentDetail, 'files'>): Promise<string[]> {
  if (doc.direction !== 'outgoing' || doc.status !== 'approved' || doc.secrecy !== 'none') return [];
  const out: string[] = [];
  const signedDigitally = detail.files.some((f) => f.role === 'signed') ? !!(await latestSignedVersion(db, doc.id))?.digital : false;
  const signer = doc.signerUserId === p.userId;
  const clerk = await isClerkOf(db, p, doc.unitId);
  if (!signedDigitally) {
    if (signer) out.push('sign');
    if (signer || clerk) out.push('upload_signed_pdf');
  } else if (clerk) out.push('seal_issue');
  return out;
}

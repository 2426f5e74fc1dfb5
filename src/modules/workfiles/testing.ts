import { PDFDocument, StandardFonts } from 'pdf-lib';
import { documentFiles, documents } from '../documents/index.js';
import { buildSearchText } from '../documents/index.js';
import { files } from '../../core/files/index.js';
import { newId } from '../../core/ids/index.js';
import type { TestContext } from '../../test/harness.js';

/** Test factories for work files: documents inserted directly (with a main PDF of n pages if asked). */

export async function pdfOfPages(n: number, label = 'Trang'): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= n; i++) doc.addPage([595, 842]).drawText(`${label} ${i}`, { x: 50, y: 780, size: 14, font });
  return Buffer.from(await doc.save());
}

export type DocumentSeed = {
  unitId: string;
  createdBy: string;
  subject: string;
  typeCode?: string;
  codeNumber?: number | null;
  codeNotation?: string | null;
  issuedDate?: string;
  issuerName?: string;
  issuerCode?: string | null;
  signerName?: string | null;
  secrecy?: 'none' | 'confidential' | 'secret' | 'top_secret';
  pageCount?: number | null;
  presentedTo?: string | null;
  /** Main file content (stored in the file store and linked as role 'main'). */
  pdf?: Buffer;
  /** Link a main file row whose content is not in the store (a lost file). */
  missingFile?: boolean;
};

export async function insertDocument(t: TestContext, s: DocumentSeed): Promise<string> {
  const id = newId();
  const now = new Date();
  const codeNumber = s.codeNumber === undefined ? 12 : s.codeNumber;
  const codeNotation = s.codeNotation === undefined ? 'UBND-VP' : s.codeNotation;
  const issuerName = s.issuerName ?? 'Ủy ban nhân dân tỉnh Thái Hòa';
  await t.database.db.insert(documents).values({
    id,
    unitId: s.unitId,
    direction: 'incoming',
    status: 'registered',
    typeCode: s.typeCode ?? 'CV',
    subject: s.subject,
    codeNumber,
    codeNotation,
    issuedDate: s.issuedDate ?? '2026-03-05',
    issuerName,
    issuerCode: s.issuerCode === undefined ? '000.00.00.H99' : s.issuerCode,
    signerName: s.signerName ?? 'Lê Quang Huy',
    pageCount: s.pageCount ?? null,
    secrecy: s.secrecy ?? 'none',
    presentedTo: s.presentedTo ?? null,
    receivedVia: 'paper',
    arrivalAt: now,
    createdBy: s.createdBy,
    createdAt: now,
    updatedAt: now,
    searchText: buildSearchText({ unitId: s.unitId, subject: s.subject, numberSymbol: codeNumber ? `${codeNumber}/${codeNotation}` : codeNotation, issuerName, signerName: s.signerName }),
  });
  if (s.pdf || s.missingFile) {
    const content = s.pdf ?? (await pdfOfPages(1, 'Lost'));
    const sha256 = s.pdf ? await t.app.fileStore.put(content) : 'f'.repeat(64);
    const fileId = newId();
    await t.database.db.insert(files).values({ id: fileId, sha256, size: content.length, contentType: 'application/pdf', name: 'van-ban.pdf', unitId: s.unitId, createdBy: s.createdBy, createdAt: now });
    await t.database.db.insert(documentFiles).values({ id: newId(), documentId: id, fileId, role: 'main', version: 1, createdBy: s.createdBy, createdAt: now });
  }
  return id;
}

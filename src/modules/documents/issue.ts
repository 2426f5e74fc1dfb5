import { and, eq, sql } from 'drizzle-orm';
import type { Principal } from '../../core/access/index.js';
import type { ActorContext } from '../../core/audit/index.js';
import { type Db, inTransaction, queryRows } from '../../core/db/index.js';
import { AppError, conflict, forbidden, validationFailed } from '../../core/errors/index.js';
import type { FileStore } from '../../core/files/index.js';
import { isUuid, newId } from '../../core/ids/index.js';
import { enqueueMail } from '../../core/mail/index.js';
import { pageCount } from '../../core/pdf/index.js';
import { type FileRow, findFile, readableFile } from '../files/index.js';
import { issuingAgency } from '../signing/index.js';
import { numberSymbolOf } from './detail.js';
import { recordStep } from './events.js';
import { assertNotRecalled, assertStatus, fileRefs, finalFile, isClerkOf, PDF_TYPE, readableOutgoing, replacedDocument, unitInfo } from './outgoing.js';
import { ensureBook, findBook, localDate, localYear, nextNumber, peekNextNumber, seriesFor } from './numbering.js';
import { latestSignedVersion } from './signing-rules.js';
import { documentFiles, documentRecipients, documents, documentTypes, registerBooks } from './schema.js';
import { formatDate, placeName, renderNotation } from './symbols.js';
import { buildSearchText } from './text.js';
import { type DocumentRow, lockDocument } from './visibility.js';

// Signing on paper, issuing (number, date, symbol, register) and sending to the recipients.

const secretNoFile = () =>
  new AppError(422, 'secret-no-file', 'Văn bản mật không lưu tệp', 'Theo quy định bảo vệ bí mật nhà nước, hệ thống chỉ lưu thông tin của văn bản mật, không lưu tệp nội dung.');

/**
 * The seam for signatures: a PDF signed by the competent person becomes the next 'signed' version.
 * Today it is a scan of the paper original (method 'paper'); the digital-signature work calls this
 * with the electronically signed PDF (method 'digital') inside its own transaction.
 */
export async function addSignedVersion(tx: Db, doc: DocumentRow, fileId: string, method: 'paper' | 'digital', ctx: ActorContext): Promise<number> {
  const [row] = await queryRows<{ v: number }>(tx, sql`SELECT coalesce(max(version), 0)::int AS v FROM document_files WHERE document_id = ${doc.id} AND role = 'signed'`);
  const version = Number(row.v) + 1;
  await tx.insert(documentFiles).values({ id: newId(), documentId: doc.id, fileId, role: 'signed', version, note: method === 'paper' ? 'Bản giấy đã ký, quét PDF' : 'Bản ký số', createdBy: ctx.actorId, createdAt: ctx.now });
  await tx.update(documents).set({ updatedAt: ctx.now }).where(eq(documents.id, doc.id));
  await recordStep(tx, ctx, doc, { action: 'signed_uploaded', detail: { version, method, fileId } });
  return version;
}

/** POST /:id/signed-file: the scan of the document signed on paper, by the clerk or the signer. */
export async function attachSignedScan(db: Db, p: Principal, id: string, fileId: string, ctx: ActorContext, store: FileStore): Promise<number> {
  const d = await readableOutgoing(db, p, id);
  assertStatus(d, ['approved'], 'tải lên bản đã ký');
  if (d.signerUserId !== p.userId && !(await isClerkOf(db, p, d.unitId))) throw forbidden('Chỉ văn thư hoặc người ký được tải lên bản đã ký.');
  if (d.secrecy !== 'none') throw secretNoFile();
  let f: FileRow;
  try {
    f = await readableFile(db, p, fileId);
  } catch {
    throw validationFailed([{ field: 'fileId', message: 'Tệp không tồn tại hoặc bạn không có quyền dùng tệp này' }]);
  }
  if (f.contentType !== PDF_TYPE) throw validationFailed([{ field: 'fileId', message: 'Bản đã ký phải là tệp PDF (quét từ bản giấy)' }]);
  await pageCount(await store.read(f.sha256)); // refuses a broken or encrypted PDF (422)
  return inTransaction(db, async (tx) => {
    const cur = await lockDocument(tx, id);
    assertStatus(cur, ['approved'], 'tải lên bản đã ký');
    return addSignedVersion(tx, cur, f.id, 'paper', ctx);
  });
}

/** Whose clerk receives for a unit: the unit itself when someone holds 'clerk' there, else its office that has one. */
async function receivingUnit(tx: Db, unitId: string): Promise<string> {
  const clerkAt = (u: ReturnType<typeof sql>) => sql`EXISTS (SELECT 1 FROM role_assignments ra JOIN users us ON us.id = ra.user_id WHERE ra.unit_id = ${u} AND ra.role = 'clerk' AND us.active)`;
  const [row] = await queryRows<{ id: string | null }>(
    tx,
    sql`SELECT CASE WHEN ${clerkAt(sql`${unitId}::uuid`)} THEN ${unitId}::uuid
               ELSE (SELECT c.id FROM units c WHERE c.parent_id = ${unitId} AND c.kind = 'office' AND c.active AND ${clerkAt(sql`c.id`)} ORDER BY c.name LIMIT 1) END AS id`,
  );
  return row?.id ?? unitId;
}

type Sent = { numberSymbol: string; issuedDate: string; agencyName: string; file: FileRow | null };

/** Sends the issued document to each recipient, in the issuing transaction. */
async function sendToRecipients(tx: Db, doc: DocumentRow, s: Sent, ctx: ActorContext): Promise<void> {
  const list = await tx.select().from(documentRecipients).where(and(eq(documentRecipients.documentId, doc.id), eq(documentRecipients.status, 'pending')));
  for (const r of list) {
    if (r.kind === 'unit') {
      const receiving = await receivingUnit(tx, r.unitId!);
      await tx.update(documentRecipients).set({ status: 'arrived', receivingUnitId: receiving, updatedAt: ctx.now }).where(eq(documentRecipients.id, r.id));
      await recordStep(tx, ctx, doc, { action: 'sent', text: `Đã gửi đến ${r.name} (chờ tiếp nhận)`, detail: { recipientId: r.id, recipient: r.name, status: 'arrived' } });
    } else if (r.kind === 'email') {
      await enqueueMail(tx, issuedMail(doc, r, s), { unitId: doc.unitId, dedupeKey: `document-sent:${r.id}` }, ctx.now);
      await tx.update(documentRecipients).set({ status: 'sent', updatedAt: ctx.now }).where(eq(documentRecipients.id, r.id));
      await recordStep(tx, ctx, doc, { action: 'mailed', text: `Đã xếp thư điện tử gửi ${r.name} <${r.email}>`, detail: { recipientId: r.id, recipient: r.name, email: r.email, status: 'sent' } });
    } else {
      await recordStep(tx, ctx, doc, {
        action: 'sent',
        text: `Chưa gửi đến ${r.name} (${r.agencyCode}): gửi liên thông sang hệ thống khác theo chuẩn edXML sẽ được hỗ trợ trong đợt sau; hãy gửi theo đường khác.`,
        detail: { recipientId: r.id, recipient: r.name, agencyCode: r.agencyCode, status: 'pending' },
      });
    }
  }
}

const attachmentName = (numberSymbol: string) => `${numberSymbol.replace(/[/\\]/g, '_')}.pdf`;

function issuedMail(doc: DocumentRow, r: typeof documentRecipients.$inferSelect, s: Sent) {
  const signer = doc.signerName ? `${doc.signerPosition ? `${doc.signerPosition} ` : ''}${doc.signerName}` : null;
  return {
    to: r.email!,
    subject: `Văn bản số ${s.numberSymbol} ngày ${formatDate(s.issuedDate)} của ${s.agencyName}`.slice(0, 500),
    text: [
      `Kính gửi: ${r.name}`,
      '',
      `${s.agencyName} gửi văn bản số ${s.numberSymbol} ngày ${formatDate(s.issuedDate)}.`,
      `Trích yếu: ${doc.subject}`,
      ...(signer ? [`Người ký: ${signer}`] : []),
      ...(s.file ? [`Văn bản đính kèm: ${attachmentName(s.numberSymbol)} (PDF).`] : []),
      '',
      `Nơi gửi: ${s.agencyName}.`,
      'Thư được gửi tự động từ hệ thống quản lý văn bản và điều hành; vui lòng không trả lời thư này.',
    ].join('\n'),
    attachments: s.file ? [{ filename: attachmentName(s.numberSymbol), sha256: s.file.sha256, contentType: PDF_TYPE }] : [],
  };
}

/**
 * A step between numbering and sending that turns the final PDF into the issued one (the digital flow:
 * number and date filled in, agency seal, time-stamp); runs in the issuing transaction, so a failure
 * gives the number back.
 */
export type IssueFinaliser = (
  tx: Db,
  s: { doc: DocumentRow; file: FileRow; codeNumber: number; codeNotation: string; numberSymbol: string; issuedDate: string; place: string; agencyName: string },
) => Promise<FileRow>;

/**
 * Issues an approved document (Decree 30 art. 15–16): in one transaction the number of the unit's
 * outgoing book for the local year (series regular, secret or legal:<type>), the date and time, the
 * symbol, the place, the register entry, then the sending. A document is never numbered twice.
 */
export async function issueDocument(
  db: Db,
  p: Principal,
  id: string,
  input: { bookId?: string | null },
  ctx: ActorContext,
  store: FileStore,
  finalise?: IssueFinaliser,
): Promise<{ codeNumber: number; codeNotation: string }> {
  const d = await readableOutgoing(db, p, id);
  const alreadyIssued = (x: DocumentRow) => conflict(`Văn bản đã được ban hành với số ${numberSymbolOf(x)}; không cấp số lần thứ hai.`, 'already-issued');
  assertNotRecalled(d);
  if (d.status === 'issued') throw alreadyIssued(d);
  if (!(await isClerkOf(db, p, d.unitId))) throw forbidden('Chỉ văn thư của đơn vị được cấp số và ban hành văn bản.');
  assertStatus(d, ['approved'], 'ban hành');
  const names = await issuingNames(db, d);
  const agency = names.agency;

  return inTransaction(db, async (tx) => {
    const cur = await lockDocument(tx, id);
    assertNotRecalled(cur);
    if (cur.status === 'issued') throw alreadyIssued(cur);
    assertStatus(cur, ['approved'], 'ban hành');
    // A digitally signed document goes out only with the agency seal ("Đóng dấu và phát hành").
    if (!finalise && (await latestSignedVersion(tx, cur.id))?.digital) {
      throw new AppError(409, 'seal-required', 'Văn bản đã ký số cần đóng dấu điện tử', 'Văn bản đã được người có thẩm quyền ký số: dùng chức năng "Đóng dấu và phát hành" để cấp số và ký bằng con dấu điện tử của cơ quan.');
    }
    // Chosen under the lock: a scan uploaded a moment ago is the one that goes out.
    let file = await finalPdf(tx, cur);
    const series = seriesFor(cur);
    const book = input.bookId ? await chosenBook(tx, cur.unitId, input.bookId, series) : await ensureBook(tx, cur.unitId, 'outgoing', series, ctx.now);
    const { codeNumber, codeNotation, numberSymbol, issuedDate, place } = numbering(cur, names, await nextNumber(tx, book.id, localYear(ctx.now)), ctx.now);
    if (finalise && file) file = await finalise(tx, { doc: cur, file, codeNumber, codeNotation, numberSymbol, issuedDate, place, agencyName: agency.name });
    const pages = file ? await store.read(file.sha256).then(pageCount).catch(() => null) : null;
    await tx
      .update(documents)
      .set({
        status: 'issued',
        codeNumber,
        codeNotation,
        issuedDate,
        issuedAt: ctx.now,
        place,
        bookId: book.id,
        pageCount: pages,
        updatedAt: ctx.now,
        searchText: buildSearchText({ unitId: cur.unitId, subject: cur.subject, numberSymbol, issuerName: cur.issuerName, signerName: cur.signerName }),
      })
      .where(eq(documents.id, id));
    if (file) await tx.insert(documentFiles).values({ id: newId(), documentId: id, fileId: file.id, role: 'main', version: 1, note: 'Bản ban hành', createdBy: ctx.actorId, createdAt: ctx.now });
    await recordStep(tx, ctx, cur, { action: 'issued', text: `Số ${numberSymbol}`, detail: { codeNumber, codeNotation, issuedDate, bookId: book.id, series } });
    const old = await replacedDocument(tx, cur);
    if (old) await recordStep(tx, ctx, old, { action: 'replaced', text: `Được thay thế bằng văn bản số ${numberSymbol} ngày ${formatDate(issuedDate)}`, detail: { replacedByDocumentId: id } });
    await sendToRecipients(tx, cur, { numberSymbol, issuedDate, agencyName: agency.name, file }, ctx);
    return { codeNumber, codeNotation };
  });
}

type IssuingNames = { agency: Awaited<ReturnType<typeof issuingAgency>>; draftingAbbreviation: string | null; typeAbbreviation: string | null };

/** Who issues (the agency, its drafting unit) and the type's abbreviation: what the symbol is made of. */
async function issuingNames(db: Db, d: DocumentRow): Promise<IssuingNames> {
  const unit = (await unitInfo(db, d.unitId))!;
  const drafting = d.draftingUnitId && d.draftingUnitId !== unit.id ? ((await unitInfo(db, d.draftingUnitId)) ?? unit) : unit;
  const agency = await issuingAgency(db, unit);
  const [type] = await db.select({ abbreviation: documentTypes.abbreviation }).from(documentTypes).where(eq(documentTypes.code, d.typeCode)).limit(1);
  return { agency, draftingAbbreviation: drafting.short_name, typeAbbreviation: type?.abbreviation ?? null };
}

/** Number, symbol, date and place of an issuance at `now` with `codeNumber` (taken, or only previewed). */
function numbering(d: DocumentRow, names: IssuingNames, codeNumber: number, now: Date) {
  const year = localYear(now);
  const notation = renderNotation({ typeAbbreviation: names.typeAbbreviation, issuerAbbreviation: names.agency.short_name, draftingUnitAbbreviation: names.draftingAbbreviation });
  const codeNotation = d.legalNormative ? `${year}/${notation}` : notation;
  return { codeNumber, codeNotation, numberSymbol: numberSymbolOf({ codeNumber, codeNotation })!, issuedDate: localDate(now), place: placeName(names.agency.name) };
}

export type IssuePreview = { bookId: string | null; codeNumber: number; codeNotation: string; numberSymbol: string; issuedDate: string; place: string; agencyName: string };

/**
 * What issueDocument would assign at `now` (book, number, symbol, date), read-only: nothing is reserved, so the
 * number may be taken by another issuance before it is used; the caller compares at issuance. The caller has
 * checked that `d` may be issued.
 */
export async function previewIssue(db: Db, d: DocumentRow, bookId: string | null | undefined, now: Date): Promise<IssuePreview> {
  const names = await issuingNames(db, d);
  const series = seriesFor(d);
  const [book] = bookId ? [await chosenBook(db, d.unitId, bookId, series)] : await findBook(db, d.unitId, 'outgoing', series);
  const n = numbering(d, names, book ? await peekNextNumber(db, book.id, localYear(now)) : 1, now);
  return { bookId: bookId ?? null, ...n, agencyName: names.agency.name };
}

/** The PDF that goes out (none for secret documents, which keep no file); 422 when there is none yet. */
async function finalPdf(tx: Db, d: DocumentRow): Promise<FileRow | null> {
  if (d.secrecy !== 'none') return null;
  const id = finalFile(await fileRefs(tx, d.id));
  const file = id ? await findFile(tx, id) : undefined;
  if (!file) throw new AppError(422, 'no-final-pdf', 'Chưa có bản PDF để ban hành', 'Cần tải lên bản đã ký (quét PDF) hoặc bản dự thảo PDF đã được duyệt trước khi ban hành.');
  return file;
}

async function chosenBook(tx: Db, unitId: string, bookId: string, series: string) {
  const [b] = isUuid(bookId)
    ? await tx.select().from(registerBooks).where(and(eq(registerBooks.id, bookId), eq(registerBooks.unitId, unitId), eq(registerBooks.direction, 'outgoing'), eq(registerBooks.active, true))).limit(1)
    : [];
  if (!b) throw validationFailed([{ field: 'bookId', message: 'Sổ văn bản đi không tồn tại hoặc không thuộc đơn vị' }]);
  if (b.series !== series) throw validationFailed([{ field: 'bookId', message: 'Sổ này không dùng cho loại văn bản này (sổ thường, sổ mật, sổ văn bản quy phạm pháp luật)' }]);
  return b;
}

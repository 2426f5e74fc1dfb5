import { and, eq, sql } from 'drizzle-orm';
import type { Principal } from '../../core/access/index.js';
import { type ActorContext, writeAudit } from '../../core/audit/index.js';
import { type Db, inTransaction } from '../../core/db/index.js';
import { AppError, notFound } from '../../core/errors/index.js';
import type { FileStore } from '../../core/files/index.js';
import { isUuid, newId } from '../../core/ids/index.js';
import { embedCms, prepareSignature, type SignOptions } from '../../core/signing/index.js';
import { pendingSignatures } from './schema.js';

/**
 * External signing (ký số bằng USB token qua công cụ ký trên máy tính): the server prepares the PDF with an
 * empty signature and gives the SHA-256 of its byte ranges (and the prepared PDF) to the signing tool; the
 * tool returns a detached CMS (CAdES) over that digest; the server embeds it. What happens with the signed
 * PDF (validation, the document flow) is the caller's business.
 */

export const PENDING_MINUTES = 30;
export type PendingRow = typeof pendingSignatures.$inferSelect;

export type PreparedExternal = {
  pendingId: string;
  /** SHA-256 of the byte ranges: what the tool signs (messageDigest of the CMS). */
  digest: { base64: string; hex: string };
  byteRange: [number, number, number, number];
  expiresAt: string;
};

/** Prepares `pdf` with `options` and keeps the prepared PDF until the CMS comes back. */
export async function prepareExternal(
  db: Db,
  store: FileStore,
  input: {
    pdf: Uint8Array;
    options: SignOptions;
    unitId: string;
    documentId: string;
    sourceFileId: string;
    purpose: 'leader' | 'seal';
    userId: string;
    credentialId: string | null;
    /** What the flow needs back at finalise (kept with the options, e.g. the issuance the seal was prepared for). */
    context?: Record<string, unknown>;
  },
  ctx: ActorContext,
): Promise<PreparedExternal> {
  const prepared = await prepareSignature(input.pdf, { ...input.options, contentsSize: input.options.contentsSize ?? 32_768 });
  const sha = await store.put(Buffer.from(prepared.prepared));
  const id = newId();
  const expiresAt = new Date(ctx.now.getTime() + PENDING_MINUTES * 60_000);
  const { signatureImage: _i, sealImage: _s, ...appearance } = input.options.appearance ?? {};
  await inTransaction(db, async (tx) => {
    // One pending signature per document and purpose: an older one is cancelled.
    await tx
      .update(pendingSignatures)
      .set({ status: 'cancelled' })
      .where(and(eq(pendingSignatures.documentId, input.documentId), eq(pendingSignatures.purpose, input.purpose), eq(pendingSignatures.status, 'pending')));
    await tx.insert(pendingSignatures).values({
      id,
      unitId: input.unitId,
      documentId: input.documentId,
      sourceFileId: input.sourceFileId,
      purpose: input.purpose,
      userId: input.userId,
      credentialId: input.credentialId,
      preparedSha256: sha,
      byteRange: prepared.byteRange,
      contentDigest: Buffer.from(prepared.contentDigest).toString('base64'),
      options: { ...input.options, ...input.context, appearance, signingTime: input.options.signingTime.toISOString() },
      expiresAt,
      createdAt: ctx.now,
    });
    await writeAudit(tx, ctx, { action: 'signing.external_prepare', objectType: 'document', objectId: input.documentId, unitId: input.unitId, summary: { pendingId: id, purpose: input.purpose, credentialId: input.credentialId } });
  });
  const digest = Buffer.from(prepared.contentDigest);
  return { pendingId: id, digest: { base64: digest.toString('base64'), hex: digest.toString('hex') }, byteRange: prepared.byteRange, expiresAt: expiresAt.toISOString() };
}

/** The caller's pending signature (404 for anyone else's); 409/410 when it is no longer pending. */
export async function ownPending(db: Db, p: Principal, id: string, now: Date): Promise<PendingRow> {
  const [row] = isUuid(id) ? await db.select().from(pendingSignatures).where(eq(pendingSignatures.id, id)).limit(1) : [];
  if (!row || row.userId !== p.userId) throw notFound('Phiên ký');
  if (row.status !== 'pending') throw new AppError(409, 'pending-closed', 'Phiên ký đã kết thúc', row.status === 'finalised' ? 'Phiên ký này đã hoàn tất.' : 'Phiên ký này đã bị huỷ hoặc hết hạn; hãy chuẩn bị lại.');
  if (row.expiresAt <= now) throw new AppError(410, 'pending-expired', 'Phiên ký đã hết hạn', `Phiên ký chỉ có hiệu lực ${PENDING_MINUTES} phút; hãy chuẩn bị lại.`);
  return row;
}

export async function preparedPdf(store: FileStore, row: PendingRow): Promise<Buffer> {
  return store.read(row.preparedSha256);
}

/** Embeds the tool's CMS (DER) into the prepared PDF: the signed PDF, not yet validated. */
export async function embedExternal(store: FileStore, row: PendingRow, cms: Uint8Array): Promise<Uint8Array> {
  if (cms.length < 64 || cms[0] !== 0x30) throw new AppError(400, 'bad-cms', 'Chữ ký trả về không hợp lệ', 'Công cụ ký phải trả về CMS (PKCS#7) dạng DER, mã hoá base64.', [{ field: 'cms', message: 'Không phải CMS dạng DER' }]);
  const prepared = await preparedPdf(store, row);
  try {
    return embedCms({ prepared, byteRange: row.byteRange, contentDigest: new Uint8Array(Buffer.from(row.contentDigest, 'base64')) }, cms);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError(422, 'bad-cms', 'Không gắn được chữ ký vào văn bản', (err as Error).message);
  }
}

/** Marks the pending signature finalised, in the caller's transaction (false when someone else did it first). */
export async function closePending(tx: Db, id: string, now: Date): Promise<boolean> {
  const rows = await tx
    .update(pendingSignatures)
    .set({ status: 'finalised', finalisedAt: now })
    .where(and(eq(pendingSignatures.id, id), eq(pendingSignatures.status, 'pending'), sql`${pendingSignatures.expiresAt} > ${now.toISOString()}::timestamptz`))
    .returning({ id: pendingSignatures.id });
  return rows.length === 1;
}

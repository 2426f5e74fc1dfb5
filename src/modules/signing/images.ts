import { and, eq, sql } from 'drizzle-orm';
import { PNG } from 'pngjs';
import { can, type Principal } from '../../core/access/index.js';
import { type ActorContext, writeAudit } from '../../core/audit/index.js';
import { type Db, inTransaction, queryRows } from '../../core/db/index.js';
import { AppError, forbidden, notFound, validationFailed } from '../../core/errors/index.js';
import type { FileStore } from '../../core/files/index.js';
import { isUuid, newId } from '../../core/ids/index.js';
import { type FileRow, findFile, readableFile } from '../files/index.js';
import { signatureImages } from './schema.js';

/**
 * Signature images (Decree 30 Appendix I): an official's handwritten signature (blue, transparent PNG),
 * set in their own profile; a unit's seal (red, transparent PNG) with its real diameter, set by the unit
 * administrator. The PNG is uploaded first (POST /api/files), then attached here.
 */

export const DEFAULT_SEAL_DIAMETER_MM = 36;
const MAX_BYTES = 2 * 1024 * 1024;

export type SignatureImage = { fileId: string; sha256: string; sealDiameterMm: number | null; updatedAt: string; width: number; height: number };

/** A PNG with transparency (alpha channel or tRNS), at most 2 MB and 4000 px a side. */
function checkPng(content: Buffer): { width: number; height: number } {
  let png: PNG;
  try {
    png = PNG.sync.read(content);
  } catch {
    throw validationFailed([{ field: 'fileId', message: 'Tệp không phải ảnh PNG hợp lệ' }]);
  }
  if (png.width > 4000 || png.height > 4000) throw validationFailed([{ field: 'fileId', message: 'Ảnh tối đa 4000 × 4000 điểm ảnh' }]);
  // pngjs expands every image to RGBA; transparency means some pixel is not opaque.
  let transparent = false;
  for (let i = 3; i < png.data.length; i += 4) {
    if (png.data[i] < 255) {
      transparent = true;
      break;
    }
  }
  if (!transparent) throw validationFailed([{ field: 'fileId', message: 'Ảnh phải có nền trong suốt (PNG có kênh alpha)' }]);
  return { width: png.width, height: png.height };
}

async function imageFile(db: Db, p: Principal | null, fileId: string, store: FileStore): Promise<{ file: FileRow; size: { width: number; height: number } }> {
  let file: FileRow | undefined;
  if (p) file = await readableFile(db, p, fileId).catch(() => undefined);
  else file = await findFile(db, fileId);
  if (!file) throw validationFailed([{ field: 'fileId', message: 'Tệp không tồn tại hoặc bạn không có quyền dùng tệp này' }]);
  if (file.contentType !== 'image/png') throw validationFailed([{ field: 'fileId', message: 'Ảnh chữ ký và con dấu phải là tệp PNG nền trong suốt' }]);
  if (file.size > MAX_BYTES) throw validationFailed([{ field: 'fileId', message: 'Ảnh tối đa 2 MB' }]);
  return { file, size: checkPng(await store.read(file.sha256)) };
}

type Target = { owner: 'official'; userId: string; unitId: string } | { owner: 'unit'; unitId: string };

async function upsert(db: Db, t: Target, file: FileRow, sealDiameterMm: number | null, ctx: ActorContext): Promise<void> {
  await inTransaction(db, async (tx) => {
    const where = t.owner === 'official' ? and(eq(signatureImages.owner, 'official'), eq(signatureImages.userId, t.userId)) : and(eq(signatureImages.owner, 'unit'), eq(signatureImages.unitId, t.unitId));
    const [old] = await tx.select().from(signatureImages).where(where).for('update').limit(1);
    if (old) await tx.update(signatureImages).set({ fileId: file.id, sealDiameterMm, updatedBy: ctx.actorId, updatedAt: ctx.now }).where(eq(signatureImages.id, old.id));
    else await tx.insert(signatureImages).values({ id: newId(), unitId: t.unitId, owner: t.owner, userId: t.owner === 'official' ? t.userId : null, fileId: file.id, sealDiameterMm, updatedBy: ctx.actorId, updatedAt: ctx.now });
    await writeAudit(tx, ctx, {
      action: t.owner === 'official' ? 'signing.signature_image_set' : 'signing.seal_image_set',
      objectType: t.owner === 'official' ? 'user' : 'unit',
      objectId: t.owner === 'official' ? t.userId : t.unitId,
      unitId: t.unitId,
      summary: { fileId: file.id, sha256: file.sha256, sealDiameterMm, replaced: old?.fileId ?? null },
    });
  });
}

/** The caller's own handwritten signature image (`p` null with `userId`: the demo seed). */
export async function setSignatureImage(db: Db, store: FileStore, p: Principal | null, input: { fileId: string; userId?: string }, ctx: ActorContext): Promise<SignatureImage> {
  const userId = p?.userId ?? input.userId!;
  const [o] = await queryRows<{ unit_id: string }>(db, sql`SELECT unit_id FROM officials WHERE user_id = ${userId}`);
  if (!o) throw forbidden('Chỉ cán bộ, công chức có ảnh chữ ký.');
  const { file } = await imageFile(db, p, input.fileId, store);
  await upsert(db, { owner: 'official', userId, unitId: o.unit_id }, file, null, ctx);
  return (await signatureImageOf(db, store, userId))!;
}

/** A unit's seal image with its real diameter, by the unit's administrator (`p` null: the demo seed). */
export async function setSealImage(db: Db, store: FileStore, p: Principal | null, unitId: string, input: { fileId: string; diameterMm?: number | null }, ctx: ActorContext): Promise<SignatureImage> {
  const [u] = isUuid(unitId) ? await queryRows<{ id: string; path: string }>(db, sql`SELECT id, path FROM units WHERE id = ${unitId}`) : [];
  if (!u) throw notFound('Đơn vị');
  if (p && !can(p, 'unit.manage', u.path)) throw forbidden('Chỉ quản trị đơn vị được đặt ảnh con dấu của đơn vị.');
  const d = input.diameterMm ?? DEFAULT_SEAL_DIAMETER_MM;
  if (!(d >= 20 && d <= 60)) throw validationFailed([{ field: 'diameterMm', message: 'Đường kính con dấu từ 20 đến 60 mm' }]);
  const { file } = await imageFile(db, p, input.fileId, store);
  await upsert(db, { owner: 'unit', unitId: u.id }, file, d, ctx);
  return (await sealImageOf(db, store, u.id))!;
}

async function imageOf(db: Db, store: FileStore, where: ReturnType<typeof and>): Promise<(SignatureImage & { content: () => Promise<Buffer> }) | null> {
  const [r] = await db.select().from(signatureImages).where(where).limit(1);
  if (!r) return null;
  const f = (await findFile(db, r.fileId))!;
  const content = await store.read(f.sha256);
  const png = PNG.sync.read(content);
  return { fileId: f.id, sha256: f.sha256, sealDiameterMm: r.sealDiameterMm, updatedAt: r.updatedAt.toISOString(), width: png.width, height: png.height, content: async () => content };
}

export const signatureImageOf = (db: Db, store: FileStore, userId: string) => imageOf(db, store, and(eq(signatureImages.owner, 'official'), eq(signatureImages.userId, userId)));
export const sealImageOf = (db: Db, store: FileStore, unitId: string) => imageOf(db, store, and(eq(signatureImages.owner, 'unit'), eq(signatureImages.unitId, unitId)));

export async function removeImage(db: Db, p: Principal, target: { owner: 'official' } | { owner: 'unit'; unitId: string }, ctx: ActorContext): Promise<void> {
  let where;
  let unitId: string | null = null;
  if (target.owner === 'official') where = and(eq(signatureImages.owner, 'official'), eq(signatureImages.userId, p.userId));
  else {
    const [u] = isUuid(target.unitId) ? await queryRows<{ id: string; path: string }>(db, sql`SELECT id, path FROM units WHERE id = ${target.unitId}`) : [];
    if (!u) throw notFound('Đơn vị');
    if (!can(p, 'unit.manage', u.path)) throw forbidden('Chỉ quản trị đơn vị được xoá ảnh con dấu.');
    where = and(eq(signatureImages.owner, 'unit'), eq(signatureImages.unitId, u.id));
    unitId = u.id;
  }
  await inTransaction(db, async (tx) => {
    const [r] = await tx.delete(signatureImages).where(where).returning();
    if (!r) throw new AppError(404, 'not-found', 'Không tìm thấy', 'Chưa có ảnh để xoá.');
    await writeAudit(tx, ctx, { action: 'signing.image_remove', objectType: target.owner === 'official' ? 'user' : 'unit', objectId: target.owner === 'official' ? p.userId : unitId, unitId: r.unitId, summary: { fileId: r.fileId } });
  });
}

/** Who may read an image file: its owner, the unit's managers and the unit's clerks and leaders (they sign with it). */
export async function imageFileReadable(db: Db, p: Principal, file: FileRow): Promise<boolean> {
  const rows = await queryRows<{ owner: string; user_id: string | null; path: string }>(
    db,
    sql`SELECT si.owner, si.user_id, u.path FROM signature_images si JOIN units u ON u.id = si.unit_id WHERE si.file_id = ${file.id}`,
  );
  return rows.some((r) => r.user_id === p.userId || can(p, 'unit.manage', r.path) || (r.owner === 'unit' && (can(p, 'document.issue', r.path) || can(p, 'document.read', r.path))));
}

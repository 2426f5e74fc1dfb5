import { eq } from 'drizzle-orm';
import type { Principal } from '../../core/access/index.js';
import { type ActorContext, writeAudit } from '../../core/audit/index.js';
import { type Db, inTransaction } from '../../core/db/index.js';
import { AppError, notFound } from '../../core/errors/index.js';
import { type FileStore, files } from '../../core/files/index.js';
import { isUuid, newId } from '../../core/ids/index.js';

export type FileRow = typeof files.$inferSelect;
export type StoredFile = { id: string; sha256: string; size: number; contentType: string; name: string };

/** Modules that attach files to their objects say who may read a file (documents, dossiers, …). */
export type FileAccessRule = (db: Db, p: Principal, file: FileRow) => Promise<boolean>;
const rules: FileAccessRule[] = [];
export function registerFileAccess(rule: FileAccessRule): void {
  if (!rules.includes(rule)) rules.push(rule);
}

// What the content really is (by its first bytes), whatever the client claims.
const SIGNATURES: { type: string; test: (b: Buffer, name: string) => boolean }[] = [
  { type: 'application/pdf', test: (b) => b.subarray(0, 5).toString('latin1') === '%PDF-' },
  { type: 'image/jpeg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: 'image/png', test: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', test: (b, n) => isZip(b) && /\.docx$/i.test(n) },
  { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', test: (b, n) => isZip(b) && /\.xlsx$/i.test(n) },
  { type: 'application/vnd.oasis.opendocument.text', test: (b, n) => isZip(b) && /\.odt$/i.test(n) },
  { type: 'application/msword', test: (b, n) => b.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) && /\.doc$/i.test(n) },
  { type: 'application/xml', test: (b, n) => /\.xml$/i.test(n) && /^\s*</.test(b.subarray(0, 64).toString('utf8').replace(/^\uFEFF/, '')) },
];
const isZip = (b: Buffer) => b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

export const ACCEPTED_KINDS = 'PDF, ảnh JPEG/PNG, DOCX/DOC/ODT, XLSX, XML';

export function sniffContentType(content: Buffer, name: string): string | null {
  return SIGNATURES.find((s) => s.test(content, name))?.type ?? null;
}

/** Cleans a client-given file name (no paths, no control characters, NFC, bounded length). */
export function safeFileName(name: string | undefined): string {
  const base = (name ?? '').normalize('NFC').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f"<>|?*:]/g, '').trim().slice(-200);
  return clean || 'tep-tin';
}

/** Stores the content (content-addressed, written before the row) and records it. */
export async function storeFile(db: Db, store: FileStore, p: Principal | null, input: { content: Buffer; name: string; contentType?: string }, ctx: ActorContext): Promise<StoredFile> {
  const name = safeFileName(input.name);
  const contentType = input.contentType ?? sniffContentType(input.content, name);
  if (!contentType) {
    throw new AppError(415, 'unsupported-file-type', 'Loại tệp không được hỗ trợ', `Chỉ nhận: ${ACCEPTED_KINDS}. Nội dung tệp "${name}" không khớp loại nào.`);
  }
  if (input.content.length === 0) throw new AppError(422, 'empty-file', 'Tệp rỗng', `Tệp "${name}" không có nội dung.`);
  const sha256 = await store.put(input.content);
  const id = newId();
  await inTransaction(db, async (tx) => {
    await tx.insert(files).values({ id, sha256, size: input.content.length, contentType, name, unitId: p?.unitId ?? null, createdBy: p?.userId ?? null, createdAt: ctx.now });
    await writeAudit(tx, ctx, { action: 'file.upload', objectType: 'file', objectId: id, summary: { name, size: input.content.length, contentType, sha256 } });
  });
  return { id, sha256, size: input.content.length, contentType, name };
}

export async function findFile(db: Db, id: string): Promise<FileRow | undefined> {
  if (!isUuid(id)) return undefined;
  const [f] = await db.select().from(files).where(eq(files.id, id)).limit(1);
  return f;
}

/** The file if the principal uploaded it or a module's rule lets them read it; 404 otherwise. */
export async function readableFile(db: Db, p: Principal, id: string): Promise<FileRow> {
  const f = await findFile(db, id);
  if (!f) throw notFound('Tệp');
  if (f.createdBy === p.userId) return f;
  for (const rule of rules) if (await rule(db, p, f)) return f;
  throw notFound('Tệp');
}

import { sql } from 'drizzle-orm';
import type { Principal } from '../../core/access/index.js';
import { type ActorContext, writeAudit } from '../../core/audit/index.js';
import { type Db, queryRows } from '../../core/db/index.js';
import { AppError, type FieldError } from '../../core/errors/index.js';
import { type FileStore, files } from '../../core/files/index.js';
import { isUuid, newId } from '../../core/ids/index.js';
import { pageCount, scansToPdf } from '../../core/pdf/index.js';
import { checkReceivedFiles, mayHaveSignatures } from '../signing/index.js';

/**
 * Files of an incoming document: the main file (a scanned PDF kept as is, or phone photos turned into
 * one PDF on the server, several PDFs merged into one) and the attachments, kept as uploaded.
 */

export const SECRET_FILES_DETAIL =
  'Văn bản mật (Mật, Tối mật, Tuyệt mật) chỉ được đăng ký thông tin, không tải tệp nội dung lên: theo quy định bảo vệ bí mật nhà nước, ' +
  'văn bản mật không được xử lý trên hệ thống kết nối mạng. Hãy bỏ các tệp đính kèm và lưu bản giấy theo chế độ mật.';

type FileRef = { id: string; sha256: string; content_type: string; name: string; size: number; created_by: string | null; in_source: boolean };

export type PreparedFiles = { mainFileIds: string[]; attachmentIds: string[]; pageCount: number | null };

export type FileInput = {
  unitId: string;
  fileIds: string[];
  attachmentIds: string[];
  secrecy: string;
  /** Accepting another unit's document: its files are linked unchanged (a signed PDF must not be rewritten). */
  sourceDocumentId?: string | null;
};

const MAIN_TYPES = new Set(['application/pdf', 'image/jpeg', 'image/png']);
const fileNotFound = (errors: FieldError[]) =>
  new AppError(404, 'not-found', 'Không tìm thấy', 'Tệp không tồn tại hoặc không phải do bạn tải lên (tải tệp lên qua POST /api/files trước).', errors);

/** The stored files behind the ids, each one either uploaded by the caller or a file of the source document. */
async function loadRefs(tx: Db, p: Principal, ids: string[], field: string, sourceDocumentId: string | null): Promise<FileRef[]> {
  const errors: FieldError[] = [];
  ids.forEach((id, i) => {
    if (!isUuid(id)) errors.push({ field: `${field}.${i}`, message: 'Không tìm thấy tệp.' });
  });
  if (errors.length) throw fileNotFound(errors);
  if (ids.length === 0) return [];
  const rows = await queryRows<FileRef>(
    tx,
    sql`SELECT f.id, f.sha256, f.content_type, f.name, f.size, f.created_by,
               ${sourceDocumentId ? sql`EXISTS (SELECT 1 FROM document_files df WHERE df.file_id = f.id AND df.document_id = ${sourceDocumentId})` : sql`false`} AS in_source
          FROM files f WHERE f.id = ANY(${`{${ids.join(',')}}`}::uuid[])`,
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const refs: FileRef[] = [];
  ids.forEach((id, i) => {
    const r = byId.get(id);
    if (!r || (r.created_by !== p.userId && !r.in_source)) errors.push({ field: `${field}.${i}`, message: 'Không tìm thấy tệp.' });
    else refs.push(r);
  });
  if (errors.length) throw fileNotFound(errors);
  return refs;
}

const stem = (name: string) => name.replace(/\.[A-Za-z0-9]{1,5}$/, '') || 'van-ban-den';

/**
 * Validates and prepares the files; a new PDF (photos converted, PDFs merged) is stored in the caller's
 * transaction. Received PDFs that carry signatures are verified and the verdict recorded (Decree 30: check
 * the authenticity of electronic documents on arrival); the clerk sees it in the signature panel.
 */
export async function prepareFiles(tx: Db, store: FileStore, p: Principal, input: FileInput, ctx: ActorContext): Promise<PreparedFiles> {
  const prepared = await prepareFileList(tx, store, p, input, ctx);
  const ids = [...prepared.mainFileIds, ...prepared.attachmentIds];
  if (ids.length) {
    const rows = await queryRows<{ id: string; sha256: string; content_type: string }>(tx, sql`SELECT id, sha256, content_type FROM files WHERE id = ANY(${`{${ids.join(',')}}`}::uuid[])`);
    const signed = new Map<string, { file: { id: string; sha256: string; contentType: string }; content: Buffer }>();
    for (const r of rows) {
      if (r.content_type !== 'application/pdf') continue;
      const content = await store.read(r.sha256);
      if (mayHaveSignatures(content)) signed.set(r.sha256, { file: { id: r.id, sha256: r.sha256, contentType: r.content_type }, content });
    }
    const files = [...signed.values()].map((x) => x.file);
    if (files.length) await checkReceivedFiles(tx, async (sha) => signed.get(sha)!.content, files, input.unitId, ctx);
  }
  return prepared;
}

async function prepareFileList(tx: Db, store: FileStore, p: Principal, input: FileInput, ctx: ActorContext): Promise<PreparedFiles> {
  const fileIds = [...new Set(input.fileIds)];
  const attachmentIds = [...new Set(input.attachmentIds)].filter((id) => !fileIds.includes(id));
  if (input.secrecy !== 'none' && (fileIds.length || attachmentIds.length)) {
    throw new AppError(422, 'secret-document-files', 'Văn bản mật không được lưu tệp', SECRET_FILES_DETAIL, [
      ...(fileIds.length ? [{ field: 'fileIds', message: 'Văn bản mật chỉ đăng ký thông tin, không kèm tệp.' }] : []),
      ...(attachmentIds.length ? [{ field: 'attachmentIds', message: 'Văn bản mật chỉ đăng ký thông tin, không kèm tệp.' }] : []),
    ]);
  }
  const source = input.sourceDocumentId ?? null;
  const main = await loadRefs(tx, p, fileIds, 'fileIds', source);
  const attachments = await loadRefs(tx, p, attachmentIds, 'attachmentIds', source);
  if (main.length === 0) return { mainFileIds: [], attachmentIds: attachments.map((a) => a.id), pageCount: null };

  if (source) {
    // Received through the system: kept byte for byte (signatures stay valid); pages counted where readable.
    let pages = 0;
    for (const r of main.filter((x) => x.content_type === 'application/pdf')) pages += await pageCount(await store.read(r.sha256)).catch(() => 0);
    return { mainFileIds: main.map((r) => r.id), attachmentIds: attachments.map((a) => a.id), pageCount: pages || null };
  }

  const wrongType = main.map((r, i) => ({ r, i })).filter(({ r }) => !MAIN_TYPES.has(r.content_type));
  if (wrongType.length) {
    throw new AppError(
      422,
      'unsupported-file-type',
      'Tệp văn bản phải là PDF hoặc ảnh chụp',
      'Tệp chính của văn bản đến phải là bản quét PDF hoặc ảnh chụp JPEG/PNG (ảnh sẽ được ghép thành một tệp PDF). Các tệp khác hãy gửi ở mục tệp đính kèm.',
      wrongType.map(({ r, i }) => ({ field: `fileIds.${i}`, message: `Tệp "${r.name}" không phải PDF hoặc ảnh JPEG/PNG.` })),
    );
  }
  if (main.length === 1 && main[0].content_type === 'application/pdf') {
    const pages = await pageCount(await store.read(main[0].sha256)); // refuses a broken or encrypted PDF (422)
    return { mainFileIds: [main[0].id], attachmentIds: attachments.map((a) => a.id), pageCount: pages };
  }
  const pdf = await scansToPdf(main.map((r) => ({ contentType: r.content_type, read: () => store.read(r.sha256) })));
  const pages = await pageCount(pdf);
  const sha256 = await store.put(pdf);
  const id = newId();
  const name = `${stem(main[0].name)}.pdf`;
  await tx.insert(files).values({ id, sha256, size: pdf.length, contentType: 'application/pdf', name, unitId: input.unitId, createdBy: p.userId, createdAt: ctx.now });
  await writeAudit(tx, ctx, {
    action: 'file.convert',
    objectType: 'file',
    objectId: id,
    unitId: input.unitId,
    summary: { name, size: pdf.length, sha256, pages, from: main.map((r) => r.id) },
  });
  return { mainFileIds: [id], attachmentIds: attachments.map((a) => a.id), pageCount: pages };
}

import { sql } from 'drizzle-orm';
import { XMLBuilder } from 'fast-xml-parser';
import type { Principal } from '../../core/access/index.js';
import { type Db, queryRows } from '../../core/db/index.js';
import type { FileStore } from '../../core/files/index.js';
import { mergePdfs, pageCount, renderTablePdf, renderTextPagePdf, type TextLine } from '../../core/pdf/index.js';
import { foldText, formatDate, localDate } from '../documents/index.js';
import { reachableWorkFile, STATUS_LABELS } from './access.js';
import { type FiledDocument, visibleDocuments } from './contents.js';
import { fileCode } from './rules.js';
import { presentWorkFile, type WorkFile } from './service.js';

/**
 * Export of a work file for the archive: a PDF bundle (cover page, document index, then each
 * document's main PDF) and an XML of its metadata (archives metadata, Decree 30 Appendix VI names).
 * Only the documents the exporting person may read are included; the cover says how many others the
 * file holds. Secret documents appear in the index as metadata only, never with content.
 */
export const SECRET_NOTE = 'Chỉ lưu thông tin (văn bản mật)';
export const NO_FILE_NOTE = 'Không có tệp';
export const BROKEN_FILE_NOTE = 'Tệp không đọc được';

export type Entry = { doc: FiledDocument; pdf: Buffer | null; pages: number | null; note: string | null };
type Bundle = { file: WorkFile; agencyCode: string | null; entries: Entry[]; hiddenCount: number };

async function mainPdfs(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  // The signed original of an issued document if there is one, else the main file; latest version.
  const rows = await queryRows<{ document_id: string; sha256: string }>(
    db,
    sql`SELECT DISTINCT ON (df.document_id) df.document_id, f.sha256
          FROM document_files df JOIN files f ON f.id = df.file_id
         WHERE df.document_id = ANY(${`{${ids.join(',')}}`}::uuid[]) AND df.role IN ('signed', 'main') AND f.content_type = 'application/pdf'
         ORDER BY df.document_id, (df.role = 'signed') DESC, df.version DESC, df.created_at DESC`,
  );
  return new Map(rows.map((r) => [r.document_id, r.sha256]));
}

async function loadBundle(db: Db, store: FileStore, p: Principal, id: string, withContent: boolean): Promise<Bundle> {
  await reachableWorkFile(db, p, id);
  const file = await presentWorkFile(db, id);
  const [unit] = await queryRows<{ agency_code: string | null }>(db, sql`SELECT agency_code FROM units WHERE id = ${file.unitId}`);
  const { documents, hiddenCount } = await visibleDocuments(db, p, id);
  const shas = await mainPdfs(db, documents.filter((d) => d.secrecy === 'none').map((d) => d.id));
  const entries: Entry[] = [];
  for (const doc of documents) {
    const sha = shas.get(doc.id);
    if (doc.secrecy !== 'none') {
      entries.push({ doc, pdf: null, pages: doc.pageCount, note: SECRET_NOTE });
    } else if (!sha || !(await store.has(sha))) {
      entries.push({ doc, pdf: null, pages: doc.pageCount, note: NO_FILE_NOTE });
    } else {
      const pdf = await store.read(sha);
      const pages = await pageCount(pdf).catch(() => null);
      entries.push(pages == null ? { doc, pdf: null, pages: doc.pageCount, note: BROKEN_FILE_NOTE } : { doc, pdf: withContent ? pdf : null, pages, note: null });
    }
  }
  return { file, agencyCode: unit?.agency_code ?? null, entries, hiddenCount };
}

const dateOf = (iso: string | null) => (iso ? formatDate(localDate(new Date(iso))) : '');

function span(entries: Entry[]): { start: string | null; end: string | null } {
  const dates = entries.map((e) => e.doc.issuedDate).filter((d): d is string => !!d).sort();
  return { start: dates[0] ?? null, end: dates[dates.length - 1] ?? null };
}

const totalPages = (entries: Entry[]) => entries.reduce((s, e) => s + (e.pages ?? 0), 0);

function coverLines(b: Bundle, exportedBy: string, now: Date): TextLine[] {
  const { file } = b;
  const { start, end } = span(b.entries);
  const lines: TextLine[] = [
    { text: file.unitName.toUpperCase(), bold: true, align: 'center' },
    { text: ' ' },
    { text: ' ' },
    { text: 'HỒ SƠ', bold: true, size: 18, align: 'center' },
    { text: file.title, bold: true, size: 15, align: 'center' },
    { text: ' ' },
    { text: `Ký hiệu hồ sơ: ${file.notation}` },
    { text: `Mã hồ sơ: ${fileCode(b.agencyCode, file.year, file.notation)}` },
    { text: `Năm: ${file.year}` },
    { text: `Thời hạn bảo quản: ${file.retentionLabel}` },
    { text: `Người lập hồ sơ: ${file.ownerName ?? file.createdByName ?? ''}` },
    { text: `Ngày mở hồ sơ: ${dateOf(file.openedAt) || 'chưa mở'}` },
    { text: `Ngày đóng hồ sơ: ${dateOf(file.closedAt) || 'chưa đóng'}` },
    { text: `Thời gian văn bản: ${start ? `từ ngày ${formatDate(start)} đến ngày ${formatDate(end)}` : 'chưa có văn bản'}` },
    { text: `Gồm: ${b.entries.length} văn bản, ${totalPages(b.entries)} tờ` },
    { text: `Trạng thái: ${STATUS_LABELS[file.status]}` },
  ];
  if (file.note) lines.push({ text: `Ghi chú: ${file.note}` });
  if (b.hiddenCount > 0) {
    lines.push({ text: ' ' }, { text: `Hồ sơ còn ${b.hiddenCount} văn bản khác không có trong bản xuất này vì người xuất không có quyền xem.`, size: 11 });
  }
  lines.push({ text: ' ' }, { text: `Xuất từ hệ thống LienThong ngày ${formatDate(localDate(now))} bởi ${exportedBy}.`, size: 10 });
  return lines;
}

const INDEX_COLUMNS = [
  { header: 'STT', width: 5, align: 'center' as const },
  { header: 'Số, ký hiệu', width: 13 },
  { header: 'Ngày tháng', width: 11, align: 'center' as const },
  { header: 'Trích yếu', width: 33 },
  { header: 'Tác giả', width: 17 },
  { header: 'Số tờ', width: 6, align: 'center' as const },
  { header: 'Ghi chú', width: 15 },
];

export function indexRows(entries: Entry[], firstDocPage: number): string[][] {
  let page = firstDocPage;
  return entries.map((e, i) => {
    let note = e.note ?? '';
    if (e.pdf && e.pages) {
      note = e.pages === 1 ? `Trang ${page}` : `Trang ${page}–${page + e.pages - 1}`;
      page += e.pages;
    }
    const d = e.doc;
    return [String(i + 1), d.numberSymbol ?? '', formatDate(d.issuedDate), `${d.typeName}: ${d.subject}`, d.issuerName, e.pages == null ? '' : String(e.pages), note];
  });
}

/** The PDF bundle: cover, index (with the page range of each document in the bundle), documents. */
export async function exportPdf(db: Db, store: FileStore, p: Principal, id: string, now: Date): Promise<Buffer> {
  const b = await loadBundle(db, store, p, id, true);
  const cover = await renderTextPagePdf({ title: `Hồ sơ ${b.file.notation} - ${b.file.title}`, lines: coverLines(b, p.fullName, now) });
  const coverPages = await pageCount(cover);
  const renderIndex = (indexPages: number) =>
    renderTablePdf({
      title: 'MỤC LỤC VĂN BẢN',
      subtitle: `Hồ sơ ${b.file.notation}: ${b.file.title} (năm ${b.file.year})`,
      columns: INDEX_COLUMNS,
      rows: indexRows(b.entries, coverPages + indexPages + 1),
      footer: `${b.file.unitName} · Hồ sơ ${b.file.notation}`,
    });
  // The page numbers in the index depend on the index's own length: re-render until it is stable.
  let indexPages = 1;
  let index = await renderIndex(indexPages);
  for (let i = 0; i < 3; i++) {
    const n = await pageCount(index);
    if (n === indexPages) break;
    indexPages = n;
    index = await renderIndex(indexPages);
  }
  return mergePdfs([cover, index, ...b.entries.flatMap((e) => (e.pdf ? [e.pdf] : []))]);
}

// XML 1.0 forbids most control characters; text from users could carry them.
// eslint-disable-next-line no-control-regex
const xmlText = (s: string | null | undefined): string => (s ?? '').normalize('NFC').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');

/** The metadata XML: the file and each document in index order (element names from Decree 30 Appendix VI / edXML). */
export async function exportXml(db: Db, store: FileStore, p: Principal, id: string, now: Date): Promise<string> {
  const b = await loadBundle(db, store, p, id, false);
  const { file } = b;
  const { start, end } = span(b.entries);
  const builder = new XMLBuilder({ format: true, ignoreAttributes: false, processEntities: true, suppressEmptyNode: true });
  return builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    WorkFile: {
      FileCode: xmlText(fileCode(b.agencyCode, file.year, file.notation)),
      FileNotation: xmlText(file.notation),
      OrganId: xmlText(b.agencyCode),
      OrganName: xmlText(file.unitName),
      Year: file.year,
      Title: xmlText(file.title),
      Retention: xmlText(file.retentionLabel),
      RetentionYears: file.retentionYears ?? '',
      Status: file.status,
      OpenedDate: file.openedAt ? localDate(new Date(file.openedAt)) : '',
      ClosedDate: file.closedAt ? localDate(new Date(file.closedAt)) : '',
      StartDate: start ?? '',
      EndDate: end ?? '',
      Creator: xmlText(file.ownerName ?? file.createdByName),
      DocumentCount: b.entries.length,
      HiddenDocumentCount: b.hiddenCount,
      PageCount: totalPages(b.entries),
      Description: xmlText(file.note),
      ExportedAt: now.toISOString(),
      Documents: {
        Document: b.entries.map((e, i) => ({
          Ordinal: i + 1,
          DocumentId: e.doc.id,
          OrganId: xmlText(e.doc.issuerCode),
          OrganName: xmlText(e.doc.issuerName),
          CodeNumber: e.doc.codeNumber ?? '',
          CodeNotation: xmlText(e.doc.codeNotation),
          IssuedDate: e.doc.issuedDate ?? '',
          TypeName: xmlText(e.doc.typeName),
          Subject: xmlText(e.doc.subject),
          SignerInfo: { Position: xmlText(e.doc.signerPosition), FullName: xmlText(e.doc.signerName) },
          PageAmount: e.pages ?? '',
          Secrecy: e.doc.secrecy,
          Description: xmlText(e.note),
        })),
      },
    },
  }) as string;
}

/** Content-Disposition with an ASCII fallback and the Vietnamese name (RFC 6266 / 5987). */
export function exportDisposition(file: { year: number; notation: string; title: string }, ext: 'pdf' | 'xml'): string {
  // eslint-disable-next-line no-control-regex
  const name = `Hồ sơ ${file.notation} (${file.year}) - ${file.title}`.normalize('NFC').replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 150);
  const ascii = foldText(`ho-so-${file.year}-${file.notation}`).replace(/[^a-z0-9.-]+/g, '-');
  const encoded = encodeURIComponent(`${name}.${ext}`).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}.${ext}"; filename*=UTF-8''${encoded}`;
}

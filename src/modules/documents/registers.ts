import { sql, type SQL } from 'drizzle-orm';
import type ExcelJS from 'exceljs';
import type { Principal } from '../../core/access/index.js';
import { type Db, queryRows } from '../../core/db/index.js';
import { forbidden, notFound, unprocessable } from '../../core/errors/index.js';
import { isUuid } from '../../core/ids/index.js';
import { addDays } from './deadlines.js';
import { numberSymbolOf } from './detail.js';
import { localDateSql } from './inbox.js';
import { formatDate } from './symbols.js';
import { unitIdsFor } from './visibility.js';

/**
 * Register books (sổ đăng ký văn bản đến / đi) for a period, in the columns of Decree 30/2020 (Appendix
 * IV), as JSON pages, .xlsx and a printable landscape PDF. Who: document.report over the book's unit.
 * Secret documents are listed with their metadata, as the paper book holds them (there is no file).
 * A book id narrows to one book (series); without it, every book of the unit for that direction.
 */

export type RegisterDirection = 'incoming' | 'outgoing';
export type RegisterQuery = { from: string; to: string; bookId?: string; unitId?: string; page?: number; pageSize?: number };

export type IncomingEntry = {
  documentId: string;
  arrivalDate: string | null; // Ngày đến
  arrivalNumber: number | null; // Số đến
  author: string; // Tác giả
  numberSymbol: string | null; // Số, ký hiệu
  documentDate: string | null; // Ngày tháng văn bản
  typeAndSubject: string; // Tên loại và trích yếu
  recipient: string | null; // Đơn vị hoặc người nhận
  transferDate: string | null; // Ngày chuyển
  note: string | null; // Ghi chú
};
export type OutgoingEntry = {
  documentId: string;
  numberSymbol: string | null; // Số, ký hiệu
  documentDate: string | null; // Ngày tháng
  typeAndSubject: string; // Tên loại và trích yếu
  signer: string | null; // Người ký
  recipients: string | null; // Nơi nhận
  archive: string | null; // Đơn vị, người nhận bản lưu
  copies: number; // Số lượng bản
  transferDate: string | null; // Ngày chuyển
  note: string | null; // Ghi chú
};
export type RegisterBook<E> = {
  direction: RegisterDirection;
  unit: { id: string; name: string };
  book: { id: string; name: string } | null;
  from: string;
  to: string;
  entries: E[];
  total: number;
  page: number;
  pageSize: number;
};

/** An export holds at most this many rows; a longer period must be split. */
export const MAX_EXPORT_ROWS = 20_000;

const SECRECY_LABEL: Record<string, string> = { confidential: 'Mật', secret: 'Tối mật', top_secret: 'Tuyệt mật' };
const URGENCY_LABEL: Record<string, string> = { urgent: 'Khẩn', very_urgent: 'Thượng khẩn', flash: 'Hỏa tốc' };

function noteOf(r: { secrecy: string; urgency: string; status: string }): string | null {
  const parts = [SECRECY_LABEL[r.secrecy], URGENCY_LABEL[r.urgency], r.status === 'recalled' ? 'Đã thu hồi' : undefined].filter(Boolean);
  return parts.length ? parts.join('; ') : null;
}

/** The unit and (optional) book of the register, checked against document.report; 404 for what is not the caller's. */
export async function registerScope(db: Db, p: Principal, direction: RegisterDirection, q: { bookId?: string; unitId?: string }): Promise<{ unit: { id: string; name: string }; book: { id: string; name: string } | null }> {
  const allowed = await unitIdsFor(db, p, 'document.report');
  if (q.bookId) {
    const [book] = isUuid(q.bookId)
      ? await queryRows<{ id: string; name: string; unit_id: string; unit_name: string }>(
          db,
          sql`SELECT b.id, b.name, b.unit_id, u.name AS unit_name FROM register_books b JOIN units u ON u.id = b.unit_id WHERE b.id = ${q.bookId} AND b.direction = ${direction}`,
        )
      : [];
    if (!book || !allowed.includes(book.unit_id) || (q.unitId && q.unitId !== book.unit_id)) throw notFound('Sổ đăng ký');
    return { unit: { id: book.unit_id, name: book.unit_name }, book: { id: book.id, name: book.name } };
  }
  const unitId = q.unitId ?? defaultReportUnit(p, allowed);
  if (!unitId) throw forbidden('Chỉ văn thư và lãnh đạo đơn vị được xem sổ đăng ký văn bản và thống kê.');
  if (!allowed.includes(unitId)) throw notFound('Đơn vị');
  const [unit] = await queryRows<{ id: string; name: string }>(db, sql`SELECT id, name FROM units WHERE id = ${unitId}`);
  return { unit, book: null };
}

/** The unit a report opens on: the caller's own unit when they report on it, else the first unit of a reporting role. */
export function defaultReportUnit(p: Principal, allowed: string[]): string | undefined {
  if (p.unitId && allowed.includes(p.unitId)) return p.unitId;
  return p.roles.find((r) => allowed.includes(r.unitId))?.unitId ?? allowed[0];
}

const dayStart = (iso: string) => new Date(`${iso}T00:00:00+07:00`).toISOString();
const localDay = (col: string) => localDateSql(sql.raw(col));

type Window = { limit: number; offset: number };
function windowOf(q: RegisterQuery, all: boolean): Window {
  if (all) return { limit: MAX_EXPORT_ROWS + 1, offset: 0 };
  const pageSize = Math.min(200, Math.max(1, q.pageSize ?? 50));
  return { limit: pageSize, offset: (Math.max(1, q.page ?? 1) - 1) * pageSize };
}

function tooLong(total: number): void {
  if (total > MAX_EXPORT_ROWS) {
    throw unprocessable('Sổ quá lớn để xuất một lần', `Khoảng thời gian có ${total} văn bản (tối đa ${MAX_EXPORT_ROWS}); hãy chọn khoảng thời gian ngắn hơn.`);
  }
}

export async function incomingRegister(db: Db, p: Principal, q: RegisterQuery, all = false): Promise<RegisterBook<IncomingEntry>> {
  const { unit, book } = await registerScope(db, p, 'incoming', q);
  const w = windowOf(q, all);
  const where: SQL = sql`d.unit_id = ${unit.id} AND d.direction = 'incoming' ${book ? sql`AND d.book_id = ${book.id}` : sql``}
    AND d.arrival_at >= ${dayStart(q.from)}::timestamptz AND d.arrival_at < ${dayStart(addDays(q.to, 1))}::timestamptz`;
  const rows = await queryRows<{
    id: string; arrival_date: string | null; arrival_number: number | null; issuer_name: string; code_number: number | null; code_notation: string | null;
    issued_date: string | null; type_name: string; subject: string; secrecy: string; urgency: string; status: string; handlers: string | null;
    presented_name: string | null; transfer_date: string | null; total: number | string;
  }>(
    db,
    sql`SELECT d.id, ${localDay('d.arrival_at')}::text AS arrival_date, d.arrival_number, d.issuer_name, d.code_number, d.code_notation, d.issued_date,
               t.name AS type_name, d.subject, d.secrecy, d.urgency, d.status,
               (SELECT string_agg(coalesce(u.full_name, un.name), '; ' ORDER BY a.role <> 'lead', a.assigned_at, a.id)
                  FROM assignments a LEFT JOIN users u ON u.id = a.assignee_user_id LEFT JOIN units un ON un.id = a.assignee_unit_id
                 WHERE a.document_id = d.id AND a.parent_id IS NULL AND a.role IN ('lead', 'co') AND a.status <> 'cancelled') AS handlers,
               (SELECT full_name FROM users WHERE id = d.presented_to) AS presented_name,
               (SELECT ${localDay('min(x.at)')}::text FROM (SELECT e.at FROM document_events e WHERE e.document_id = d.id AND e.action IN ('presented', 'assigned')
                                                          UNION ALL SELECT a.assigned_at FROM assignments a WHERE a.document_id = d.id) x) AS transfer_date,
               count(*) OVER () AS total
          FROM documents d JOIN document_types t ON t.code = d.type_code
         WHERE ${where}
         ORDER BY d.arrival_at, d.arrival_number, d.id
         LIMIT ${w.limit} OFFSET ${w.offset}`,
  );
  return {
    ...(await pageOf(db, where, rows, q, w, all)),
    direction: 'incoming',
    unit,
    book,
    entries: rows.map((r) => ({
      documentId: r.id,
      arrivalDate: r.arrival_date,
      arrivalNumber: r.arrival_number,
      author: r.issuer_name,
      numberSymbol: numberSymbolOf({ codeNumber: r.code_number, codeNotation: r.code_notation }),
      documentDate: r.issued_date,
      typeAndSubject: `${r.type_name} ${r.subject}`,
      // Handlers named by the leader; before the assignment, the leader it was presented to.
      recipient: r.handlers ?? r.presented_name,
      transferDate: r.transfer_date,
      note: noteOf(r),
    })),
  };
}

export async function outgoingRegister(db: Db, p: Principal, q: RegisterQuery, all = false): Promise<RegisterBook<OutgoingEntry>> {
  const { unit, book } = await registerScope(db, p, 'outgoing', q);
  const w = windowOf(q, all);
  const where: SQL = sql`d.unit_id = ${unit.id} AND d.direction = 'outgoing' ${book ? sql`AND d.book_id = ${book.id}` : sql``}
    AND d.code_number IS NOT NULL AND d.status IN ('issued', 'recalled') AND d.issued_date >= ${q.from}::date AND d.issued_date <= ${q.to}::date`;
  const rows = await queryRows<{
    id: string; code_number: number | null; code_notation: string | null; issued_date: string | null; type_name: string; subject: string; signer_name: string | null;
    signer_position: string | null; secrecy: string; urgency: string; status: string; recipients: string | null; recipient_count: number | string;
    archive_unit: string | null; author: string | null; transfer_date: string | null; total: number | string;
  }>(
    db,
    sql`SELECT d.id, d.code_number, d.code_notation, d.issued_date, t.name AS type_name, d.subject, d.signer_name, d.signer_position, d.secrecy, d.urgency, d.status,
               (SELECT string_agg(r.name, '; ' ORDER BY r.name) FROM document_recipients r WHERE r.document_id = d.id) AS recipients,
               (SELECT count(*) FROM document_recipients r WHERE r.document_id = d.id) AS recipient_count,
               (SELECT name FROM units WHERE id = coalesce(d.drafting_unit_id, d.unit_id)) AS archive_unit,
               (SELECT full_name FROM users WHERE id = d.created_by) AS author,
               coalesce(${localDay('d.issued_at')}, d.issued_date)::text AS transfer_date,
               count(*) OVER () AS total
          FROM documents d JOIN document_types t ON t.code = d.type_code
         WHERE ${where}
         ORDER BY d.issued_date, d.code_number, d.id
         LIMIT ${w.limit} OFFSET ${w.offset}`,
  );
  return {
    ...(await pageOf(db, where, rows, q, w, all)),
    direction: 'outgoing',
    unit,
    book,
    entries: rows.map((r) => ({
      documentId: r.id,
      numberSymbol: numberSymbolOf({ codeNumber: r.code_number, codeNotation: r.code_notation }),
      documentDate: r.issued_date,
      typeAndSubject: `${r.type_name} ${r.subject}`,
      signer: [r.signer_position, r.signer_name].filter(Boolean).join(' ') || null,
      recipients: r.recipients,
      // Bản lưu: one at the clerk's office (Văn thư), one in the drafting unit's file (Decree 30, art. 20).
      archive: ['Văn thư', r.archive_unit && r.author ? `${r.archive_unit} (${r.author})` : r.archive_unit].filter(Boolean).join('; '),
      copies: Number(r.recipient_count) + 2,
      transferDate: r.transfer_date,
      note: noteOf(r),
    })),
  };
}

/** Period, total and paging of a register page (the total comes with the rows, counted only when the page is empty). */
async function pageOf(db: Db, where: SQL, rows: { total: number | string }[], q: RegisterQuery, w: Window, all: boolean) {
  const total = rows.length ? Number(rows[0].total) : await countWhere(db, where);
  if (all) tooLong(total);
  return { from: q.from, to: q.to, total, page: all ? 1 : Math.max(1, q.page ?? 1), pageSize: all ? total : w.limit };
}

async function countWhere(db: Db, where: SQL): Promise<number> {
  const [r] = await queryRows<{ n: number | string }>(db, sql`SELECT count(*) AS n FROM documents d WHERE ${where}`);
  return Number(r.n);
}

// ——— Export: the same columns for .xlsx and PDF ———

type Cell = string | number | { date: string } | null;
type Column<E> = { header: string; width: number; align?: 'left' | 'center' | 'right'; value: (e: E) => Cell };

const date = (s: string | null): Cell => (s ? { date: s } : null);
export const INCOMING_COLUMNS: Column<IncomingEntry>[] = [
  { header: 'Ngày đến', width: 11, align: 'center', value: (e) => date(e.arrivalDate) },
  { header: 'Số đến', width: 7, align: 'center', value: (e) => e.arrivalNumber },
  { header: 'Tác giả', width: 22, value: (e) => e.author },
  { header: 'Số, ký hiệu', width: 15, value: (e) => e.numberSymbol },
  { header: 'Ngày tháng văn bản', width: 11, align: 'center', value: (e) => date(e.documentDate) },
  { header: 'Tên loại và trích yếu', width: 42, value: (e) => e.typeAndSubject },
  { header: 'Đơn vị hoặc người nhận', width: 20, value: (e) => e.recipient },
  { header: 'Ngày chuyển', width: 11, align: 'center', value: (e) => date(e.transferDate) },
  { header: 'Ký nhận', width: 10, value: () => null },
  { header: 'Ghi chú', width: 12, value: (e) => e.note },
];
export const OUTGOING_COLUMNS: Column<OutgoingEntry>[] = [
  { header: 'Số, ký hiệu', width: 15, value: (e) => e.numberSymbol },
  { header: 'Ngày tháng', width: 11, align: 'center', value: (e) => date(e.documentDate) },
  { header: 'Tên loại và trích yếu', width: 40, value: (e) => e.typeAndSubject },
  { header: 'Người ký', width: 18, value: (e) => e.signer },
  { header: 'Nơi nhận', width: 24, value: (e) => e.recipients },
  { header: 'Đơn vị, người nhận bản lưu', width: 20, value: (e) => e.archive },
  { header: 'Số lượng bản', width: 8, align: 'center', value: (e) => e.copies },
  { header: 'Ngày chuyển', width: 11, align: 'center', value: (e) => date(e.transferDate) },
  { header: 'Ký nhận', width: 10, value: () => null },
  { header: 'Ghi chú', width: 12, value: (e) => e.note },
];

const titleOf = (r: RegisterBook<unknown>) => (r.direction === 'incoming' ? 'SỔ ĐĂNG KÝ VĂN BẢN ĐẾN' : 'SỔ ĐĂNG KÝ VĂN BẢN ĐI');
const periodOf = (r: RegisterBook<unknown>) => `Từ ngày ${formatDate(r.from)} đến ngày ${formatDate(r.to)}${r.book ? ` — ${r.book.name}` : ''}`;
const columnsOf = (r: RegisterBook<IncomingEntry> | RegisterBook<OutgoingEntry>) => (r.direction === 'incoming' ? INCOMING_COLUMNS : OUTGOING_COLUMNS) as Column<unknown>[];
const text = (c: Cell): string => (c === null ? '' : typeof c === 'object' ? formatDate(c.date) : String(c));

/** The file name of an export: `so-van-ban-den_2026-01-01_2026-03-31.xlsx`. */
export const exportName = (r: RegisterBook<unknown>, ext: string) => `so-van-ban-${r.direction === 'incoming' ? 'den' : 'di'}_${r.from}_${r.to}.${ext}`;

// exceljs takes ~0.3 s to load: only when a sheet is written.
const excel = async () => (await import('exceljs')).default;

/** A titled sheet with bold bordered headers and dd/mm/yyyy date cells (shared by registers and statistics). */
export async function tableXlsx(sheets: { name: string; title: string; subtitle: string[]; columns: { header: string; width: number; align?: 'left' | 'center' | 'right' }[]; rows: Cell[][] }[]): Promise<Buffer> {
  const wb = new (await excel()).Workbook();
  wb.creator = 'LienThong';
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name, { pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
    ws.columns = s.columns.map((c) => ({ width: c.width }));
    const n = s.columns.length;
    const banner = (row: number, value: string, font: Partial<ExcelJS.Font>) => {
      ws.mergeCells(row, 1, row, n);
      const cell = ws.getCell(row, 1);
      cell.value = value;
      cell.font = font;
      cell.alignment = { horizontal: 'center' };
    };
    banner(1, s.title, { bold: true, size: 14 });
    s.subtitle.forEach((line, i) => banner(2 + i, line, { italic: i > 0, size: 12 }));
    const headerRow = s.subtitle.length + 3;
    const border: Partial<ExcelJS.Borders> = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } };
    const header = ws.getRow(headerRow);
    s.columns.forEach((c, i) => {
      const cell = header.getCell(i + 1);
      cell.value = c.header;
      cell.font = { bold: true };
      cell.border = border;
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7E6E6' } };
    });
    s.rows.forEach((values, r) => {
      const row = ws.getRow(headerRow + 1 + r);
      values.forEach((v, i) => {
        const cell = row.getCell(i + 1);
        if (v && typeof v === 'object') {
          cell.value = new Date(`${v.date}T00:00:00Z`);
          cell.numFmt = 'dd/mm/yyyy';
        } else cell.value = v;
        cell.border = border;
        cell.alignment = { vertical: 'top', wrapText: true, horizontal: s.columns[i].align ?? 'left' };
      });
    });
    ws.views = [{ state: 'frozen', ySplit: headerRow }];
    ws.pageSetup.printTitlesRow = `${headerRow}:${headerRow}`;
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function registerXlsx(r: RegisterBook<IncomingEntry> | RegisterBook<OutgoingEntry>): Promise<Buffer> {
  const columns = columnsOf(r);
  return tableXlsx([
    {
      name: r.direction === 'incoming' ? 'So van ban den' : 'So van ban di',
      title: titleOf(r),
      subtitle: [r.unit.name, periodOf(r)],
      columns,
      rows: (r.entries as unknown[]).map((e) => columns.map((c) => c.value(e))),
    },
  ]);
}

export async function registerPdf(r: RegisterBook<IncomingEntry> | RegisterBook<OutgoingEntry>): Promise<Buffer> {
  const { renderTablePdf } = await import('../../core/pdf/index.js');
  const columns = columnsOf(r);
  return renderTablePdf({
    title: titleOf(r),
    subtitle: `${r.unit.name}\n${periodOf(r)}`,
    columns: columns.map((c) => ({ header: c.header, width: c.width, align: c.align })),
    rows: (r.entries as unknown[]).map((e) => columns.map((c) => text(c.value(e)))),
    landscape: true,
    footer: `${titleOf(r)} — ${r.unit.name}`,
    fontSize: 9,
  });
}

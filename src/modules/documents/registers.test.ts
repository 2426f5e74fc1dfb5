import ExcelJS from 'exceljs';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../core/db/index.js';
import { newId } from '../../core/ids/index.js';
import { bearer, createTestApp, type TestContext } from '../../test/harness.js';
import { numberSymbolOf } from './detail.js';
import { assignments, documentRecipients, documents, registerBooks } from './schema.js';
import { buildSearchText } from './text.js';

/** The register books (sổ đăng ký văn bản đến / đi) through HTTP: Decree 30 columns, .xlsx, PDF, access. */

type DocInput = Partial<typeof documents.$inferInsert> & { unitId: string; subject: string; createdBy: string };
async function insertDoc(db: Db, f: DocInput): Promise<string> {
  const id = newId();
  const at = f.createdAt ?? new Date('2026-01-01T00:00:00Z');
  const issuerName = f.issuerName ?? 'Sở Nội vụ';
  const numberSymbol = numberSymbolOf({ codeNumber: f.codeNumber ?? null, codeNotation: f.codeNotation ?? null });
  await db.insert(documents).values({ id, direction: 'incoming', status: 'registered', typeCode: 'CV', createdAt: at, updatedAt: at, ...f, issuerName, searchText: buildSearchText({ unitId: f.unitId, subject: f.subject, numberSymbol, issuerName }) });
  return id;
}

let t: TestContext;
const token: Record<string, string> = {};
const user: Record<string, string> = {};
const d: Record<string, string> = {};
let tanAn: string;
let book: string;
let otherBook: string;

const get = (who: string, url: string) => t.app.inject({ method: 'GET', url, headers: bearer(token[who]) });
const JAN = 'from=2026-01-01&to=2026-01-31';

beforeAll(async () => {
  t = await createTestApp();
  for (const u of ['vanthu.xa', 'chuyenvien.xa', 'lanhdao.xa', 'vanthu.xa2']) {
    user[u] = await t.userId(u);
    token[u] = await t.login(u);
  }
  const db = t.database.db;
  tanAn = await t.unitId('000.01.31.H99');
  const office = await t.unitId('001.01.31.H99');
  const phuLoc = await t.unitId('000.02.31.H99');
  book = newId();
  otherBook = newId();
  await db.insert(registerBooks).values([
    { id: book, unitId: tanAn, direction: 'incoming', series: 'regular', name: 'Sổ đăng ký văn bản đến', createdAt: new Date() },
    { id: otherBook, unitId: tanAn, direction: 'incoming', series: 'secret', name: 'Sổ đăng ký văn bản đến mật', createdAt: new Date() },
  ]);
  const clerk = user['vanthu.xa'];
  d.decision = await insertDoc(db, {
    unitId: tanAn, createdBy: clerk, bookId: book, typeCode: 'QD', subject: 'về việc công nhận ấp văn hóa năm 2025', codeNumber: 15, codeNotation: 'QĐ-UBND',
    issuerName: 'Ủy ban nhân dân tỉnh Thái Hòa', issuedDate: '2026-01-05', arrivalAt: new Date('2026-01-06T03:00:00Z'), arrivalNumber: 1, status: 'assigned',
  });
  await db.insert(assignments).values([
    { id: newId(), documentId: d.decision, unitId: tanAn, role: 'lead', assigneeUserId: user['chuyenvien.xa'], assignedBy: user['lanhdao.xa'], assignedAt: new Date('2026-01-06T08:00:00Z'), dueDate: '2026-01-20' },
    { id: newId(), documentId: d.decision, unitId: tanAn, role: 'co', assigneeUnitId: office, assignedBy: user['lanhdao.xa'], assignedAt: new Date('2026-01-06T08:00:00Z') },
    { id: newId(), documentId: d.decision, unitId: tanAn, role: 'info', assigneeUserId: user['vanthu.xa'], assignedBy: user['lanhdao.xa'], assignedAt: new Date('2026-01-06T08:00:00Z') },
  ]);
  d.secret = await insertDoc(db, {
    unitId: tanAn, createdBy: clerk, bookId: otherBook, subject: 'Văn bản tối mật về quốc phòng', codeNumber: 2, codeNotation: 'BCH-TM', issuerName: 'Bộ Chỉ huy Quân sự tỉnh',
    issuedDate: '2026-01-09', arrivalAt: new Date('2026-01-10T02:00:00Z'), arrivalNumber: 1, secrecy: 'secret', urgency: 'urgent', presentedTo: user['lanhdao.xa'], status: 'presented',
  });
  // 31/01 18:00 UTC is 01/02 in Hà Nội: February's book.
  d.february = await insertDoc(db, { unitId: tanAn, createdBy: clerk, bookId: book, subject: 'Công văn đến đầu tháng hai', arrivalAt: new Date('2026-01-31T18:00:00Z'), arrivalNumber: 2, issuedDate: '2026-01-30' });
  d.phuLoc = await insertDoc(db, { unitId: phuLoc, createdBy: user['vanthu.xa2'], subject: 'Công văn đến của xã Phú Lộc', arrivalAt: new Date('2026-01-08T02:00:00Z'), arrivalNumber: 1 });

  d.issued = await insertDoc(db, {
    unitId: tanAn, createdBy: user['chuyenvien.xa'], direction: 'outgoing', status: 'issued', typeCode: 'QD', subject: 'về việc thành lập tổ công tác chuyển đổi số', codeNumber: 3,
    codeNotation: 'QĐ-UBND', issuedDate: '2026-01-15', issuedAt: new Date('2026-01-15T02:00:00Z'), signerName: 'Đặng Văn Bình', signerPosition: 'Chủ tịch', draftingUnitId: office, issuerName: 'Ủy ban nhân dân xã Tân An',
  });
  await db.insert(documentRecipients).values([
    { id: newId(), documentId: d.issued, kind: 'unit', unitId: phuLoc, receivingUnitId: phuLoc, name: 'Ủy ban nhân dân xã Phú Lộc', status: 'arrived', updatedAt: new Date() },
    { id: newId(), documentId: d.issued, kind: 'email', name: 'Sở Nội vụ', email: 'snv@thaihoa.gov.vn', status: 'sent', updatedAt: new Date() },
  ]);
  d.recalled = await insertDoc(db, { unitId: tanAn, createdBy: clerk, direction: 'outgoing', status: 'recalled', subject: 'Công văn đã thu hồi', codeNumber: 4, codeNotation: 'UBND-VP', issuedDate: '2026-01-20', issuerName: 'Ủy ban nhân dân xã Tân An' });
  d.draft = await insertDoc(db, { unitId: tanAn, createdBy: user['chuyenvien.xa'], direction: 'outgoing', status: 'draft', subject: 'Dự thảo chưa ban hành', issuerName: 'Ủy ban nhân dân xã Tân An' });
});
afterAll(async () => t?.close());

describe('incoming register (sổ đăng ký văn bản đến)', () => {
  it('lists the period’s arrivals by local arrival date with Decree 30’s columns', async () => {
    const res = await get('vanthu.xa', `/api/registers/incoming?${JAN}`);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.unit).toEqual({ id: tanAn, name: 'Ủy ban nhân dân xã Tân An' });
    expect(r.book).toBeNull();
    expect(r.total).toBe(2);
    expect(r.entries).toEqual([
      {
        documentId: d.decision, arrivalDate: '2026-01-06', arrivalNumber: 1, author: 'Ủy ban nhân dân tỉnh Thái Hòa', numberSymbol: '15/QĐ-UBND', documentDate: '2026-01-05',
        typeAndSubject: 'Quyết định về việc công nhận ấp văn hóa năm 2025', recipient: 'Hoàng Văn Nam; Văn phòng HĐND và UBND xã Tân An', transferDate: '2026-01-06', note: null,
      },
      {
        // Secret: listed with its metadata, as in the paper book; before assignment, the leader it was presented to.
        documentId: d.secret, arrivalDate: '2026-01-10', arrivalNumber: 1, author: 'Bộ Chỉ huy Quân sự tỉnh', numberSymbol: '02/BCH-TM', documentDate: '2026-01-09',
        typeAndSubject: 'Công văn Văn bản tối mật về quốc phòng', recipient: 'Đặng Văn Bình', transferDate: null, note: 'Tối mật; Khẩn',
      },
    ]);
    const feb = (await get('vanthu.xa', '/api/registers/incoming?from=2026-02-01&to=2026-02-28')).json();
    expect(feb.entries.map((e: { documentId: string }) => e.documentId)).toEqual([d.february]);
  });
  it('narrows to one book and pages', async () => {
    const one = (await get('vanthu.xa', `/api/registers/incoming?${JAN}&bookId=${book}`)).json();
    expect(one.book).toEqual({ id: book, name: 'Sổ đăng ký văn bản đến' });
    expect(one.entries.map((e: { documentId: string }) => e.documentId)).toEqual([d.decision]);
    const p2 = (await get('vanthu.xa', `/api/registers/incoming?${JAN}&pageSize=1&page=2`)).json();
    expect(p2.entries.map((e: { documentId: string }) => e.documentId)).toEqual([d.secret]);
    expect(p2.total).toBe(2);
  });
  it('exports .xlsx with a title, the unit, the period, bold bordered headers, widths and dd/mm/yyyy dates', async () => {
    const res = await get('vanthu.xa', `/api/registers/incoming?${JAN}&format=xlsx`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain('so-van-ban-den_2026-01-01_2026-01-31.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws.getCell('A1').value).toBe('SỔ ĐĂNG KÝ VĂN BẢN ĐẾN');
    expect(ws.getCell('A1').font.bold).toBe(true);
    expect(ws.getCell('A2').value).toBe('Ủy ban nhân dân xã Tân An');
    expect(ws.getCell('A3').value).toBe('Từ ngày 01/01/2026 đến ngày 31/01/2026');
    const header = ws.getRow(5);
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((c) => header.getCell(c).value)).toEqual(['Ngày đến', 'Số đến', 'Tác giả', 'Số, ký hiệu', 'Ngày tháng văn bản', 'Tên loại và trích yếu', 'Đơn vị hoặc người nhận', 'Ngày chuyển', 'Ký nhận', 'Ghi chú']);
    expect(header.getCell(1).font.bold).toBe(true);
    expect(header.getCell(1).border.top?.style).toBe('thin');
    const first = ws.getRow(6);
    expect(first.getCell(1).value).toEqual(new Date('2026-01-06T00:00:00Z'));
    expect(first.getCell(1).numFmt).toBe('dd/mm/yyyy');
    expect(first.getCell(2).value).toBe(1);
    expect(first.getCell(4).value).toBe('15/QĐ-UBND');
    expect(first.getCell(6).border.left?.style).toBe('thin');
    expect(ws.getColumn(6).width).toBeGreaterThan(ws.getColumn(2).width!);
    expect(ws.rowCount).toBe(7);
  });
  it('prints as a landscape PDF', async () => {
    const res = await get('lanhdao.xa', `/api/registers/incoming?${JAN}&format=pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = await PDFDocument.load(res.rawPayload);
    const { width, height } = pdf.getPage(0).getSize();
    expect(width).toBeGreaterThan(height);
    expect(pdf.getTitle()).toBe('SỔ ĐĂNG KÝ VĂN BẢN ĐẾN');
  });
});

describe('outgoing register (sổ đăng ký văn bản đi)', () => {
  it('lists the issued documents of the period, recalled ones with a note, no drafts', async () => {
    const r = (await get('vanthu.xa', `/api/registers/outgoing?${JAN}`)).json();
    expect(r.entries).toEqual([
      {
        documentId: d.issued, numberSymbol: '03/QĐ-UBND', documentDate: '2026-01-15', typeAndSubject: 'Quyết định về việc thành lập tổ công tác chuyển đổi số', signer: 'Chủ tịch Đặng Văn Bình',
        recipients: 'Sở Nội vụ; Ủy ban nhân dân xã Phú Lộc', archive: 'Văn thư; Văn phòng HĐND và UBND xã Tân An (Hoàng Văn Nam)', copies: 4, transferDate: '2026-01-15', note: null,
      },
      {
        documentId: d.recalled, numberSymbol: '04/UBND-VP', documentDate: '2026-01-20', typeAndSubject: 'Công văn Công văn đã thu hồi', signer: null, recipients: null,
        archive: 'Văn thư; Ủy ban nhân dân xã Tân An (Phạm Thị Hoa)', copies: 2, transferDate: '2026-01-20', note: 'Đã thu hồi',
      },
    ]);
  });
  it('exports .xlsx with the outgoing columns', async () => {
    const res = await get('vanthu.xa', `/api/registers/outgoing?${JAN}&format=xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws.getCell('A1').value).toBe('SỔ ĐĂNG KÝ VĂN BẢN ĐI');
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((c) => ws.getRow(5).getCell(c).value)).toEqual(['Số, ký hiệu', 'Ngày tháng', 'Tên loại và trích yếu', 'Người ký', 'Nơi nhận', 'Đơn vị, người nhận bản lưu', 'Số lượng bản', 'Ngày chuyển', 'Ký nhận', 'Ghi chú']);
    expect(ws.getRow(6).getCell(1).value).toBe('03/QĐ-UBND');
  });
});

describe('access and isolation', () => {
  it('vanthu.xa2 gets Phú Lộc’s book and never Tân An’s', async () => {
    const own = (await get('vanthu.xa2', `/api/registers/incoming?${JAN}`)).json();
    expect(own.entries.map((e: { documentId: string }) => e.documentId)).toEqual([d.phuLoc]);
    expect((await get('vanthu.xa2', `/api/registers/outgoing?${JAN}`)).json().entries).toEqual([]);
    expect((await get('vanthu.xa2', `/api/registers/incoming?${JAN}&unitId=${tanAn}`)).statusCode).toBe(404);
    expect((await get('vanthu.xa2', `/api/registers/incoming?${JAN}&bookId=${book}`)).statusCode).toBe(404);
    expect((await get('vanthu.xa2', `/api/registers/incoming?${JAN}&bookId=${book}&format=xlsx`)).statusCode).toBe(404);
    expect((await get('vanthu.xa2', `/api/registers/outgoing?${JAN}&unitId=${tanAn}&format=pdf`)).statusCode).toBe(404);
  });
  it('a specialist has no register book; an incoming book id is not an outgoing one', async () => {
    expect((await get('chuyenvien.xa', `/api/registers/incoming?${JAN}`)).statusCode).toBe(403);
    expect((await get('chuyenvien.xa', `/api/registers/incoming?${JAN}&unitId=${tanAn}`)).statusCode).toBe(404);
    expect((await get('vanthu.xa', `/api/registers/outgoing?${JAN}&bookId=${book}`)).statusCode).toBe(404);
  });
  it('needs a session', async () => {
    expect((await t.app.inject({ method: 'GET', url: `/api/registers/incoming?${JAN}` })).statusCode).toBe(401);
  });
});

describe('bad input → 400 with the failing fields', () => {
  const cases: [string, string][] = [
    ['from=2026-13-01&to=2026-12-31', 'query.from'],
    ['from=2026-02-01&to=2026-01-01', 'query.to'],
    ['to=2026-01-31', 'query.from'],
    [`${JAN}&format=doc`, 'query.format'],
    [`${JAN}&pageSize=500`, 'query.pageSize'],
    [`${JAN}&bookId=abc`, 'query.bookId'],
  ];
  for (const [query, field] of cases) {
    it(`${query} → ${field}`, async () => {
      const res = await get('vanthu.xa', `/api/registers/incoming?${query}`);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    });
  }
});

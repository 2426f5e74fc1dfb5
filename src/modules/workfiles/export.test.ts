import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestContext } from '../../test/harness.js';
import { type Entry, exportDisposition, indexRows, NO_FILE_NOTE, SECRET_NOTE } from './export.js';
import type { FiledDocument } from './contents.js';
import { insertDocument, pdfOfPages } from './testing.js';

/** Export of a work file: PDF bundle (cover, index, documents) and metadata XML. */

let t: TestContext;
let clerk: string;
let leader: string;
let fileId: string;
const TRICKY = 'Về việc <tạm> ứng & "hoàn" trả \'kinh phí\' năm 2026 — Quyết định';

const A4 = { width: 595.28, height: 841.89 };

async function sized(pages: number, width: number, height: number): Promise<Buffer> {
  const doc = await PDFDocument.load(await pdfOfPages(pages));
  for (const p of doc.getPages()) p.setSize(width, height);
  return Buffer.from(await doc.save());
}

const parser = new XMLParser({ parseTagValue: false, processEntities: true, isArray: (name) => name === 'Document' });

beforeAll(async () => {
  t = await createTestApp();
  clerk = await t.login('vanthu.xa');
  leader = await t.login('lanhdao.xa');
  const tanAn = await t.unitId('000.01.31.H99');
  const clerkId = await t.userId('vanthu.xa');
  const h = bearer(clerk);
  fileId = (await t.app.inject({ method: 'POST', url: '/api/work-files', headers: h, payload: { year: 2026, notation: '01.TCCB', title: 'Hồ sơ về công tác tổ chức cán bộ', retentionYears: 20 } })).json().id;
  await t.app.inject({ method: 'POST', url: `/api/work-files/${fileId}/open`, headers: h });
  // In index order (by document date): 2 pages, secret (metadata, 5 sheets), lost file, 3 pages with a tricky subject.
  const docs = [
    await insertDocument(t, { unitId: tanAn, createdBy: clerkId, subject: 'Kế hoạch tuyển dụng công chức', typeCode: 'KH', codeNumber: 3, codeNotation: 'KH-UBND', issuedDate: '2026-01-05', pdf: await sized(2, 500, 700) }),
    await insertDocument(t, { unitId: tanAn, createdBy: clerkId, subject: 'Tài liệu mật về nhân sự', codeNumber: 1, codeNotation: 'M-UBND', issuedDate: '2026-02-10', secrecy: 'secret', pageCount: 5 }),
    await insertDocument(t, { unitId: tanAn, createdBy: clerkId, subject: 'Công văn thất lạc tệp', codeNumber: 7, codeNotation: 'UBND-VP', issuedDate: '2026-03-01', missingFile: true }),
    await insertDocument(t, { unitId: tanAn, createdBy: clerkId, subject: TRICKY, typeCode: 'QD', codeNumber: 15, codeNotation: 'QĐ-UBND', issuedDate: '2026-04-20', signerName: 'Đặng Văn Bình', pdf: await sized(3, 400, 600) }),
  ];
  for (const documentId of docs) {
    const r = await t.app.inject({ method: 'POST', url: `/api/work-files/${fileId}/documents`, headers: h, payload: { documentId } });
    expect(r.statusCode).toBe(200);
  }
  expect((await t.app.inject({ method: 'POST', url: `/api/work-files/${fileId}/close`, headers: h })).statusCode).toBe(200);
});
afterAll(async () => t?.close());

describe('PDF bundle', () => {
  it('has a cover, the document index and each document’s pages, in order', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/work-files/${fileId}/export?format=pdf`, headers: bearer(clerk) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(exportDisposition({ year: 2026, notation: '01.TCCB', title: 'Hồ sơ về công tác tổ chức cán bộ' }, 'pdf'));
    const pdf = await PDFDocument.load(res.rawPayload);
    // 1 cover + 1 index + 2 + 3 document pages; the secret and the lost documents add no pages.
    expect(pdf.getPageCount()).toBe(7);
    const sizes = pdf.getPages().map((p) => p.getSize());
    for (const i of [0, 1]) expect(sizes[i]).toEqual(A4);
    for (const i of [2, 3]) expect(sizes[i]).toEqual({ width: 500, height: 700 });
    for (const i of [4, 5, 6]) expect(sizes[i]).toEqual({ width: 400, height: 600 });
  });

  it('is the default format', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/work-files/${fileId}/export`, headers: bearer(clerk) });
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('leaves out what the exporting person may not read', async () => {
    // The leader was never presented the secret document.
    const res = await t.app.inject({ method: 'GET', url: `/api/work-files/${fileId}/export?format=pdf`, headers: bearer(leader) });
    expect((await PDFDocument.load(res.rawPayload)).getPageCount()).toBe(7);
    const xml = await t.app.inject({ method: 'GET', url: `/api/work-files/${fileId}/export?format=xml`, headers: bearer(leader) });
    const f = parser.parse(xml.body).WorkFile;
    expect(f.DocumentCount).toBe('3');
    expect(f.HiddenDocumentCount).toBe('1');
    expect(f.Documents.Document.map((d: { CodeNumber: string }) => d.CodeNumber)).toEqual(['3', '7', '15']);
  });

  it('indexes each document with its page range, or why it has no pages', () => {
    const doc = (over: Partial<FiledDocument>): FiledDocument => ({
      id: 'x', direction: 'incoming', status: 'registered', typeCode: 'CV', typeName: 'Công văn', codeNumber: 5, codeNotation: 'UBND-VP', numberSymbol: '05/UBND-VP',
      issuedDate: '2026-01-05', subject: 'Về việc A', issuerName: 'UBND tỉnh', issuerCode: null, signerName: null, signerPosition: null, pageCount: null,
      secrecy: 'none', addedAt: '', addedByName: null, ...over,
    });
    const entries: Entry[] = [
      { doc: doc({}), pdf: Buffer.from('x'), pages: 2, note: null },
      { doc: doc({ secrecy: 'secret', pageCount: 5, numberSymbol: '01/M-UBND' }), pdf: null, pages: 5, note: SECRET_NOTE },
      { doc: doc({ issuedDate: null }), pdf: null, pages: null, note: NO_FILE_NOTE },
      { doc: doc({ typeName: 'Quyết định', subject: 'Khen thưởng' }), pdf: Buffer.from('x'), pages: 1, note: null },
    ];
    expect(indexRows(entries, 3)).toEqual([
      ['1', '05/UBND-VP', '05/01/2026', 'Công văn: Về việc A', 'UBND tỉnh', '2', 'Trang 3–4'],
      ['2', '01/M-UBND', '05/01/2026', 'Công văn: Về việc A', 'UBND tỉnh', '5', 'Chỉ lưu thông tin (văn bản mật)'],
      ['3', '05/UBND-VP', '', 'Công văn: Về việc A', 'UBND tỉnh', '', 'Không có tệp'],
      ['4', '05/UBND-VP', '05/01/2026', 'Quyết định: Khen thưởng', 'UBND tỉnh', '1', 'Trang 5'],
    ]);
  });
});

describe('metadata XML', () => {
  it('is valid UTF-8 XML with a declaration, the file’s metadata and every document, escaped', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/work-files/${fileId}/export?format=xml`, headers: bearer(clerk) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="ho-so-2026-01\.tccb\.xml"; filename\*=UTF-8''H%E1%BB%93%20s%C6%A1%2001\.TCCB%20%282026%29/);
    const xml = res.rawPayload.toString('utf8');
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain('&lt;tạm&gt; ứng &amp; &quot;hoàn&quot;');
    const f = parser.parse(xml).WorkFile;
    expect(f).toMatchObject({
      FileCode: '000.01.31.H99.2026.01.TCCB',
      FileNotation: '01.TCCB',
      OrganId: '000.01.31.H99',
      OrganName: 'Ủy ban nhân dân xã Tân An',
      Year: '2026',
      Title: 'Hồ sơ về công tác tổ chức cán bộ',
      Retention: '20 năm',
      RetentionYears: '20',
      Status: 'closed',
      StartDate: '2026-01-05',
      EndDate: '2026-04-20',
      Creator: 'Phạm Thị Hoa',
      DocumentCount: '4',
      HiddenDocumentCount: '0',
      PageCount: '10', // 2 + 5 (secret, from its metadata) + 3
    });
    expect(f.ClosedDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const docs = f.Documents.Document;
    expect(docs).toHaveLength(4);
    expect(docs.map((d: { Ordinal: string }) => d.Ordinal)).toEqual(['1', '2', '3', '4']);
    expect(docs[0]).toMatchObject({ OrganName: 'Ủy ban nhân dân tỉnh Thái Hòa', OrganId: '000.00.00.H99', CodeNumber: '3', CodeNotation: 'KH-UBND', IssuedDate: '2026-01-05', TypeName: 'Kế hoạch', Subject: 'Kế hoạch tuyển dụng công chức', PageAmount: '2' });
    expect(docs[1]).toMatchObject({ Secrecy: 'secret', PageAmount: '5', Description: SECRET_NOTE });
    expect(docs[2]).toMatchObject({ Description: NO_FILE_NOTE });
    expect(docs[3]).toMatchObject({ Subject: TRICKY, TypeName: 'Quyết định', CodeNotation: 'QĐ-UBND', PageAmount: '3', SignerInfo: { FullName: 'Đặng Văn Bình' } });
  });

  it('refuses an unknown format and hides other units’ files', async () => {
    const bad = await t.app.inject({ method: 'GET', url: `/api/work-files/${fileId}/export?format=docx`, headers: bearer(clerk) });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json().errors[0].field).toBe('query.format');
    const other = await t.app.inject({ method: 'GET', url: `/api/work-files/${fileId}/export?format=xml`, headers: bearer(await t.login('vanthu.xa2')) });
    expect(other.statusCode).toBe(404);
  });
});

describe('download name', () => {
  it('gives an ASCII fallback and the Vietnamese name', () => {
    expect(exportDisposition({ year: 2026, notation: '07.HĐND', title: 'Kỳ họp "thứ 3" / chuyên đề' }, 'pdf')).toBe(
      `attachment; filename="ho-so-2026-07.hdnd.pdf"; filename*=UTF-8''${encodeURIComponent('Hồ sơ 07.HĐND ')}%282026%29${encodeURIComponent(' - Kỳ họp thứ 3 chuyên đề.pdf')}`,
    );
  });
});

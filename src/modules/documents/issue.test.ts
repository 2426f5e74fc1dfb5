import { sql } from 'drizzle-orm';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock/index.js';
import { queryRows } from '../../core/db/index.js';
import { bearer, createTestApp, type TestContext } from '../../test/harness.js';

/**
 * Issuing (ban hành): number of the unit's outgoing book for the local year, date, symbol per Decree 30,
 * separate series, signing on paper, permissions, and the sending done in the same transaction.
 * The clock stands at 05/03/2026 09:00 in Hà Nội (02:00 UTC) and is moved for the year rollover.
 */

const clock = fixedClock(new Date('2026-03-05T02:00:00Z'));
let t: TestContext;
const tok: Record<string, string> = {};
let ids: { tanAn: string; phuLoc: string; province: string; office: string; leaderXa: string; leaderTinh: string };

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT';
const call = (who: string, method: Method, url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: bearer(tok[who]), ...(payload === undefined ? {} : { payload: payload as object }) });

/** The outgoing buttons (INCOMING adds its own, such as 'unread', to the same list). */
const OUTGOING_ACTIONS = ['edit', 'upload_draft', 'submit', 'initial', 'approve', 'return', 'upload_signed', 'issue', 'recall', 'replace'];
const actions = (d: { allowedActions: string[] }) => d.allowedActions.filter((a) => OUTGOING_ACTIONS.includes(a));

async function upload(who: string, content: Buffer, filename: string): Promise<{ id: string; sha256: string }> {
  const boundary = `----lt${Math.random().toString(16).slice(2)}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await t.app.inject({ method: 'POST', url: '/api/files', headers: { ...bearer(tok[who]), 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}
async function pdf(pages = 1): Promise<Buffer> {
  const d = await PDFDocument.create();
  for (let i = 0; i < pages; i++) d.addPage();
  d.setTitle(`issue ${Math.random()}`);
  return Buffer.from(await d.save());
}

/** A draft by `drafter`, submitted and approved by its signer (the head of the unit signs: no initials). */
async function approved(drafter: string, signer: string, body: Record<string, unknown> = {}): Promise<string> {
  const secret = body.secrecy && body.secrecy !== 'none';
  const fileId = secret ? undefined : (await upload(drafter, await pdf(), 'du-thao.pdf')).id;
  const created = await call(drafter, 'POST', '/api/documents/outgoing', { typeCode: 'CV', subject: 'Về việc tổ chức hội nghị', signerUserId: await t.userId(signer), fileId, ...body });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json().id;
  expect((await call(drafter, 'POST', `/api/documents/${id}/submit`)).statusCode).toBe(200);
  const ok = await call(signer, 'POST', `/api/documents/${id}/approve`, {});
  expect(ok.statusCode, ok.body).toBe(200);
  expect(ok.json().status).toBe('approved');
  return id;
}
async function issue(clerk: string, id: string, body?: unknown) {
  const res = await call(clerk, 'POST', `/api/documents/${id}/issue`, body);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

async function relogin() {
  for (const u of ['chuyenvien.xa', 'lanhdao.xa', 'vanthu.xa', 'vanthu.xa2', 'chuyenvien.tinh', 'lanhdao.tinh', 'vanthu.tinh']) tok[u] = await t.login(u);
}

beforeAll(async () => {
  t = await createTestApp({ clock });
  await relogin();
  ids = {
    tanAn: await t.unitId('000.01.31.H99'),
    phuLoc: await t.unitId('000.02.31.H99'),
    province: await t.unitId('000.00.00.H99'),
    office: await t.unitId('000.00.01.H99'),
    leaderXa: await t.userId('lanhdao.xa'),
    leaderTinh: await t.userId('lanhdao.tinh'),
  };
});
afterAll(() => t.close());

describe('numbering at issue', () => {
  it('numbers a commune’s documents in sequence, with the local date, the place and the date line', async () => {
    const a = await issue('vanthu.xa', await approved('chuyenvien.xa', 'lanhdao.xa'));
    expect(a).toMatchObject({
      status: 'issued',
      codeNumber: 1,
      codeNotation: 'UBND',
      numberSymbol: '01/UBND',
      issuedDate: '2026-03-05',
      issuedAt: '2026-03-05T02:00:00.000Z',
      place: 'Tân An',
      dateLine: 'Tân An, ngày 05 tháng 3 năm 2026',
      pageCount: 1,
    });
    expect(a.timeline.filter((e: { action: string }) => e.action === 'issued')).toEqual([expect.objectContaining({ text: 'Số 01/UBND', actorName: 'Phạm Thị Hoa' })]);
    const main = a.files.filter((f: { role: string }) => f.role === 'main');
    expect(main).toHaveLength(1);
    expect(main[0].fileId).toBe(a.files.find((f: { role: string }) => f.role === 'draft').fileId);
    const b = await issue('vanthu.xa', await approved('chuyenvien.xa', 'lanhdao.xa', { typeCode: 'QD', subject: 'Quyết định thành lập tổ công tác' }));
    expect(b.numberSymbol).toBe('02/QĐ-UBND');
    const c = await issue('vanthu.xa', await approved('chuyenvien.xa', 'lanhdao.xa', { typeCode: 'TTR' }));
    expect(c.numberSymbol).toBe('03/TTr-UBND');
    const [row] = await queryRows<{ search_text: string; book_id: string }>(t.database.db, sql`SELECT search_text, book_id FROM documents WHERE id = ${b.id}`);
    expect(row.search_text).toContain('02qdubnd'); // the whole symbol as one token
    expect(row.search_text).toContain('quyet dinh thanh lap');
    const [book] = await queryRows<{ unit_id: string; direction: string; series: string }>(t.database.db, sql`SELECT unit_id, direction, series FROM register_books WHERE id = ${row.book_id}`);
    expect(book).toEqual({ unit_id: ids.tanAn, direction: 'outgoing', series: 'regular' });
  });

  it('keeps separate series for secret and for legal normative documents (whose symbol carries the year)', async () => {
    // A clerk drafting a secret document can follow it (secret documents are shown to participants only).
    const secret = await issue('vanthu.xa', await approved('vanthu.xa', 'lanhdao.xa', { secrecy: 'confidential', subject: 'Về công tác bảo vệ bí mật' }));
    expect(secret).toMatchObject({ codeNumber: 1, numberSymbol: '01/UBND', secrecy: 'confidential' });
    expect(secret.files).toEqual([]);
    const legal1 = await issue('vanthu.xa', await approved('chuyenvien.xa', 'lanhdao.xa', { typeCode: 'QD', legalNormative: true, subject: 'Quyết định ban hành quy chế' }));
    expect(legal1).toMatchObject({ codeNumber: 1, codeNotation: '2026/QĐ-UBND', numberSymbol: '01/2026/QĐ-UBND', legalNormative: true });
    const legal2 = await issue('vanthu.xa', await approved('chuyenvien.xa', 'lanhdao.xa', { typeCode: 'QD', legalNormative: true }));
    expect(legal2.numberSymbol).toBe('02/2026/QĐ-UBND');
    const resolution = await issue('vanthu.xa', await approved('chuyenvien.xa', 'lanhdao.xa', { typeCode: 'NQ', legalNormative: true }));
    expect(resolution.numberSymbol).toBe('01/2026/NQ-UBND');
    // The regular series went on where it was.
    const regular = await issue('vanthu.xa', await approved('chuyenvien.xa', 'lanhdao.xa'));
    expect(regular.numberSymbol).toBe('04/UBND');
    const books = await queryRows<{ series: string }>(t.database.db, sql`SELECT series FROM register_books WHERE unit_id = ${ids.tanAn} AND direction = 'outgoing' ORDER BY series`);
    expect(books.map((b) => b.series)).toEqual(['legal:NQ', 'legal:QD', 'regular', 'secret']);
  });

  it('renders the province’s symbols: the Office issues as UBND, a công văn carries the drafting unit', async () => {
    const cv = await issue('vanthu.tinh', await approved('chuyenvien.tinh', 'lanhdao.tinh'));
    expect(cv).toMatchObject({ numberSymbol: '01/UBND-VP', codeNotation: 'UBND-VP', issuerName: 'Ủy ban nhân dân tỉnh Thái Hòa', issuerCode: '000.00.00.H99', place: 'Thái Hòa', unitId: ids.office });
    expect(cv.dateLine).toBe('Thái Hòa, ngày 05 tháng 3 năm 2026');
    const qd = await issue('vanthu.tinh', await approved('chuyenvien.tinh', 'lanhdao.tinh', { typeCode: 'QD' }));
    expect(qd.numberSymbol).toBe('02/QĐ-UBND');
    const legal = await issue('vanthu.tinh', await approved('chuyenvien.tinh', 'lanhdao.tinh', { typeCode: 'QD', legalNormative: true }));
    expect(legal.numberSymbol).toBe('01/2026/QĐ-UBND');
  });

  it('never numbers twice, even when two issues race', async () => {
    const id = await approved('chuyenvien.xa', 'lanhdao.xa');
    const [x, y] = await Promise.all([call('vanthu.xa', 'POST', `/api/documents/${id}/issue`), call('vanthu.xa', 'POST', `/api/documents/${id}/issue`)]);
    expect([x.statusCode, y.statusCode].sort()).toEqual([200, 409]);
    const again = await call('vanthu.xa', 'POST', `/api/documents/${id}/issue`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toMatch(/đã được ban hành với số \d\d\/UBND/);
    // Two different documents at once get two different numbers.
    const [p, q] = await Promise.all([approved('chuyenvien.xa', 'lanhdao.xa'), approved('chuyenvien.xa', 'lanhdao.xa')]);
    const [r1, r2] = await Promise.all([issue('vanthu.xa', p), issue('vanthu.xa', q)]);
    expect(Math.abs(r1.codeNumber - r2.codeNumber)).toBe(1);
    const [dups] = await queryRows<{ n: number }>(
      t.database.db,
      sql`SELECT count(*)::int AS n FROM (SELECT book_id, code_number, extract(year FROM issued_date) FROM documents WHERE direction = 'outgoing' AND code_number IS NOT NULL GROUP BY 1, 2, 3 HAVING count(*) > 1) x`,
    );
    expect(dups.n).toBe(0);
  });
});

describe('signing on paper and issuing rules', () => {
  it('needs a PDF: a DOCX-only draft is issued once the signed scan is uploaded, which becomes the main file', async () => {
    const source = await upload('chuyenvien.xa', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('docx')]), 'du-thao.docx');
    const id = await approved('chuyenvien.xa', 'lanhdao.xa', { fileId: source.id });
    const refused = await call('vanthu.xa', 'POST', `/api/documents/${id}/issue`);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().title).toBe('Chưa có bản PDF để ban hành');
    expect(actions((await call('vanthu.xa', 'GET', `/api/documents/${id}`)).json())).toEqual(['upload_signed']);

    const png = await upload('vanthu.xa', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]), 'scan.png');
    expect((await call('vanthu.xa', 'POST', `/api/documents/${id}/signed-file`, { fileId: png.id })).statusCode).toBe(400);
    expect((await call('vanthu.xa', 'POST', `/api/documents/${id}/signed-file`, {})).statusCode).toBe(400);
    const broken = await upload('vanthu.xa', Buffer.from('%PDF-1.4 broken'), 'hong.pdf');
    expect((await call('vanthu.xa', 'POST', `/api/documents/${id}/signed-file`, { fileId: broken.id })).statusCode).toBe(422);
    const scan = await upload('vanthu.xa', await pdf(3), 'ban-ky.pdf');
    expect((await call('chuyenvien.xa', 'POST', `/api/documents/${id}/signed-file`, { fileId: scan.id })).statusCode).toBe(403);
    const signed = await call('vanthu.xa', 'POST', `/api/documents/${id}/signed-file`, { fileId: scan.id });
    expect(signed.statusCode, signed.body).toBe(200);
    expect(signed.json().files.filter((f: { role: string }) => f.role === 'signed')).toEqual([expect.objectContaining({ fileId: scan.id, version: 1 })]);
    expect(actions(signed.json())).toEqual(['upload_signed', 'issue']);
    // The signer may upload a better scan: a new version.
    const scan2 = await upload('lanhdao.xa', await pdf(2), 'ban-ky-2.pdf');
    expect((await call('lanhdao.xa', 'POST', `/api/documents/${id}/signed-file`, { fileId: scan2.id })).statusCode).toBe(200);
    const d = await issue('vanthu.xa', id);
    expect(d.files.find((f: { role: string }) => f.role === 'main').fileId).toBe(scan2.id);
    expect(d.pageCount).toBe(2);
    expect(d.timeline.map((e: { action: string }) => e.action)).toContain('signed_uploaded');
    expect((await call('vanthu.xa', 'POST', `/api/documents/${id}/signed-file`, { fileId: scan.id })).statusCode).toBe(409);
  });

  it('lets only the clerk of the issuing unit issue, and only approved documents', async () => {
    const id = await approved('chuyenvien.xa', 'lanhdao.xa');
    const specialist = await call('chuyenvien.xa', 'POST', `/api/documents/${id}/issue`);
    expect(specialist.statusCode).toBe(403);
    expect(specialist.json().title).toBe('Không có quyền thực hiện thao tác này');
    expect((await call('lanhdao.xa', 'POST', `/api/documents/${id}/issue`)).statusCode).toBe(403);
    expect((await call('vanthu.xa2', 'POST', `/api/documents/${id}/issue`)).statusCode).toBe(404);
    expect((await call('vanthu.tinh', 'POST', `/api/documents/${id}/issue`)).statusCode).toBe(404);
    expect(actions((await call('vanthu.xa', 'GET', `/api/documents/${id}`)).json())).toEqual(['upload_signed', 'issue']);
    expect(actions((await call('chuyenvien.xa', 'GET', `/api/documents/${id}`)).json())).toEqual([]);

    const draft = (await call('chuyenvien.xa', 'POST', '/api/documents/outgoing', { typeCode: 'CV', subject: 'Chưa duyệt', signerUserId: ids.leaderXa })).json().id;
    expect((await call('vanthu.xa', 'POST', `/api/documents/${draft}/issue`)).statusCode).toBe(409);
    // A clerk cannot approve.
    const fileId = (await upload('chuyenvien.xa', await pdf(), 'd.pdf')).id;
    await call('chuyenvien.xa', 'POST', `/api/documents/${draft}/draft-files`, { fileId });
    await call('chuyenvien.xa', 'POST', `/api/documents/${draft}/submit`);
    expect((await call('vanthu.xa', 'POST', `/api/documents/${draft}/approve`)).statusCode).toBe(403);
  });

  it('takes a chosen book only when it is the unit’s outgoing book of the right series', async () => {
    const [regular] = await queryRows<{ id: string }>(t.database.db, sql`SELECT id FROM register_books WHERE unit_id = ${ids.tanAn} AND direction = 'outgoing' AND series = 'regular'`);
    const [provinceBook] = await queryRows<{ id: string }>(t.database.db, sql`SELECT id FROM register_books WHERE unit_id = ${ids.office} AND series = 'regular'`);
    const qd = await approved('chuyenvien.xa', 'lanhdao.xa', { typeCode: 'QD', legalNormative: true });
    for (const bookId of [regular.id, provinceBook.id, 'khong-phai-so', '01900000-0000-7000-8000-000000000000']) {
      const res = await call('vanthu.xa', 'POST', `/api/documents/${qd}/issue`, { bookId });
      expect(res.statusCode, bookId).toBe(400);
      expect(res.json().errors[0].field).toBe('bookId');
    }
    const id = await approved('chuyenvien.xa', 'lanhdao.xa');
    expect((await issue('vanthu.xa', id, { bookId: regular.id })).bookId).toBe(regular.id);
  });
});

describe('sending at issue', () => {
  it('sends in the same transaction: units arrive in their clerk’s queue, e-mails go to the outbox with the PDF, external agencies wait for edXML', async () => {
    const fileId = (await upload('chuyenvien.xa', await pdf(), 'cong-van.pdf')).id;
    const id = await approved('chuyenvien.xa', 'lanhdao.xa', {
      fileId,
      subject: 'Về việc phối hợp tổ chức Ngày hội đại đoàn kết',
      recipients: [
        { kind: 'unit', unitId: ids.phuLoc },
        { kind: 'unit', unitId: ids.province },
        { kind: 'email', email: 'hoi.nong.dan@example.vn', name: 'Hội Nông dân xã' },
        { kind: 'external', agencyCode: '000.00.00.G12', name: 'Bộ Văn hóa, Thể thao và Du lịch' },
      ],
    });
    const d = await issue('vanthu.xa', id);
    const byName = Object.fromEntries(d.recipients.map((r: { name: string; status: string }) => [r.name, r.status]));
    expect(byName).toEqual({
      'Ủy ban nhân dân xã Phú Lộc': 'arrived',
      'Ủy ban nhân dân tỉnh Thái Hòa': 'arrived',
      'Hội Nông dân xã': 'sent',
      'Bộ Văn hóa, Thể thao và Du lịch': 'pending',
    });
    const queue = await queryRows<{ unit_id: string; receiving_unit_id: string }>(t.database.db, sql`SELECT unit_id, receiving_unit_id FROM document_recipients WHERE document_id = ${id} AND kind = 'unit'`);
    // Phú Lộc's clerk sits in the commune itself; the province's in its Office.
    expect(Object.fromEntries(queue.map((q) => [q.unit_id, q.receiving_unit_id]))).toEqual({ [ids.phuLoc]: ids.phuLoc, [ids.province]: ids.office });
    const sent = d.timeline.filter((e: { action: string }) => e.action === 'sent' || e.action === 'mailed');
    expect(sent).toHaveLength(4);
    expect(sent.find((e: { text: string }) => e.text.includes('Bộ Văn hóa')).text).toContain('edXML');

    const [mail] = await queryRows<{ kind: string; payload: { to: string; subject: string; text: string; attachments: { filename: string; sha256: string; contentType: string }[] }; status: string }>(
      t.database.db,
      sql`SELECT kind, payload, status FROM outbox WHERE dedupe_key LIKE 'document-sent:%' AND payload->>'to' = 'hoi.nong.dan@example.vn'`,
    );
    const [file] = await queryRows<{ sha256: string }>(t.database.db, sql`SELECT sha256 FROM files WHERE id = ${fileId}`);
    expect(mail.kind).toBe('mail');
    expect(mail.status).toBe('pending');
    expect(mail.payload.subject).toBe(`Văn bản số ${d.numberSymbol} ngày 05/03/2026 của Ủy ban nhân dân xã Tân An`);
    expect(mail.payload.text).toContain('Trích yếu: Về việc phối hợp tổ chức Ngày hội đại đoàn kết');
    expect(mail.payload.text).toContain('Người ký: Chủ tịch UBND xã Đặng Văn Bình');
    expect(mail.payload.attachments).toEqual([{ filename: `${d.numberSymbol.replace('/', '_')}.pdf`, sha256: file.sha256, contentType: 'application/pdf' }]);
  });
});

// Last: the clock moves forward for good.
describe('year rollover', () => {
  it('restarts at 01 at local midnight on 1 January', async () => {
    const before = await approved('chuyenvien.xa', 'lanhdao.xa');
    const after = await approved('chuyenvien.xa', 'lanhdao.xa');
    clock.set(new Date('2026-12-31T16:59:59Z')); // 23:59:59 on 31/12 in Hà Nội
    await relogin(); // sessions idle out when the clock jumps
    const last = await issue('vanthu.xa', before);
    expect(last.issuedDate).toBe('2026-12-31');
    expect(last.codeNumber).toBeGreaterThan(5);
    clock.set(new Date('2026-12-31T17:00:00Z')); // 00:00 on 01/01/2027
    const first = await issue('vanthu.xa', after);
    expect(first).toMatchObject({ issuedDate: '2027-01-01', codeNumber: 1, numberSymbol: '01/UBND', dateLine: 'Tân An, ngày 01 tháng 01 năm 2027' });
    const legal = await issue('vanthu.xa', await approved('chuyenvien.xa', 'lanhdao.xa', { typeCode: 'QD', legalNormative: true }));
    expect(legal.numberSymbol).toBe('01/2027/QĐ-UBND');
    const next = await issue('vanthu.xa', await approved('chuyenvien.xa', 'lanhdao.xa'));
    expect(next.numberSymbol).toBe('02/UBND');
  });
});

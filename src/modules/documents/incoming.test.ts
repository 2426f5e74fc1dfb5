import { sql } from 'drizzle-orm';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../core/db/index.js';
import { PHOTO_JPEG, PHOTO_PNG } from '../../core/pdf/fixtures.js';
import { bearer, createTestApp, type TestContext } from '../../test/harness.js';
import { type Api, api, daysFrom, expectProblem, incomingBody, registerDoc, samplePdf, upload } from './incoming-testkit.js';
import { localYear } from './numbering.js';

let t: TestContext;
let clerk: Api; // vanthu.xa, Tân An
let leader: Api; // lanhdao.xa
let specialist: Api; // chuyenvien.xa
let clerkToken: string;
let ids: { tanAn: string; snv: string; leader: string; specialist: string; clerk2: string };
const now = new Date();
const URL = '/api/documents/incoming';

beforeAll(async () => {
  t = await createTestApp();
  clerkToken = await t.login('vanthu.xa');
  clerk = api(t, clerkToken);
  leader = api(t, await t.login('lanhdao.xa'));
  specialist = api(t, await t.login('chuyenvien.xa'));
  ids = {
    tanAn: await t.unitId('000.01.31.H99'),
    snv: await t.unitId('000.00.02.H99'),
    leader: await t.userId('lanhdao.xa'),
    specialist: await t.userId('chuyenvien.xa'),
    clerk2: await t.userId('vanthu.xa2'),
  };
  // A type that is no longer in force and one not yet in force (the list is data with validity dates).
  await t.database.db.execute(sql`INSERT INTO document_types (code, name, abbreviation, sort_order, valid_from, valid_to) VALUES
    ('ZOLD', 'Loại đã bãi bỏ', 'ZO', 90, '2000-01-01', '2001-01-01'), ('ZNEW', 'Loại chưa có hiệu lực', 'ZN', 91, '2999-01-01', NULL)`);
});
afterAll(() => t.close());

const docRow = async (id: string) => (await queryRows<Record<string, unknown>>(t.database.db, sql`SELECT * FROM documents WHERE id = ${id}`))[0];
const filesOf = async (id: string) =>
  queryRows<{ file_id: string; role: string; content_type: string; sha256: string }>(
    t.database.db,
    sql`SELECT df.file_id, df.role, f.content_type, f.sha256 FROM document_files df JOIN files f ON f.id = df.file_id WHERE df.document_id = ${id} ORDER BY df.role, df.created_at`,
  );

describe('POST /api/documents/incoming — validation with field errors', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['a wrong type for the number', { codeNumber: 'mười lăm' }, 'codeNumber'],
    ['a number of zero', { codeNumber: 0 }, 'codeNumber'],
    ['a number above 99 999 999', { codeNumber: 100_000_000 }, 'codeNumber'],
    ['a fractional number', { codeNumber: 1.5 }, 'codeNumber'],
    ['a symbol over 30 characters', { codeNotation: 'Q'.repeat(31) }, 'codeNotation'],
    ['a subject over 500 characters', { subject: 'x'.repeat(501) }, 'subject'],
    ['an empty subject', { subject: '   ' }, 'subject'],
    ['an unknown urgency', { urgency: 'khan' }, 'urgency'],
    ['an unknown secrecy', { secrecy: 'mat' }, 'secrecy'],
    ['a date in another format', { issuedDate: '05/01/2026' }, 'issuedDate'],
    ['a date that does not exist', { issuedDate: '2026-02-30' }, 'issuedDate'],
    ['a document dated in the future', { issuedDate: daysFrom(now, 2) }, 'issuedDate'],
    ['a due date before the document date', { dueDate: daysFrom(now, -10) }, 'dueDate'],
    ['an unknown type code', { typeCode: 'XX' }, 'typeCode'],
    ['a type no longer in force', { typeCode: 'ZOLD' }, 'typeCode'],
    ['a type not yet in force', { typeCode: 'ZNEW' }, 'typeCode'],
    ['no issuer at all', { issuer: '' }, 'issuer'],
    ['an issuer name over 300 characters', { issuer: 'S'.repeat(301) }, 'issuer'],
    ['fileIds that is not a list', { fileIds: 'abc' }, 'fileIds'],
    ['too many files', { fileIds: Array.from({ length: 51 }, (_, i) => `f${i}`) }, 'fileIds'],
    ['a hand-made system arrival', { receivedVia: 'system' }, 'receivedVia'],
    ['a note over 2000 characters', { note: 'n'.repeat(2001) }, 'note'],
  ];
  it.each(cases)('refuses %s (400, field named)', async (_what, over, field) => {
    expectProblem(await clerk.post(URL, incomingBody(now, over)), 400, field);
  });

  it('answers malformed JSON and an empty body with 400 problem+json, never 500', async () => {
    expect(expectProblem(await clerk.raw(URL, '{"issuer": "Sở', ), 400).title).toBe('Dữ liệu JSON không đúng cú pháp');
    expectProblem(await clerk.raw(URL, '[]'), 400);
    expectProblem(await clerk.raw(URL, 'null'), 400);
  });

  it('names an unknown issuer unit and other units as 404', async () => {
    expectProblem(await clerk.post(URL, incomingBody(now, { issuerUnitId: '01900000-0000-7000-8000-000000000000' })), 404, 'issuerUnitId');
    expectProblem(await clerk.post(URL, incomingBody(now, { issuerUnitId: 'not-a-uuid' })), 404, 'issuerUnitId');
    expectProblem(await clerk.post(URL, incomingBody(now, { unitId: '01900000-0000-7000-8000-000000000000' })), 404);
    expectProblem(await clerk.post(URL, incomingBody(now, { bookId: '01900000-0000-7000-8000-000000000000' })), 404, 'bookId');
  });

  it('is the clerk’s: a specialist or a leader gets 403, a citizen 403', async () => {
    expectProblem(await specialist.post(URL, incomingBody(now)), 403);
    expectProblem(await leader.post(URL, incomingBody(now)), 403);
    expectProblem(await api(t, await t.login('congdan')).post(URL, incomingBody(now)), 403);
    expectProblem(await t.app.inject({ method: 'POST', url: URL, payload: incomingBody(now) }), 401);
  });
});

describe('registration', () => {
  it('answers 201 with the summary, fills search_text, and records the step with its audit', async () => {
    const res = await clerk.post(URL, incomingBody(now, { codeNumber: 15, codeNotation: 'QĐ-UBND', typeCode: 'QD', subject: 'Quyết định về việc khai sinh', signerName: 'Lê Văn Ký', urgency: 'urgent', note: 'Bản giấy nhận qua bưu điện' }));
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ direction: 'incoming', status: 'registered', numberSymbol: '15/QĐ-UBND', typeName: 'Quyết định', urgency: 'urgent', issuerName: 'Sở Nội vụ tỉnh Thái Hòa', unitId: ids.tanAn });
    expect(body.arrivalNumber).toBeGreaterThan(0);
    const row = await docRow(body.id);
    expect(row.search_text).toContain('quyet dinh ve viec khai sinh');
    expect(row.search_text).toContain('15qd ubnd'.split(' ')[0]);
    expect(row.search_text).toContain('so noi vu tinh thai hoa');
    expect(row.search_text).toContain('le van ky');
    expect(row.received_via).toBe('paper');
    const events = await queryRows<{ action: string; text: string; detail: { arrivalNumber: number } }>(t.database.db, sql`SELECT action, text, detail FROM document_events WHERE document_id = ${body.id}`);
    expect(events).toEqual([expect.objectContaining({ action: 'registered', text: 'Bản giấy nhận qua bưu điện' })]);
    expect(events[0].detail.arrivalNumber).toBe(body.arrivalNumber);
    const audit = await queryRows<{ action: string }>(t.database.db, sql`SELECT action FROM audit_log WHERE object_id = ${body.id}`);
    expect(audit.map((a) => a.action)).toEqual(['document.registered']);
  });

  it('takes the issuer name and agency code from the directory when issuerUnitId is given', async () => {
    const { id } = await registerDoc(clerk, now, { issuer: '', issuerUnitId: ids.snv });
    expect(await docRow(id)).toMatchObject({ issuer_name: 'Sở Nội vụ', issuer_code: '000.00.02.H99', issuer_unit_id: ids.snv });
  });

  it('numbers arrivals consecutively in the unit’s book for the local year; secret documents run their own series', async () => {
    const a = await registerDoc(clerk, now);
    const b = await registerDoc(clerk, now);
    expect(b.arrivalNumber).toBe(a.arrivalNumber + 1);
    const s1 = await registerDoc(clerk, now, { secrecy: 'secret' });
    const s2 = await registerDoc(clerk, now, { secrecy: 'confidential' });
    expect([s1.arrivalNumber, s2.arrivalNumber]).toEqual([1, 2]);
    const c = await registerDoc(clerk, now);
    expect(c.arrivalNumber).toBe(b.arrivalNumber + 1);
    const books = await queryRows<{ series: string; year: number; last_number: number }>(
      t.database.db,
      sql`SELECT b.series, c.year, c.last_number FROM register_books b JOIN register_counters c ON c.book_id = b.id WHERE b.unit_id = ${ids.tanAn} AND b.direction = 'incoming' ORDER BY b.series`,
    );
    expect(books).toEqual([
      { series: 'regular', year: localYear(now), last_number: c.arrivalNumber },
      { series: 'secret', year: localYear(now), last_number: 2 },
    ]);
  });

  it('puts a document into the book chosen, refusing the wrong series', async () => {
    const [secretBook] = await queryRows<{ id: string }>(t.database.db, sql`SELECT id FROM register_books WHERE unit_id = ${ids.tanAn} AND series = 'secret'`);
    expectProblem(await clerk.post(URL, incomingBody(now, { bookId: secretBook.id })), 400, 'bookId');
    const ok = await registerDoc(clerk, now, { bookId: secretBook.id, secrecy: 'top_secret' });
    expect((await docRow(ok.id)).book_id).toBe(secretBook.id);
  });

  it('never hands out the same arrival number twice: 20 registrations at once get 20 consecutive numbers', async () => {
    const before = await registerDoc(clerk, now);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => clerk.post(URL, incomingBody(now, { subject: `Văn bản đồng thời số ${i}` }))));
    for (const r of results) expect(r.statusCode, r.body).toBe(201);
    const numbers = results.map((r) => r.json().arrivalNumber as number).sort((x, y) => x - y);
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => before.arrivalNumber + 1 + i));
  });
});

describe('files of an incoming document', () => {
  it('keeps a scanned PDF as it is and counts its pages', async () => {
    const pdf = await upload(t, clerkToken, await samplePdf(3), 'cong-van.pdf');
    const { id } = await registerDoc(clerk, now, { fileIds: [pdf] });
    expect(await filesOf(id)).toEqual([expect.objectContaining({ file_id: pdf, role: 'main', content_type: 'application/pdf' })]);
    expect((await docRow(id)).page_count).toBe(3);
  });

  it('keeps the page count the clerk gave', async () => {
    const pdf = await upload(t, clerkToken, await samplePdf(2), 'a.pdf');
    const { id } = await registerDoc(clerk, now, { fileIds: [pdf], pageCount: 5 });
    expect((await docRow(id)).page_count).toBe(5);
  });

  it('turns phone photos into ONE PDF on the server (one page per photo) and keeps attachments apart', async () => {
    const jpg = await upload(t, clerkToken, PHOTO_JPEG, 'trang-1.jpg');
    const png = await upload(t, clerkToken, PHOTO_PNG, 'trang-2.png');
    const annex = await upload(t, clerkToken, await samplePdf(1), 'phu-luc.pdf');
    const { id } = await registerDoc(clerk, now, { fileIds: [jpg, png], attachmentIds: [annex] });
    const files = await filesOf(id);
    expect(files.map((f) => [f.role, f.content_type])).toEqual([['attachment', 'application/pdf'], ['main', 'application/pdf']]);
    const main = files.find((f) => f.role === 'main')!;
    expect([jpg, png]).not.toContain(main.file_id);
    expect((await docRow(id)).page_count).toBe(2);
    const res = await t.app.inject({ method: 'GET', url: `/api/files/${main.file_id}`, headers: bearer(clerkToken) });
    expect(res.statusCode).toBe(200);
    expect((await PDFDocument.load(res.rawPayload)).getPageCount()).toBe(2);
    // the converted file is the document's: a specialist not taking part cannot fetch it
    expect((await t.app.inject({ method: 'GET', url: `/api/files/${main.file_id}`, headers: bearer(await t.login('chuyenvien.xa')) })).statusCode).toBe(404);
  });

  it('merges several PDFs and photos into one PDF in the order given', async () => {
    const pdf = await upload(t, clerkToken, await samplePdf(2), 'to-trinh.pdf');
    const jpg = await upload(t, clerkToken, PHOTO_JPEG, 'anh.jpg');
    const { id } = await registerDoc(clerk, now, { fileIds: [pdf, jpg] });
    const [main] = await filesOf(id);
    expect(main.file_id).not.toBe(pdf);
    expect((await docRow(id)).page_count).toBe(3);
  });

  it('refuses a main file that is neither PDF nor a photo, and a broken PDF (422)', async () => {
    const docx = await upload(t, clerkToken, Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(64, 1)]), 'du-thao.docx');
    expectProblem(await clerk.post(URL, incomingBody(now, { fileIds: [docx] })), 422, 'fileIds.0');
    const ok = await registerDoc(clerk, now, { attachmentIds: [docx] }); // but it is a fine attachment
    expect((await filesOf(ok.id)).map((f) => f.role)).toEqual(['attachment']);
    const broken = await upload(t, clerkToken, Buffer.from('%PDF-1.4\nkhông phải PDF thật'), 'hong.pdf');
    expectProblem(await clerk.post(URL, incomingBody(now, { fileIds: [broken] })), 422);
  });

  it('answers 404 for files that are unknown or uploaded by someone else', async () => {
    const theirs = await upload(t, await t.login('vanthu.xa2'), await samplePdf(1), 'phu-loc.pdf');
    expectProblem(await clerk.post(URL, incomingBody(now, { fileIds: [theirs] })), 404, 'fileIds.0');
    expectProblem(await clerk.post(URL, incomingBody(now, { attachmentIds: ['01900000-0000-7000-8000-000000000000'] })), 404, 'attachmentIds.0');
    expectProblem(await clerk.post(URL, incomingBody(now, { fileIds: ['khong-phai-id'] })), 404, 'fileIds.0');
  });

  it('registers secret documents as metadata only: files are refused with the reason (422)', async () => {
    const pdf = await upload(t, clerkToken, await samplePdf(1), 'mat.pdf');
    const res = await clerk.post(URL, incomingBody(now, { secrecy: 'secret', fileIds: [pdf] }));
    const problem = expectProblem(res, 422, 'fileIds');
    expect(problem.detail).toMatch(/không được xử lý trên hệ thống kết nối mạng/);
    expectProblem(await clerk.post(URL, incomingBody(now, { secrecy: 'confidential', attachmentIds: [pdf] })), 422, 'attachmentIds');
    const { id } = await registerDoc(clerk, now, { secrecy: 'secret' });
    const detail = (await clerk.get(`/api/documents/${id}`)).json();
    expect(detail.files).toEqual([]);
    expect(detail.secretNotice).toMatch(/không lưu tệp nội dung/);
    // visible to the clerk who registered it, not to the unit's leader it was not presented to
    expect((await leader.get(`/api/documents/${id}`)).statusCode).toBe(404);
  });
});

describe('duplicate warning', () => {
  const same = { issuer: 'UBND tỉnh Thái Hòa', codeNumber: 777, codeNotation: 'UBND-VX', issuedDate: daysFrom(now, -5) };

  it('answers 409 listing the documents that look the same, unless allowDuplicate', async () => {
    const first = await registerDoc(clerk, now, same);
    const res = await clerk.post(URL, incomingBody(now, { ...same, issuer: 'ubnd TỈNH thái hoà', codeNotation: 'ubnd-vx' }));
    const problem = expectProblem(res, 409);
    expect(problem.type).toBe('https://lienthong.vn/problems/duplicate');
    expect(problem.duplicates).toEqual([{ id: first.id, arrivalNumber: first.arrivalNumber, numberSymbol: '777/UBND-VX', issuedDate: same.issuedDate }]);
    const again = await clerk.post(URL, incomingBody(now, { ...same, allowDuplicate: true }));
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json().arrivalNumber).toBeGreaterThan(first.arrivalNumber);
  });

  it('offers the same check to the form before saving (GET …/duplicates)', async () => {
    const q = (o: Record<string, string | number>) => `${URL}/duplicates?${new URLSearchParams(Object.entries(o).map(([k, v]) => [k, String(v)]))}`;
    const hit = await clerk.get(q(same));
    expect(hit.statusCode, hit.body).toBe(200);
    expect(hit.json().duplicates).toHaveLength(2);
    expect((await clerk.get(q({ ...same, issuedDate: daysFrom(now, -6) }))).json().duplicates).toEqual([]);
    expect((await clerk.get(q({ ...same, codeNumber: 778 }))).json().duplicates).toEqual([]);
    expectProblem(await clerk.get(q({ ...same, issuedDate: 'hôm qua' })), 400, 'query.issuedDate');
    expectProblem(await clerk.get(q({ ...same, codeNumber: 'abc' })), 400, 'query.codeNumber');
    expectProblem(await specialist.get(q(same)), 403);
    expectProblem(await clerk.get(q({ ...same, issuerUnitId: '01900000-0000-7000-8000-000000000000' })), 404);
  });
});

describe('reference lists', () => {
  it('GET /api/document-types lists the types in force, in Decree 30’s order; all=true adds the others', async () => {
    const res = await specialist.get('/api/document-types');
    expect(res.statusCode).toBe(200);
    const codes = res.json().items.map((x: { code: string }) => x.code);
    expect(codes.slice(0, 3)).toEqual(['NQ', 'QD', 'CT']);
    expect(codes).toContain('CV');
    expect(codes).not.toContain('ZOLD');
    const all = (await specialist.get('/api/document-types?all=true')).json().items;
    expect(all.find((x: { code: string }) => x.code === 'ZOLD')).toMatchObject({ inForce: false, validTo: '2001-01-01' });
    expectProblem(await specialist.get('/api/document-types?all=perhaps'), 400, 'query.all');
    expectProblem(await api(t, await t.login('congdan')).get('/api/document-types'), 403);
  });

  it('GET /api/register-books lists the unit’s books with this year’s last number', async () => {
    const res = await clerk.get('/api/register-books?direction=incoming');
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as { series: string; lastNumber: number; unitId: string; year: number }[];
    expect(items.map((b) => b.series)).toEqual(['regular', 'secret']);
    expect(items.every((b) => b.unitId === ids.tanAn && b.year === localYear(now) && b.lastNumber > 0)).toBe(true);
    expect((await clerk.get('/api/register-books?direction=outgoing')).json().items).toEqual([]);
    expect((await specialist.get('/api/register-books')).json()).toMatchObject({ items: [], total: 0 });
    expectProblem(await clerk.get('/api/register-books?direction=sideways'), 400, 'query.direction');
    expectProblem(await clerk.get('/api/register-books?pageSize=1000'), 400, 'query.pageSize');
    expectProblem(await clerk.get('/api/register-books?unitId=01900000-0000-7000-8000-000000000000'), 404);
  });

  it('GET /api/document-agencies finds issuers in the directory by name or agency code', async () => {
    const res = await clerk.get(`/api/document-agencies?q=${encodeURIComponent('nội vụ')}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([{ id: ids.snv, name: 'Sở Nội vụ', agencyCode: '000.00.02.H99' }]);
    expect((await clerk.get('/api/document-agencies?q=000.00.02')).json().total).toBe(1);
    expectProblem(await clerk.get(`/api/document-agencies?q=${'x'.repeat(201)}`), 400, 'query.q');
    expectProblem(await api(t, await t.login('admin')).get('/api/document-agencies'), 403);
  });

  it('GET /api/officials/handlers: a leader’s handlers, a clerk’s leaders to present to', async () => {
    const handlers = await leader.get(`/api/officials/handlers?unitId=${ids.tanAn}`);
    expect(handlers.statusCode, handlers.body).toBe(200);
    const names = handlers.json().items.map((h: { fullName: string }) => h.fullName);
    expect(names).toEqual(expect.arrayContaining(['Hoàng Văn Nam', 'Phạm Thị Hoa', 'Đặng Văn Bình']));
    expect(names).not.toContain('Bùi Thị Mai');
    const leaders = await clerk.get(`/api/officials/handlers?unitId=${ids.tanAn}&role=leader`);
    expect(leaders.json().items.map((h: { id: string }) => h.id)).toEqual([ids.leader]);
    expectProblem(await clerk.get(`/api/officials/handlers?unitId=${ids.tanAn}`), 404);
    expectProblem(await specialist.get(`/api/officials/handlers?unitId=${ids.tanAn}&role=leader`), 404);
    expectProblem(await leader.get('/api/officials/handlers?role=boss'), 400, 'query.role');
  });
});

describe('presenting to a leader', () => {
  it('checks the leader: a leader of the unit or an ancestor; a specialist is not one; unknown or other units are 404', async () => {
    const { id } = await registerDoc(clerk, now);
    const url = `/api/documents/${id}/present`;
    expectProblem(await clerk.post(url, { leaderId: ids.specialist }), 400, 'leaderId');
    expectProblem(await clerk.post(url, { leaderId: ids.clerk2 }), 404, 'leaderId');
    expectProblem(await clerk.post(url, { leaderId: await t.userId('lanhdao.tinh') }), 404, 'leaderId');
    expectProblem(await clerk.post(url, { leaderId: '01900000-0000-7000-8000-000000000000' }), 404, 'leaderId');
    expectProblem(await clerk.post(url, { leaderId: 42 }), 400, 'leaderId');
    expectProblem(await clerk.post(url, { leaderId: ids.leader, note: 'n'.repeat(2001) }), 400, 'note');
    expectProblem(await clerk.raw(url, '{"leaderId":'), 400);
    // the leader and the specialist may not present: the leader sees it (403), the specialist does not (404)
    expectProblem(await leader.post(url, { leaderId: ids.leader }), 403);
    expectProblem(await specialist.post(url, { leaderId: ids.leader }), 404);
    expectProblem(await clerk.post('/api/documents/01900000-0000-7000-8000-000000000000/present', { leaderId: ids.leader }), 404);
    expectProblem(await clerk.post('/api/documents/abc/present', { leaderId: ids.leader }), 404);

    const ok = await clerk.post(url, { leaderId: ids.leader, note: 'Kính trình' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'presented', presentedTo: ids.leader, presentedToName: 'Đặng Văn Bình' });
    // once assigned, presenting again is a conflict
    const assigned = await leader.post(`/api/documents/${id}/assign`, { leadUserId: ids.specialist, instruction: 'Xử lý' });
    expect(assigned.statusCode, assigned.body).toBe(200);
    expectProblem(await clerk.post(url, { leaderId: ids.leader }), 409);
  });
});

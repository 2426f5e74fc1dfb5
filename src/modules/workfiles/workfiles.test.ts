import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../core/db/index.js';
import { bearer, createTestApp, type TestContext } from '../../test/harness.js';
import { insertDocument } from './testing.js';

/** The yearly file list and the life of a work file, through HTTP. */

let t: TestContext;
let clerk: string; // vanthu.xa — Tân An
let leader: string; // lanhdao.xa
let specialist: string; // chuyenvien.xa
let onestop: string; // motcua.xa (no work-file grant)
let clerk2: string; // vanthu.xa2 — Phú Lộc
let tanAn: string;
let phuLoc: string;
let clerkId: string;

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
async function api(token: string, method: Method, url: string, payload?: unknown) {
  const res = await t.app.inject({ method, url, headers: bearer(token), ...(payload === undefined ? {} : { payload: payload as object }) });
  return { status: res.statusCode, body: res.body ? (res.headers['content-type']?.toString().includes('json') ? res.json() : res.body) : null, headers: res.headers };
}

const entry = (over: Record<string, unknown> = {}) => ({ year: 2026, notation: '01.TCCB', title: 'Hồ sơ tổ chức cán bộ năm 2026', retentionYears: null, ...over });

async function auditCountFor(objectId: string): Promise<number> {
  const [{ n }] = await queryRows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE object_id = ${objectId}`);
  return n;
}

function expectProblem(r: { status: number; headers: Record<string, unknown>; body: unknown }, status: number, field?: string) {
  expect(r.status).toBe(status);
  expect(String(r.headers['content-type'])).toContain('application/problem+json');
  const body = r.body as { title: string; errors?: { field: string }[] };
  expect(body.title).toMatch(/[^\x20-\x7e]/); // a Vietnamese title
  if (field) expect(body.errors?.map((e) => e.field)).toContain(field);
}

beforeAll(async () => {
  t = await createTestApp();
  [clerk, leader, specialist, onestop, clerk2] = await Promise.all(['vanthu.xa', 'lanhdao.xa', 'chuyenvien.xa', 'motcua.xa', 'vanthu.xa2'].map((u) => t.login(u)));
  tanAn = await t.unitId('000.01.31.H99');
  phuLoc = await t.unitId('000.02.31.H99');
  clerkId = await t.userId('vanthu.xa');
});
afterAll(async () => t?.close());

describe('the yearly file list (danh mục hồ sơ)', () => {
  it('creates an entry in the caller’s unit: normalised notation, planned, owned by its creator', async () => {
    const r = await api(clerk, 'POST', '/api/work-files', entry({ notation: ' 01.tccb ', note: ' Theo Quyết định 15 ' }));
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ unitId: tanAn, unitName: 'Ủy ban nhân dân xã Tân An', year: 2026, notation: '01.TCCB', status: 'planned', retentionYears: null, retentionLabel: 'Vĩnh viễn', ownerUserId: clerkId, ownerName: 'Phạm Thị Hoa', note: 'Theo Quyết định 15', documentCount: 0, openedAt: null });
    expect(await auditCountFor(r.body.id)).toBe(1);
  });

  it('refuses malformed entries with problem+json naming the field', async () => {
    expectProblem(await api(clerk, 'POST', '/api/work-files', entry({ notation: 'TCCB' })), 400, 'notation');
    expectProblem(await api(clerk, 'POST', '/api/work-files', entry({ notation: '01-TCCB' })), 400, 'notation');
    expectProblem(await api(clerk, 'POST', '/api/work-files', entry({ retentionYears: 0 })), 400, 'retentionYears');
    expectProblem(await api(clerk, 'POST', '/api/work-files', entry({ retentionYears: 71 })), 400, 'retentionYears');
    expectProblem(await api(clerk, 'POST', '/api/work-files', entry({ retentionYears: 2.5 })), 400, 'retentionYears');
    expectProblem(await api(clerk, 'POST', '/api/work-files', entry({ title: '   ' })), 400, 'title');
    expectProblem(await api(clerk, 'POST', '/api/work-files', entry({ year: 1999 })), 400, 'year');
    expectProblem(await api(clerk, 'POST', '/api/work-files', { title: 'Thiếu năm' }), 400, 'year');
    // The owner must be an official of the unit.
    expectProblem(await api(clerk, 'POST', '/api/work-files', entry({ notation: '09.VP', ownerUserId: await t.userId('vanthu.xa2') })), 400, 'ownerUserId');
    expectProblem(await api(clerk, 'POST', '/api/work-files', entry({ notation: '09.VP', ownerUserId: 'khong-phai-uuid' })), 400, 'ownerUserId');
    const bad = await t.app.inject({ method: 'POST', url: '/api/work-files', headers: { ...bearer(clerk), 'content-type': 'application/json' }, payload: '{"year": 2026,' });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
  });

  it('keeps notations unique per unit and year', async () => {
    const dup = await api(clerk, 'POST', '/api/work-files', entry({ notation: '01.tccb', title: 'Trùng' }));
    expectProblem(dup, 409, 'notation');
    expect(dup.body.detail).toContain('01.TCCB');
    expect((await api(clerk, 'POST', '/api/work-files', entry({ year: 2027 }))).status).toBe(201);
    // Another commune has its own list.
    const other = await api(clerk2, 'POST', '/api/work-files', entry());
    expect(other.status).toBe(201);
    expect(other.body.unitId).toBe(phuLoc);
  });

  it('lists a unit’s entries by year in the order of their running numbers, paginated', async () => {
    for (const [notation, title, retentionYears] of [['10.VP', 'Hồ sơ văn phòng', 10], ['02.TP', 'Hồ sơ tư pháp – hộ tịch', 20], ['03.DC', 'Hồ sơ địa chính', 70]] as const) {
      expect((await api(clerk, 'POST', '/api/work-files', entry({ notation, title, retentionYears }))).status).toBe(201);
    }
    const r = await api(leader, 'GET', `/api/work-files?unitId=${tanAn}&year=2026`);
    expect(r.status).toBe(200);
    expect(r.body.items.map((f: { notation: string }) => f.notation)).toEqual(['01.TCCB', '02.TP', '03.DC', '10.VP']);
    expect(r.body.items[3]).toMatchObject({ retentionYears: 10, retentionLabel: '10 năm' });
    expect(r.body.total).toBe(4);
    // Default unit: the caller's own; pagination; search by title without the exact case.
    const page = await api(clerk, 'GET', '/api/work-files?year=2026&pageSize=2&page=2');
    expect(page.body).toMatchObject({ total: 4, page: 2, pageSize: 2 });
    expect(page.body.items.map((f: { notation: string }) => f.notation)).toEqual(['03.DC', '10.VP']);
    expect((await api(clerk, 'GET', `/api/work-files?q=${encodeURIComponent('HỘ TỊCH')}`)).body.items.map((f: { notation: string }) => f.notation)).toEqual(['02.TP']);
    expect((await api(clerk, 'GET', '/api/work-files?year=2027')).body.total).toBe(1);
    expectProblem(await api(clerk, 'GET', '/api/work-files?year=abc'), 400, 'query.year');
    expectProblem(await api(clerk, 'GET', '/api/work-files?status=lost'), 400, 'query.status');
    // Officials without a work-file grant (one-stop desk) do not reach the list.
    expectProblem(await api(onestop, 'GET', `/api/work-files?unitId=${tanAn}`), 404);
  });

  it('edits an entry and keeps the notation unique', async () => {
    const list = (await api(clerk, 'GET', '/api/work-files?year=2026')).body.items as { id: string; notation: string }[];
    const vp = list.find((f) => f.notation === '10.VP')!;
    const r = await api(specialist, 'PATCH', `/api/work-files/${vp.id}`, { title: 'Hồ sơ văn phòng – thống kê', retentionYears: null, notation: '04.vp' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ title: 'Hồ sơ văn phòng – thống kê', retentionLabel: 'Vĩnh viễn', notation: '04.VP' });
    expectProblem(await api(clerk, 'PATCH', `/api/work-files/${vp.id}`, { notation: '02.TP' }), 409, 'notation');
    expectProblem(await api(clerk, 'PATCH', `/api/work-files/${vp.id}`, { notation: 'VP' }), 400, 'notation');
    expectProblem(await api(clerk, 'PATCH', `/api/work-files/${vp.id}`, { retentionYears: -1 }), 400, 'retentionYears');
    const audit = await queryRows<{ summary: { before: Record<string, unknown>; after: Record<string, unknown> } }>(
      t.database.db,
      sql`SELECT summary FROM audit_log WHERE object_id = ${vp.id} AND action = 'workfile.update'`,
    );
    expect(audit).toHaveLength(1);
    expect(audit[0].summary.before).toMatchObject({ notation: '10.VP', retentionYears: 10 });
    expect(audit[0].summary.after).toMatchObject({ notation: '04.VP', retentionYears: null });
  });

  it('copies last year’s list to a new year, skipping notations already there', async () => {
    const r = await api(clerk, 'POST', '/api/work-files/copy', { fromYear: 2026, toYear: 2027 });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ created: 3, skipped: ['01.TCCB'] });
    const next = await api(clerk, 'GET', '/api/work-files?year=2027');
    expect(next.body.items.map((f: { notation: string; status: string }) => `${f.notation}:${f.status}`)).toEqual(['01.TCCB:planned', '02.TP:planned', '03.DC:planned', '04.VP:planned']);
    expect(next.body.items[2]).toMatchObject({ title: 'Hồ sơ địa chính', retentionYears: 70 });
    expectProblem(await api(clerk, 'POST', '/api/work-files/copy', { fromYear: 2020, toYear: 2028 }), 422);
    expectProblem(await api(clerk, 'POST', '/api/work-files/copy', { fromYear: 2027, toYear: 2027 }), 400, 'toYear');
    expectProblem(await api(clerk, 'POST', '/api/work-files/copy', { fromYear: 2027 }), 400, 'toYear');
  });

  it('deletes only entries never opened', async () => {
    const created = await api(clerk, 'POST', '/api/work-files', entry({ year: 2028, notation: '01.XOA', title: 'Nhập nhầm' }));
    expect((await api(clerk, 'DELETE', `/api/work-files/${created.body.id}`)).status).toBe(204);
    expectProblem(await api(clerk, 'GET', `/api/work-files/${created.body.id}`), 404);
    expect(await auditCountFor(created.body.id)).toBe(2);
  });
});

describe('the life of a work file', () => {
  let fileA: string;
  let fileB: string;
  let docA: string; // ordinary, readable by the unit's clerk and leader
  let docSecret: string; // Mật: registered by the clerk, not presented
  let docOther: string; // Phú Lộc's

  beforeAll(async () => {
    const list = (await api(clerk, 'GET', '/api/work-files?year=2026')).body.items as { id: string; notation: string }[];
    fileA = list.find((f) => f.notation === '01.TCCB')!.id;
    fileB = list.find((f) => f.notation === '02.TP')!.id;
    docA = await insertDocument(t, { unitId: tanAn, createdBy: clerkId, subject: 'Về việc kiện toàn bộ máy', codeNumber: 15, codeNotation: 'UBND-NV' });
    docSecret = await insertDocument(t, { unitId: tanAn, createdBy: clerkId, subject: 'Tài liệu mật', secrecy: 'secret', codeNumber: 2, codeNotation: 'M-UBND' });
    docOther = await insertDocument(t, { unitId: phuLoc, createdBy: await t.userId('vanthu.xa2'), subject: 'Văn bản của Phú Lộc' });
  });

  it('takes documents only once opened', async () => {
    expectProblem(await api(clerk, 'POST', `/api/work-files/${fileA}/documents`, { documentId: docA }), 409);
    const opened = await api(specialist, 'POST', `/api/work-files/${fileA}/open`);
    expect(opened.status).toBe(200);
    expect(opened.body.status).toBe('open');
    expect(opened.body.openedAt).toBeTruthy();
    expectProblem(await api(clerk, 'POST', `/api/work-files/${fileA}/open`), 409);
    expectProblem(await api(clerk, 'DELETE', `/api/work-files/${fileA}`), 409);
  });

  it('adds documents the caller may read; adding twice changes nothing', async () => {
    const before = await auditCountFor(fileA);
    expect((await api(clerk, 'POST', `/api/work-files/${fileA}/documents`, { documentId: docA })).body).toEqual({ added: true });
    expect((await api(clerk, 'POST', `/api/work-files/${fileA}/documents`, { documentId: docA })).body).toEqual({ added: false });
    expect(await auditCountFor(fileA)).toBe(before + 1);
    // Secret documents are filed as metadata (the clerk who registered it may read it).
    expect((await api(clerk, 'POST', `/api/work-files/${fileA}/documents`, { documentId: docSecret })).body).toEqual({ added: true });
    // What the caller may not read, or what does not exist, is not found.
    expectProblem(await api(clerk, 'POST', `/api/work-files/${fileA}/documents`, { documentId: docOther }), 404);
    expectProblem(await api(clerk, 'POST', `/api/work-files/${fileA}/documents`, { documentId: '01900000-0000-7000-8000-000000000000' }), 404);
    expectProblem(await api(clerk, 'POST', `/api/work-files/${fileA}/documents`, { documentId: 'abc' }), 404);
    expectProblem(await api(clerk, 'POST', `/api/work-files/${fileA}/documents`, {}), 400, 'documentId');
    // The specialist takes part in neither document.
    expectProblem(await api(specialist, 'POST', `/api/work-files/${fileA}/documents`, { documentId: docA }), 404);
  });

  it('puts one document in two files without copying it', async () => {
    await api(clerk, 'POST', `/api/work-files/${fileB}/open`);
    expect((await api(clerk, 'POST', `/api/work-files/${fileB}/documents`, { documentId: docA })).body).toEqual({ added: true });
    const a = (await api(clerk, 'GET', `/api/work-files/${fileA}`)).body;
    const b = (await api(clerk, 'GET', `/api/work-files/${fileB}`)).body;
    expect(a.documents.map((d: { id: string }) => d.id)).toContain(docA);
    expect(b.documents.map((d: { id: string }) => d.id)).toEqual([docA]);
    expect(b.documents[0]).toMatchObject({ numberSymbol: '15/UBND-NV', typeName: 'Công văn', subject: 'Về việc kiện toàn bộ máy', addedByName: 'Phạm Thị Hoa' });
    const [{ n }] = await queryRows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM documents WHERE subject = 'Về việc kiện toàn bộ máy'`);
    expect(n).toBe(1);
    // Which of our files hold it?
    const holders = await api(clerk, 'GET', `/api/work-files?documentId=${docA}`);
    expect(holders.body.items.map((f: { notation: string }) => f.notation).sort()).toEqual(['01.TCCB', '02.TP']);
    expectProblem(await api(clerk, 'GET', `/api/work-files?documentId=${docOther}`), 404);
  });

  it('removes a document from one open file only', async () => {
    expect((await api(clerk, 'DELETE', `/api/work-files/${fileB}/documents/${docA}`)).status).toBe(204);
    expect((await api(clerk, 'GET', `/api/work-files/${fileB}`)).body.documentCount).toBe(0);
    expect((await api(clerk, 'GET', `/api/work-files/${fileA}`)).body.documentCount).toBe(2);
    expectProblem(await api(clerk, 'DELETE', `/api/work-files/${fileB}/documents/${docA}`), 404);
  });

  it('shows each reader only the documents they may read, counting the others', async () => {
    const byClerk = (await api(clerk, 'GET', `/api/work-files/${fileA}`)).body;
    expect(byClerk.documents).toHaveLength(2);
    expect(byClerk.hiddenCount).toBe(0);
    const secret = byClerk.documents.find((d: { id: string }) => d.id === docSecret);
    expect(secret.secrecy).toBe('secret');
    const byLeader = (await api(leader, 'GET', `/api/work-files/${fileA}`)).body;
    expect(byLeader.documents.map((d: { id: string }) => d.id)).toEqual([docA]);
    expect(byLeader).toMatchObject({ hiddenCount: 1, documentCount: 2 });
    // History steps about the hidden document do not name it.
    expect(byLeader.history.filter((h: { documentId: string | null }) => h.documentId === docSecret)).toHaveLength(0);
    const bySpecialist = (await api(specialist, 'GET', `/api/work-files/${fileA}`)).body;
    expect(bySpecialist).toMatchObject({ documents: [], hiddenCount: 2 });
    expectProblem(await api(onestop, 'GET', `/api/work-files/${fileA}`), 404);
  });

  it('closes a file, which freezes it', async () => {
    expectProblem(await api(clerk, 'POST', `/api/work-files/${fileB}/close`), 422); // empty
    const closed = await api(clerk, 'POST', `/api/work-files/${fileA}/close`);
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed' });
    expect(closed.body.closedAt).toBeTruthy();
    const docB = await insertDocument(t, { unitId: tanAn, createdBy: clerkId, subject: 'Đến sau' });
    expectProblem(await api(clerk, 'POST', `/api/work-files/${fileA}/documents`, { documentId: docB }), 409);
    expectProblem(await api(clerk, 'DELETE', `/api/work-files/${fileA}/documents/${docA}`), 409);
    expectProblem(await api(clerk, 'PATCH', `/api/work-files/${fileA}`, { title: 'Sửa sau khi đóng' }), 409);
    expectProblem(await api(clerk, 'POST', `/api/work-files/${fileA}/close`), 409);
  });

  it('is reopened only by the unit’s leader, with a reason kept in its history', async () => {
    expectProblem(await api(clerk, 'POST', `/api/work-files/${fileA}/reopen`, { reason: 'Bổ sung' }), 403);
    expectProblem(await api(leader, 'POST', `/api/work-files/${fileA}/reopen`, {}), 400, 'reason');
    expectProblem(await api(leader, 'POST', `/api/work-files/${fileA}/reopen`, { reason: '   ' }), 400, 'reason');
    expectProblem(await api(leader, 'POST', `/api/work-files/${fileB}/reopen`, { reason: 'Không đóng' }), 409);
    const r = await api(leader, 'POST', `/api/work-files/${fileA}/reopen`, { reason: 'Bổ sung quyết định khen thưởng' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'open', closedAt: null });
    const detail = (await api(clerk, 'GET', `/api/work-files/${fileA}`)).body;
    expect(detail.history.map((h: { action: string }) => h.action)).toEqual(['create', 'open', 'add_document', 'add_document', 'close', 'reopen']);
    expect(detail.history.at(-1)).toMatchObject({ actorName: 'Đặng Văn Bình', reason: 'Bổ sung quyết định khen thưởng' });
    expect((await api(clerk, 'POST', `/api/work-files/${fileA}/close`)).status).toBe(200);
  });
});

describe('transfer to the archive (nộp lưu)', () => {
  let fileId: string;
  const closeAgo = async (id: string, days: number) =>
    t.database.db.execute(sql`UPDATE work_files SET closed_at = now() - make_interval(days => ${days}::int) WHERE id = ${id}`);

  beforeAll(async () => {
    fileId = (await api(clerk, 'POST', '/api/work-files', entry({ year: 2025, notation: '05.LT', title: 'Hồ sơ lưu trữ thử' }))).body.id;
    const doc = await insertDocument(t, { unitId: tanAn, createdBy: clerkId, subject: 'Văn bản để nộp lưu' });
    await api(clerk, 'POST', `/api/work-files/${fileId}/open`);
    await api(clerk, 'POST', `/api/work-files/${fileId}/documents`, { documentId: doc });
    expect((await api(clerk, 'POST', `/api/work-files/${fileId}/close`)).status).toBe(200);
  });

  it('lists closed files from 30 days before their transfer date (12 months after closing by default)', async () => {
    const fresh = await api(clerk, 'GET', '/api/work-files/transfer-due');
    expect(fresh.body).toMatchObject({ transferMonths: 12, reminderDays: 30, total: 0, items: [] });
    await closeAgo(fileId, 350);
    const soon = await api(clerk, 'GET', `/api/work-files/transfer-due?unitId=${tanAn}`);
    expect(soon.body.total).toBe(1);
    expect(soon.body.items[0]).toMatchObject({ id: fileId, notation: '05.LT', transferState: 'due_soon' });
    expect(soon.body.items[0].daysLeft).toBeGreaterThanOrEqual(14);
    expect(soon.body.items[0].daysLeft).toBeLessThanOrEqual(16);
    await closeAgo(fileId, 400);
    expect((await api(clerk, 'GET', '/api/work-files/transfer-due')).body.items[0].transferState).toBe('overdue');
  });

  it('follows the months the unit’s leader sets', async () => {
    await closeAgo(fileId, 160);
    expect((await api(clerk, 'GET', '/api/work-files/transfer-due')).body.total).toBe(0);
    expectProblem(await api(clerk, 'PUT', '/api/work-files/settings', { transferMonths: 6 }), 403);
    expectProblem(await api(leader, 'PUT', '/api/work-files/settings', { transferMonths: 0 }), 400, 'transferMonths');
    const put = await api(leader, 'PUT', '/api/work-files/settings', { transferMonths: 6 });
    expect(put.body).toEqual({ unitId: tanAn, transferMonths: 6 });
    expect((await api(clerk, 'GET', '/api/work-files/settings')).body).toEqual({ unitId: tanAn, transferMonths: 6 });
    const due = await api(clerk, 'GET', '/api/work-files/transfer-due');
    expect(due.body).toMatchObject({ transferMonths: 6, total: 1 });
    expect(due.body.items[0].transferState).toBe('due_soon');
  });

  it('leaves the list once transferred, and a transferred file stays frozen', async () => {
    const r = await api(clerk, 'POST', `/api/work-files/${fileId}/transfer`);
    expect(r.body).toMatchObject({ status: 'transferred' });
    expect(r.body.transferredAt).toBeTruthy();
    expect((await api(clerk, 'GET', '/api/work-files/transfer-due')).body.total).toBe(0);
    expectProblem(await api(leader, 'POST', `/api/work-files/${fileId}/reopen`, { reason: 'Thử' }), 409);
    expectProblem(await api(clerk, 'PATCH', `/api/work-files/${fileId}`, { title: 'Thử' }), 409);
    const actions = await queryRows<{ action: string }>(t.database.db, sql`SELECT action FROM audit_log WHERE object_id = ${fileId} ORDER BY seq`);
    expect(actions.map((a) => a.action)).toEqual(['workfile.create', 'workfile.open', 'workfile.add_document', 'workfile.close', 'workfile.transfer']);
  });
});

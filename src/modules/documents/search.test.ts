import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal, Role } from '../../core/access/index.js';
import { fixedClock } from '../../core/clock/index.js';
import { type Db, queryRows } from '../../core/db/index.js';
import { newId } from '../../core/ids/index.js';
import { bearer, createTestApp, type TestContext } from '../../test/harness.js';
import { numberSymbolOf } from './detail.js';
import { assignments, documents } from './schema.js';
import { buildSearchText, toTsQuery } from './text.js';
import { searchDocuments, searchTuning } from './search.js';
import { readCondition, unitIdsFor } from './visibility.js';

/**
 * GET /api/documents (boxes incoming/outgoing/all, full-text search, filters, sorting, pagination) and
 * the saved searches, through HTTP. Documents are inserted with the schema (search_text built by
 * buildSearchText, as INCOMING and OUTGOING do).
 */

type DocInput = Partial<typeof documents.$inferInsert> & { unitId: string; subject: string; createdBy: string };
let seq = 0;
async function insertDoc(db: Db, f: DocInput): Promise<string> {
  const id = newId();
  const createdAt = f.createdAt ?? new Date(Date.UTC(2026, 0, 1) + ++seq * 60_000);
  const issuerName = f.issuerName ?? 'Sở Nội vụ';
  const numberSymbol = numberSymbolOf({ codeNumber: f.codeNumber ?? null, codeNotation: f.codeNotation ?? null });
  await db.insert(documents).values({
    id,
    direction: 'incoming',
    status: 'registered',
    typeCode: 'CV',
    createdAt,
    updatedAt: createdAt,
    ...f,
    issuerName,
    searchText: buildSearchText({ unitId: f.unitId, subject: f.subject, numberSymbol, issuerName, signerName: f.signerName }),
  });
  return id;
}

async function assign(db: Db, documentId: string, unitId: string, who: { userId?: string; unitId?: string }, f: Partial<typeof assignments.$inferInsert> = {}): Promise<string> {
  const id = newId();
  await db.insert(assignments).values({
    id,
    documentId,
    unitId,
    role: 'lead',
    assigneeUserId: who.userId ?? null,
    assigneeUnitId: who.unitId ?? null,
    assignedBy: f.assignedBy ?? who.userId ?? unitId,
    assignedAt: f.assignedAt ?? new Date(Date.UTC(2026, 1, 1) + ++seq * 60_000),
    ...f,
  });
  return id;
}

let t: TestContext;
let tanAn: string;
let phuLoc: string;
const user: Record<string, string> = {};
const token: Record<string, string> = {};
const doc: Record<string, string> = {};

const get = async (who: string, url: string) => t.app.inject({ method: 'GET', url, headers: bearer(token[who]) });
const list = async (who: string, query: string) => {
  const res = await get(who, `/api/documents?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { items: { id: string; subject: string; rank?: number; read: boolean; direction: string; numberSymbol: string | null }[]; total: number; totalExact: boolean; page: number; pageSize: number; nextCursor: string | null };
};
const ids = async (who: string, query: string) => (await list(who, query)).items.map((i) => i.id).sort();
const q = (s: string) => encodeURIComponent(s);

beforeAll(async () => {
  t = await createTestApp({ clock: fixedClock(new Date('2026-03-10T02:00:00Z')) });
  tanAn = await t.unitId('000.01.31.H99');
  phuLoc = await t.unitId('000.02.31.H99');
  for (const u of ['vanthu.xa', 'chuyenvien.xa', 'lanhdao.xa', 'vanthu.xa2', 'vanthu.tinh']) {
    user[u] = await t.userId(u);
    token[u] = await t.login(u);
  }
  const db = t.database.db;
  const clerk = user['vanthu.xa'];
  doc.decision = await insertDoc(db, {
    unitId: tanAn, createdBy: clerk, typeCode: 'QD', subject: 'Quyết định về việc đăng ký khai sinh cho trẻ em trên địa bàn xã', codeNumber: 15, codeNotation: 'QĐ-UBND',
    issuerName: 'Ủy ban nhân dân tỉnh Thái Hòa', signerName: 'Lê Văn Tám', issuedDate: '2026-01-05', arrivalAt: new Date('2026-01-06T03:00:00Z'), arrivalNumber: 1,
  });
  doc.epidemic = await insertDoc(db, {
    unitId: tanAn, createdBy: clerk, subject: 'Công văn tăng cường phòng, chống dịch bệnh', codeNumber: 7, codeNotation: 'SYT-NVY', issuerName: 'Sở Y tế',
    issuedDate: '2026-02-10', arrivalAt: new Date('2026-02-11T03:00:00Z'), arrivalNumber: 2, urgency: 'urgent', dueDate: '2026-03-01', status: 'assigned',
  });
  doc.outgoing = await insertDoc(db, { unitId: tanAn, createdBy: clerk, direction: 'outgoing', status: 'issued', subject: 'Báo cáo kết quả đăng ký khai sinh quý I', codeNumber: 3, codeNotation: 'BC-UBND', issuedDate: '2026-03-02', typeCode: 'BC' });
  doc.secret = await insertDoc(db, { unitId: tanAn, createdBy: clerk, presentedTo: user['lanhdao.xa'], status: 'presented', secrecy: 'confidential', subject: 'Văn bản mật về khai sinh', issuedDate: '2026-02-20' });
  doc.phuLoc = await insertDoc(db, { unitId: phuLoc, createdBy: user['vanthu.xa2'], typeCode: 'QD', subject: 'Quyết định về việc đăng ký khai sinh xã Phú Lộc', codeNumber: 15, codeNotation: 'QĐ-UBND', issuedDate: '2026-01-05' });
  doc.handled = await insertDoc(db, { unitId: tanAn, createdBy: clerk, status: 'assigned', subject: 'Đề nghị cấp giấy phép xây dựng nhà ở', issuedDate: '2026-02-15', dueDate: '2026-04-01' });
  await assign(db, doc.handled, tanAn, { userId: user['chuyenvien.xa'] }, { assignedBy: user['lanhdao.xa'], dueDate: '2026-04-01' });
  doc.draft = await insertDoc(db, { unitId: tanAn, createdBy: user['chuyenvien.xa'], direction: 'outgoing', status: 'draft', subject: 'Dự thảo tờ trình về khai sinh lưu động' });
  // Secret and issued: the issuing clerk sees it (they number and send it); the drafter is a participant.
  doc.secretIssued = await insertDoc(db, { unitId: tanAn, createdBy: user['chuyenvien.xa'], direction: 'outgoing', status: 'issued', secrecy: 'secret', subject: 'Báo cáo mật đã ban hành', codeNumber: 9, codeNotation: 'BC-UBND' });
});
afterAll(async () => t?.close());

describe('accent- and case-insensitive full-text search', () => {
  it('`quyet dinh khai sinh` finds `Quyết định … khai sinh`, and so do accented and upper-case spellings', async () => {
    for (const text of ['quyet dinh khai sinh', 'Quyết định khai sinh', 'QUYẾT ĐỊNH KHAI SINH', 'quyết đ']) {
      const r = await list('vanthu.xa', `q=${q(text)}`);
      expect(r.items.map((i) => i.id), text).toEqual([doc.decision]);
      expect(r.items[0].rank).toBeGreaterThan(0);
    }
  });
  it('searches number/symbol, issuer and signer', async () => {
    expect(await ids('vanthu.xa', `q=${q('15/QĐ-UBND')}`)).toEqual([doc.decision]);
    expect(await ids('vanthu.xa', `q=${q('thai hoa')}`)).toEqual([doc.decision]);
    expect(await ids('vanthu.xa', `q=${q('Lê Văn Tám')}`)).toEqual([doc.decision]);
    expect(await ids('vanthu.xa', `q=${q('so y te')}`)).toEqual([doc.epidemic]);
  });
  it('sorts by relevance by default and by date on request', async () => {
    const rel = await list('vanthu.xa', `q=${q('khai sinh')}`);
    // The decision, the outgoing report, the secret one (registered by this clerk), the specialist's draft; nothing of Phú Lộc.
    expect(rel.items.map((i) => i.id).sort()).toEqual([doc.decision, doc.outgoing, doc.secret, doc.draft].sort());
    const ranks = rel.items.map((i) => i.rank!);
    expect([...ranks].sort((a, b) => b - a)).toEqual(ranks);
    const byDate = await list('vanthu.xa', `q=${q('khai sinh')}&sort=date`);
    expect(byDate.items.map((i) => i.id)).toEqual([doc.draft, doc.secret, doc.outgoing, doc.decision]);
    expect(byDate.items.every((i) => i.rank! > 0)).toBe(true);
  });
});

describe('boxes and isolation', () => {
  it('the clerk of Tân An sees the incoming and outgoing documents of the commune, never those of Phú Lộc', async () => {
    expect(await ids('vanthu.xa', 'box=incoming&pageSize=200')).toEqual([doc.decision, doc.epidemic, doc.secret, doc.handled].sort());
    expect(await ids('vanthu.xa', 'box=outgoing&pageSize=200')).toEqual([doc.outgoing, doc.draft, doc.secretIssued].sort());
    expect((await ids('vanthu.xa', 'box=all&pageSize=200')).includes(doc.phuLoc)).toBe(false);
  });
  it('vanthu.xa2 never finds Tân An documents', async () => {
    expect(await ids('vanthu.xa2', `q=${q('khai sinh')}`)).toEqual([doc.phuLoc]);
    expect(await ids('vanthu.xa2', 'box=all&pageSize=200')).toEqual([doc.phuLoc]);
    expect(await ids('vanthu.xa2', `q=${q('15/QĐ-UBND')}`)).toEqual([doc.phuLoc]);
    expect(await ids('vanthu.xa2', `handlerId=${user['chuyenvien.xa']}`)).toEqual([]);
  });
  it('a specialist finds only what they take part in', async () => {
    expect(await ids('chuyenvien.xa', 'box=all&pageSize=200')).toEqual([doc.handled, doc.draft, doc.secretIssued].sort());
    expect(await ids('chuyenvien.xa', `q=${q('khai sinh')}`)).toEqual([doc.draft]);
    expect(await ids('chuyenvien.xa', 'box=outgoing')).toEqual([doc.draft, doc.secretIssued].sort());
  });
  it('a secret outgoing document once issued is seen by the issuing clerk and its drafter, not by the leader nor other units', async () => {
    expect(await ids('vanthu.xa', `q=${q('bao cao mat')}`)).toEqual([doc.secretIssued]);
    expect(await ids('chuyenvien.xa', `q=${q('bao cao mat')}`)).toEqual([doc.secretIssued]);
    expect(await ids('lanhdao.xa', `q=${q('bao cao mat')}`)).toEqual([]);
    expect(await ids('vanthu.xa2', `q=${q('bao cao mat')}`)).toEqual([]);
    expect((await ids('vanthu.xa', 'box=outgoing&pageSize=200')).includes(doc.secretIssued)).toBe(true);
    expect((await ids('vanthu.xa', 'box=incoming&pageSize=200')).includes(doc.secretIssued)).toBe(false);
  });
  it('a secret document is seen by the clerk who registered it and the leader it was presented to, not by others', async () => {
    expect(await ids('lanhdao.xa', `q=${q('van ban mat')}`)).toEqual([doc.secret]);
    expect(await ids('vanthu.xa', `q=${q('van ban mat')}`)).toEqual([doc.secret]);
    expect(await ids('chuyenvien.xa', `q=${q('van ban mat')}`)).toEqual([]);
    expect(await ids('vanthu.tinh', `q=${q('van ban mat')}`)).toEqual([]);
  });
  it('every box answers exactly the documents of the read rule (readCondition), for every demo official', async () => {
    for (const username of Object.keys(user)) {
      const p = await principalOf(username);
      const readable = await unitIdsFor(t.database.db, p, 'document.read');
      const issuing = await unitIdsFor(t.database.db, p, 'document.issue');
      const expected = (await queryRows<{ id: string }>(t.database.db, sql`SELECT d.id FROM documents d WHERE ${readCondition(p, readable, issuing)}`)).map((r) => r.id).sort();
      expect(await ids(username, 'box=all&pageSize=200'), username).toEqual(expected);
    }
  });
  it('a text search answers the same through the GIN plan, the newest-first walk of large units and a prefix checked on the rows, for every demo official', async () => {
    const now = new Date('2026-03-10T02:00:00Z');
    const run = async (manyMatches: number, p: Principal, query: string, sort: 'date' | 'relevance', prefixIndexMax = searchTuning.prefixIndexMax) => {
      const before = { ...searchTuning };
      Object.assign(searchTuning, { manyMatches, prefixIndexMax });
      try {
        const page = await searchDocuments(t.database.db, p, { box: 'all', q: query, sort, pageSize: 200 }, now);
        return { ids: page.items.map((i) => i.id), total: page.total };
      } finally {
        Object.assign(searchTuning, before);
      }
    };
    let found = 0;
    for (const username of Object.keys(user)) {
      const p = await principalOf(username);
      for (const query of ['khai sinh', 'quyet dinh', 'khai', 'van ban mat', 'UBND']) {
        const gin = await run(Number.POSITIVE_INFINITY, p, query, 'date');
        const readable = await unitIdsFor(t.database.db, p, 'document.read');
        const issuing = await unitIdsFor(t.database.db, p, 'document.issue');
        const truth = await queryRows<{ id: string }>(
          t.database.db,
          sql`SELECT d.id FROM documents d WHERE ${readCondition(p, readable, issuing)} AND d.search_vector @@ to_tsquery('simple', ${toTsQuery(query)}) ORDER BY d.created_at DESC, d.id DESC`,
        );
        expect(gin.ids, `${username} ${query} (read rule)`).toEqual(truth.map((r) => r.id));
        expect(await run(0, p, query, 'date'), `${username} ${query}`).toEqual(gin);
        // The typed prefix never in the index: the other words (or the unit tokens alone) find the rows, the prefix is checked on them.
        expect(await run(Number.POSITIVE_INFINITY, p, query, 'date', 0), `${username} ${query} (prefix on the rows)`).toEqual(gin);
        const ranked = await run(0, p, query, 'relevance');
        expect([...ranked.ids].sort(), `${username} ${query} (relevance)`).toEqual([...gin.ids].sort());
        found += gin.ids.length;
      }
    }
    expect(found).toBeGreaterThan(10);
  });
  it('the administrator manages accounts, not documents: an empty list', async () => {
    const admin = await t.login('admin');
    const res = await t.app.inject({ method: 'GET', url: '/api/documents?box=all', headers: bearer(admin) });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([]);
  });
});

describe('filters', () => {
  it('type, status, urgency', async () => {
    expect(await ids('vanthu.xa', 'typeCode=QD')).toEqual([doc.decision]);
    expect(await ids('vanthu.xa', 'status=presented')).toEqual([doc.secret]);
    expect(await ids('vanthu.xa', 'urgency=urgent')).toEqual([doc.epidemic]);
  });
  it('period on the document date (default) or the arrival date', async () => {
    expect(await ids('vanthu.xa', 'box=incoming&from=2026-01-01&to=2026-01-31')).toEqual([doc.decision]);
    expect(await ids('vanthu.xa', 'box=incoming&from=2026-01-05&to=2026-01-05')).toEqual([doc.decision]);
    expect(await ids('vanthu.xa', 'box=incoming&from=2026-01-06&to=2026-01-06')).toEqual([]);
    expect(await ids('vanthu.xa', 'box=incoming&dateField=arrival&from=2026-01-06&to=2026-01-06')).toEqual([doc.decision]);
    expect(await ids('vanthu.xa', 'box=incoming&dateField=arrival&from=2026-02-01')).toEqual([doc.epidemic]);
  });
  it('overdue (open, due date passed, by the clock of the server) and handler', async () => {
    expect(await ids('vanthu.xa', 'overdue=true')).toEqual([doc.epidemic]);
    expect((await ids('vanthu.xa', 'overdue=false')).includes(doc.epidemic)).toBe(false);
    expect(await ids('vanthu.xa', `handlerId=${user['chuyenvien.xa']}`)).toEqual([doc.handled]);
    expect(await ids('vanthu.xa', `handlerId=${user['vanthu.tinh']}`)).toEqual([]);
  });
  it('a query with nothing searchable lists without a text filter', async () => {
    expect((await list('vanthu.xa', `q=${q('!!!')}&box=outgoing`)).items.map((i) => i.id)).toEqual([doc.secretIssued, doc.draft, doc.outgoing]);
  });
});

describe('pagination', () => {
  let many: string[] = [];
  beforeAll(async () => {
    const base = Date.UTC(2025, 5, 1);
    many = [];
    for (let i = 0; i < 25; i++) {
      many.push(await insertDoc(t.database.db, { unitId: tanAn, createdBy: user['vanthu.xa'], typeCode: 'TB', subject: `Thông báo lịch tiếp công dân số ${i}`, createdAt: new Date(base + i * 1000) }));
    }
  });
  it('pages with page/pageSize and a total', async () => {
    const p1 = await list('vanthu.xa', 'typeCode=TB&pageSize=10');
    const p3 = await list('vanthu.xa', 'typeCode=TB&pageSize=10&page=3');
    expect(p1.total).toBe(25);
    expect(p1.totalExact).toBe(true);
    expect(p1.items.map((i) => i.id)).toEqual([...many].reverse().slice(0, 10));
    expect(p3.items.map((i) => i.id)).toEqual([...many].reverse().slice(20));
    expect(p3.nextCursor).toBeNull();
  });
  it('keyset pagination in date order visits every document once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let rounds = 0;
    do {
      const r = await list('vanthu.xa', `typeCode=TB&pageSize=10${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...r.items.map((i) => i.id));
      cursor = r.nextCursor;
      rounds++;
    } while (cursor && rounds < 10);
    expect(rounds).toBe(3);
    expect(seen).toEqual([...many].reverse());
  });
  it('keyset pagination of a text search in date order', async () => {
    const a = await list('vanthu.xa', `q=${q('tiep cong dan')}&sort=date&pageSize=20`);
    expect(a.items).toHaveLength(20);
    const b = await list('vanthu.xa', `q=${q('tiep cong dan')}&sort=date&pageSize=20&cursor=${a.nextCursor}`);
    expect(b.items.map((i) => i.id)).toEqual([...many].reverse().slice(20));
    expect(b.nextCursor).toBeNull();
  });
});

describe('a reader of many units (the wide-reader plans: one ordered scan, no unit tokens)', () => {
  it('a leader over the whole province lists and searches exactly what the read rule gives', async () => {
    const db = t.database.db;
    const [root] = await queryRows<{ id: string; path: string }>(db, sql`SELECT id, path FROM units WHERE parent_id IS NULL`);
    // 70 more communes: the province subtree now holds 80 units (> MANY_UNITS and > UNIT_TOKEN_LIMIT).
    for (let i = 0; i < 70; i++) {
      const id = newId();
      await queryRows(db, sql`INSERT INTO units (id, parent_id, path, depth, level, kind, name, short_name) VALUES (${id}, ${root.id}, ${`${root.path}${id}/`}, 1, 'commune', 'people_committee', ${`Xã Thử ${i}`}, 'UBND')`);
    }
    const p: Principal = { userId: newId(), kind: 'official', username: 'chutich.tinh', fullName: 'Chủ tịch', unitId: root.id, roles: [{ unitId: root.id, unitPath: root.path, role: 'leader' }] };
    const units = await unitIdsFor(db, p, 'document.read');
    expect(units.length).toBeGreaterThan(64);
    const expected = (await queryRows<{ id: string }>(db, sql`SELECT d.id FROM documents d WHERE ${readCondition(p, units)} ORDER BY d.created_at DESC, d.id DESC`)).map((r) => r.id);
    const now = new Date('2026-03-10T02:00:00Z');
    const page = await searchDocuments(db, p, { box: 'all', pageSize: 200 }, now);
    expect(page.items.map((i) => i.id)).toEqual(expected);
    expect(page.items.map((i) => i.id)).toContain(doc.phuLoc);
    expect(page.items.map((i) => i.id)).not.toContain(doc.secret); // secret: not presented to this leader
    const found = await searchDocuments(db, p, { box: 'all', q: 'quyet dinh khai sinh' }, now);
    expect(found.items.map((i) => i.id).sort()).toEqual([doc.decision, doc.phuLoc].sort());
    const prefixOnly = await searchDocuments(db, p, { box: 'incoming', q: 'khai' }, now);
    expect(prefixOnly.items.map((i) => i.id).sort()).toEqual([doc.decision, doc.phuLoc].sort());
    // Enough matches among the newest documents: the page comes from them (here they are all of them).
    const all = (await searchDocuments(db, p, { box: 'all', q: 'khai sinh', pageSize: 200 }, now)).items.map((i) => i.id);
    const first = await searchDocuments(db, p, { box: 'all', q: 'khai sinh', pageSize: 1 }, now);
    expect(first.items.map((i) => i.id)).toEqual(all.slice(0, 1));
    expect(first.total).toBe(all.length);
    expect(first.totalExact).toBe(true);
    // With the planner's word statistics, the rare-word path chooses what GIN expands.
    await queryRows(db, sql`ANALYZE documents`);
    expect((await searchDocuments(db, p, { box: 'all', q: 'quyet dinh khai sinh' }, now)).items.map((i) => i.id).sort()).toEqual([doc.decision, doc.phuLoc].sort());
  });
});

describe('bad input → 400 problem with the failing fields', () => {
  const cases: [string, string][] = [
    ['from=2026-02-30', 'query.from'],
    ['to=05/01/2026', 'query.to'],
    ['from=2026-03-01&to=2026-02-01', 'query.to'],
    ['box=trash', 'query.box'],
    ['pageSize=500', 'query.pageSize'],
    ['page=0', 'query.page'],
    ['status=lost', 'query.status'],
    ['urgency=soon', 'query.urgency'],
    ['handlerId=42', 'query.handlerId'],
    ['overdue=maybe', 'query.overdue'],
    ['sort=random', 'query.sort'],
    ['box=incoming&state=overdue', 'query.state'],
    ['cursor=not-a-cursor', 'query.cursor'],
    [`cursor=${Buffer.from('{"k":"d","t":"x","i":"y"}').toString('base64url')}`, 'query.cursor'],
    [`cursor=${Buffer.from(JSON.stringify({ k: 'd', t: '2026-02-31 10:00:00+00', i: '01900000-0000-7000-8000-000000000000' })).toString('base64url')}`, 'query.cursor'],
    [`cursor=${Buffer.from(JSON.stringify({ k: 'a', u: true, t: '2026-02-01 10:00:00+00', i: '01900000-0000-7000-8000-000000000000' })).toString('base64url')}`, 'query.cursor'],
    [`q=${'a'.repeat(201)}`, 'query.q'],
  ];
  for (const [query, field] of cases) {
    it(`${query.slice(0, 60)} → ${field}`, async () => {
      const res = await get('vanthu.xa', `/api/documents?${query}`);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const body = res.json();
      expect(body.title).toBe('Dữ liệu không hợp lệ');
      expect(body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });
  }
  it('401 without a session', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/documents' })).statusCode).toBe(401);
  });
});

describe('saved searches', () => {
  const post = (who: string, payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/api/saved-searches', headers: bearer(token[who]), payload });
  it('saves, lists only the owner’s, refuses duplicates and bad queries, deletes', async () => {
    const created = await post('vanthu.xa', { name: 'Quyết định khai sinh', query: { box: 'incoming', q: 'khai sinh', typeCode: 'QD', overdue: false } });
    expect(created.statusCode, created.body).toBe(201);
    const s = created.json();
    expect(s.query).toEqual({ box: 'incoming', q: 'khai sinh', typeCode: 'QD', overdue: false });

    const mine = (await get('vanthu.xa', '/api/saved-searches')).json().items;
    expect(mine.map((x: { id: string }) => x.id)).toEqual([s.id]);
    expect((await get('vanthu.xa2', '/api/saved-searches')).json().items).toEqual([]);

    expect((await post('vanthu.xa', { name: 'quyết định khai sinh', query: { box: 'all' } })).statusCode).toBe(409);
    const bad = await post('vanthu.xa', { name: 'Sai', query: { box: 'all', from: '2026-03-01', to: '2026-01-01' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toContain('query.to');
    const unknown = await post('vanthu.xa', { name: 'Lạ', query: { box: 'all', page: 3 } });
    expect(unknown.statusCode).toBe(400);
    expect((await post('vanthu.xa', { name: '', query: { box: 'all' } })).statusCode).toBe(400);

    // Another person cannot delete it: 404, and it stays.
    const foreign = await t.app.inject({ method: 'DELETE', url: `/api/saved-searches/${s.id}`, headers: bearer(token['vanthu.xa2']) });
    expect(foreign.statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url: '/api/saved-searches/not-an-id', headers: bearer(token['vanthu.xa']) })).statusCode).toBe(404);
    const del = await t.app.inject({ method: 'DELETE', url: `/api/saved-searches/${s.id}`, headers: bearer(token['vanthu.xa']) });
    expect(del.statusCode).toBe(204);
    expect((await get('vanthu.xa', '/api/saved-searches')).json().items).toEqual([]);
  });
});

async function principalOf(username: string): Promise<Principal> {
  const rows = await queryRows<{ id: string; full_name: string; unit_id: string; path: string; role: Role }>(
    t.database.db,
    sql`SELECT u.id, u.full_name, r.unit_id, un.path, r.role FROM users u JOIN role_assignments r ON r.user_id = u.id JOIN units un ON un.id = r.unit_id WHERE u.username = ${username}`,
  );
  return { userId: rows[0].id, kind: 'official', username, fullName: rows[0].full_name, unitId: rows[0].unit_id, roles: rows.map((r) => ({ unitId: r.unit_id, unitPath: r.path, role: r.role })) };
}

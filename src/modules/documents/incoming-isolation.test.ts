import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../core/db/index.js';
import { newId } from '../../core/ids/index.js';
import { bearer, createTestApp, type TestContext } from '../../test/harness.js';
import { api, daysFrom, incomingBody, registerDoc, samplePdf, upload } from './incoming-testkit.js';

/**
 * "A commune's clerk and specialist cannot read or change the other commune's incoming documents through
 * any endpoint of the incoming flow." vanthu.xa and chuyenvien.xa (Tân An) against Phú Lộc's documents,
 * books, people and files; every operation of the flow is a line below, and a guard checks the OpenAPI
 * document so that none is renamed away from its probe. Then: a specialist does not see the unit's
 * documents that are not assigned to them.
 */

let t: TestContext;
const now = new Date();
const NIL = '01900000-0000-7000-8000-000000000000';
type Ids = {
  phuLoc: string; phuLocDoc: string; phuLocRegistered: string; phuLocOutgoing: string; phuLocFile: string; phuLocBook: string; phuLocLeader: string; clerk2: string;
  ownDoc: string; ownAssigned: string; tanAn: string;
};
let x: Ids;
let tokens: { clerk: string; specialist: string };

beforeAll(async () => {
  t = await createTestApp();
  const phuLoc = await t.unitId('000.02.31.H99');
  const tanAn = await t.unitId('000.01.31.H99');
  const admin = api(t, await t.login('admin'));
  const created = await admin.post('/api/officials', { username: 'lanhdao.xa2', fullName: 'Trương Văn Lộc', unitId: phuLoc, password: 'LanhDaoXa2#2026', roles: [{ unitId: phuLoc, role: 'leader' }] });
  expect(created.statusCode, created.body).toBe(201);
  const clerk2Token = await t.login('vanthu.xa2');
  const clerk2 = api(t, clerk2Token);
  const leader2 = api(t, await t.login('lanhdao.xa2', 'LanhDaoXa2#2026'));
  const phuLocLeader = await t.userId('lanhdao.xa2');
  const file = await upload(t, clerk2Token, await samplePdf(2), 'van-ban-phu-loc.pdf');
  const doc = await registerDoc(clerk2, now, { fileIds: [file], subject: 'Phú Lộc: kế hoạch phòng chống thiên tai', codeNumber: 4242, codeNotation: 'UBND-PL' });
  expect((await clerk2.post(`/api/documents/${doc.id}/present`, { leaderId: phuLocLeader })).statusCode).toBe(200);
  expect((await leader2.post(`/api/documents/${doc.id}/assign`, { leadUserId: phuLocLeader, instruction: 'Tự chủ trì.' })).statusCode).toBe(200);
  const registered = await registerDoc(clerk2, now, { subject: 'Phú Lộc: giấy mời họp' });
  const outgoing = newId();
  await t.database.db.execute(sql`INSERT INTO documents (id, unit_id, direction, status, type_code, subject, issuer_name, created_by, created_at, updated_at, search_text)
    VALUES (${outgoing}, ${phuLoc}, 'outgoing', 'draft', 'CV', 'Phú Lộc: dự thảo', 'UBND xã Phú Lộc', ${await t.userId('vanthu.xa2')}, now(), now(), 'du thao')`);
  const [book] = await queryRows<{ id: string }>(t.database.db, sql`SELECT id FROM register_books WHERE unit_id = ${phuLoc}`);

  tokens = { clerk: await t.login('vanthu.xa'), specialist: await t.login('chuyenvien.xa') };
  const clerk = api(t, tokens.clerk);
  const leader = api(t, await t.login('lanhdao.xa'));
  const own = await registerDoc(clerk, now);
  const ownAssigned = await registerDoc(clerk, now);
  expect((await leader.post(`/api/documents/${ownAssigned.id}/assign`, { leadUserId: await t.userId('chuyenvien.xa'), instruction: 'Xử lý.' })).statusCode).toBe(200);
  x = {
    phuLoc, phuLocDoc: doc.id, phuLocRegistered: registered.id, phuLocOutgoing: outgoing, phuLocFile: file, phuLocBook: book.id, phuLocLeader, clerk2: await t.userId('vanthu.xa2'),
    ownDoc: own.id, ownAssigned: ownAssigned.id, tanAn,
  };
});
afterAll(() => t.close());

type Method = 'GET' | 'POST';
type Probe = { op: string; what: string; url: (x: Ids) => string; body?: (x: Ids) => unknown; as?: 'clerk' | 'specialist' };

const dupQuery = (x: Ids, unitId?: string) =>
  `/api/documents/incoming/duplicates?${new URLSearchParams({ ...(unitId ? { unitId } : {}), issuer: 'Sở Nội vụ tỉnh Thái Hòa', codeNumber: '4242', codeNotation: 'UBND-PL', issuedDate: daysFrom(now, -3) })}`;

/** Phú Lộc's objects (and unknown ids, which must answer the same). Each probe runs as both Tân An users unless `as` says. */
const AGAINST_PHU_LOC: Probe[] = [
  { op: 'GET /api/documents/{id}', what: 'read its assigned document', url: (x) => `/api/documents/${x.phuLocDoc}` },
  { op: 'GET /api/documents/{id}', what: 'read its registered document', url: (x) => `/api/documents/${x.phuLocRegistered}` },
  { op: 'GET /api/documents/{id}', what: 'read its outgoing draft', url: (x) => `/api/documents/${x.phuLocOutgoing}` },
  { op: 'GET /api/documents/{id}', what: 'read an unknown document', url: () => `/api/documents/${NIL}` },
  { op: 'POST /api/documents/{id}/present', what: 'present its document', url: (x) => `/api/documents/${x.phuLocRegistered}/present`, body: (x) => ({ leaderId: x.phuLocLeader }) },
  { op: 'POST /api/documents/{id}/assign', what: 'assign its document', url: (x) => `/api/documents/${x.phuLocDoc}/assign`, body: (x) => ({ leadUserId: x.clerk2, instruction: 'Chiếm quyền' }) },
  { op: 'POST /api/documents/{id}/progress', what: 'record progress on it', url: (x) => `/api/documents/${x.phuLocDoc}/progress`, body: () => ({ note: 'x' }) },
  { op: 'POST /api/documents/{id}/return', what: 'return it', url: (x) => `/api/documents/${x.phuLocDoc}/return`, body: () => ({ reason: 'x' }) },
  { op: 'POST /api/documents/{id}/return', what: 'return its outgoing draft', url: (x) => `/api/documents/${x.phuLocOutgoing}/return`, body: () => ({ reason: 'x' }) },
  { op: 'POST /api/documents/{id}/handover', what: 'hand it over', url: (x) => `/api/documents/${x.phuLocDoc}/handover`, body: (x) => ({ toUserId: x.clerk2 }) },
  { op: 'POST /api/documents/{id}/forward', what: 'forward it', url: (x) => `/api/documents/${x.phuLocDoc}/forward`, body: (x) => ({ unitId: x.phuLoc }) },
  { op: 'POST /api/documents/{id}/complete', what: 'complete it', url: (x) => `/api/documents/${x.phuLocDoc}/complete`, body: () => ({ note: 'x' }) },
  { op: 'POST /api/documents/{id}/unread', what: 'mark it unread', url: (x) => `/api/documents/${x.phuLocDoc}/unread`, body: () => ({}) },
  { op: 'POST /api/documents/incoming', what: 'register into its books', url: () => '/api/documents/incoming', body: (x) => incomingBody(now, { unitId: x.phuLoc }) },
  { op: 'GET /api/documents/incoming/duplicates', what: 'probe its documents for duplicates', url: (x) => dupQuery(x, x.phuLoc), as: 'clerk' },
  { op: 'GET /api/register-books', what: 'read its books', url: (x) => `/api/register-books?unitId=${x.phuLoc}` },
  { op: 'GET /api/officials/handlers', what: 'list its handlers', url: (x) => `/api/officials/handlers?unitId=${x.phuLoc}` },
  { op: 'GET /api/officials/handlers', what: 'list its leaders', url: (x) => `/api/officials/handlers?unitId=${x.phuLoc}&role=leader` },
  { op: 'GET /api/files/{id}', what: 'download its document’s file', url: (x) => `/api/files/${x.phuLocFile}` },
  // Its ids named inside Tân An's own requests
  { op: 'POST /api/documents/{id}/present', what: 'present an own document to its leader', url: (x) => `/api/documents/${x.ownDoc}/present`, body: (x) => ({ leaderId: x.phuLocLeader }), as: 'clerk' },
  { op: 'POST /api/documents/incoming', what: 'register with its file', url: () => '/api/documents/incoming', body: (x) => incomingBody(now, { fileIds: [x.phuLocFile] }), as: 'clerk' },
  { op: 'POST /api/documents/incoming', what: 'register into its book', url: () => '/api/documents/incoming', body: (x) => incomingBody(now, { bookId: x.phuLocBook }), as: 'clerk' },
  { op: 'POST /api/documents/{id}/handover', what: 'hand an own item over to its clerk', url: (x) => `/api/documents/${x.ownAssigned}/handover`, body: (x) => ({ toUserId: x.clerk2 }), as: 'specialist' },
  { op: 'POST /api/documents/{id}/forward', what: 'forward an own item to it', url: (x) => `/api/documents/${x.ownAssigned}/forward`, body: (x) => ({ unitId: x.phuLoc }), as: 'specialist' },
  { op: 'POST /api/documents/{id}/complete', what: 'link its outgoing document as the reply', url: (x) => `/api/documents/${x.ownAssigned}/complete`, body: (x) => ({ note: 'x', replyDocumentId: x.phuLocOutgoing }), as: 'specialist' },
];

/** Operations of the incoming flow that hold no other unit's object: reference data. The agency list is the
 * province's published list of agency identifiers (names and codes only), the issuer picker of the form. */
const NOT_OBJECT_BOUND = ['GET /api/document-types', 'GET /api/document-agencies'];
const INCOMING_OPS = [
  'POST /api/documents/incoming', 'GET /api/documents/incoming/duplicates', 'GET /api/register-books', 'GET /api/officials/handlers',
  'POST /api/documents/{id}/present', 'POST /api/documents/{id}/assign', 'POST /api/documents/{id}/progress', 'POST /api/documents/{id}/return',
  'POST /api/documents/{id}/handover', 'POST /api/documents/{id}/forward', 'POST /api/documents/{id}/complete', 'POST /api/documents/{id}/unread',
  ...NOT_OBJECT_BOUND,
];

const send = (token: string, probe: Probe) =>
  t.app.inject({ method: probe.op.split(' ')[0] as Method, url: probe.url(x), headers: bearer(token), ...(probe.body ? { payload: probe.body(x) as object } : {}) });

/** Everything of Phú Lộc's documents a write could touch, as stored. */
async function phuLocSnapshot() {
  const db = t.database.db;
  const docs = sql`(SELECT id FROM documents WHERE unit_id = ${x.phuLoc})`;
  return {
    documents: await queryRows(db, sql`SELECT * FROM documents WHERE unit_id = ${x.phuLoc} ORDER BY id`),
    assignments: await queryRows(db, sql`SELECT * FROM assignments WHERE document_id IN ${docs} ORDER BY id`),
    events: await queryRows(db, sql`SELECT * FROM document_events WHERE document_id IN ${docs} ORDER BY id`),
    files: await queryRows(db, sql`SELECT * FROM document_files WHERE document_id IN ${docs} ORDER BY id`),
    reads: await queryRows(db, sql`SELECT * FROM document_reads WHERE document_id IN ${docs} ORDER BY user_id, document_id`),
    counters: await queryRows(db, sql`SELECT c.* FROM register_counters c JOIN register_books b ON b.id = c.book_id WHERE b.unit_id = ${x.phuLoc} ORDER BY c.book_id`),
  };
}

describe.each(['clerk', 'specialist'] as const)('%s of Tân An against Phú Lộc', (who) => {
  let before: Awaited<ReturnType<typeof phuLocSnapshot>>;
  let auditBefore: number;
  const actorAudit = async () => (await queryRows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE actor_id IN (SELECT id FROM users WHERE username IN ('vanthu.xa', 'chuyenvien.xa'))`))[0].n;
  beforeAll(async () => {
    before = await phuLocSnapshot();
    auditBefore = await actorAudit();
  });

  const probes = AGAINST_PHU_LOC.filter((p) => !p.as || p.as === who);
  it.each(probes)('$op — $what → 404, naming nothing of Phú Lộc', async (probe) => {
    const res = await send(tokens[who], probe);
    expect(res.statusCode, res.body).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 404, title: 'Không tìm thấy' });
    expect(res.body).not.toMatch(/Phú Lộc|vanthu\.xa2|lanhdao\.xa2|Bùi Thị Mai|Trương Văn Lộc|4242/);
  });

  it('lists never show Phú Lộc’s books, documents or people', async () => {
    const a = api(t, tokens[who]);
    const books = (await a.get('/api/register-books?pageSize=200')).json().items as { unitId: string }[];
    expect(books.every((b) => b.unitId !== x.phuLoc)).toBe(true);
    if (who === 'clerk') {
      expect(books.length).toBeGreaterThan(0); // not vacuous: Tân An's own books are there
      expect((await a.get(dupQuery(x))).json().duplicates).toEqual([]);
      const leaders = await a.get(`/api/officials/handlers?unitId=${x.tanAn}&role=leader`);
      expect(leaders.statusCode).toBe(200);
      expect(leaders.body).not.toMatch(/Trương Văn Lộc|Bùi Thị Mai/);
    }
  });

  it('changed nothing of Phú Lộc and left no audit record', async () => {
    expect(await phuLocSnapshot()).toEqual(before);
    expect(await actorAudit()).toBe(auditBefore);
  });
});

describe('the probes are real', () => {
  it('Phú Lộc’s own clerk reads the same document and file', async () => {
    const token = await t.login('vanthu.xa2');
    expect((await t.app.inject({ method: 'GET', url: `/api/documents/${x.phuLocDoc}`, headers: bearer(token) })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: `/api/files/${x.phuLocFile}`, headers: bearer(token) })).statusCode).toBe(200);
  });

  it('every operation of the incoming flow exists in the OpenAPI document and has a probe', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    const published = new Set(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)));
    for (const op of INCOMING_OPS) expect(published, op).toContain(op);
    const probed = new Set([...AGAINST_PHU_LOC.map((p) => p.op), ...NOT_OBJECT_BOUND]);
    for (const op of INCOMING_OPS) expect(probed, op).toContain(op);
  });
});

describe('a specialist and the unit’s documents', () => {
  it('cannot read or act on a document of the unit that is not assigned to them; can once assigned; cannot after re-assignment', async () => {
    const clerk = api(t, tokens.clerk);
    const leader = api(t, await t.login('lanhdao.xa'));
    const specialist = api(t, tokens.specialist);
    const { id } = await registerDoc(clerk, now);
    expect((await clerk.post(`/api/documents/${id}/present`, { leaderId: await t.userId('lanhdao.xa') })).statusCode).toBe(200);
    const tries: [string, unknown][] = [['progress', { note: 'x' }], ['return', { reason: 'x' }], ['complete', { note: 'x' }], ['unread', {}], ['handover', { toUserId: await t.userId('motcua.xa') }]];
    const hidden = async () => {
      expect((await specialist.get(`/api/documents/${id}`)).statusCode).toBe(404);
      for (const [op, body] of tries) expect((await specialist.post(`/api/documents/${id}/${op}`, body)).statusCode, op).toBe(404);
    };
    await hidden();
    expect((await leader.post(`/api/documents/${id}/assign`, { leadUserId: await t.userId('chuyenvien.xa'), instruction: 'Xử lý.' })).statusCode).toBe(200);
    expect((await specialist.get(`/api/documents/${id}`)).statusCode).toBe(200);
    expect((await leader.post(`/api/documents/${id}/assign`, { leadUserId: await t.userId('motcua.xa'), instruction: 'Giao lại.' })).statusCode).toBe(200);
    await hidden();
  });
});

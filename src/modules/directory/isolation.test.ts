import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../core/db/index.js';
import { bearer, createTestApp, type TestContext } from '../../test/harness.js';

/**
 * "A commune clerk cannot read or change the other commune's objects through any endpoint that exists."
 * vanthu.xa (clerk of Tân An) against Phú Lộc's units and its clerk vanthu.xa2. Every endpoint is one
 * line of the table below; a guard checks the OpenAPI document so that a new directory or
 * administration endpoint cannot be added without a line here.
 */

let t: TestContext;
let clerk: string; // vanthu.xa, Tân An
let citizen: string; // congdan
let ids: Ids;
type Ids = { tanAn: string; phuLoc: string; phuLocOffice: string; phuLocDesk: string; xa2: string; xa: string; phuLocPath: string };

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
type Probe = {
  /** the OpenAPI operation, `METHOD /path/{id}` */
  op: string;
  what: string;
  url: (x: Ids) => string;
  body?: (x: Ids) => unknown;
  /** accepted status codes: 404 hides existence; 400/403 only where the code refuses before looking */
  status: number[];
};

const NIL = '01900000-0000-7000-8000-000000000000';
const op = (o: string) => ({ method: o.split(' ')[0] as Method });

/** Phú Lộc's objects, as vanthu.xa of Tân An tries them. */
const AGAINST_PHU_LOC: Probe[] = [
  { op: 'GET /api/units/{id}', what: 'read the commune', url: (x) => `/api/units/${x.phuLoc}`, status: [404] },
  { op: 'GET /api/units/{id}', what: 'read its office', url: (x) => `/api/units/${x.phuLocOffice}`, status: [404] },
  { op: 'PATCH /api/units/{id}', what: 'rename the commune', url: (x) => `/api/units/${x.phuLoc}`, body: () => ({ name: 'Đã bị sửa' }), status: [404] },
  { op: 'PATCH /api/units/{id}', what: 'deactivate its desk', url: (x) => `/api/units/${x.phuLocDesk}`, body: () => ({ active: false }), status: [404] },
  { op: 'PATCH /api/units/{id}', what: 'move its office under Tân An', url: (x) => `/api/units/${x.phuLocOffice}`, body: (x) => ({ parentId: x.tanAn }), status: [404] },
  { op: 'DELETE /api/units/{id}', what: 'delete its desk', url: (x) => `/api/units/${x.phuLocDesk}`, status: [404] },
  { op: 'POST /api/units', what: 'create a unit under it', url: () => '/api/units', body: (x) => ({ parentId: x.phuLoc, level: 'commune', kind: 'division', name: 'Phòng lấn sang', shortName: 'LS' }), status: [404] },
  { op: 'GET /api/officials/{id}', what: 'read its clerk', url: (x) => `/api/officials/${x.xa2}`, status: [404] },
  { op: 'PATCH /api/officials/{id}', what: 'rename its clerk', url: (x) => `/api/officials/${x.xa2}`, body: () => ({ fullName: 'Đã bị sửa' }), status: [404] },
  { op: 'PATCH /api/officials/{id}', what: 'deactivate its clerk', url: (x) => `/api/officials/${x.xa2}`, body: () => ({ active: false }), status: [404] },
  { op: 'PATCH /api/officials/{id}', what: 'move its clerk to Tân An', url: (x) => `/api/officials/${x.xa2}`, body: (x) => ({ unitId: x.tanAn }), status: [404] },
  { op: 'PUT /api/officials/{id}/roles', what: 'change its clerk’s roles', url: (x) => `/api/officials/${x.xa2}/roles`, body: (x) => ({ roles: [{ unitId: x.tanAn, role: 'clerk' }] }), status: [404] },
  { op: 'POST /api/officials/{id}/password', what: 'reset its clerk’s password', url: (x) => `/api/officials/${x.xa2}/password`, body: () => ({ newPassword: 'ChiemQuyen#2026' }), status: [404] },
  { op: 'POST /api/officials', what: 'create an official in it', url: () => '/api/officials', body: (x) => ({ username: 'lan.sang', fullName: 'Lấn Sang', unitId: x.phuLoc, password: 'LanSang#2026ab', roles: [{ unitId: x.phuLoc, role: 'leader' }] }), status: [400, 404] },
  { op: 'GET /api/audit', what: 'read the audit log', url: () => '/api/audit', status: [404] },
  { op: 'GET /api/audit', what: 'read the audit of its clerk', url: (x) => `/api/audit?objectId=${x.xa2}`, status: [404] },
  { op: 'GET /api/audit/verify', what: 'verify the audit chain', url: () => '/api/audit/verify', status: [404] },
  { op: 'GET /api/admin/security', what: 'read security settings', url: () => '/api/admin/security', status: [404] },
  { op: 'PUT /api/admin/security', what: 'change security settings', url: () => '/api/admin/security', body: () => ({ requireTwoFactorRoles: ['clerk'] }), status: [404] },
  { op: 'GET /api/admin/outbox', what: 'read the outbox (mail of every unit)', url: () => '/api/admin/outbox', status: [404] },
  { op: 'POST /api/admin/outbox/{id}/retry', what: 'retry a queued mail', url: () => `/api/admin/outbox/${NIL}/retry`, status: [404] },
  { op: 'GET /api/citizens', what: 'list citizens', url: () => '/api/citizens', status: [404] },
  { op: 'POST /api/citizens', what: 'create a citizen', url: () => '/api/citizens', body: () => ({ username: 'cong.dan.gia', fullName: 'Công Dân Giả', idNumber: '001090099999', password: 'CongDan#2026ab' }), status: [404] },
  { op: 'POST /api/directory/import', what: 'import into the directory', url: () => '/api/directory/import', body: () => ({}), status: [404] },
  // Unknown ids answer like other communes' ids: existence is not revealed.
  { op: 'GET /api/units/{id}', what: 'read an unknown unit', url: () => `/api/units/${NIL}`, status: [404] },
  { op: 'GET /api/officials/{id}', what: 'read an unknown official', url: () => `/api/officials/${NIL}`, status: [404] },
];

/** Lists: answer 200 but never contain Phú Lộc's units or officials. */
const LISTS: { op: string; url: (x: Ids) => string }[] = [
  { op: 'GET /api/units', url: () => '/api/units?includeInactive=true' },
  { op: 'GET /api/officials', url: () => '/api/officials?pageSize=200&includeInactive=true' },
  { op: 'GET /api/officials', url: (x) => `/api/officials?unitId=${x.phuLoc}` },
  { op: 'GET /api/officials', url: () => '/api/officials?q=xa2' },
  { op: 'GET /api/officials', url: () => `/api/officials?q=${encodeURIComponent('Phú Lộc')}&includeInactive=true` },
];

/** Endpoints that hold no other commune's object (one's own session, a blank template). */
const NOT_OBJECT_BOUND = ['GET /api/directory/import/template'];

beforeAll(async () => {
  t = await createTestApp();
  clerk = await t.login('vanthu.xa');
  citizen = await t.login('congdan');
  const phuLoc = await t.unitId('000.02.31.H99');
  ids = {
    tanAn: await t.unitId('000.01.31.H99'),
    phuLoc,
    phuLocOffice: await t.unitId('001.02.31.H99'),
    phuLocDesk: await t.unitId('002.02.31.H99'),
    xa2: await t.userId('vanthu.xa2'),
    xa: await t.userId('vanthu.xa'),
    phuLocPath: (await queryRows<{ path: string }>(t.database.db, sql`SELECT path FROM units WHERE id = ${phuLoc}`))[0].path,
  };
});
afterAll(() => t.close());

const send = (token: string, probe: { op: string; url: (x: Ids) => string; body?: (x: Ids) => unknown }) =>
  t.app.inject({ method: op(probe.op).method, url: probe.url(ids), headers: bearer(token), ...(probe.body ? { payload: probe.body(ids) as object } : {}) });

/** Everything of Phú Lộc that a write could touch, as stored. */
async function phuLocSnapshot() {
  const db = t.database.db;
  const like = `${ids.phuLocPath}%`;
  return {
    units: await queryRows(db, sql`SELECT * FROM units WHERE path LIKE ${like} ORDER BY id`),
    officials: await queryRows(db, sql`SELECT u.*, o.* FROM users u JOIN officials o ON o.user_id = u.id JOIN units un ON un.id = o.unit_id WHERE un.path LIKE ${like} ORDER BY u.id`),
    roles: await queryRows(db, sql`SELECT ra.* FROM role_assignments ra JOIN units un ON un.id = ra.unit_id WHERE un.path LIKE ${like} ORDER BY ra.user_id, ra.role`),
    sessions: await queryRows(db, sql`SELECT id FROM sessions WHERE user_id = ${ids.xa2} ORDER BY id`),
    counts: await queryRows(db, sql`SELECT (SELECT count(*)::int FROM units) AS units, (SELECT count(*)::int FROM users) AS users, (SELECT count(*)::int FROM role_assignments) AS roles, (SELECT count(*)::int FROM settings) AS settings`),
  };
}

describe('vanthu.xa (Tân An) against Phú Lộc', () => {
  let before: Awaited<ReturnType<typeof phuLocSnapshot>>;
  beforeAll(async () => {
    await t.login('vanthu.xa2'); // a live session of Phú Lộc's clerk that must survive
    before = await phuLocSnapshot();
  });

  it.each(AGAINST_PHU_LOC)('$op — $what → $status', async (probe) => {
    const res = await send(clerk, probe);
    expect(probe.status, res.body).toContain(res.statusCode);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json();
    expect(body.status).toBe(res.statusCode);
    // the answer names nothing of Phú Lộc
    expect(res.body).not.toMatch(/Phú Lộc|vanthu\.xa2|Bùi Thị Mai/);
    if (res.statusCode === 404) expect(body.title).toBe('Không tìm thấy');
  });

  it.each(LISTS)('$op ($url) never lists Phú Lộc', async (list) => {
    const res = await send(clerk, list);
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { id: string; unitId?: string; parentId?: string | null }[];
    const phuLocUnits = [ids.phuLoc, ids.phuLocOffice, ids.phuLocDesk];
    for (const item of items) {
      expect(phuLocUnits).not.toContain(item.id);
      expect(item.id).not.toBe(ids.xa2);
      if (item.unitId) expect(phuLocUnits).not.toContain(item.unitId);
    }
    expect(res.body).not.toMatch(/Phú Lộc|vanthu\.xa2/);
  });

  it('still sees its own commune through the same lists (the probes are not vacuous)', async () => {
    const units = (await send(clerk, LISTS[0])).json().items.map((u: { id: string }) => u.id);
    expect(units).toContain(ids.tanAn);
    const officials = (await send(clerk, LISTS[1])).json().items.map((o: { id: string }) => o.id);
    expect(officials).toContain(ids.xa);
    expect((await t.app.inject({ method: 'GET', url: `/api/units/${ids.tanAn}`, headers: bearer(clerk) })).statusCode).toBe(200);
  });

  it('the same reads succeed for the system admin (the ids are real)', async () => {
    const admin = await t.login('admin');
    for (const url of [`/api/units/${ids.phuLoc}`, `/api/units/${ids.phuLocOffice}`, `/api/officials/${ids.xa2}`]) {
      expect((await t.app.inject({ method: 'GET', url, headers: bearer(admin) })).statusCode).toBe(200);
    }
  });

  it('changed nothing of Phú Lộc in the database, and left no audit record but the sign-in', async () => {
    expect(await phuLocSnapshot()).toEqual(before);
    const actions = await queryRows<{ action: string }>(t.database.db, sql`SELECT DISTINCT action FROM audit_log WHERE actor_id = ${ids.xa}`);
    expect(actions.map((a) => a.action)).toEqual(['auth.login']);
    await t.login('vanthu.xa2');
  });
});

describe('a citizen token on official endpoints', () => {
  const OFFICIAL_ONLY: Probe[] = [
    { op: 'GET /api/units', what: 'list units', url: () => '/api/units', status: [403] },
    { op: 'GET /api/units/{id}', what: 'read a unit', url: (x) => `/api/units/${x.tanAn}`, status: [403] },
    { op: 'POST /api/units', what: 'create a unit', url: () => '/api/units', body: (x) => ({ parentId: x.tanAn, level: 'commune', kind: 'division', name: 'X', shortName: 'X' }), status: [403] },
    { op: 'PATCH /api/units/{id}', what: 'rename a unit', url: (x) => `/api/units/${x.tanAn}`, body: () => ({ name: 'X' }), status: [403] },
    { op: 'DELETE /api/units/{id}', what: 'delete a unit', url: (x) => `/api/units/${x.phuLocDesk}`, status: [403] },
    { op: 'GET /api/officials', what: 'list officials', url: () => '/api/officials', status: [403] },
    { op: 'GET /api/officials/{id}', what: 'read an official', url: (x) => `/api/officials/${x.xa}`, status: [403] },
    { op: 'POST /api/officials', what: 'create an official', url: () => '/api/officials', body: (x) => ({ username: 'gia.canbo', fullName: 'X', unitId: x.tanAn, password: 'GiaCanBo#2026', roles: [] }), status: [403] },
    { op: 'PATCH /api/officials/{id}', what: 'edit an official', url: (x) => `/api/officials/${x.xa}`, body: () => ({ fullName: 'X' }), status: [403] },
    { op: 'PUT /api/officials/{id}/roles', what: 'change roles', url: (x) => `/api/officials/${x.xa}/roles`, body: () => ({ roles: [] }), status: [403] },
    { op: 'POST /api/officials/{id}/password', what: 'reset a password', url: (x) => `/api/officials/${x.xa}/password`, body: () => ({ newPassword: 'ChiemQuyen#2026' }), status: [403] },
    { op: 'GET /api/citizens', what: 'list citizens', url: () => '/api/citizens', status: [403] },
    { op: 'POST /api/citizens', what: 'create a citizen', url: () => '/api/citizens', body: () => ({ username: 'cong.dan.hai', fullName: 'X', idNumber: '001090099998', password: 'CongDan#2026ab' }), status: [403] },
    { op: 'GET /api/directory/import/template', what: 'download the import template', url: () => '/api/directory/import/template', status: [403] },
    { op: 'POST /api/directory/import', what: 'import', url: () => '/api/directory/import', body: () => ({}), status: [403] },
    { op: 'GET /api/audit', what: 'read the audit log', url: () => '/api/audit', status: [403] },
    { op: 'GET /api/audit/verify', what: 'verify the audit chain', url: () => '/api/audit/verify', status: [403] },
    { op: 'GET /api/admin/security', what: 'read security settings', url: () => '/api/admin/security', status: [403] },
    { op: 'PUT /api/admin/security', what: 'change security settings', url: () => '/api/admin/security', body: () => ({ requireTwoFactorRoles: [] }), status: [403] },
    { op: 'GET /api/admin/outbox', what: 'read the outbox', url: () => '/api/admin/outbox', status: [403] },
    { op: 'POST /api/admin/outbox/{id}/retry', what: 'retry a queued mail', url: () => `/api/admin/outbox/${NIL}/retry`, status: [403] },
  ];

  it.each(OFFICIAL_ONLY)('$op — $what → 403', async (probe) => {
    const counts = await queryRows(t.database.db, sql`SELECT (SELECT count(*)::int FROM units) AS units, (SELECT count(*)::int FROM users) AS users`);
    const res = await send(citizen, probe);
    expect(res.statusCode, res.body).toBe(403);
    expect(res.json()).toMatchObject({ status: 403, detail: 'Chức năng này dành cho cán bộ, công chức.' });
    expect(await queryRows(t.database.db, sql`SELECT (SELECT count(*)::int FROM units) AS units, (SELECT count(*)::int FROM users) AS users`)).toEqual(counts);
  });

  it('covers every directory and administration operation', async () => {
    const covered = new Set(OFFICIAL_ONLY.map((p) => p.op));
    expect(await directoryOperations()).toEqual([...covered].sort());
  });
});

/** Every operation of the directory and administration modules in the OpenAPI document. */
async function directoryOperations(): Promise<string[]> {
  const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, { tags?: string[] }>> };
  const ops: string[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, o] of Object.entries(methods)) {
      if (o.tags?.some((tag) => /\((directory|administration)\)$/.test(tag))) ops.push(`${method.toUpperCase()} ${path}`);
    }
  }
  return ops.sort();
}

describe('the table of cross-commune probes', () => {
  it('names every directory and administration operation (a new endpoint needs one more line)', async () => {
    const covered = new Set([...AGAINST_PHU_LOC.map((p) => p.op), ...LISTS.map((l) => l.op), ...NOT_OBJECT_BOUND]);
    const missing = (await directoryOperations()).filter((o) => !covered.has(o));
    expect(missing).toEqual([]);
  });
});

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../core/db/index.js';
import { bearer, createTestApp, type TestContext } from '../../test/harness.js';

let t: TestContext;
let admin: string;
let vanthuXa: string;
const ALL_CODES = ['000.00.00.H99', '000.00.01.H99', '000.00.02.H99', '000.00.03.H99', '000.01.31.H99', '001.01.31.H99', '002.01.31.H99', '000.02.31.H99', '001.02.31.H99', '002.02.31.H99'];

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  vanthuXa = await t.login('vanthu.xa');
});
afterAll(() => t.close());

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
const call = (token: string, method: Method, url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: bearer(token), ...(payload === undefined ? {} : { payload: payload as object }) });

const unitCount = async () => (await queryRows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM units`))[0].n;
const unitRow = async (id: string) =>
  (await queryRows<{ path: string; depth: number; parent_id: string | null; active: boolean; name: string }>(t.database.db, sql`SELECT path, depth, parent_id, active, name FROM units WHERE id = ${id}`))[0];
const auditOf = async (objectId: string) => {
  const res = await call(admin, 'GET', `/api/audit?objectId=${objectId}&pageSize=50`);
  expect(res.statusCode).toBe(200);
  return res.json().items as { action: string; actorId: string | null; actorName: string | null; unitId: string | null; objectType: string; summary: Record<string, unknown>; requestId: string | null }[];
};

let seq = 0;
/** Creates a unit as admin and returns its JSON. */
async function createUnit(parentId: string | null, extra: Record<string, unknown> = {}) {
  seq += 1;
  const res = await call(admin, 'POST', '/api/units', { parentId, level: 'province', kind: 'division', name: `Phòng thử ${seq}`, shortName: `PT${seq}`, ...extra });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; parentId: string | null; depth: number; active: boolean; name: string };
}

describe('GET /api/units', () => {
  it('shows the system admin all ten demo units, parents before children', async () => {
    const res = await call(admin, 'GET', '/api/units');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { id: string; parentId: string | null; agencyCode: string; depth: number }[];
    expect(items).toHaveLength(10);
    expect(items.map((u) => u.agencyCode).sort()).toEqual([...ALL_CODES].sort());
    const seen = new Set<string>();
    for (const u of items) {
      if (u.parentId) expect(seen.has(u.parentId)).toBe(true);
      seen.add(u.id);
    }
    const root = items.find((u) => u.agencyCode === '000.00.00.H99')!;
    expect(root).toMatchObject({ parentId: null, depth: 0, level: 'province', kind: 'people_committee', name: 'Ủy ban nhân dân tỉnh Thái Hòa', shortName: 'UBND', active: true });
    expect(root).not.toHaveProperty('path');
  });

  it('shows a commune clerk exactly the commune and its two children', async () => {
    const res = await call(vanthuXa, 'GET', '/api/units');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { agencyCode: string; parentId: string | null; depth: number }[];
    expect(items.map((u) => u.agencyCode).sort()).toEqual(['000.01.31.H99', '001.01.31.H99', '002.01.31.H99']);
    const tanAn = await t.unitId('000.01.31.H99');
    expect(items.filter((u) => u.parentId === tanAn)).toHaveLength(2);
  });

  it('shows the provincial clerk only the provincial office where the role is held', async () => {
    const res = await call(await t.login('vanthu.tinh'), 'GET', '/api/units');
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((u: { agencyCode: string }) => u.agencyCode)).toEqual(['000.00.01.H99']);
  });

  it('requires sign-in and refuses citizens', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/units' })).statusCode).toBe(401);
    const res = await call(await t.login('congdan'), 'GET', '/api/units');
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});

describe('GET /api/units/{id}', () => {
  it('returns one unit in scope', async () => {
    const id = await t.unitId('002.01.31.H99');
    const res = await call(vanthuXa, 'GET', `/api/units/${id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id, parentId: await t.unitId('000.01.31.H99'), depth: 2, kind: 'onestop_desk', name: 'Bộ phận Một cửa xã Tân An', agencyCode: '002.01.31.H99', active: true });
  });

  it('answers 404 problem for unknown, malformed and out-of-scope ids', async () => {
    for (const id of ['01900000-0000-7000-8000-000000000000', 'not-a-uuid', await t.unitId('000.00.00.H99')]) {
      const res = await call(vanthuXa, 'GET', `/api/units/${id}`);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ status: 404, title: 'Không tìm thấy' });
    }
  });
});

describe('POST /api/units', () => {
  it('creates a unit under a parent with the right depth and path, and audits it', async () => {
    const parentId = await t.unitId('000.00.02.H99');
    const res = await call(admin, 'POST', '/api/units', {
      parentId,
      level: 'province',
      kind: 'division',
      name: '  Phòng Tổ chức – Biên chế  ',
      shortName: 'TCBC',
      agencyCode: '001.00.02.H99',
      address: 'Số 2 đường Trung tâm',
      phone: '0200 3800 222',
      email: 'tcbc@thaihoa.gov.vn',
    });
    expect(res.statusCode).toBe(201);
    const unit = res.json();
    expect(unit).toMatchObject({ parentId, depth: 2, level: 'province', kind: 'division', name: 'Phòng Tổ chức – Biên chế', shortName: 'TCBC', agencyCode: '001.00.02.H99', phone: '0200 3800 222', email: 'tcbc@thaihoa.gov.vn', active: true });
    expect(unit.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
    const row = await unitRow(unit.id);
    const parent = await unitRow(parentId);
    expect(row.path).toBe(`${parent.path}${unit.id}/`);
    expect(row.depth).toBe(2);

    const audit = await auditOf(unit.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'unit.create', objectType: 'unit', actorId: await t.userId('admin'), actorName: 'Quản trị hệ thống', unitId: unit.id });
    expect(audit[0].summary).toMatchObject({ after: { id: unit.id, name: 'Phòng Tổ chức – Biên chế', agencyCode: '001.00.02.H99' } });
    expect(audit[0].requestId).toBeTruthy();
  });

  it('creates a root unit (admin only)', async () => {
    const unit = await createUnit(null, { level: 'central', kind: 'other', agencyCode: 'G12' });
    expect(unit).toMatchObject({ parentId: null, depth: 0 });
    expect((await unitRow(unit.id)).path).toBe(`/${unit.id}/`);
  });

  it('refuses a bad agency code with 400 on field agencyCode in Vietnamese, writing nothing', async () => {
    const before = await unitCount();
    const res = await call(admin, 'POST', '/api/units', { parentId: await t.unitId('000.00.02.H99'), level: 'province', kind: 'division', name: 'Phòng lỗi', shortName: 'PL', agencyCode: '000..h99' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json();
    expect(body).toMatchObject({ status: 400, title: 'Dữ liệu không hợp lệ' });
    expect(body.errors).toEqual([{ field: 'agencyCode', message: 'Mã định danh gồm các nhóm chữ số 0–9 và chữ in hoa A–Z, ngăn cách bởi dấu chấm (ví dụ 000.00.00.H99).' }]);
    expect(await unitCount()).toBe(before);
  });

  it('lists every invalid field at once', async () => {
    const res = await call(admin, 'POST', '/api/units', { parentId: await t.unitId('000.00.02.H99'), level: 'province', kind: 'division', name: '   ', shortName: 'có dấu cách', email: 'khong-hop-le', phone: 'abc' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['email', 'name', 'phone', 'shortName']);
  });

  it('refuses unknown enum values and missing fields through the schema', async () => {
    const res = await call(admin, 'POST', '/api/units', { parentId: null, level: 'village', kind: 'division', shortName: 'X' });
    expect(res.statusCode).toBe(400);
    const fields = res.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['level', 'name']));
  });

  it('refuses a duplicate agency code with 409 and writes no audit record', async () => {
    const before = await unitCount();
    const audits = (await call(admin, 'GET', '/api/audit?action=unit.create&pageSize=1')).json().total;
    const res = await call(admin, 'POST', '/api/units', { parentId: await t.unitId('000.00.02.H99'), level: 'province', kind: 'division', name: 'Trùng mã', shortName: 'TM', agencyCode: '000.01.31.H99' });
    expect(res.statusCode).toBe(409);
    expect(res.json().status).toBe(409);
    expect(await unitCount()).toBe(before);
    expect((await call(admin, 'GET', '/api/audit?action=unit.create&pageSize=1')).json().total).toBe(audits);
  });

  it('refuses a parent that is unknown (404) or inactive (409)', async () => {
    const unknown = await call(admin, 'POST', '/api/units', { parentId: '01900000-0000-7000-8000-000000000000', level: 'province', kind: 'division', name: 'X', shortName: 'X' });
    expect(unknown.statusCode).toBe(404);
    const parent = await createUnit(await t.unitId('000.00.03.H99'));
    expect((await call(admin, 'PATCH', `/api/units/${parent.id}`, { active: false })).statusCode).toBe(200);
    const before = await unitCount();
    const res = await call(admin, 'POST', '/api/units', { parentId: parent.id, level: 'province', kind: 'division', name: 'Con', shortName: 'C' });
    expect(res.statusCode).toBe(409);
    expect(await unitCount()).toBe(before);
  });

  it('refuses a commune clerk (403 in scope, 404 outside, 403 for a root) without writing', async () => {
    const before = await unitCount();
    const body = { level: 'commune', kind: 'division', name: 'Phòng trái phép', shortName: 'TP' };
    const inScope = await call(vanthuXa, 'POST', '/api/units', { ...body, parentId: await t.unitId('000.01.31.H99') });
    expect(inScope.statusCode).toBe(403);
    expect(inScope.json().title).toBe('Không có quyền thực hiện thao tác này');
    expect((await call(vanthuXa, 'POST', '/api/units', { ...body, parentId: await t.unitId('000.02.31.H99') })).statusCode).toBe(404);
    expect((await call(vanthuXa, 'POST', '/api/units', { ...body, parentId: null })).statusCode).toBe(403);
    expect(await unitCount()).toBe(before);
    const names = await queryRows(t.database.db, sql`SELECT 1 FROM units WHERE name = 'Phòng trái phép'`);
    expect(names).toHaveLength(0);
  });
});

describe('PATCH /api/units/{id}', () => {
  it('renames a unit and audits the difference', async () => {
    const unit = await createUnit(await t.unitId('000.00.02.H99'));
    const res = await call(admin, 'PATCH', `/api/units/${unit.id}`, { name: 'Phòng Công chức, viên chức', shortName: 'CCVC' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: unit.id, name: 'Phòng Công chức, viên chức', shortName: 'CCVC', parentId: unit.parentId, depth: 2 });
    expect((await call(admin, 'GET', `/api/units/${unit.id}`)).json().name).toBe('Phòng Công chức, viên chức');
    const audit = await auditOf(unit.id);
    expect(audit.map((a) => a.action)).toEqual(['unit.update', 'unit.create']);
    expect(audit[0].summary).toEqual({ changes: { name: { from: unit.name, to: 'Phòng Công chức, viên chức' }, shortName: { from: expect.any(String), to: 'CCVC' } } });
  });

  it('refuses an empty name and a bad agency code', async () => {
    const unit = await createUnit(await t.unitId('000.00.02.H99'));
    expect((await call(admin, 'PATCH', `/api/units/${unit.id}`, { agencyCode: 'sai mã' })).json().errors[0].field).toBe('agencyCode');
    const res = await call(admin, 'PATCH', `/api/units/${unit.id}`, { name: '  ' });
    expect(res.statusCode).toBe(400);
    expect((await unitRow(unit.id)).name).toBe(unit.name);
  });

  it('refuses to take another unit’s agency code (409), keeping the old one', async () => {
    const unit = await createUnit(await t.unitId('000.00.02.H99'), { agencyCode: '009.00.02.H99' });
    const res = await call(admin, 'PATCH', `/api/units/${unit.id}`, { agencyCode: '000.02.31.H99', name: 'Đổi cùng lúc' });
    expect(res.statusCode).toBe(409);
    expect(res.json().status).toBe(409);
    const after = (await call(admin, 'GET', `/api/units/${unit.id}`)).json();
    expect(after).toMatchObject({ agencyCode: '009.00.02.H99', name: unit.name });
    expect((await auditOf(unit.id)).map((a) => a.action)).toEqual(['unit.create']);
  });

  it('moves a unit with its whole subtree', async () => {
    const a = await createUnit(await t.unitId('000.00.00.H99'));
    const b = await createUnit(a.id);
    const c = await createUnit(b.id);
    expect([a.depth, b.depth, c.depth]).toEqual([1, 2, 3]);
    const target = await t.unitId('000.00.03.H99'); // depth 1
    const res = await call(admin, 'PATCH', `/api/units/${a.id}`, { parentId: target });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: a.id, parentId: target, depth: 2 });
    expect((await call(admin, 'GET', `/api/units/${a.id}`)).json()).toMatchObject({ parentId: target, depth: 2 });
    expect((await call(admin, 'GET', `/api/units/${b.id}`)).json()).toMatchObject({ parentId: a.id, depth: 3 });
    expect((await call(admin, 'GET', `/api/units/${c.id}`)).json()).toMatchObject({ parentId: b.id, depth: 4 });
    const targetPath = (await unitRow(target)).path;
    expect((await unitRow(a.id)).path).toBe(`${targetPath}${a.id}/`);
    expect((await unitRow(b.id)).path).toBe(`${targetPath}${a.id}/${b.id}/`);
    expect((await unitRow(c.id)).path).toBe(`${targetPath}${a.id}/${b.id}/${c.id}/`);
    const audit = await auditOf(a.id);
    expect(audit[0]).toMatchObject({ action: 'unit.move', summary: { changes: { parentId: { from: await t.unitId('000.00.00.H99'), to: target }, depth: { from: 1, to: 2 } } } });
  });

  it('refuses to move a unit into itself or its own descendant (400, nothing moved)', async () => {
    const a = await createUnit(await t.unitId('000.00.00.H99'));
    const b = await createUnit(a.id);
    const c = await createUnit(b.id);
    const before = await unitRow(a.id);
    for (const target of [c.id, b.id, a.id]) {
      const res = await call(admin, 'PATCH', `/api/units/${a.id}`, { parentId: target });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors).toEqual([{ field: 'parentId', message: 'Không thể chuyển đơn vị vào chính nó hoặc đơn vị trực thuộc của nó.' }]);
    }
    expect(await unitRow(a.id)).toEqual(before);
    expect((await unitRow(c.id)).depth).toBe(3);
  });

  it('refuses to move under an unknown parent', async () => {
    const a = await createUnit(await t.unitId('000.00.00.H99'));
    const res = await call(admin, 'PATCH', `/api/units/${a.id}`, { parentId: '01900000-0000-7000-8000-000000000000' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('parentId');
  });

  it('refuses to deactivate a unit with active children (409)', async () => {
    const tanAn = await t.unitId('000.01.31.H99');
    const res = await call(admin, 'PATCH', `/api/units/${tanAn}`, { active: false });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ status: 409, type: 'https://lienthong.vn/problems/has-active-children' });
    expect((await unitRow(tanAn)).active).toBe(true);
  });

  it('deactivates a leaf: hidden from the default list, shown with includeInactive=true', async () => {
    const unit = await createUnit(await t.unitId('000.00.02.H99'));
    const res = await call(admin, 'PATCH', `/api/units/${unit.id}`, { active: false });
    expect(res.statusCode).toBe(200);
    expect(res.json().active).toBe(false);
    expect((await unitRow(unit.id)).active).toBe(false);
    const list = (await call(admin, 'GET', '/api/units')).json().items.map((u: { id: string }) => u.id);
    expect(list).not.toContain(unit.id);
    const all = (await call(admin, 'GET', '/api/units?includeInactive=true')).json().items as { id: string; active: boolean }[];
    expect(all.find((u) => u.id === unit.id)).toMatchObject({ active: false });
    expect((await auditOf(unit.id))[0].action).toBe('unit.deactivate');
    // and back
    const again = await call(admin, 'PATCH', `/api/units/${unit.id}`, { active: true });
    expect(again.json().active).toBe(true);
  });

  it('ends the powers of roles held on a deactivated unit', async () => {
    const unit = await createUnit(await t.unitId('000.00.02.H99'));
    const create = await call(admin, 'POST', '/api/officials', { username: 'tam.thoi', fullName: 'Cán bộ Tạm Thời', unitId: unit.id, password: 'TamThoi#2026x', roles: [{ unitId: unit.id, role: 'clerk' }] });
    expect(create.statusCode).toBe(201);
    const token = await t.login('tam.thoi', 'TamThoi#2026x');
    expect((await call(token, 'GET', '/api/units')).json().items.map((u: { id: string }) => u.id)).toEqual([unit.id]);
    expect((await call(admin, 'PATCH', `/api/units/${unit.id}`, { active: false })).statusCode).toBe(200);
    expect((await call(token, 'GET', '/api/units')).json().items).toEqual([]);
    expect((await call(token, 'GET', `/api/units/${unit.id}`)).statusCode).toBe(404);
  });

  it('keeps active units out from under inactive ones (move and reactivation refused with 409)', async () => {
    const closed = await createUnit(await t.unitId('000.00.03.H99'));
    const child = await createUnit(closed.id);
    expect((await call(admin, 'PATCH', `/api/units/${child.id}`, { active: false })).statusCode).toBe(200);
    expect((await call(admin, 'PATCH', `/api/units/${closed.id}`, { active: false })).statusCode).toBe(200);
    const reactivate = await call(admin, 'PATCH', `/api/units/${child.id}`, { active: true });
    expect(reactivate.statusCode).toBe(409);
    expect(reactivate.json().type).toBe('https://lienthong.vn/problems/inactive-parent');
    expect((await unitRow(child.id)).active).toBe(false);
    const mover = await createUnit(await t.unitId('000.00.03.H99'));
    const move = await call(admin, 'PATCH', `/api/units/${mover.id}`, { parentId: closed.id });
    expect(move.statusCode).toBe(409);
    expect((await unitRow(mover.id)).parent_id).toBe(await t.unitId('000.00.03.H99'));
  });

  it('answers 404 for an unknown unit', async () => {
    expect((await call(admin, 'PATCH', '/api/units/01900000-0000-7000-8000-000000000000', { name: 'X' })).statusCode).toBe(404);
  });
});

describe('DELETE /api/units/{id}', () => {
  it('refuses a unit referenced by officials or children with a 409 problem', async () => {
    const before = await unitCount();
    for (const code of ['000.01.31.H99', '000.00.01.H99', '000.00.00.H99']) {
      const res = await call(admin, 'DELETE', `/api/units/${await t.unitId(code)}`);
      expect(res.statusCode).toBe(409);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ status: 409, type: 'https://lienthong.vn/problems/unit-referenced', title: 'Không thể xoá đơn vị' });
    }
    const parent = await createUnit(await t.unitId('000.00.02.H99'));
    await createUnit(parent.id);
    expect((await call(admin, 'DELETE', `/api/units/${parent.id}`)).statusCode).toBe(409);
    expect(await unitCount()).toBe(before + 2);
  });

  it('deletes a fresh leaf (204) and audits it', async () => {
    const unit = await createUnit(await t.unitId('000.00.02.H99'));
    const res = await call(admin, 'DELETE', `/api/units/${unit.id}`);
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect(await unitRow(unit.id)).toBeUndefined();
    expect((await call(admin, 'GET', `/api/units/${unit.id}`)).statusCode).toBe(404);
    const audit = await auditOf(unit.id);
    expect(audit[0]).toMatchObject({ action: 'unit.delete', unitId: unit.parentId, summary: { before: { id: unit.id, name: unit.name } } });
  });

  it('refuses a commune clerk (403 on own unit, 404 elsewhere)', async () => {
    const own = await call(vanthuXa, 'DELETE', `/api/units/${await t.unitId('002.01.31.H99')}`);
    expect(own.statusCode).toBe(403);
    expect((await call(vanthuXa, 'DELETE', `/api/units/${await t.unitId('000.00.02.H99')}`)).statusCode).toBe(404);
    expect(await unitRow(await t.unitId('002.01.31.H99'))).toBeDefined();
  });
});

describe('a unit administrator (unit_admin of Tân An)', () => {
  let ua: string;
  beforeAll(async () => {
    const tanAn = await t.unitId('000.01.31.H99');
    const res = await call(admin, 'POST', '/api/officials', { username: 'qtdv.tanan', fullName: 'Quản trị Tân An', unitId: tanAn, password: 'QuanTri#2026x', roles: [{ unitId: tanAn, role: 'unit_admin' }] });
    expect(res.statusCode).toBe(201);
    ua = await t.login('qtdv.tanan', 'QuanTri#2026x');
  });

  it('creates, renames and deletes units inside the commune', async () => {
    const res = await call(ua, 'POST', '/api/units', { parentId: await t.unitId('001.01.31.H99'), level: 'commune', kind: 'division', name: 'Tổ Tiếp nhận', shortName: 'TTN' });
    expect(res.statusCode).toBe(201);
    const id = res.json().id;
    expect(res.json().depth).toBe(3);
    expect((await call(ua, 'PATCH', `/api/units/${id}`, { name: 'Tổ Tiếp nhận hồ sơ' })).json().name).toBe('Tổ Tiếp nhận hồ sơ');
    expect((await call(ua, 'PATCH', `/api/units/${id}`, { parentId: await t.unitId('002.01.31.H99') })).json()).toMatchObject({ parentId: await t.unitId('002.01.31.H99'), depth: 3 });
    expect((await call(ua, 'DELETE', `/api/units/${id}`)).statusCode).toBe(204);
  });

  it('cannot create a root unit nor move a unit out of the commune', async () => {
    const before = await unitCount();
    expect((await call(ua, 'POST', '/api/units', { parentId: null, level: 'commune', kind: 'other', name: 'Gốc', shortName: 'G' })).statusCode).toBe(403);
    expect(await unitCount()).toBe(before);
    const office = await t.unitId('001.01.31.H99');
    const res = await call(ua, 'PATCH', `/api/units/${office}`, { parentId: await t.unitId('000.02.31.H99') });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toEqual({ field: 'parentId', message: 'Đơn vị cấp trên không tồn tại.' });
    expect((await unitRow(office)).parent_id).toBe(await t.unitId('000.01.31.H99'));
  });
});

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../core/db/index.js';
import { bearer, createTestApp, type TestContext } from '../../test/harness.js';

let t: TestContext;
let admin: string;
let tanAn: string;
let tanAnOffice: string;
let phuLoc: string;
let vp: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  [tanAn, tanAnOffice, phuLoc, vp] = await Promise.all(['000.01.31.H99', '001.01.31.H99', '000.02.31.H99', '000.00.01.H99'].map((c) => t.unitId(c)));
});
afterAll(() => t.close());

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
const call = (token: string, method: Method, url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: bearer(token), ...(payload === undefined ? {} : { payload: payload as object }) });

type Official = { id: string; username: string; fullName: string; positionTitle: string | null; unitId: string; unitName: string; email: string | null; phone: string | null; active: boolean; roles: { unitId: string; unitName: string; role: string }[] };

const PASSWORD = 'CanBo#Moi2026';
async function createOfficial(token: string, username: string, unitId: string, roles: { unitId: string; role: string }[], extra: Record<string, unknown> = {}) {
  const res = await call(token, 'POST', '/api/officials', { username, fullName: `Cán bộ ${username}`, unitId, password: PASSWORD, roles, ...extra });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Official;
}

const userRow = async (id: string) =>
  (await queryRows<{ full_name: string; active: boolean; password_hash: string; email: string | null; unit_id: string }>(
    t.database.db,
    sql`SELECT u.full_name, u.active, u.password_hash, u.email, o.unit_id FROM users u JOIN officials o ON o.user_id = u.id WHERE u.id = ${id}`,
  ))[0];
const rolesOf = async (id: string) =>
  (await queryRows<{ unit_id: string; role: string }>(t.database.db, sql`SELECT unit_id, role FROM role_assignments WHERE user_id = ${id} ORDER BY role, unit_id`)).map((r) => `${r.role}@${r.unit_id}`);
/** The directory's audit actions on an official, newest first (sign-ins are audited on the same object too). */
const auditActions = async (objectId: string) =>
  ((await call(admin, 'GET', `/api/audit?objectId=${objectId}&objectType=official`)).json().items as { action: string }[]).map((a) => a.action);

describe('GET /api/officials', () => {
  it('paginates with page, pageSize and total, ordered by name, pages not overlapping', async () => {
    const all = await call(admin, 'GET', '/api/officials?pageSize=200');
    expect(all.statusCode).toBe(200);
    const everyone = all.json();
    expect(everyone).toMatchObject({ total: 9, page: 1, pageSize: 200 });
    expect(everyone.items.map((o: Official) => o.username).sort()).toEqual(
      ['admin', 'chuyenvien.tinh', 'chuyenvien.xa', 'lanhdao.tinh', 'lanhdao.xa', 'motcua.xa', 'vanthu.tinh', 'vanthu.xa', 'vanthu.xa2'].sort(),
    );
    const pages = [];
    for (const page of [1, 2, 3]) {
      const res = await call(admin, 'GET', `/api/officials?page=${page}&pageSize=4`);
      expect(res.json()).toMatchObject({ total: 9, page, pageSize: 4 });
      pages.push(...res.json().items.map((o: Official) => o.id));
    }
    expect(pages).toHaveLength(9);
    expect(pages).toEqual(everyone.items.map((o: Official) => o.id));
    expect((await call(admin, 'GET', '/api/officials?page=4&pageSize=4')).json()).toMatchObject({ items: [], total: 9 });
  });

  it('presents an official with unit name and roles, never the password hash', async () => {
    const res = await call(admin, 'GET', '/api/officials?q=vanthu.xa2');
    expect(res.json().total).toBe(1);
    const o = res.json().items[0];
    expect(o).toEqual({
      id: await t.userId('vanthu.xa2'),
      username: 'vanthu.xa2',
      fullName: 'Bùi Thị Mai',
      positionTitle: 'Văn thư',
      unitId: phuLoc,
      unitName: 'Ủy ban nhân dân xã Phú Lộc',
      email: 'vanthu.phuloc@thaihoa.gov.vn',
      phone: null,
      active: true,
      twoFactorEnabled: false,
      roles: [{ unitId: phuLoc, unitName: 'Ủy ban nhân dân xã Phú Lộc', role: 'clerk' }],
    });
  });

  it('searches by name, username and e-mail', async () => {
    const byName = (await call(admin, 'GET', `/api/officials?q=${encodeURIComponent('Bình')}`)).json();
    expect(byName.items.map((o: Official) => o.username)).toEqual(['lanhdao.xa']);
    const byUser = (await call(admin, 'GET', '/api/officials?q=chuyenvien')).json();
    expect(byUser.items.map((o: Official) => o.username).sort()).toEqual(['chuyenvien.tinh', 'chuyenvien.xa']);
    const byMail = (await call(admin, 'GET', '/api/officials?q=motcua.tanan@')).json();
    expect(byMail.items.map((o: Official) => o.username)).toEqual(['motcua.xa']);
    expect((await call(admin, 'GET', '/api/officials?q=khongcoai')).json()).toMatchObject({ items: [], total: 0 });
  });

  it('filters by unit', async () => {
    const res = (await call(admin, 'GET', `/api/officials?unitId=${tanAn}`)).json();
    expect(res.total).toBe(4);
    expect(res.items.map((o: Official) => o.username).sort()).toEqual(['chuyenvien.xa', 'lanhdao.xa', 'motcua.xa', 'vanthu.xa']);
    expect((await call(admin, 'GET', `/api/officials?unitId=${vp}`)).json().total).toBe(3);
    expect((await call(admin, 'GET', '/api/officials?unitId=khong-phai-uuid')).json()).toMatchObject({ items: [], total: 0 });
  });

  it('limits a commune clerk to the commune', async () => {
    const res = (await call(await t.login('vanthu.xa'), 'GET', '/api/officials?pageSize=200')).json();
    expect(res.total).toBe(4);
    expect(res.items.every((o: Official) => o.unitId === tanAn)).toBe(true);
  });

  it('refuses pageSize over 200 and page 0 with 400', async () => {
    expect((await call(admin, 'GET', '/api/officials?pageSize=201')).statusCode).toBe(400);
    expect((await call(admin, 'GET', '/api/officials?page=0')).statusCode).toBe(400);
  });
});

describe('POST /api/officials', () => {
  it('creates an official (201) who can sign in and sees the roles in /api/me', async () => {
    const res = await call(admin, 'POST', '/api/officials', {
      username: 'ketoan.xa',
      fullName: '  Ngô Thị Kế Toán ',
      positionTitle: 'Kế toán',
      unitId: tanAnOffice,
      email: 'ketoan.tanan@thaihoa.gov.vn',
      phone: '0912 000 111',
      password: PASSWORD,
      roles: [
        { unitId: tanAnOffice, role: 'specialist' },
        { unitId: tanAn, role: 'deputy_leader' },
      ],
    });
    expect(res.statusCode).toBe(201);
    const o = res.json() as Official;
    expect(o).toMatchObject({ username: 'ketoan.xa', fullName: 'Ngô Thị Kế Toán', positionTitle: 'Kế toán', unitId: tanAnOffice, unitName: 'Văn phòng HĐND và UBND xã Tân An', email: 'ketoan.tanan@thaihoa.gov.vn', phone: '0912 000 111', active: true });
    expect(o.roles).toHaveLength(2);
    expect(await auditActions(o.id)).toEqual(['official.create']);
    expect((await userRow(o.id)).password_hash).toMatch(/^\$argon2id\$/);

    const token = await t.login('ketoan.xa', PASSWORD);
    const me = (await call(token, 'GET', '/api/me')).json();
    expect(me.user).toMatchObject({ id: o.id, kind: 'official', username: 'ketoan.xa', unitId: tanAnOffice });
    expect(me.roles).toEqual(
      expect.arrayContaining([
        { unitId: tanAnOffice, unitName: 'Văn phòng HĐND và UBND xã Tân An', role: 'specialist' },
        { unitId: tanAn, unitName: 'Ủy ban nhân dân xã Tân An', role: 'deputy_leader' },
      ]),
    );
    expect(me.roles).toHaveLength(2);
  });

  it('lists each password policy violation on field password (400), creating nothing', async () => {
    const res = await call(admin, 'POST', '/api/officials', { username: 'yeu.matkhau', fullName: 'Mật Khẩu Yếu', unitId: tanAn, password: 'yeu', roles: [] });
    expect(res.statusCode).toBe(400);
    const errors = res.json().errors as { field: string; message: string }[];
    expect(errors.every((e) => e.field === 'password')).toBe(true);
    expect(errors.map((e) => e.message)).toEqual(['Mật khẩu phải có ít nhất 10 ký tự.', 'Mật khẩu phải có chữ hoa.', 'Mật khẩu phải có chữ số.', 'Mật khẩu phải có ký tự đặc biệt.']);
    const withName = await call(admin, 'POST', '/api/officials', { username: 'yeu.matkhau', fullName: 'Mật Khẩu Yếu', unitId: tanAn, password: 'Xyeu.matkhau1!', roles: [] });
    expect(withName.json().errors).toEqual([{ field: 'password', message: 'Mật khẩu không được chứa tên đăng nhập.' }]);
    expect(await queryRows(t.database.db, sql`SELECT 1 FROM users WHERE username = 'yeu.matkhau'`)).toHaveLength(0);
  });

  it('validates username, e-mail, phone and unit', async () => {
    const res = await call(admin, 'POST', '/api/officials', { username: 'Có Dấu', fullName: 'X', unitId: '01900000-0000-7000-8000-000000000000', email: 'sai', phone: 'x', password: PASSWORD, roles: [] });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['email', 'phone', 'username']);
    const unit = await call(admin, 'POST', '/api/officials', { username: 'khong.donvi', fullName: 'X', unitId: '01900000-0000-7000-8000-000000000000', password: PASSWORD, roles: [] });
    expect(unit.statusCode).toBe(400);
    expect(unit.json().errors).toEqual([{ field: 'unitId', message: 'Đơn vị không tồn tại hoặc bạn không có quyền quản trị đơn vị này.' }]);
  });

  it('refuses a duplicate username with 409', async () => {
    const before = (await call(admin, 'GET', '/api/officials')).json().total;
    const res = await call(admin, 'POST', '/api/officials', { username: 'vanthu.xa', fullName: 'Trùng Tên', unitId: tanAn, password: PASSWORD, roles: [] });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ status: 409, type: 'https://lienthong.vn/problems/username-taken', detail: 'Tên đăng nhập "vanthu.xa" đã được dùng.' });
    expect((await call(admin, 'GET', '/api/officials')).json().total).toBe(before);
    // a citizen's username is taken too
    expect((await call(admin, 'POST', '/api/officials', { username: 'congdan', fullName: 'Trùng', unitId: tanAn, password: PASSWORD, roles: [] })).statusCode).toBe(409);
  });

  it('refuses officials to a commune clerk (403)', async () => {
    const res = await call(await t.login('vanthu.xa'), 'POST', '/api/officials', { username: 'lau.xa', fullName: 'Lậu', unitId: tanAn, password: PASSWORD, roles: [] });
    expect([400, 403]).toContain(res.statusCode);
    expect(await queryRows(t.database.db, sql`SELECT 1 FROM users WHERE username = 'lau.xa'`)).toHaveLength(0);
  });
});

describe('PATCH /api/officials/{id}', () => {
  it('renames and moves an official to another unit', async () => {
    const o = await createOfficial(admin, 'doi.ten', tanAn, [{ unitId: tanAn, role: 'specialist' }]);
    const res = await call(admin, 'PATCH', `/api/officials/${o.id}`, { fullName: 'Trương Văn Đổi', positionTitle: 'Phó Chánh Văn phòng', unitId: vp, email: null });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: o.id, fullName: 'Trương Văn Đổi', positionTitle: 'Phó Chánh Văn phòng', unitId: vp, unitName: 'Văn phòng Ủy ban nhân dân tỉnh', email: null });
    expect(await userRow(o.id)).toMatchObject({ full_name: 'Trương Văn Đổi', unit_id: vp });
    expect((await auditActions(o.id))[0]).toBe('official.update');
  });

  it('deactivation ends the official’s sessions; reactivation lets them sign in again', async () => {
    const o = await createOfficial(admin, 'tam.nghi', tanAn, [{ unitId: tanAn, role: 'clerk' }]);
    const token = await t.login('tam.nghi', PASSWORD);
    expect((await call(token, 'GET', '/api/me')).statusCode).toBe(200);

    const off = await call(admin, 'PATCH', `/api/officials/${o.id}`, { active: false });
    expect(off.statusCode).toBe(200);
    expect(off.json().active).toBe(false);
    expect((await call(token, 'GET', '/api/me')).statusCode).toBe(401);
    expect((await call(token, 'GET', '/api/units')).statusCode).toBe(401);
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'tam.nghi', password: PASSWORD } });
    expect(login.statusCode).toBe(401);
    expect((await queryRows(t.database.db, sql`SELECT 1 FROM sessions WHERE user_id = ${o.id}`)).length).toBe(0);
    // hidden from the default list, shown with includeInactive
    expect((await call(admin, 'GET', '/api/officials?q=tam.nghi')).json().total).toBe(0);
    expect((await call(admin, 'GET', '/api/officials?q=tam.nghi&includeInactive=true')).json().items[0]).toMatchObject({ id: o.id, active: false });

    const on = await call(admin, 'PATCH', `/api/officials/${o.id}`, { active: true });
    expect(on.json().active).toBe(true);
    const again = await t.login('tam.nghi', PASSWORD);
    expect((await call(again, 'GET', '/api/me')).statusCode).toBe(200);
    expect((await auditActions(o.id)).slice(0, 2)).toEqual(['official.reactivate', 'official.deactivate']);
  });

  it('refuses to deactivate oneself (409)', async () => {
    const res = await call(admin, 'PATCH', `/api/officials/${await t.userId('admin')}`, { active: false });
    expect(res.statusCode).toBe(409);
    expect((await call(admin, 'GET', '/api/me')).statusCode).toBe(200);
  });

  it('refuses an invalid e-mail and an unknown official', async () => {
    const id = await t.userId('chuyenvien.xa');
    const res = await call(admin, 'PATCH', `/api/officials/${id}`, { email: 'khong hop le' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('email');
    expect((await userRow(id)).email).toBe('chuyenvien.tanan@thaihoa.gov.vn');
    expect((await call(admin, 'PATCH', '/api/officials/01900000-0000-7000-8000-000000000000', { fullName: 'X' })).statusCode).toBe(404);
    expect((await call(admin, 'PATCH', `/api/officials/${await t.userId('congdan')}`, { fullName: 'X' })).statusCode).toBe(404);
  });
});

describe('PUT /api/officials/{id}/roles', () => {
  it('replaces the roles and changes what the official may see', async () => {
    const o = await createOfficial(admin, 'doi.vaitro', tanAn, [{ unitId: tanAn, role: 'clerk' }]);
    const token = await t.login('doi.vaitro', PASSWORD);
    expect((await call(token, 'GET', '/api/units')).json().items).toHaveLength(3);
    const res = await call(admin, 'PUT', `/api/officials/${o.id}/roles`, { roles: [{ unitId: phuLoc, role: 'leader' }, { unitId: vp, role: 'specialist' }] });
    expect(res.statusCode).toBe(200);
    expect(res.json().roles).toEqual(expect.arrayContaining([{ unitId: phuLoc, unitName: 'Ủy ban nhân dân xã Phú Lộc', role: 'leader' }, { unitId: vp, unitName: 'Văn phòng Ủy ban nhân dân tỉnh', role: 'specialist' }]));
    expect(await rolesOf(o.id)).toEqual([`leader@${phuLoc}`, `specialist@${vp}`]);
    const units = (await call(token, 'GET', '/api/units')).json().items.map((u: { agencyCode: string }) => u.agencyCode).sort();
    expect(units).toEqual(['000.00.01.H99', '000.02.31.H99', '001.02.31.H99', '002.02.31.H99']);
    const audit = (await call(admin, 'GET', `/api/audit?objectId=${o.id}&action=official.set_roles`)).json().items[0];
    expect(audit.summary).toEqual({ before: [{ unitId: tanAn, role: 'clerk' }], after: [{ unitId: phuLoc, role: 'leader' }, { unitId: vp, role: 'specialist' }] });
    // empty list removes all roles
    expect((await call(admin, 'PUT', `/api/officials/${o.id}/roles`, { roles: [] })).json().roles).toEqual([]);
    expect(await rolesOf(o.id)).toEqual([]);
  });

  it('refuses unknown roles and unknown units (400), changing nothing', async () => {
    const id = await t.userId('chuyenvien.xa');
    const before = await rolesOf(id);
    expect((await call(admin, 'PUT', `/api/officials/${id}/roles`, { roles: [{ unitId: tanAn, role: 'president' }] })).statusCode).toBe(400);
    const res = await call(admin, 'PUT', `/api/officials/${id}/roles`, { roles: [{ unitId: '01900000-0000-7000-8000-000000000000', role: 'clerk' }] });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ field: 'roles.0.unitId', message: 'Đơn vị không tồn tại.' }]);
    expect(await rolesOf(id)).toEqual(before);
  });

  it('refuses the admin to remove their own admin role (409)', async () => {
    const id = await t.userId('admin');
    expect((await call(admin, 'PUT', `/api/officials/${id}/roles`, { roles: [{ unitId: vp, role: 'clerk' }] })).statusCode).toBe(409);
    expect(await rolesOf(id)).toEqual([`admin@${await t.unitId('000.00.00.H99')}`]);
  });
});

describe('POST /api/officials/{id}/password (admin reset)', () => {
  it('sets a new password, revokes the old sessions, and the old password stops working', async () => {
    const o = await createOfficial(admin, 'quen.matkhau', tanAn, [{ unitId: tanAn, role: 'clerk' }]);
    const oldToken = await t.login('quen.matkhau', PASSWORD);
    const res = await call(admin, 'POST', `/api/officials/${o.id}/password`, { newPassword: 'MatKhauMoi#2026' });
    expect(res.statusCode).toBe(204);
    expect((await call(oldToken, 'GET', '/api/me')).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'quen.matkhau', password: PASSWORD } })).statusCode).toBe(401);
    const fresh = await t.login('quen.matkhau', 'MatKhauMoi#2026');
    expect((await call(fresh, 'GET', '/api/me')).json().user.username).toBe('quen.matkhau');
    expect((await auditActions(o.id))[0]).toBe('official.reset_password');
  });

  it('applies the password policy on field newPassword', async () => {
    const id = await t.userId('motcua.xa');
    const hash = (await userRow(id)).password_hash;
    const res = await call(admin, 'POST', `/api/officials/${id}/password`, { newPassword: 'motcua.xa#A1bc' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ field: 'newPassword', message: 'Mật khẩu không được chứa tên đăng nhập.' }]);
    expect((await userRow(id)).password_hash).toBe(hash);
  });
});

describe('a unit administrator of Tân An', () => {
  let ua: string;
  let uaId: string;
  beforeAll(async () => {
    uaId = (await createOfficial(admin, 'qtdv.tanan', tanAn, [{ unitId: tanAn, role: 'unit_admin' }])).id;
    ua = await t.login('qtdv.tanan', PASSWORD);
  });

  it('lists and reads only Tân An’s officials (404 for Phú Lộc’s)', async () => {
    const list = (await call(ua, 'GET', '/api/officials?pageSize=200')).json();
    expect(list.items.length).toBeGreaterThanOrEqual(5);
    expect(list.items.every((o: Official) => [tanAn, tanAnOffice].includes(o.unitId))).toBe(true);
    expect(list.items.map((o: Official) => o.username)).not.toContain('vanthu.xa2');
    expect((await call(ua, 'GET', `/api/officials/${await t.userId('vanthu.xa')}`)).statusCode).toBe(200);
    expect((await call(ua, 'GET', `/api/officials/${await t.userId('vanthu.xa2')}`)).statusCode).toBe(404);
    expect((await call(ua, 'GET', `/api/officials/${await t.userId('admin')}`)).statusCode).toBe(404);
  });

  it('creates, edits, re-roles and resets officials of Tân An', async () => {
    const o = await createOfficial(ua, 'moi.tanan', tanAnOffice, [{ unitId: tanAnOffice, role: 'clerk' }]);
    expect((await call(ua, 'PATCH', `/api/officials/${o.id}`, { fullName: 'Lý Thị Mới' })).json().fullName).toBe('Lý Thị Mới');
    const roles = await call(ua, 'PUT', `/api/officials/${o.id}/roles`, { roles: [{ unitId: tanAn, role: 'specialist' }] });
    expect(roles.statusCode).toBe(200);
    expect(await rolesOf(o.id)).toEqual([`specialist@${tanAn}`]);
    expect((await call(ua, 'POST', `/api/officials/${o.id}/password`, { newPassword: 'DatLai#2026ab' })).statusCode).toBe(204);
    await t.login('moi.tanan', 'DatLai#2026ab');
  });

  it('cannot grant the system admin role (400), nothing changes', async () => {
    const id = await t.userId('chuyenvien.xa');
    const before = await rolesOf(id);
    const res = await call(ua, 'PUT', `/api/officials/${id}/roles`, { roles: [{ unitId: tanAn, role: 'admin' }] });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ field: 'roles.0.role', message: 'Chỉ quản trị hệ thống được cấp vai trò quản trị hệ thống.' }]);
    expect(await rolesOf(id)).toEqual(before);
    const create = await call(ua, 'POST', '/api/officials', { username: 'gia.admin', fullName: 'Giả Admin', unitId: tanAn, password: PASSWORD, roles: [{ unitId: tanAn, role: 'admin' }] });
    expect(create.statusCode).toBe(400);
    expect(await queryRows(t.database.db, sql`SELECT 1 FROM users WHERE username = 'gia.admin'`)).toHaveLength(0);
  });

  it('cannot grant roles in Phú Lộc nor create officials there', async () => {
    const id = await t.userId('chuyenvien.xa');
    const before = await rolesOf(id);
    const res = await call(ua, 'PUT', `/api/officials/${id}/roles`, { roles: [{ unitId: phuLoc, role: 'clerk' }] });
    expect(res.statusCode).toBe(400);
    expect(await rolesOf(id)).toEqual(before);
    const create = await call(ua, 'POST', '/api/officials', { username: 'lan.sang', fullName: 'Lấn Sang', unitId: phuLoc, password: PASSWORD, roles: [] });
    expect(create.statusCode).toBe(400);
    expect(create.json().errors[0].field).toBe('unitId');
    expect(await queryRows(t.database.db, sql`SELECT 1 FROM users WHERE username = 'lan.sang'`)).toHaveLength(0);
  });

  it('cannot change Phú Lộc’s officials: every write answers 404 and nothing changes', async () => {
    const id = await t.userId('vanthu.xa2');
    const before = { row: await userRow(id), roles: await rolesOf(id) };
    const writes: [Method, string, unknown][] = [
      ['PATCH', `/api/officials/${id}`, { fullName: 'Đã Bị Sửa', active: false }],
      ['PATCH', `/api/officials/${id}`, { unitId: tanAn }],
      ['PUT', `/api/officials/${id}/roles`, { roles: [{ unitId: tanAn, role: 'clerk' }] }],
      ['POST', `/api/officials/${id}/password`, { newPassword: 'ChiemQuyen#2026' }],
    ];
    for (const [method, url, body] of writes) expect((await call(ua, method, url, body)).statusCode, `${method} ${url}`).toBe(404);
    expect({ row: await userRow(id), roles: await rolesOf(id) }).toEqual(before);
    await t.login('vanthu.xa2');
  });

  it('keeps roles held elsewhere when re-roling a Tân An official who also works in Phú Lộc', async () => {
    const o = await createOfficial(admin, 'hai.xa', tanAn, [{ unitId: tanAn, role: 'clerk' }, { unitId: phuLoc, role: 'clerk' }]);
    const res = await call(ua, 'PUT', `/api/officials/${o.id}/roles`, { roles: [{ unitId: tanAn, role: 'specialist' }] });
    expect(res.statusCode).toBe(200);
    expect(await rolesOf(o.id)).toEqual([`clerk@${phuLoc}`, `specialist@${tanAn}`]);
  });

  it('cannot take over an account that holds roles outside Tân An (password reset, deactivation refused)', async () => {
    const o = await createOfficial(admin, 'kiem.nhiem', tanAn, [{ unitId: tanAn, role: 'clerk' }, { unitId: phuLoc, role: 'leader' }]);
    const before = await userRow(o.id);
    const reset = await call(ua, 'POST', `/api/officials/${o.id}/password`, { newPassword: 'ChiemQuyen#2026' });
    expect(reset.statusCode).toBe(403);
    const off = await call(ua, 'PATCH', `/api/officials/${o.id}`, { active: false, email: 'ke.gian@example.vn' });
    expect(off.statusCode).toBe(403);
    expect(await userRow(o.id)).toEqual(before);
    await t.login('kiem.nhiem', PASSWORD);
  });

  it('may still edit its own profile', async () => {
    const res = await call(ua, 'PATCH', `/api/officials/${uaId}`, { fullName: 'Quản trị Tân An (sửa)' });
    expect(res.statusCode).toBe(200);
    expect(res.json().fullName).toBe('Quản trị Tân An (sửa)');
  });
});

describe('a unit administrator of the whole province', () => {
  it('cannot reset the password of, or deactivate, the system administrator (403)', async () => {
    const root = await t.unitId('000.00.00.H99');
    await createOfficial(admin, 'qtdv.tinh', root, [{ unitId: root, role: 'unit_admin' }]);
    const ua = await t.login('qtdv.tinh', PASSWORD);
    const adminId = await t.userId('admin');
    const before = await userRow(adminId);
    expect((await call(ua, 'GET', `/api/officials/${adminId}`)).statusCode).toBe(200);
    expect((await call(ua, 'POST', `/api/officials/${adminId}/password`, { newPassword: 'ChiemQuyen#2026' })).statusCode).toBe(403);
    expect((await call(ua, 'PATCH', `/api/officials/${adminId}`, { active: false })).statusCode).toBe(403);
    const roles = await call(ua, 'PUT', `/api/officials/${adminId}/roles`, { roles: [] });
    expect(roles.statusCode).toBe(200);
    expect(await rolesOf(adminId)).toEqual([`admin@${root}`]);
    expect(await userRow(adminId)).toEqual(before);
    expect((await call(admin, 'GET', '/api/me')).statusCode).toBe(200);
  });
});

describe('search text is literal', () => {
  it('treats % and _ as characters, not wildcards', async () => {
    for (const q of ['%', '_', '\\']) {
      const res = await call(admin, 'GET', `/api/officials?q=${encodeURIComponent(q)}`);
      expect(res.statusCode).toBe(200);
      expect(res.json().total, q).toBe(0);
    }
    const res = await call(admin, 'GET', `/api/officials?q=${encodeURIComponent('vanthu.x')}`);
    expect(res.json().items.map((o: { username: string }) => o.username).sort()).toEqual(['vanthu.xa', 'vanthu.xa2']);
  });
});

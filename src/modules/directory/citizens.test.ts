import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../core/db/index.js';
import { bearer, createTestApp, type TestContext } from '../../test/harness.js';

let t: TestContext;
let admin: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
});
afterAll(() => t.close());

const post = (token: string, payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/api/citizens', headers: bearer(token), payload });
const get = (token: string, url: string) => t.app.inject({ method: 'GET', url, headers: bearer(token) });
const citizenCount = async () => (await queryRows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM citizens`))[0].n;

const PASSWORD = 'CongDan#2026ab';
const valid = { username: 'tran.thi.b', fullName: 'Trần Thị Bích', idNumber: '079190000123', phone: '0903 123 456', email: 'bich@example.vn', password: PASSWORD };

describe('POST /api/citizens', () => {
  it('creates a citizen (201) and audits it', async () => {
    const res = await post(admin, valid);
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json();
    expect(c).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), username: 'tran.thi.b', fullName: 'Trần Thị Bích', idNumber: '079190000123', phone: '0903 123 456', email: 'bich@example.vn', active: true });
    const rows = await queryRows<{ kind: string; id_number: string; password_hash: string }>(t.database.db, sql`SELECT u.kind, c.id_number, u.password_hash FROM users u JOIN citizens c ON c.user_id = u.id WHERE u.id = ${c.id}`);
    expect(rows).toEqual([{ kind: 'citizen', id_number: '079190000123', password_hash: expect.stringMatching(/^\$argon2id\$/) }]);
    expect(await queryRows(t.database.db, sql`SELECT 1 FROM officials WHERE user_id = ${c.id}`)).toHaveLength(0);
    const audit = (await get(admin, `/api/audit?objectId=${c.id}`)).json().items;
    expect(audit).toMatchObject([{ action: 'citizen.create', objectType: 'citizen', actorId: await t.userId('admin'), unitId: null }]);
  });

  it('signs the citizen in: /api/me shows kind citizen, the CCCD and no roles', async () => {
    const token = await t.login('tran.thi.b', PASSWORD);
    const res = await get(token, '/api/me');
    expect(res.statusCode).toBe(200);
    const me = res.json();
    expect(me.user).toMatchObject({ kind: 'citizen', username: 'tran.thi.b', fullName: 'Trần Thị Bích', idNumber: '079190000123', unitId: null });
    expect(me.roles).toEqual([]);
  });

  it('returns the stored (NFC) form of a decomposed name', async () => {
    const nfd = 'Lê Thị Hồng'.normalize('NFD');
    const res = await post(admin, { ...valid, username: 'le.thi.hong', idNumber: '001190000777', fullName: ` ${nfd} `, email: null, phone: null });
    expect(res.statusCode).toBe(201);
    expect(res.json().fullName).toBe('Lê Thị Hồng'.normalize('NFC'));
    const [row] = await queryRows<{ full_name: string }>(t.database.db, sql`SELECT full_name FROM users WHERE username = 'le.thi.hong'`);
    expect(row.full_name).toBe(res.json().fullName);
  });

  it.each([
    ['an unknown province code', '003090012345', 'Ba chữ số đầu của số CCCD không phải mã tỉnh hợp lệ.'],
    ['11 digits', '00109001234', 'Số CCCD phải gồm đúng 12 chữ số.'],
    ['13 digits', '0010900123456', 'Số CCCD phải gồm đúng 12 chữ số.'],
    ['letters', '00109001234X', 'Số CCCD phải gồm đúng 12 chữ số.'],
  ])('refuses a CCCD with %s (400 on idNumber), creating nothing', async (_why, idNumber, message) => {
    const before = await citizenCount();
    const res = await post(admin, { ...valid, username: 'sai.cccd', idNumber });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ status: 400, title: 'Dữ liệu không hợp lệ', errors: [{ field: 'idNumber', message }] });
    expect(await citizenCount()).toBe(before);
  });

  it('lists every invalid field', async () => {
    const res = await post(admin, { username: 'X Y', fullName: ' ', idNumber: '1', email: 'sai', phone: 'x', password: 'yeu' });
    expect(res.statusCode).toBe(400);
    const fields = new Set(res.json().errors.map((e: { field: string }) => e.field));
    expect([...fields].sort()).toEqual(['email', 'fullName', 'idNumber', 'password', 'phone', 'username']);
  });

  it('refuses a duplicate CCCD or username with 409', async () => {
    const before = await citizenCount();
    const sameId = await post(admin, { ...valid, username: 'nguoi.khac', idNumber: '001090012345' }); // the demo citizen's CCCD
    expect(sameId.statusCode).toBe(409);
    expect(sameId.json()).toMatchObject({ status: 409, type: 'https://lienthong.vn/problems/citizen-exists', detail: 'Tên đăng nhập hoặc số CCCD đã được đăng ký.' });
    expect((await post(admin, { ...valid, idNumber: '001190000888' })).statusCode).toBe(409); // username tran.thi.b taken
    expect((await post(admin, { ...valid, username: 'vanthu.xa', idNumber: '001190000889' })).statusCode).toBe(409); // an official's username
    expect(await citizenCount()).toBe(before);
    expect(await queryRows(t.database.db, sql`SELECT 1 FROM users WHERE username = 'nguoi.khac'`)).toHaveLength(0);
  });

  it('is for the system admin only: the one-stop officer and the clerk get 404', async () => {
    const before = await citizenCount();
    for (const who of ['motcua.xa', 'vanthu.xa']) {
      const res = await post(await t.login(who), { ...valid, username: `tu.${who.replace('.', '')}`, idNumber: '001190000999' });
      expect(res.statusCode, who).toBe(404);
    }
    expect(await citizenCount()).toBe(before);
  });
});

describe('GET /api/citizens', () => {
  it('lets the one-stop officer list and search citizens, paginated', async () => {
    const token = await t.login('motcua.xa');
    const res = await get(token, '/api/citizens');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ page: 1, pageSize: 20, total: 3 });
    expect(body.items.map((c: { username: string }) => c.username).sort()).toEqual(['congdan', 'le.thi.hong', 'tran.thi.b']);
    expect(body.items.find((c: { username: string }) => c.username === 'congdan')).toEqual({
      id: await t.userId('congdan'),
      username: 'congdan',
      fullName: 'Nguyễn Văn An',
      idNumber: '001090012345',
      phone: '0912 345 678',
      email: 'congdan@example.vn',
      active: true,
    });
    expect(res.body).not.toMatch(/argon2|password/i);

    const page2 = (await get(token, '/api/citizens?page=2&pageSize=2')).json();
    expect(page2).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(page2.items).toHaveLength(1);

    expect((await get(token, '/api/citizens?q=079190000123')).json().items.map((c: { username: string }) => c.username)).toEqual(['tran.thi.b']);
    expect((await get(token, `/api/citizens?q=${encodeURIComponent('Văn An')}`)).json().items.map((c: { username: string }) => c.username)).toEqual(['congdan']);
    expect((await get(token, '/api/citizens?q=0790')).json().total).toBe(0); // the CCCD matches whole, not by prefix
  });

  it('lists no officials', async () => {
    const items = (await get(admin, '/api/citizens?pageSize=200')).json().items as { username: string }[];
    expect(items.map((c) => c.username)).not.toContain('admin');
  });

  it('answers 404 to a commune clerk and to the provincial leader', async () => {
    for (const who of ['vanthu.xa', 'lanhdao.tinh']) {
      const res = await get(await t.login(who), '/api/citizens');
      expect(res.statusCode, who).toBe(404);
      expect(res.json()).toMatchObject({ status: 404, title: 'Không tìm thấy' });
    }
  });
});

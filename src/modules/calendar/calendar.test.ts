import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCalendar } from '../../core/calendar/index.js';
import { inTransaction, queryRows } from '../../core/db/index.js';
import { bearer, createTestApp, type TestContext } from '../../test/harness.js';

let t: TestContext;
let admin: string;
let unitAdmin: string; // unit_admin of xã Tân An
let clerk: string;
let province: string;
let tanAn: string;
let tanAnDesk: string;
let phuLoc: string;

const get = (url: string, token?: string) => t.app.inject({ method: 'GET', url, headers: token ? bearer(token) : {} });
const call = (token: string, method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown) => t.app.inject({ method, url, headers: bearer(token), payload: payload as object });
const auditCount = async (action: string) => (await queryRows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = ${action}`))[0].n;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  clerk = await t.login('vanthu.xa');
  province = await t.unitId('000.00.00.H99');
  tanAn = await t.unitId('000.01.31.H99');
  tanAnDesk = await t.unitId('002.01.31.H99');
  phuLoc = await t.unitId('000.02.31.H99');
  const res = await call(admin, 'POST', '/api/officials', { username: 'qtdv.tanan', fullName: 'Quản trị Tân An', unitId: tanAn, password: 'QuanTri#2026x', roles: [{ unitId: tanAn, role: 'unit_admin' }] });
  expect(res.statusCode).toBe(201);
  unitAdmin = await t.login('qtdv.tanan', 'QuanTri#2026x');
});
afterAll(async () => t.close());

describe('GET /api/calendar/due (public)', () => {
  it('computes working-day, working-hour, calendar-day and same-day due times', async () => {
    const at = encodeURIComponent('2026-02-13T16:59:00+07:00');
    let res = await get(`/api/calendar/due?from=${at}&workingDays=1`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ dueAt: '2026-02-23T10:00:00.000Z', countedFrom: '2026-02-13T09:59:00.000Z', duration: { unit: 'working-days', amount: 1 } });
    res = await get(`/api/calendar/due?from=${at}&workingHours=8`);
    expect(res.json().dueAt).toBe('2026-02-23T09:59:00.000Z');
    res = await get(`/api/calendar/due?from=${encodeURIComponent('2026-04-29T10:00:00+07:00')}&calendarDays=2`);
    expect(res.json().dueAt).toBe('2026-05-04T10:00:00.000Z'); // 01/05 is a holiday, then the weekend
    res = await get(`/api/calendar/due?from=${encodeURIComponent('2026-03-10T15:30:00+07:00')}&sameDay=true&unitId=${tanAn}`);
    expect(res.json()).toMatchObject({ dueAt: '2026-03-11T10:00:00.000Z', unitId: tanAn });
  });

  it('uses the seeded New Year 2026 swap (02/01 off, Saturday 10/01 worked)', async () => {
    const res = await get(`/api/calendar/due?from=${encodeURIComponent('2025-12-31T16:00:00+07:00')}&workingDays=6`);
    expect(res.json().dueAt).toBe('2026-01-10T10:00:00.000Z');
  });

  it('answers bad input with 400 problem+json in Vietnamese, unknown units with 404', async () => {
    const at = encodeURIComponent('2026-03-10T10:00:00+07:00');
    for (const q of [`from=${at}`, `from=${at}&workingDays=1&workingHours=2`, `from=yesterday&workingDays=1`, `from=${at}&workingDays=-1`, `from=${at}&workingDays=1.5`, `from=${at}&workingDays=abc`, `workingDays=1`, `from=${encodeURIComponent('1800-01-01T00:00:00+07:00')}&workingDays=1`]) {
      const res = await get(`/api/calendar/due?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().title).toBe('Dữ liệu không hợp lệ');
    }
    const res = await get(`/api/calendar/due?from=${at}&workingDays=1&unitId=00000000-0000-7000-8000-000000000000`);
    expect(res.statusCode).toBe(404);
    expect((await get(`/api/calendar/due?from=${at}&workingDays=1&unitId=not-a-uuid`)).statusCode).toBe(404);
  });
});

describe('GET /api/calendar/holidays (public)', () => {
  it('lists the year with computed holidays, moves, swaps and lunar dates', async () => {
    const res = await get('/api/calendar/holidays?year=2026');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.source).toContain('Bộ luật Lao động 2019');
    const byDate = Object.fromEntries(body.days.map((d: { date: string }) => [d.date, d]));
    expect(byDate['2026-02-17']).toMatchObject({ name: 'Tết Nguyên đán', kind: 'holiday', working: false, lunar: { day: 1, month: 1, year: 2026, leap: false } });
    expect(byDate['2026-04-26']).toMatchObject({ name: 'Giỗ Tổ Hùng Vương', lunar: { day: 10, month: 3 } });
    expect(byDate['2026-04-27']).toMatchObject({ kind: 'compensation' });
    expect(byDate['2026-01-10']).toMatchObject({ kind: 'working-day', working: true });
    expect((await get('/api/calendar/holidays?year=1700')).statusCode).toBe(400);
  });
});

describe('adjustments (admin CRUD, audited)', () => {
  let id: string;
  it('a system administrator adds a national day off; deadlines follow at once', async () => {
    const before = await get(`/api/calendar/due?from=${encodeURIComponent('2026-03-09T10:00:00+07:00')}&workingDays=1`);
    expect(before.json().dueAt).toBe('2026-03-10T10:00:00.000Z');
    const res = await call(admin, 'POST', '/api/calendar/adjustments', { date: '2026-03-10', kind: 'day-off', name: 'Nghỉ thêm (thử nghiệm)', legalBasis: 'Thông báo số 1/TB' });
    expect(res.statusCode).toBe(201);
    id = res.json().id;
    expect(res.json()).toMatchObject({ unitId: null, date: '2026-03-10', kind: 'day-off' });
    const after = await get(`/api/calendar/due?from=${encodeURIComponent('2026-03-09T10:00:00+07:00')}&workingDays=1`);
    expect(after.json().dueAt).toBe('2026-03-11T10:00:00.000Z');
    expect(await auditCount('calendar.adjustment.create')).toBe(1);
  });

  it('refuses duplicates (409), pointless adjustments and bad dates (400)', async () => {
    expect((await call(admin, 'POST', '/api/calendar/adjustments', { date: '2026-03-10', kind: 'day-off', name: 'Lần hai' })).statusCode).toBe(409);
    const pointless = await call(admin, 'POST', '/api/calendar/adjustments', { date: '2026-03-11', kind: 'working-day', name: 'Làm bù' });
    expect(pointless.statusCode).toBe(400);
    expect(pointless.json().errors[0].field).toBe('date');
    expect((await call(admin, 'POST', '/api/calendar/adjustments', { date: '2026-02-17', kind: 'day-off', name: 'Đã là Tết' })).statusCode).toBe(400);
    expect((await call(admin, 'POST', '/api/calendar/adjustments', { date: '2026-02-30', kind: 'day-off', name: 'x' })).statusCode).toBe(400);
    expect((await call(admin, 'POST', '/api/calendar/adjustments', { date: '2026-03-12', kind: 'day-off', name: '  ' })).statusCode).toBe(400);
  });

  it('a unit administrator changes only their unit’s calendar; it applies below the unit, not beside it', async () => {
    expect((await call(unitAdmin, 'POST', '/api/calendar/adjustments', { date: '2026-03-13', kind: 'day-off', name: 'Chung' })).statusCode).toBe(403);
    expect((await call(unitAdmin, 'POST', '/api/calendar/adjustments', { unitId: phuLoc, date: '2026-03-13', kind: 'day-off', name: 'Xã khác' })).statusCode).toBe(404);
    expect((await call(clerk, 'POST', '/api/calendar/adjustments', { unitId: tanAn, date: '2026-03-13', kind: 'day-off', name: 'Văn thư' })).statusCode).toBe(403);
    const res = await call(unitAdmin, 'POST', '/api/calendar/adjustments', { unitId: tanAn, date: '2026-03-13', kind: 'day-off', name: 'Lễ hội xã Tân An' });
    expect(res.statusCode).toBe(201);
    const from = encodeURIComponent('2026-03-12T10:00:00+07:00');
    expect((await get(`/api/calendar/due?from=${from}&workingDays=1&unitId=${tanAnDesk}`)).json().dueAt).toBe('2026-03-16T10:00:00.000Z');
    expect((await get(`/api/calendar/due?from=${from}&workingDays=1&unitId=${phuLoc}`)).json().dueAt).toBe('2026-03-13T10:00:00.000Z');
    const list = await get(`/api/calendar/adjustments?year=2026&unitId=${tanAnDesk}`, unitAdmin);
    expect(list.json().items.map((a: { date: string }) => a.date)).toEqual(['2026-01-02', '2026-01-10', '2026-03-10', '2026-03-13']);
    expect(list.json().items[3]).toMatchObject({ unitId: tanAn, unitName: 'Ủy ban nhân dân xã Tân An' });
    // A unit may keep working on a national extra day off (the deepest unit's adjustment wins), not on a plain weekday.
    expect((await call(unitAdmin, 'POST', '/api/calendar/adjustments', { unitId: tanAn, date: '2026-01-02', kind: 'day-off', name: 'Đã nghỉ' })).statusCode).toBe(400);
    const work = await call(unitAdmin, 'POST', '/api/calendar/adjustments', { unitId: tanAn, date: '2026-01-02', kind: 'working-day', name: 'Bộ phận một cửa vẫn làm việc' });
    expect(work.statusCode).toBe(201);
    expect((await loadCalendar(t.database.db, tanAnDesk)).isWorkingDay('2026-01-02')).toBe(true);
    expect((await loadCalendar(t.database.db, phuLoc)).isWorkingDay('2026-01-02')).toBe(false);
    expect((await call(unitAdmin, 'DELETE', `/api/calendar/adjustments/${work.json().id}`)).statusCode).toBe(204);
    // The national row is the system administrator's.
    expect((await call(unitAdmin, 'DELETE', `/api/calendar/adjustments/${id}`)).statusCode).toBe(403);
  });

  it('edits and deletes, audited, and the calendar follows', async () => {
    const res = await call(admin, 'PATCH', `/api/calendar/adjustments/${id}`, { date: '2026-03-11', name: 'Nghỉ thêm (đổi ngày)' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ date: '2026-03-11', name: 'Nghỉ thêm (đổi ngày)', legalBasis: 'Thông báo số 1/TB' });
    expect((await loadCalendar(t.database.db, null)).isWorkingDay('2026-03-11')).toBe(false);
    expect((await call(admin, 'DELETE', `/api/calendar/adjustments/${id}`)).statusCode).toBe(204);
    expect((await call(admin, 'DELETE', `/api/calendar/adjustments/${id}`)).statusCode).toBe(404);
    expect((await loadCalendar(t.database.db, null)).isWorkingDay('2026-03-11')).toBe(true);
    expect(await auditCount('calendar.adjustment.update')).toBe(1);
    expect(await auditCount('calendar.adjustment.delete')).toBe(2); // with the unit's working day above
  });

  it('is cached per database: a request inside a transaction (inbox counters) reuses the loaded calendar', async () => {
    const outside = await loadCalendar(t.database.db, tanAn);
    const first = await inTransaction(t.database.db, async (tx) => loadCalendar(tx, tanAn));
    const second = await inTransaction(t.database.db, async (tx) => loadCalendar(tx, tanAn));
    expect(first).toBe(outside);
    expect(second).toBe(outside);
  });

  it('needs a signed-in official to list', async () => {
    expect((await get('/api/calendar/adjustments?year=2026')).statusCode).toBe(401);
  });
});

describe('office hours per unit (inherited down the tree)', () => {
  it('defaults, then a unit override inherited by the units below', async () => {
    let res = await get(`/api/calendar/office-hours/${tanAnDesk}`, unitAdmin);
    expect(res.json()).toMatchObject({ inheritedFrom: null, own: false, sessions: [{ start: '07:00', end: '11:30' }, { start: '13:30', end: '17:00' }], saturdayMorning: false, sameDayCutoff: '15:00' });
    res = await call(unitAdmin, 'PUT', `/api/calendar/office-hours/${tanAn}`, { sessions: [{ start: '07:30', end: '11:30' }, { start: '13:00', end: '17:00' }], saturdayMorning: true, sameDayCutoff: '16:00' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ unitId: tanAn, own: true, inheritedFrom: tanAn });
    res = await get(`/api/calendar/office-hours/${tanAnDesk}`, unitAdmin);
    expect(res.json()).toMatchObject({ own: false, inheritedFrom: tanAn, inheritedFromName: 'Ủy ban nhân dân xã Tân An', sameDayCutoff: '16:00', saturdayMorning: true });
    // 07:00 is before the desk opens; 15:30 is before the 16:00 cut-off.
    expect((await get(`/api/calendar/due?from=${encodeURIComponent('2026-03-10T07:00:00+07:00')}&workingHours=1&unitId=${tanAnDesk}`)).json().dueAt).toBe('2026-03-10T01:30:00.000Z');
    expect((await get(`/api/calendar/due?from=${encodeURIComponent('2026-03-10T15:30:00+07:00')}&sameDay=1&unitId=${tanAnDesk}`)).json().dueAt).toBe('2026-03-10T10:00:00.000Z');
    expect((await get(`/api/calendar/due?from=${encodeURIComponent('2026-03-10T15:30:00+07:00')}&sameDay=1&unitId=${phuLoc}`)).json().dueAt).toBe('2026-03-11T10:00:00.000Z');
    expect(await auditCount('calendar.office_hours.set')).toBe(1);
  });

  it('validates sessions and permissions', async () => {
    const bad = await call(unitAdmin, 'PUT', `/api/calendar/office-hours/${tanAn}`, { sessions: [{ start: '07:00', end: '12:00' }, { start: '11:00', end: '17:00' }], saturdayMorning: false, sameDayCutoff: '15:00' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('sessions.1.start');
    expect((await call(unitAdmin, 'PUT', `/api/calendar/office-hours/${tanAn}`, { sessions: [{ start: '7h', end: '12:00' }], saturdayMorning: false, sameDayCutoff: '15:00' })).statusCode).toBe(400);
    expect((await call(unitAdmin, 'PUT', `/api/calendar/office-hours/${province}`, { sessions: [{ start: '07:00', end: '17:00' }], saturdayMorning: false, sameDayCutoff: '15:00' })).statusCode).toBe(404); // outside their reach: not revealed
    expect((await call(clerk, 'PUT', `/api/calendar/office-hours/${tanAn}`, { sessions: [{ start: '07:00', end: '17:00' }], saturdayMorning: false, sameDayCutoff: '15:00' })).statusCode).toBe(403);
    expect((await get(`/api/calendar/office-hours/${phuLoc}`, unitAdmin)).statusCode).toBe(404);
  });

  it('clearing returns to the inherited hours', async () => {
    const res = await call(unitAdmin, 'DELETE', `/api/calendar/office-hours/${tanAn}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ own: false, inheritedFrom: null, sameDayCutoff: '15:00' });
    expect(await auditCount('calendar.office_hours.clear')).toBe(1);
  });
});

describe('holiday rules as data', () => {
  it('an administrator replaces the rules (a reform) and resets them; others may not', async () => {
    const rules = (await get('/api/calendar/rules')).json();
    rules.holidays.push({ id: 'culture-day', name: 'Ngày Văn hóa Việt Nam', nameEn: 'Vietnam Culture Day', kind: 'solar', month: 11, day: 24, validFrom: '2026-01-01' });
    rules.source = 'Thử nghiệm cải cách';
    expect((await call(unitAdmin, 'PUT', '/api/calendar/rules', { rules })).statusCode).toBe(403);
    expect((await call(admin, 'PUT', '/api/calendar/rules', { rules })).statusCode).toBe(200);
    const days = (await get('/api/calendar/holidays?year=2026')).json().days.map((d: { date: string }) => d.date);
    expect(days).toContain('2026-11-24');
    expect((await call(admin, 'PUT', '/api/calendar/rules', { rules: { ...rules, holidays: [{ id: 'x', name: 'x', nameEn: 'x', kind: 'lunar', month: 13, day: 1 }] } })).statusCode).toBe(400);
    expect((await call(admin, 'PUT', '/api/calendar/rules', { rules: null })).statusCode).toBe(200);
    expect((await get('/api/calendar/holidays?year=2026')).json().days.map((d: { date: string }) => d.date)).not.toContain('2026-11-24');
    expect(await auditCount('calendar.rules.set')).toBe(2);
  });
});

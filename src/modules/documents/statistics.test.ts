import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock/index.js';
import type { Db } from '../../core/db/index.js';
import { newId } from '../../core/ids/index.js';
import { bearer, createTestApp, type TestContext } from '../../test/harness.js';
import { assignments, documents } from './schema.js';
import { buildSearchText } from './text.js';

/** GET /api/documents/statistics: per unit and per person, on time / late / open / overdue, at 10/03/2026. */

let t: TestContext;
const token: Record<string, string> = {};
const user: Record<string, string> = {};
let tanAn: string;
let phuLoc: string;

async function handled(db: Db, unitId: string, subject: string, arrival: string, lead: string, due: string, completed: string | null, extra: { co?: string; status?: string } = {}): Promise<string> {
  const id = newId();
  const arrivalAt = new Date(`${arrival}T02:00:00Z`);
  const completedAt = completed ? new Date(completed) : null;
  await db.insert(documents).values({
    id, unitId, direction: 'incoming', status: completedAt ? 'completed' : ((extra.status ?? 'assigned') as 'assigned'), typeCode: 'CV', subject, issuerName: 'Sở Nội vụ',
    arrivalAt, arrivalNumber: 1, dueDate: due, completedAt, createdBy: lead, createdAt: arrivalAt, updatedAt: arrivalAt, searchText: buildSearchText({ unitId, subject }),
  });
  await db.insert(assignments).values({ id: newId(), documentId: id, unitId, role: 'lead', assigneeUserId: lead, assignedBy: lead, assignedAt: arrivalAt, dueDate: due, status: completedAt ? 'completed' : 'pending', completedAt });
  if (extra.co) await db.insert(assignments).values({ id: newId(), documentId: id, unitId, role: 'co', assigneeUserId: extra.co, assignedBy: lead, assignedAt: arrivalAt, dueDate: due });
  return id;
}

const stats = async (who: string, query: string) => {
  const res = await t.app.inject({ method: 'GET', url: `/api/documents/statistics?${query}`, headers: bearer(token[who]) });
  return res;
};
const MARCH = 'from=2026-03-01&to=2026-03-31';

beforeAll(async () => {
  t = await createTestApp({ clock: fixedClock(new Date('2026-03-10T02:00:00Z')) });
  for (const u of ['vanthu.xa', 'chuyenvien.xa', 'lanhdao.xa', 'vanthu.xa2']) {
    user[u] = await t.userId(u);
    token[u] = await t.login(u);
  }
  const db = t.database.db;
  tanAn = await t.unitId('000.01.31.H99');
  phuLoc = await t.unitId('000.02.31.H99');
  const nam = user['chuyenvien.xa'];
  await handled(db, tanAn, 'Xử lý đúng hạn', '2026-03-02', nam, '2026-03-05', '2026-03-04T09:00:00Z');
  // Completed 05/03 20:00 UTC = 06/03 in Hà Nội: one day late.
  await handled(db, tanAn, 'Xử lý quá hạn', '2026-03-02', nam, '2026-03-05', '2026-03-05T20:00:00Z');
  await handled(db, tanAn, 'Đang xử lý, còn hạn', '2026-03-03', nam, '2026-03-20', null, { co: user['lanhdao.xa'] });
  await handled(db, tanAn, 'Đang xử lý, đã quá hạn', '2026-03-04', nam, '2026-03-05', null);
  await handled(db, tanAn, 'Văn bản tháng hai', '2026-02-20', nam, '2026-02-25', null);
  await handled(db, phuLoc, 'Văn bản của Phú Lộc', '2026-03-02', user['vanthu.xa2'], '2026-03-05', null);
});
afterAll(async () => t?.close());

describe('statistics', () => {
  it('counts per unit and per person: received in the period, on time, late (by the local date), open, overdue', async () => {
    const res = await stats('vanthu.xa', MARCH);
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json();
    expect(s.unit).toEqual({ id: tanAn, name: 'Ủy ban nhân dân xã Tân An' });
    expect(s.byUnit).toEqual([{ unitId: tanAn, unitName: 'Ủy ban nhân dân xã Tân An', received: 4, onTime: 1, late: 1, open: 2, overdue: 1 }]);
    expect(s.totals).toEqual({ received: 4, onTime: 1, late: 1, open: 2, overdue: 1 });
    expect(s.byPerson).toEqual([
      { userId: user['lanhdao.xa'], fullName: 'Đặng Văn Bình', received: 1, onTime: 0, late: 0, open: 1, overdue: 0 },
      { userId: user['chuyenvien.xa'], fullName: 'Hoàng Văn Nam', received: 4, onTime: 1, late: 1, open: 2, overdue: 1 },
    ]);
    const feb = (await stats('lanhdao.xa', 'from=2026-02-01&to=2026-02-28')).json();
    expect(feb.totals).toEqual({ received: 1, onTime: 0, late: 0, open: 1, overdue: 1 });
  });
  it('isolation: vanthu.xa2 counts Phú Lộc only and cannot ask for Tân An', async () => {
    const s = (await stats('vanthu.xa2', MARCH)).json();
    expect(s.unit.id).toBe(phuLoc);
    expect(s.totals).toEqual({ received: 1, onTime: 0, late: 0, open: 1, overdue: 1 });
    expect(s.byPerson.map((p: { fullName: string }) => p.fullName)).toEqual(['Bùi Thị Mai']);
    expect((await stats('vanthu.xa2', `${MARCH}&unitId=${tanAn}`)).statusCode).toBe(404);
    expect((await stats('vanthu.xa2', `${MARCH}&unitId=${tanAn}&format=xlsx`)).statusCode).toBe(404);
  });
  it('a specialist sees only their own line', async () => {
    const s = (await stats('chuyenvien.xa', MARCH)).json();
    expect(s.unit).toBeNull();
    expect(s.byUnit).toEqual([]);
    expect(s.byPerson).toEqual([{ userId: user['chuyenvien.xa'], fullName: 'Hoàng Văn Nam', received: 4, onTime: 1, late: 1, open: 2, overdue: 1 }]);
    expect((await stats('chuyenvien.xa', `${MARCH}&unitId=${tanAn}`)).statusCode).toBe(404);
  });
  it('exports .xlsx: a sheet per unit and per person, titled, with the period', async () => {
    const res = await stats('vanthu.xa', `${MARCH}&format=xlsx`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain('thong-ke-van-ban_2026-03-01_2026-03-31.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const [units, people] = wb.worksheets;
    expect(units.getCell('A1').value).toBe('THỐNG KÊ TÌNH HÌNH XỬ LÝ VĂN BẢN ĐẾN THEO ĐƠN VỊ');
    expect(String(units.getCell('A3').value)).toContain('Từ ngày 01/03/2026 đến ngày 31/03/2026');
    expect([1, 2, 3, 4, 5, 6].map((c) => units.getRow(5).getCell(c).value)).toEqual(['Đơn vị', 'Văn bản đến', 'Đã xử lý đúng hạn', 'Đã xử lý quá hạn', 'Đang xử lý', 'Trong đó quá hạn']);
    expect(units.getRow(5).getCell(1).font.bold).toBe(true);
    expect([1, 2, 3, 4, 5, 6].map((c) => units.getRow(6).getCell(c).value)).toEqual(['Ủy ban nhân dân xã Tân An', 4, 1, 1, 2, 1]);
    expect(units.getRow(7).getCell(1).value).toBe('Tổng cộng');
    expect(people.getCell('A1').value).toBe('THỐNG KÊ TÌNH HÌNH XỬ LÝ VĂN BẢN ĐẾN THEO CÁN BỘ');
    expect(people.getRow(7).getCell(1).value).toBe('Hoàng Văn Nam');
  });
  it('bad input → 400 with the failing fields', async () => {
    for (const [q, field] of [
      ['from=2026-03-32&to=2026-03-31', 'query.from'],
      ['from=2026-04-01&to=2026-03-01', 'query.to'],
      ['from=2026-03-01', 'query.to'],
      [`${MARCH}&format=pdf`, 'query.format'],
      [`${MARCH}&unitId=xyz`, 'query.unitId'],
    ]) {
      const res = await stats('vanthu.xa', q);
      expect(res.statusCode, q).toBe(400);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  });
});

import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../core/db/index.js';
import { createStatsApp, type Reply, type StatsApp, UNITS } from './testing.js';

/**
 * Who sees which statistics (a commune only its own; the leaders above the units below them; nobody
 * else), bad input as problem+json, and the audited .xlsx export read back with exceljs.
 */

let h: StatsApp;
let tanAn: string;
let phuLoc: string;
let province: string;
const url = (q = '') => `/api/dossier-statistics?from=2026-03-01&to=2026-03-31${q}`;

beforeAll(async () => {
  h = await createStatsApp('2026-03-10T08:00');
  tanAn = await h.t.unitId(UNITS.tanAn);
  phuLoc = await h.t.unitId(UNITS.phuLoc);
  province = await h.t.unitId(UNITS.province);
  await h.official('motcua.xa2', 'Lê Thị Phương', UNITS.phuLoc, 'onestop_officer');
  await h.official('lanhdao.tinh2', 'Trịnh Văn Sơn', UNITS.province, 'leader');
  h.at('2026-03-10T09:00');
  const first = await h.receive('motcua.xa', 'birth', 'th1');
  await h.toApproval(first);
  await h.complete(first);
  await h.receive('motcua.xa', 'marriage', 'th2');
  await h.receive('motcua.xa2', 'extract', 'th1', 'post');
  // An online dossier of the demo citizen, returned and rated "very satisfied" through the portal's API.
  const online = await h.submitOnline();
  await h.act('motcua.xa', online, 'accept', {});
  await h.toApproval(online);
  await h.complete(online);
  await h.act('motcua.xa', online, 'return', { method: 'counter' });
  expect((await h.api('congdan', 'POST', `/api/dossiers/${online}/rating`, { level: 5, comment: 'Nhanh, chu đáo' })).status).toBe(201);
  h.at('2026-04-02T10:00');
}, 400_000);
afterAll(async () => h?.close());

function expectProblem(r: Reply, status: number, field?: string) {
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  expect(String(r.headers['content-type'])).toContain('application/problem+json');
  expect(r.body.title).toMatch(/[^\x20-\x7e]/); // a Vietnamese title
  if (field) expect(r.body.errors.map((e: { field: string }) => e.field)).toContain(field);
}

describe('who sees which statistics', () => {
  it('a commune’s desk and leader see their commune only', async () => {
    for (const user of ['motcua.xa', 'lanhdao.xa']) {
      const r = await h.api(user, 'GET', url());
      expect(r.status).toBe(200);
      expect(r.body.unit.id).toBe(tanAn);
      expect(r.body.totals).toMatchObject({ received: 3, receivedOnline: 1, done: 2, inProcess: 1 });
      expect(r.body.byUnit.map((u: { unitId: string }) => u.unitId)).toEqual([tanAn]);
    }
    expectProblem(await h.api('motcua.xa', 'GET', url(`&unitId=${phuLoc}`)), 404);
    expectProblem(await h.api('motcua.xa', 'GET', url(`&unitId=${province}`)), 404);
    const other = await h.api('motcua.xa2', 'GET', url());
    expect(other.body).toMatchObject({ unit: { id: phuLoc }, totals: { received: 1, receivedPost: 1, done: 0 } });
    expectProblem(await h.api('motcua.xa2', 'GET', url(`&unitId=${tanAn}`)), 404);
  });

  it('a province leader sees every unit below, each on its line, and may narrow to one', async () => {
    const r = await h.api('lanhdao.tinh2', 'GET', url());
    expect(r.status).toBe(200);
    expect(r.body.unit.id).toBe(province);
    expect(r.body.totals).toMatchObject({ received: 4, done: 2 });
    const lines = Object.fromEntries(r.body.byUnit.map((u: { unitId: string; received: number }) => [u.unitId, u.received]));
    expect(lines).toEqual({ [province]: 0, [tanAn]: 3, [phuLoc]: 1 });
    const one = await h.api('lanhdao.tinh2', 'GET', url(`&unitId=${phuLoc}`));
    expect(one.body.totals.received).toBe(1);
  });

  it('refuses specialists, the system administrator, citizens and anonymous callers', async () => {
    expectProblem(await h.api('chuyenvien.xa', 'GET', url()), 403);
    expectProblem(await h.api('admin', 'GET', url()), 403);
    expectProblem(await h.api('congdan', 'GET', url()), 403);
    expectProblem(await h.api(null, 'GET', url()), 401);
  });

  it('answers bad input with problem+json in Vietnamese', async () => {
    expectProblem(await h.api('motcua.xa', 'GET', '/api/dossier-statistics?from=2026-03-31&to=2026-03-01'), 400, 'query.to');
    expectProblem(await h.api('motcua.xa', 'GET', '/api/dossier-statistics?from=2026-02-30&to=2026-03-01'), 400, 'query.from');
    expectProblem(await h.api('motcua.xa', 'GET', '/api/dossier-statistics?from=2026-03-01'), 400, 'query.to');
    expectProblem(await h.api('motcua.xa', 'GET', '/api/dossier-statistics?from=2010-01-01&to=2026-03-01'), 400, 'query.to');
    expectProblem(await h.api('motcua.xa', 'GET', url('&groupBy=month')), 400, 'query.groupBy');
    expectProblem(await h.api('motcua.xa', 'GET', url('&unitId=xa-tan-an')), 400, 'query.unitId');
  });

  it('reports the citizens’ satisfaction from the portal’s ratings', async () => {
    const r = await h.api('lanhdao.tinh2', 'GET', url());
    expect(r.body.satisfaction).toEqual({
      overall: { unitId: null, ratings: 1, satisfiedShare: 1, averageShare: null },
      byUnit: [{ unitId: tanAn, ratings: 1, satisfiedShare: 1, averageShare: null }],
    });
    const other = await h.api('motcua.xa2', 'GET', url());
    expect(other.body.satisfaction.overall).toEqual({ unitId: null, ratings: 0, satisfiedShare: null, averageShare: null });
  });

  it('defaults to the current month', async () => {
    const r = await h.api('motcua.xa', 'GET', '/api/dossier-statistics');
    expect(r.body).toMatchObject({ from: '2026-04-01', to: '2026-04-30', groupBy: 'unit' });
    expect(r.body.totals).toMatchObject({ carriedOver: 1, received: 0 });
  });
});

describe('the .xlsx export', () => {
  it('has the three groupings with Vietnamese headers and the JSON’s figures, and is audited', async () => {
    const json = (await h.api('lanhdao.tinh2', 'GET', url())).body;
    const r = await h.api('lanhdao.tinh2', 'GET', url('&format=xlsx'));
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(r.headers['content-disposition']).toBe('attachment; filename="thong-ke-mot-cua_2026-03-01_2026-03-31.xlsx"');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.raw as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Theo don vi', 'Theo thu tuc', 'Theo can bo']);
    const units = wb.getWorksheet('Theo don vi')!;
    const rows = units.getSheetValues().filter(Boolean).map((row) => (row as unknown[]).slice(1));
    expect(rows[0][0]).toBe('THỐNG KÊ TÌNH HÌNH GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH THEO ĐƠN VỊ');
    expect(rows[1][0]).toBe('Ủy ban nhân dân tỉnh Thái Hòa');
    expect(rows[2][0]).toBe('Từ ngày 01/03/2026 đến ngày 31/03/2026 — số liệu đến 00:00 ngày 01/04/2026');
    expect(rows[3][0]).toBe('Mức độ hài lòng: 1 lượt đánh giá, hài lòng 100%');
    const header = rows[4] as string[];
    expect(header.slice(0, 12)).toEqual(['Đơn vị tiếp nhận', 'Kỳ trước chuyển sang', 'Tiếp nhận trong kỳ', 'Trực tiếp', 'Trực tuyến', 'Bưu chính công ích', 'Đã giải quyết', 'Trước hạn', 'Đúng hạn', 'Quá hạn', 'Đang giải quyết', 'Trong đó quá hạn']);
    expect(header.at(-2)).toBe('Tỷ lệ đúng hạn (%)');
    const byName = Object.fromEntries(rows.slice(5).map((row) => [row[0] as string, row]));
    expect(byName['Ủy ban nhân dân xã Tân An'].slice(1, 7)).toEqual([0, 3, 2, 1, 0, 2]);
    expect(byName['Ủy ban nhân dân xã Phú Lộc'][5]).toBe(1); // by post
    const total = byName['Tổng cộng'];
    expect(total.slice(1, 3)).toEqual([json.totals.carriedOver, json.totals.received]);
    expect(total.at(-2)).toBe(100); // both dossiers done were on time
    expect(total.at(-1)).toBe(25); // 1 of 4 received online
    const procedures = wb.getWorksheet('Theo thu tuc')!.getSheetValues().filter(Boolean).map((row) => (row as unknown[]).slice(1));
    expect(procedures.slice(5).map((row) => row[0])).toEqual(['1.000894', '1.001193', '2.000635', '']);
    const officers = wb.getWorksheet('Theo can bo')!.getSheetValues().filter(Boolean).map((row) => (row as unknown[]).slice(1));
    expect(officers[4]).toEqual(['Cán bộ', 'Đơn vị', 'Hồ sơ tiếp nhận', 'Bước đã xử lý', 'Trước hạn', 'Đúng hạn', 'Quá hạn', 'Tỷ lệ đúng hạn (%)']);
    expect(officers.slice(5).find((row) => row[0] === 'Vũ Thị Lan')?.[2]).toBe(3);
    const audit = await queryRows<{ actor_name: string; unit_id: string; summary: Record<string, unknown> }>(
      h.t.database.db,
      sql`SELECT actor_name, unit_id, summary FROM audit_log WHERE action = 'dossier.statistics_exported'`,
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_name: 'Trịnh Văn Sơn', unit_id: province, summary: { from: '2026-03-01', to: '2026-03-31', received: 4 } });
    // Reading the figures as JSON is not an export: not audited.
    await h.api('lanhdao.tinh2', 'GET', url());
    expect((await queryRows(h.t.database.db, sql`SELECT 1 FROM audit_log WHERE action = 'dossier.statistics_exported'`)).length).toBe(1);
  });

  it('refuses an export outside the caller’s units like the JSON', async () => {
    expectProblem(await h.api('motcua.xa', 'GET', url(`&unitId=${phuLoc}&format=xlsx`)), 404);
    expectProblem(await h.api('chuyenvien.xa', 'GET', url('&format=xlsx')), 403);
  });
});

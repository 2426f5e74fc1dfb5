import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock/index.js';
import { type Db, queryRows } from '../../core/db/index.js';
import { newId } from '../../core/ids/index.js';
import { bearer, createTestApp, type TestContext } from '../../test/harness.js';
import { digestMail, localTime, runDigest, startDigestScheduler } from './digest.js';
import { numberSymbolOf } from './detail.js';
import { assignments, documents } from './schema.js';
import { buildSearchText } from './text.js';

/**
 * The daily deadline digest: one mail per handler and day through the outbox (dedupe key
 * digest:<userId>:<yyyy-MM-dd>), at the configured local time. "Now" is 10/03/2026 07:30 in Hà Nội.
 */

let t: TestContext;
const user: Record<string, string> = {};
const NOW = new Date('2026-03-10T00:30:00Z');

async function item(db: Db, unitId: string, who: { userId?: string; unitId?: string }, subject: string, due: string, extra: { number?: number; notation?: string; secrecy?: 'secret'; status?: 'completed' } = {}) {
  const id = newId();
  const at = new Date('2026-03-01T02:00:00Z');
  await db.insert(documents).values({
    id, unitId, direction: 'incoming', status: 'assigned', typeCode: 'CV', subject, issuerName: 'Sở Nội vụ', codeNumber: extra.number ?? null, codeNotation: extra.notation ?? null,
    secrecy: extra.secrecy ?? 'none', createdBy: unitId, createdAt: at, updatedAt: at,
    searchText: buildSearchText({ unitId, subject, numberSymbol: numberSymbolOf({ codeNumber: extra.number ?? null, codeNotation: extra.notation ?? null }) }),
  });
  await db.insert(assignments).values({ id: newId(), documentId: id, unitId, role: 'lead', assigneeUserId: who.userId ?? null, assigneeUnitId: who.unitId ?? null, assignedBy: unitId, assignedAt: at, dueDate: due, status: extra.status ?? 'pending', completedAt: extra.status ? at : null });
}

type Mail = { dedupe_key: string; unit_id: string | null; payload: { to: string; subject: string; text: string } };
const mails = async () => {
  const rows = await queryRows<Mail & { payload: Mail['payload'] | string }>(t.database.db, sql`SELECT dedupe_key, unit_id, payload FROM outbox WHERE kind = 'mail' AND dedupe_key LIKE 'digest:%' ORDER BY dedupe_key`);
  return rows.map((r) => ({ ...r, payload: typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload })) as Mail[];
};
const mailOf = async (username: string, day = '2026-03-10') => (await mails()).find((m) => m.dedupe_key === `digest:${user[username]}:${day}`);

beforeAll(async () => {
  t = await createTestApp({ clock: fixedClock(NOW) });
  for (const u of ['vanthu.xa', 'chuyenvien.xa', 'lanhdao.xa', 'motcua.xa', 'vanthu.xa2', 'admin']) user[u] = await t.userId(u);
  const db = t.database.db;
  const tanAn = await t.unitId('000.01.31.H99');
  const phuLoc = await t.unitId('000.02.31.H99');
  const nam = { userId: user['chuyenvien.xa'] };
  await item(db, tanAn, nam, 'Quyết định về việc kiện toàn Ban chỉ đạo', '2026-03-05', { number: 15, notation: 'QĐ-UBND' });
  await item(db, tanAn, nam, 'Kế hoạch tổ chức Ngày hội đại đoàn kết', '2026-03-12', { number: 7, notation: 'KH-UBND' });
  await item(db, tanAn, nam, 'Công văn báo cáo số liệu dân số', '2026-03-10');
  await item(db, tanAn, nam, 'Văn bản mật về công tác quốc phòng', '2026-03-11', { number: 3, notation: 'BCH-M', secrecy: 'secret' });
  await item(db, tanAn, nam, 'Văn bản còn xa hạn', '2026-03-30');
  await item(db, tanAn, nam, 'Văn bản đã hoàn thành dù quá hạn', '2026-03-01', { status: 'completed' });
  // Addressed to the commune: its leader and its clerk are reminded.
  await item(db, tanAn, { unitId: tanAn }, 'Công văn giao Ủy ban nhân dân xã chủ trì', '2026-03-09', { number: 21, notation: 'UBND-VP' });
  // A handler without e-mail is skipped and counted.
  await item(db, tanAn, { userId: user['motcua.xa'] }, 'Hồ sơ một cửa cần bổ sung', '2026-03-08');
  await queryRows(db, sql`UPDATE users SET email = NULL WHERE id = ${user['motcua.xa']}`);
  await item(db, phuLoc, { userId: user['vanthu.xa2'] }, 'Công văn của xã Phú Lộc', '2026-03-02');
});
afterAll(async () => t?.close());

describe('runDigest', () => {
  it('queues one Vietnamese mail per handler with the overdue and near-due items, dates dd/MM/yyyy', async () => {
    const r = await runDigest(t.database.db, NOW);
    expect(r).toEqual({ queued: 4, alreadyQueued: 0, skippedNoEmail: 1, recipients: 5 });
    const nam = await mailOf('chuyenvien.xa');
    expect(nam?.payload.to).toBe('chuyenvien.tanan@thaihoa.gov.vn');
    expect(nam?.payload.subject).toBe('[LienThong] Nhắc hạn xử lý văn bản ngày 10/03/2026: 1 văn bản quá hạn, 3 văn bản sắp đến hạn');
    const text = nam!.payload.text;
    expect(text).toContain('Kính gửi Ông/Bà Hoàng Văn Nam,');
    expect(text).toContain('Văn bản quá hạn xử lý (1):\n- 15/QĐ-UBND — Quyết định về việc kiện toàn Ban chỉ đạo — hạn xử lý 05/03/2026 (quá hạn 5 ngày)');
    expect(text).toContain('- (không số) — Công văn báo cáo số liệu dân số — hạn xử lý 10/03/2026 (đến hạn hôm nay)');
    expect(text).toContain('- 07/KH-UBND — Kế hoạch tổ chức Ngày hội đại đoàn kết — hạn xử lý 12/03/2026 (còn 2 ngày)');
    // A secret document's subject never travels by e-mail.
    expect(text).toContain('- 03/BCH-M — Văn bản mật (xem nội dung trên hệ thống) — hạn xử lý 11/03/2026 (còn 1 ngày)');
    expect(text).not.toContain('quốc phòng');
    expect(text).not.toContain('còn xa hạn');
    expect(text).not.toContain('đã hoàn thành');
  });
  it('reminds the leader and the clerk of a unit-addressed item; each commune only of its own', async () => {
    for (const u of ['lanhdao.xa', 'vanthu.xa']) {
      const m = await mailOf(u);
      expect(m?.payload.text).toContain('21/UBND-VP — Công văn giao Ủy ban nhân dân xã chủ trì — hạn xử lý 09/03/2026 (quá hạn 1 ngày)');
      expect(m?.payload.text).not.toContain('Phú Lộc');
    }
    const xa2 = await mailOf('vanthu.xa2');
    expect(xa2?.payload.to).toBe('vanthu.phuloc@thaihoa.gov.vn');
    expect(xa2?.payload.text).toContain('Công văn của xã Phú Lộc');
    expect(xa2?.payload.text).not.toContain('Tân An');
    expect(await mailOf('motcua.xa')).toBeUndefined();
  });
  it('sends once a day: a second run (another process) queues nothing', async () => {
    expect(await runDigest(t.database.db, new Date('2026-03-10T09:00:00Z'))).toMatchObject({ queued: 0, alreadyQueued: 4 });
    expect((await mails()).length).toBe(4);
  });
});

describe('scheduler and settings', () => {
  it('runs after the configured local time, once per day', async () => {
    const admin = await t.login('admin');
    const put = await t.app.inject({ method: 'PUT', url: '/api/settings/digest', headers: bearer(admin), payload: { enabled: true, time: '08:00', nearDueDays: 1 } });
    expect(put.statusCode, put.body).toBe(200);
    const clock = fixedClock(new Date('2026-03-11T00:30:00Z')); // 07:30 on 11/03
    const scheduler = startDigestScheduler({ db: t.database.db, clock });
    try {
      expect(await scheduler.tick()).toBeNull();
      clock.set(new Date('2026-03-11T01:00:00Z')); // 08:00
      const r = await scheduler.tick();
      expect(r).toMatchObject({ queued: 4, skippedNoEmail: 1 });
      expect(await scheduler.tick()).toBeNull(); // already done today in this process
      // nearDueDays 1: on 11/03 the item due 12/03 is near, the one due 13/03 or later is not.
      const nam = await mailOf('chuyenvien.xa', '2026-03-11');
      expect(nam?.payload.text).toContain('hạn xử lý 12/03/2026 (còn 1 ngày)');
      expect(nam?.payload.text).toContain('hạn xử lý 10/03/2026 (quá hạn 1 ngày)');
      clock.set(new Date('2026-03-12T00:59:00Z')); // 07:59 the next day: not yet
      expect(await scheduler.tick()).toBeNull();
    } finally {
      scheduler.stop();
    }
  });
  it('does nothing when disabled', async () => {
    const admin = await t.login('admin');
    await t.app.inject({ method: 'PUT', url: '/api/settings/digest', headers: bearer(admin), payload: { enabled: false, time: '06:00', nearDueDays: 2 } });
    const scheduler = startDigestScheduler({ db: t.database.db, clock: fixedClock(new Date('2026-03-13T05:00:00Z')) });
    try {
      expect(await scheduler.tick()).toBeNull();
    } finally {
      scheduler.stop();
    }
  });
  it('settings: admin only, validated', async () => {
    const admin = await t.login('admin');
    const got = await t.app.inject({ method: 'GET', url: '/api/settings/digest', headers: bearer(admin) });
    expect(got.json()).toEqual({ enabled: false, time: '06:00', nearDueDays: 2 });
    const clerk = await t.login('vanthu.xa');
    expect((await t.app.inject({ method: 'GET', url: '/api/settings/digest', headers: bearer(clerk) })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'PUT', url: '/api/settings/digest', headers: bearer(clerk), payload: { enabled: true, time: '07:00', nearDueDays: 2 } })).statusCode).toBe(404);
    for (const [payload, field] of [
      [{ enabled: true, time: '24:00', nearDueDays: 2 }, 'time'],
      [{ enabled: true, time: '7:00', nearDueDays: 2 }, 'time'],
      [{ enabled: true, time: '07:00', nearDueDays: 99 }, 'nearDueDays'],
      [{ enabled: 'yes', time: '07:00', nearDueDays: 2 }, 'enabled'],
    ] as const) {
      const res = await t.app.inject({ method: 'PUT', url: '/api/settings/digest', headers: bearer(admin), payload });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  });
});

describe('near due in working days of the handler’s unit calendar', () => {
  const settings = { enabled: true, time: '07:00', nearDueDays: 2 };
  it('over a weekend: due Monday is near on Friday; over Tết: due the day after the holiday is near on the Friday before', async () => {
    const db = t.database.db;
    const phuLoc = await t.unitId('000.02.31.H99');
    const clerk = { userId: user['vanthu.xa2'] };
    await item(db, phuLoc, clerk, 'Công văn hạn thứ Hai 09/02', '2026-02-09');
    await item(db, phuLoc, clerk, 'Công văn hạn thứ Ba 10/02', '2026-02-10');
    await item(db, phuLoc, clerk, 'Công văn hạn thứ Tư 11/02', '2026-02-11');
    await item(db, phuLoc, clerk, 'Báo cáo hạn ngày đầu sau Tết', '2026-02-23');
    await item(db, phuLoc, clerk, 'Báo cáo hạn ngày thứ hai sau Tết', '2026-02-24');
    await item(db, phuLoc, clerk, 'Báo cáo hạn ngày thứ ba sau Tết', '2026-02-25');
    // Friday 06/02/2026 07:30: two working days ahead are Monday 09/02 and Tuesday 10/02 (two calendar days: only Sunday).
    await runDigest(db, new Date('2026-02-06T00:30:00Z'), settings);
    const friday = (await mailOf('vanthu.xa2', '2026-02-06'))?.payload.text ?? '';
    expect(friday).toContain('Công văn hạn thứ Hai 09/02 — hạn xử lý 09/02/2026 (còn 3 ngày, trong đó 1 ngày làm việc)');
    expect(friday).toContain('Công văn hạn thứ Ba 10/02');
    expect(friday).not.toContain('Công văn hạn thứ Tư 11/02');
    // Friday 13/02/2026, the last working day before Tết (14–22/02): the next two working days are 23 and 24/02.
    await runDigest(db, new Date('2026-02-13T00:30:00Z'), settings);
    const beforeTet = (await mailOf('vanthu.xa2', '2026-02-13'))?.payload.text ?? '';
    expect(beforeTet).toContain('Báo cáo hạn ngày đầu sau Tết — hạn xử lý 23/02/2026 (còn 10 ngày, trong đó 1 ngày làm việc)');
    expect(beforeTet).toContain('Báo cáo hạn ngày thứ hai sau Tết');
    expect(beforeTet).not.toContain('Báo cáo hạn ngày thứ ba sau Tết');
  });
});

describe('mail text and local time', () => {
  it('lists at most 50 items and counts the rest', () => {
    const items = Array.from({ length: 60 }, (_, i) => ({ numberSymbol: `${i + 1}/CV`, subject: `Văn bản ${i + 1}`, dueDate: '2026-03-01', secret: false }));
    const { text } = digestMail('Nguyễn Văn A', items, '2026-03-10');
    expect(text).toContain('Văn bản quá hạn xử lý (60):');
    expect(text).toContain('… và 10 văn bản khác.');
    expect(text.split('\n').filter((l) => l.startsWith('- '))).toHaveLength(50);
  });
  it('counts the working days left when a weekend or a holiday falls before the due date', () => {
    const item = (dueDate: string, workingDaysLeft: number) => ({ numberSymbol: '5/CV', subject: 'Báo cáo', dueDate, secret: false, workingDaysLeft });
    // Friday 13/03/2026: Monday 16/03 is 3 days away, one of them a working day; Sunday 15/03 has none.
    const { text } = digestMail('Nguyễn Văn A', [item('2026-03-14', 0), item('2026-03-16', 1), item('2026-03-17', 2)], '2026-03-13');
    expect(text).toContain('hạn xử lý 14/03/2026 (còn 1 ngày, không còn ngày làm việc nào)');
    expect(text).toContain('hạn xử lý 16/03/2026 (còn 3 ngày, trong đó 1 ngày làm việc)');
    expect(text).toContain('hạn xử lý 17/03/2026 (còn 4 ngày, trong đó 2 ngày làm việc)');
  });
  it('reads the time of day in Hà Nội', () => {
    expect(localTime(new Date('2026-03-10T00:30:00Z'))).toBe('07:30');
    expect(localTime(new Date('2026-03-10T17:15:00Z'))).toBe('00:15');
  });
});

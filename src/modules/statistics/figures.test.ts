import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dossierRates } from './index.js';
import { buildScenario, type Scenario } from './scenario.js';
import { createStatsApp, type StatsApp, UNITS } from './testing.js';

/**
 * The figures on a hand-made month (scenario.ts): every category, the period's boundaries in Hà Nội
 * time, carried over, early / on time / late by date, the balance, per procedure and per officer.
 */

let h: StatsApp;
let s: Scenario;
let tanAn: string;
const march = '/api/dossier-statistics?from=2026-03-01&to=2026-03-31';

beforeAll(async () => {
  h = await createStatsApp('2026-02-25T08:00');
  s = await buildScenario(h);
  tanAn = await h.t.unitId(UNITS.tanAn);
}, 400_000);
afterAll(async () => h?.close());

const TAN_AN_MARCH = {
  carriedOver: 3, // A, C, E
  received: 12, // F G H I K L M N O P R U
  receivedCounter: 10,
  receivedOnline: 1, // I
  receivedPost: 1, // K
  done: 7, // A F G H K O U
  doneEarly: 2, // A U
  doneOnTime: 3, // F G K
  doneLate: 2, // H O
  refused: 1, // L
  withdrawn: 1, // E
  stopped: 1, // M
  inProcess: 5, // C I N P R
  inProcessOverdue: 2, // C I (N waits for a supplement; P and R are due 01/04)
  supplementRequested: 1, // N
  notAccepted: 1, // J
};

describe('one-stop figures of a commune for a month', () => {
  it('counts every category with dates compared in Hà Nội time', async () => {
    const r = await h.api('motcua.xa', 'GET', march);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.unit).toEqual({ id: tanAn, name: 'Ủy ban nhân dân xã Tân An' });
    expect(r.body.asOf).toBe(new Date('2026-04-01T00:00:00+07:00').toISOString()); // the period is over: figures at its end
    expect(r.body.totals).toEqual({ ...TAN_AN_MARCH, onTimeRate: 5 / 7, onlineRate: 1 / 12 });
    const t = r.body.totals;
    // The balance of the national report: what there was to handle = what was finished + what is left.
    expect(t.carriedOver + t.received).toBe(t.done + t.refused + t.withdrawn + t.stopped + t.inProcess);
    expect(t.doneEarly + t.doneOnTime + t.doneLate).toBe(t.done);
    expect(r.body.byUnit).toEqual([{ unitId: tanAn, unitName: 'Ủy ban nhân dân xã Tân An', ...r.body.totals }]);
  });

  it('places the period boundaries at local midnight: February, and the last day of March alone', async () => {
    const feb = (await h.api('motcua.xa', 'GET', '/api/dossier-statistics?from=2026-02-01&to=2026-02-28')).body.totals;
    // A B C D E received; F (01/03 00:30 in Hà Nội, 28/02 in UTC) is March's. B done on its day, D refused, A C E go on.
    expect(feb).toMatchObject({ carriedOver: 0, received: 5, receivedCounter: 5, done: 1, doneOnTime: 1, refused: 1, inProcess: 3, inProcessOverdue: 0, onTimeRate: 1 });
    const lastDay = (await h.api('motcua.xa', 'GET', '/api/dossier-statistics?from=2026-03-31&to=2026-03-31')).body.totals;
    // C I N carried over into 31/03; R and P received that day (Q at 00:10 on 01/04 is not); R done after midnight.
    expect(lastDay).toMatchObject({ carriedOver: 3, received: 2, done: 0, inProcess: 5, onTimeRate: null, onlineRate: 0 });
    const april = (await h.api('motcua.xa', 'GET', '/api/dossier-statistics?from=2026-04-01&to=2026-04-30')).body;
    expect(april.asOf).toBe(new Date('2026-04-15T09:00:00+07:00').toISOString()); // running period: figures now
    // R done 01/04 (due 01/04: on time); Q received; C I N P left, with P due 01/04 now overdue too.
    expect(april.totals).toMatchObject({ carriedOver: 5, received: 1, done: 1, doneOnTime: 1, inProcess: 5, inProcessOverdue: 4 });
  });

  it('groups by procedure', async () => {
    const r = await h.api('lanhdao.xa', 'GET', `${march}&groupBy=procedure`);
    expect(r.status).toBe(200);
    expect(r.body.byUnit).toEqual([]);
    const rows = Object.fromEntries(r.body.byProcedure.map((p: { procedureCode: string }) => [p.procedureCode, p]));
    expect(Object.keys(rows)).toEqual(['1.000894', '1.001193', '2.000635']);
    expect(rows['1.001193']).toMatchObject({ procedureName: 'Đăng ký khai sinh', field: 'Hộ tịch', received: 7, receivedOnline: 1, done: 3, doneOnTime: 2, doneLate: 1, refused: 1, inProcess: 3, notAccepted: 1 });
    expect(rows['1.000894']).toMatchObject({ procedureName: 'Đăng ký kết hôn', carriedOver: 3, received: 4, done: 3, doneEarly: 2, doneLate: 1, withdrawn: 1, stopped: 1, inProcess: 2, supplementRequested: 1 });
    expect(rows['2.000635']).toMatchObject({ received: 1, receivedPost: 1, done: 1, doneOnTime: 1, onTimeRate: 1, onlineRate: 0 });
    for (const k of Object.keys(TAN_AN_MARCH) as (keyof typeof TAN_AN_MARCH)[]) {
      expect(r.body.byProcedure.reduce((n: number, p: Record<string, number>) => n + p[k], 0), k).toBe(TAN_AN_MARCH[k]);
    }
  });

  it('groups by officer from the action log: receptions and each step early / on time / late', async () => {
    const r = await h.api('lanhdao.xa', 'GET', `${march}&groupBy=officer`);
    expect(r.status).toBe(200);
    const by = Object.fromEntries(r.body.byOfficer.map((o: { fullName: string }) => [o.fullName, o]));
    expect(Object.keys(by)).toEqual(['Đặng Văn Bình', 'Hoàng Văn Nam', 'Vũ Thị Lan']); // Vietnamese order; Phú Lộc's desk is not Tân An's
    expect(by['Vũ Thị Lan']).toMatchObject({ unitName: 'Ủy ban nhân dân xã Tân An', received: 12 }); // 11 at the counter + I accepted
    // The specialist handed O over on 25/03, days after the step was due.
    expect(by['Hoàng Văn Nam'].stepsLate).toBeGreaterThanOrEqual(1);
    // The same counts, recomputed from each dossier's history as the dossiers module presents it.
    const expected = new Map<string, { received: number; steps: number; early: number; onTime: number; late: number }>();
    const start = new Date('2026-03-01T00:00:00+07:00').getTime();
    const end = new Date('2026-04-01T00:00:00+07:00').getTime();
    for (const id of Object.values(s)) {
      const d = (await h.api('lanhdao.xa', 'GET', `/api/dossiers/${id}`)).body;
      if (d.unitId !== tanAn) continue;
      for (const a of d.history as { at: string; actorName: string; actorKind?: string; action: string; stepOutcome: string | null }[]) {
        const at = new Date(a.at).getTime();
        if (at < start || at >= end || a.actorName === 'Nguyễn Văn An') continue;
        const e = expected.get(a.actorName) ?? { received: 0, steps: 0, early: 0, onTime: 0, late: 0 };
        if (a.action === 'receive' || a.action === 'accept') e.received++;
        if (a.stepOutcome) {
          e.steps++;
          if (a.stepOutcome === 'early') e.early++;
          if (a.stepOutcome === 'on_time') e.onTime++;
          if (a.stepOutcome === 'late') e.late++;
        }
        expected.set(a.actorName, e);
      }
    }
    for (const [name, e] of expected) {
      if (e.received + e.steps === 0) continue;
      expect(by[name], name).toMatchObject({ received: e.received, steps: e.steps, stepsEarly: e.early, stepsOnTime: e.onTime, stepsLate: e.late, onTimeRate: (e.early + e.onTime) / e.steps });
    }
    expect(Object.keys(by).length).toBe([...expected.values()].filter((e) => e.received + e.steps > 0).length);
  });

  it('gives the dashboard its two rates', async () => {
    expect(await dossierRates(h.t.database.db, tanAn, '2026-03-01', '2026-03-31', new Date('2026-04-15T02:00:00Z'))).toEqual({ onTimeRate: 5 / 7, onlineRate: 1 / 12 });
    expect(await dossierRates(h.t.database.db, tanAn, '2025-01-01', '2025-01-31')).toEqual({ onTimeRate: null, onlineRate: null });
  });
});

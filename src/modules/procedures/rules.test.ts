import { describe, expect, it } from 'vitest';
import { demoCatalogue } from './demo-data.js';
import { durationLabel, workingHoursOf } from './duration.js';
import { computeFee, type Fee, feeLabel, feeSchema } from './fees.js';
import { normalizeProcess, type ProcessStep, processProblems } from './process.js';
import { normalizeRecord, type ProcedureRecord, recordInputSchema, recordProblems } from './record.js';
import { localDateOf, parseEffective, startOfLocalDay } from './versions.js';

const certifiedCopy: Fee = { kind: 'tiered', unit: 'trang', tiers: [{ from: 1, price: 2000 }, { from: 3, price: 1000 }], maxPerItem: 200_000, per: 'bản' };

describe('fees (phí, lệ phí)', () => {
  it('certified copy: 2.000 đ for each of pages 1–2, 1.000 đ from page 3', () => {
    expect(computeFee(certifiedCopy, { units: 1 })).toBe(2000);
    expect(computeFee(certifiedCopy, { units: 2 })).toBe(4000);
    expect(computeFee(certifiedCopy, { units: 3 })).toBe(5000);
    expect(computeFee(certifiedCopy, { units: 10 })).toBe(12_000);
  });

  it('certified copy: at most 200.000 đ per copy, multiplied by copies', () => {
    // 4.000 + 1.000 × 196 = 200.000 at 198 pages; beyond that the cap holds.
    expect(computeFee(certifiedCopy, { units: 197 })).toBe(199_000);
    expect(computeFee(certifiedCopy, { units: 198 })).toBe(200_000);
    expect(computeFee(certifiedCopy, { units: 5000 })).toBe(200_000);
    expect(computeFee(certifiedCopy, { units: 3, items: 2 })).toBe(10_000);
    expect(computeFee(certifiedCopy, { units: 500, items: 3 })).toBe(600_000);
  });

  it('fixed per item, per case, and free', () => {
    expect(computeFee({ kind: 'fixed', amount: 8000, per: 'bản sao' }, { items: 3 })).toBe(24_000);
    expect(computeFee({ kind: 'fixed', amount: 10_000 }, { items: 3 })).toBe(10_000);
    expect(computeFee({ kind: 'free', note: 'đúng hạn' }, { items: 4, units: 9 })).toBe(0);
  });

  it('says the rule in Vietnamese', () => {
    expect(feeLabel(certifiedCopy)).toBe('2.000 đ/trang; từ trang 3: 1.000 đ/trang; tối đa 200.000 đ/bản');
    expect(feeLabel({ kind: 'fixed', amount: 8000, per: 'bản sao' })).toBe('8.000 đ/bản sao');
    expect(feeLabel({ kind: 'free', note: 'đăng ký đúng hạn' })).toBe('Miễn phí (đăng ký đúng hạn)');
  });

  it('refuses tiers that do not start at 1 or do not increase, and negative amounts', () => {
    const bad = [
      { kind: 'tiered', unit: 'trang', tiers: [{ from: 2, price: 1 }] },
      { kind: 'tiered', unit: 'trang', tiers: [{ from: 1, price: 2 }, { from: 1, price: 1 }] },
      { kind: 'fixed', amount: -1 },
      { kind: 'percent', amount: 1 },
    ];
    for (const f of bad) expect(feeSchema.safeParse(f).success, JSON.stringify(f)).toBe(false);
  });
});

describe('time limits', () => {
  it('in working hours (same day = one working day; calendar days have none)', () => {
    expect(workingHoursOf({ unit: 'same-day' })).toBe(8);
    expect(workingHoursOf({ unit: 'working-days', amount: 5 })).toBe(40);
    expect(workingHoursOf({ unit: 'working-hours', amount: 4 })).toBe(4);
    expect(workingHoursOf({ unit: 'calendar-days', amount: 15 })).toBeNull();
    expect(durationLabel({ unit: 'working-days', amount: 5 })).toBe('05 ngày làm việc');
    expect(durationLabel({ unit: 'same-day' })).toBe('Trong ngày');
  });

  it('effective dates are Vietnamese calendar days', () => {
    expect(parseEffective('2026-01-01')!.toISOString()).toBe('2025-12-31T17:00:00.000Z');
    expect(parseEffective('2026-02-30')).toBeNull();
    expect(parseEffective('2026-03-01T08:00:00+07:00')!.toISOString()).toBe('2026-03-01T01:00:00.000Z');
    expect(localDateOf(new Date('2026-03-01T18:00:00Z'))).toBe('2026-03-02');
    expect(startOfLocalDay(new Date('2026-03-01T18:00:00Z')).toISOString()).toBe('2026-03-01T17:00:00.000Z');
  });
});

const baseRecord = (over: Partial<ProcedureRecord> = {}): ProcedureRecord =>
  normalizeRecord(
    recordInputSchema.parse({
      executing: { levels: ['commune'] },
      applicants: ['citizen'],
      steps: 'Nộp, xử lý, trả.',
      channels: [{ channel: 'in_person', timeLimit: { unit: 'working-days', amount: 3 }, fee: { kind: 'free' } }],
      cases: [{ name: 'Thông thường', documents: [{ name: 'Tờ khai', originals: 1, copies: 0, required: true }] }],
      result: 'Giấy xác nhận',
      legalBasis: 'Luật …',
      ...over,
    }),
  );

const step = (kind: ProcessStep['kind'], shareKind: ProcessStep['shareKind'], shareValue: number, extra: Partial<ProcessStep> = {}): ProcessStep => ({
  kind, name: kind, role: kind === 'approve' ? 'leader' : kind === 'review' ? 'specialist' : 'onestop_officer', unitRule: 'receiving_unit',
  targetUnitId: null, targetLevel: null, shareKind, shareValue, ...extra,
});

describe('internal process shares (quy trình nội bộ)', () => {
  it('accepts hours that fit the limit (3 working days = 24 h) and fractions summing to at most 1', () => {
    expect(processProblems([step('receive', 'hours', 2), step('review', 'hours', 16), step('approve', 'hours', 4), step('return', 'hours', 2)], baseRecord())).toEqual([]);
    expect(processProblems([step('receive', 'fraction', 0.1), step('review', 'fraction', 0.6), step('approve', 'fraction', 0.2), step('return', 'fraction', 0.1)], baseRecord())).toEqual([]);
    expect(processProblems([step('receive', 'hours', 4), step('review', 'fraction', 0.5), step('return', 'hours', 8)], baseRecord())).toEqual([]);
  });

  it('refuses shares over the limit, naming totals', () => {
    const over = processProblems([step('receive', 'hours', 4), step('review', 'hours', 20), step('return', 'hours', 2)], baseRecord());
    expect(over).toHaveLength(1);
    expect(over[0].message).toMatch(/26 giờ làm việc.*03 ngày làm việc.*24 giờ làm việc/);
    const fractions = processProblems([step('receive', 'fraction', 0.5), step('review', 'fraction', 0.4), step('return', 'fraction', 0.2)], baseRecord());
    expect(fractions.map((e) => e.message).join(' ')).toMatch(/1\.1/);
  });

  it('checks against every limit that applies: a same-day channel and a case with 5 working days', () => {
    const record = baseRecord({
      channels: [{ channel: 'in_person', timeLimit: { unit: 'same-day' }, fee: { kind: 'free' } }],
      cases: [{ key: 'th1', name: 'Cần xác minh', timeLimit: { unit: 'working-days', amount: 5 }, documents: [] }],
    });
    expect(processProblems([step('receive', 'hours', 1), step('review', 'hours', 4), step('approve', 'hours', 2), step('return', 'hours', 1)], record)).toEqual([]);
    expect(processProblems([step('receive', 'hours', 1), step('review', 'hours', 8), step('return', 'hours', 1)], record)[0].message).toMatch(/Trong ngày/);
  });

  it('calendar-day limits take fractions only', () => {
    const record = baseRecord({ channels: [{ channel: 'post', timeLimit: { unit: 'calendar-days', amount: 15 }, fee: { kind: 'free' } }] });
    expect(processProblems([step('receive', 'fraction', 0.2), step('return', 'fraction', 0.8)], record)).toEqual([]);
    expect(processProblems([step('receive', 'hours', 2), step('return', 'fraction', 0.5)], record)[0].message).toMatch(/theo tỷ lệ/);
  });

  it('wants receive first, return last, named targets, and transfer only for two-level procedures', () => {
    const fields = (steps: ProcessStep[], r = baseRecord()) => processProblems(steps, r).map((e) => e.field);
    expect(fields([step('review', 'hours', 1), step('approve', 'hours', 1)])).toEqual(['process.0.kind', 'process.1.kind']);
    expect(fields([step('receive', 'hours', 1), step('review', 'hours', 1, { unitRule: 'named_unit' }), step('return', 'hours', 1)])).toEqual(['process.1.targetUnitId']);
    expect(fields([step('receive', 'hours', 1), step('transfer', 'hours', 1), step('return', 'hours', 1)])).toContain('process.1.kind');
    const twoLevel = baseRecord({ twoLevel: { receivingLevel: 'commune', decidingLevel: 'province', decidingUnitId: null } });
    expect(processProblems([step('receive', 'hours', 1), step('return', 'hours', 1)], twoLevel).map((e) => e.message).join(' ')).toMatch(/chuyển hồ sơ lên cấp quyết định/);
    const ok = [step('receive', 'hours', 1), step('transfer', 'hours', 1), step('decide', 'hours', 8, { role: 'leader', unitRule: 'level', targetLevel: 'province' }), step('return', 'hours', 1)];
    expect(processProblems(ok, twoLevel)).toEqual([]);
  });

  it('keeps a target only where the unit rule uses it', () => {
    const [s] = normalizeProcess([{ kind: 'receive', name: 'Tiếp nhận', role: 'onestop_officer', unitRule: 'receiving_unit', targetUnitId: '0190f3a0-0000-7000-8000-000000000001', targetLevel: 'province', shareKind: 'hours', shareValue: 1 }]);
    expect([s.targetUnitId, s.targetLevel]).toEqual([null, null]);
  });
});

describe('record', () => {
  it('fills case keys, folds to NFC, and names what is wrong', () => {
    const r = baseRecord({ cases: [{ key: 'a', name: 'Một'.normalize('NFD'), documents: [{ name: 'Tờ khai', originals: 0, copies: 0, required: true }] }, { key: 'a', name: 'Hai', documents: [] }] });
    expect(r.cases[0].name).toBe('Một'.normalize('NFC'));
    expect(recordProblems(r).map((e) => e.field)).toEqual(['record.cases.1.key', 'record.cases.0.documents.0']);
    expect(normalizeRecord(recordInputSchema.parse({ ...baseRecord(), cases: [{ name: 'x', documents: [] }, { name: 'y', documents: [] }] })).cases.map((c) => c.key)).toEqual(['th1', 'th2']);
    // A case added after others were removed never takes a key still in use.
    const keys = (cases: { key?: string }[]) => normalizeRecord(recordInputSchema.parse({ ...baseRecord(), cases: cases.map((c) => ({ ...c, name: 'x', documents: [] })) })).cases.map((c) => c.key);
    expect(keys([{ key: 'th2' }, {}])).toEqual(['th2', 'th1']);
    expect(keys([{}, { key: 'th1' }, {}])).toEqual(['th2', 'th1', 'th3']);
  });

  it('the demo catalogue: every process fits its limits, the real fees and limits are there', () => {
    const cat = demoCatalogue({ provinceId: '0190f3a0-0000-7000-8000-000000000001', justiceId: '0190f3a0-0000-7000-8000-000000000002', forms: { birth: '0190f3a0-0000-7000-8000-000000000003', marriage: '0190f3a0-0000-7000-8000-000000000004', extract: '0190f3a0-0000-7000-8000-000000000005', criminal: '0190f3a0-0000-7000-8000-000000000006' } });
    expect(cat.procedures.map((p) => p.code)).toEqual(['1.001193', '1.000894', '2.000635', '2.000815', '2.000884', '2.000488']);
    for (const p of cat.procedures) {
      for (const v of p.versions) {
        const record = normalizeRecord(recordInputSchema.parse(v.record));
        expect(recordProblems(record), p.code).toEqual([]);
        expect(processProblems(normalizeProcess(v.process ?? []), record), p.code).toEqual([]);
      }
    }
    const fee = (code: string) => normalizeRecord(recordInputSchema.parse(cat.procedures.find((p) => p.code === code)!.versions[0].record)).channels[0].fee;
    expect(computeFee(fee('2.000635'), { items: 2 })).toBe(16_000);
    expect(computeFee(fee('2.000815'), { units: 4 })).toBe(6000);
    expect(computeFee(fee('2.000884'))).toBe(10_000);
    expect(computeFee(fee('1.001193'))).toBe(0);
  });
});

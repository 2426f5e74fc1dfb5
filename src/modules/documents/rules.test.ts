import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../core/db/index.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { buildCalendar, DEFAULT_HOLIDAY_RULES, DEFAULT_OFFICE_HOURS } from '../../core/calendar/index.js';
import { addDays, deadlineState, nearDueUntil } from './deadlines.js';
import { ensureBook, localDate, localYear, nextNumber, seriesFor } from './numbering.js';
import { dateLine, padNumber, placeName, renderNotation, renderNumberSymbol } from './symbols.js';
import { buildSearchText, foldText, toTsQuery, unitToken } from './text.js';

describe('number and symbol (Decree 30, Appendix I)', () => {
  it('pads numbers below 10', () => {
    expect(padNumber(1)).toBe('01');
    expect(padNumber(9)).toBe('09');
    expect(padNumber(10)).toBe('10');
    expect(padNumber(125)).toBe('125');
  });
  it('renders a decision, a công văn with the drafting unit, and a legal normative document with its year', () => {
    expect(renderNumberSymbol({ number: 15, year: 2026, typeAbbreviation: 'QĐ', issuerAbbreviation: 'UBND' })).toBe('15/QĐ-UBND');
    expect(renderNumberSymbol({ number: 5, year: 2026, typeAbbreviation: null, issuerAbbreviation: 'UBND', draftingUnitAbbreviation: 'VP' })).toBe('05/UBND-VP');
    expect(renderNumberSymbol({ number: 12, year: 2026, typeAbbreviation: 'QĐ', issuerAbbreviation: 'UBND', legalNormative: true })).toBe('12/2026/QĐ-UBND');
    expect(renderNumberSymbol({ number: 3, year: 2026, typeAbbreviation: 'TTr', issuerAbbreviation: 'SNV' })).toBe('03/TTr-SNV');
  });
  it('a công văn drafted by the agency itself carries the agency abbreviation once', () => {
    expect(renderNotation({ typeAbbreviation: null, issuerAbbreviation: 'UBND', draftingUnitAbbreviation: 'UBND' })).toBe('UBND');
    expect(renderNotation({ typeAbbreviation: null, issuerAbbreviation: 'UBND', draftingUnitAbbreviation: null })).toBe('UBND');
  });
});

describe('date line', () => {
  it('pads the day below 10 and the month only for January and February', () => {
    expect(dateLine('Tân An', '2026-01-05')).toBe('Tân An, ngày 05 tháng 01 năm 2026');
    expect(dateLine('Tân An', '2026-02-28')).toBe('Tân An, ngày 28 tháng 02 năm 2026');
    expect(dateLine('Thái Hòa', '2026-03-09')).toBe('Thái Hòa, ngày 09 tháng 3 năm 2026');
    expect(dateLine('Thái Hòa', '2026-12-25')).toBe('Thái Hòa, ngày 25 tháng 12 năm 2026');
  });
  it('takes the place from the name of a people committee', () => {
    expect(placeName('Ủy ban nhân dân xã Tân An')).toBe('Tân An');
    expect(placeName('Ủy ban nhân dân tỉnh Thái Hòa')).toBe('Thái Hòa');
    expect(placeName('Ủy ban nhân dân thành phố Hải Phòng')).toBe('Hải Phòng');
    expect(placeName('Sở Nội vụ')).toBe('Sở Nội vụ');
  });
});

describe('accent-insensitive search text', () => {
  it('folds Vietnamese to ASCII words', () => {
    expect(foldText('Quyết định về việc ĐĂNG KÝ khai sinh')).toBe('quyet dinh ve viec dang ky khai sinh');
    expect(foldText('Nghị quyết Hội đồng nhân dân')).toBe('nghi quyet hoi dong nhan dan');
    // NFD input (decomposed accents) folds the same
    expect(foldText('Quyết'.normalize('NFD'))).toBe('quyet');
  });
  it('builds the query: every word, the last as a prefix', () => {
    expect(toTsQuery('quyet dinh khai sinh')).toBe('quyet & dinh & khai & sinh:*');
    expect(toTsQuery('Quyết định')).toBe('quyet & dinh:*');
    expect(toTsQuery('15/QĐ-UBND')).toBe('15 & qd & ubnd:*');
    expect(toTsQuery('  !!! ')).toBeNull();
    expect(toTsQuery("a' | b & c")).toBe('a & b & c:*');
  });
  it('indexes subject, number/symbol, issuer, signer and the unit', () => {
    const s = buildSearchText({ unitId: '0193a000-0000-7000-8000-000000000001', subject: 'Quyết định khai sinh', numberSymbol: '15/QĐ-UBND', issuerName: 'Sở Tư pháp', signerName: 'Lê Văn Hùng' });
    for (const w of ['quyet', 'dinh', 'khai', 'sinh', '15', 'qd', 'ubnd', 'so', 'tu', 'phap', 'le', 'van', 'hung']) expect(s.split(' ')).toContain(w);
    expect(s).toContain(unitToken('0193a000-0000-7000-8000-000000000001'));
  });
});

describe('deadline states', () => {
  const now = new Date('2026-11-20T03:00:00Z'); // 10:00 on Friday 20/11/2026 in Hà Nội
  const cal = buildCalendar({ rules: DEFAULT_HOLIDAY_RULES, adjustments: [], hours: DEFAULT_OFFICE_HOURS });
  it('near due ends on the N-th working day after today: over a weekend, over Tết', () => {
    expect(nearDueUntil(cal, '2026-11-20')).toBe('2026-11-24'); // Friday + 2 working days = Tuesday
    expect(nearDueUntil(cal, '2026-11-18')).toBe('2026-11-20'); // Wednesday → Friday
    expect(nearDueUntil(cal, '2026-11-20', 0)).toBe('2026-11-20'); // only today
    expect(nearDueUntil(cal, '2026-02-13')).toBe('2026-02-24'); // Friday before Tết (14–22/02/2026) → 23, 24/02
    expect(nearDueUntil(cal, '2026-02-13', 1)).toBe('2026-02-23');
  });
  it('classifies open items', () => {
    const until = nearDueUntil(cal, '2026-11-20');
    expect(deadlineState(null, null, now, until)).toBe('none');
    expect(deadlineState('2026-11-19', null, now, until)).toBe('overdue');
    expect(deadlineState('2026-11-20', null, now, until)).toBe('near_due');
    expect(deadlineState('2026-11-23', null, now, until)).toBe('near_due'); // Monday, seen on Friday
    expect(deadlineState('2026-11-24', null, now, until)).toBe('near_due');
    expect(deadlineState('2026-11-25', null, now, until)).toBe('on_track');
  });
  it('classifies finished items by local date: finishing on the due day is on time', () => {
    expect(deadlineState('2026-11-20', new Date('2026-11-20T16:59:00Z'), now, '2026-11-24')).toBe('done_on_time'); // 23:59 local
    expect(deadlineState('2026-11-20', new Date('2026-11-20T17:00:00Z'), now, '2026-11-24')).toBe('done_late'); // 00:00 next day local
    expect(deadlineState(null, new Date(), now, '2026-11-24')).toBe('done_on_time');
  });
  it('uses the Hà Nội date, not UTC', () => {
    expect(localDate(new Date('2026-12-31T17:30:00Z'))).toBe('2027-01-01');
    expect(localYear(new Date('2026-12-31T16:59:59Z'))).toBe(2026);
    expect(localYear(new Date('2026-12-31T17:00:00Z'))).toBe(2027);
    expect(addDays('2026-02-27', 2)).toBe('2026-03-01');
  });
});

describe('register numbering', () => {
  let t: TestContext;
  let unit: string;
  beforeAll(async () => {
    t = await createTestApp();
    unit = await t.unitId('000.01.31.H99');
  });
  afterAll(async () => t.close());

  it('chooses separate series for secret and legal normative documents', () => {
    expect(seriesFor({ secrecy: 'none', typeCode: 'CV' })).toBe('regular');
    expect(seriesFor({ secrecy: 'secret', typeCode: 'QD', legalNormative: true })).toBe('secret');
    expect(seriesFor({ secrecy: 'none', typeCode: 'QD', legalNormative: true })).toBe('legal:QD');
  });

  it('runs per book and year and restarts on 1 January', async () => {
    const db = t.database.db;
    const book = await ensureBook(db, unit, 'incoming', 'regular', new Date());
    expect(await ensureBook(db, unit, 'incoming', 'regular', new Date())).toEqual(book);
    const other = await ensureBook(db, unit, 'outgoing', 'regular', new Date());
    expect(other.id).not.toBe(book.id);
    expect(await nextNumber(db, book.id, 2026)).toBe(1);
    expect(await nextNumber(db, book.id, 2026)).toBe(2);
    expect(await nextNumber(db, other.id, 2026)).toBe(1);
    expect(await nextNumber(db, book.id, 2027)).toBe(1);
    expect(await nextNumber(db, book.id, 2026)).toBe(3);
  });

  it('gives a rolled-back registration its number back', async () => {
    const db = t.database.db;
    const book = await ensureBook(db, unit, 'incoming', 'secret', new Date());
    await expect(
      inTransaction(db, async (tx) => {
        await nextNumber(tx, book.id, 2026);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await nextNumber(db, book.id, 2026)).toBe(1);
  });

  it('never hands out the same number twice under concurrency', async () => {
    const db = t.database.db;
    const book = await ensureBook(db, unit, 'outgoing', 'legal:QD', new Date());
    const got = await Promise.all(Array.from({ length: 40 }, () => inTransaction(db, (tx) => nextNumber(tx, book.id, 2026))));
    expect(new Set(got).size).toBe(40);
    expect(Math.max(...got)).toBe(40);
  });
});

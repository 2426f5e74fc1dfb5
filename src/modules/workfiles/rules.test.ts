import { describe, expect, it } from 'vitest';
import { addMonths, daysBetween, fileCode, normalizeNotation, notationOrder, notationProblem, retentionLabel, transferState } from './rules.js';

const valid = (s: string) => notationProblem(normalizeNotation(s)) === null;

describe('notation (ký hiệu hồ sơ)', () => {
  it('accepts a running number, a dot and an abbreviation', () => {
    for (const s of ['01.TCCB', '1.VP', '120.TP', '03.TP-HT', '07.HĐND', '02.VP2', '5.A']) expect(valid(s), s).toBe(true);
  });

  it('normalises case, spaces and Unicode form before checking', () => {
    expect(normalizeNotation('  01.tccb ')).toBe('01.TCCB');
    expect(normalizeNotation('07.hđnd')).toBe('07.HĐND');
    // Decomposed (NFD) input is stored composed.
    expect(normalizeNotation('07.HĐND'.normalize('NFD'))).toBe('07.HĐND'.normalize('NFC'));
  });

  it('refuses anything else, naming the field', () => {
    for (const s of ['', 'TCCB', '01', '01.', '.TCCB', '01-TCCB', '01.TC CB', '1234.VP', '01.TCCB-', '01..VP', 'A1.VP', '01.VP/HT', '01.<b>']) {
      const p = notationProblem(normalizeNotation(s));
      expect(p, s).not.toBeNull();
      expect(p!.field).toBe('notation');
    }
    expect(notationProblem(`01.${'A'.repeat(40)}`)?.message).toMatch(/tối đa 30/);
  });

  it('orders by the running number', () => {
    expect(['10.VP', '02.VP', '1.TP'].sort((a, b) => notationOrder(a) - notationOrder(b))).toEqual(['1.TP', '02.VP', '10.VP']);
  });
});

describe('retention and file code', () => {
  it('labels permanent and limited retention', () => {
    expect(retentionLabel(null)).toBe('Vĩnh viễn');
    expect(retentionLabel(10)).toBe('10 năm');
  });

  it('builds the archives file code from agency identifier, year and notation', () => {
    expect(fileCode('000.01.31.H99', 2026, '01.TCCB')).toBe('000.01.31.H99.2026.01.TCCB');
    expect(fileCode(null, 2026, '01.TCCB')).toBe('2026.01.TCCB');
  });
});

describe('transfer to the archive (nộp lưu)', () => {
  it('adds calendar months, clamping to the end of shorter months', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2025-12-15', 12)).toBe('2026-12-15');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
  });

  it('counts days between local dates', () => {
    expect(daysBetween('2026-01-01', '2026-01-31')).toBe(30);
    expect(daysBetween('2026-03-01', '2026-02-28')).toBe(-1);
  });

  it('is not due until 30 days before the transfer date, then due soon, then overdue', () => {
    // Closed 15/03/2026, 12 months → due 15/03/2027.
    expect(transferState('2026-03-15', 12, '2027-02-12')).toEqual({ dueDate: '2027-03-15', daysLeft: 31, state: 'not_due' });
    expect(transferState('2026-03-15', 12, '2027-02-13')).toEqual({ dueDate: '2027-03-15', daysLeft: 30, state: 'due_soon' });
    expect(transferState('2026-03-15', 12, '2027-03-15')).toEqual({ dueDate: '2027-03-15', daysLeft: 0, state: 'due_soon' });
    expect(transferState('2026-03-15', 12, '2027-03-16')).toEqual({ dueDate: '2027-03-15', daysLeft: -1, state: 'overdue' });
    expect(transferState('2026-03-15', 6, '2026-09-01').state).toBe('due_soon');
  });
});

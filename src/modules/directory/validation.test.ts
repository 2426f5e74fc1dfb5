import { describe, expect, it } from 'vitest';
import { CCCD_PROVINCE_CODES, agencyCodeProblem, emailProblem, idNumberProblem, phoneProblem, usernameProblem } from './validation.js';

describe('agencyCodeProblem (mã định danh, QĐ 20/2020/QĐ-TTg)', () => {
  it.each(['000.00.00.H99', '000.01.31.H99', 'G12', 'H26', 'A', '0', '1.2.3.4.5', 'ABC.123.XYZ', `${'1'.repeat(35)}`])('accepts %s', (code) => {
    expect(agencyCodeProblem(code)).toBeNull();
  });

  it('accepts exactly 35 characters and refuses 36', () => {
    const c35 = '000.00.00.H99.000.00.00.H99.0000000';
    expect(c35).toHaveLength(35);
    expect(agencyCodeProblem(c35)).toBeNull();
    expect(agencyCodeProblem(`${c35}0`)).toBe('Mã định danh dài tối đa 35 ký tự.');
  });

  it('refuses an empty code with its own message', () => {
    expect(agencyCodeProblem('')).toBe('Mã định danh không được để trống.');
  });

  it.each([
    ['lowercase', '000.00.00.h99'],
    ['empty group', '000..H99'],
    ['leading dot', '.000.00.00.H99'],
    ['trailing dot', '000.00.00.H99.'],
    ['only a dot', '.'],
    ['inner space', '000.00 .00.H99'],
    ['surrounding spaces', ' 000.00.00.H99 '],
    ['Vietnamese letter', '000.00.00.Đ99'],
    ['accented capital', 'Ă00.00'],
    ['dash separator', '000-00-00-H99'],
    ['underscore', '000_00'],
    ['full-width digit', '０００.00'],
  ])('refuses %s (%s)', (_why, code) => {
    expect(agencyCodeProblem(code)).toBe(
      'Mã định danh gồm các nhóm chữ số 0–9 và chữ in hoa A–Z, ngăn cách bởi dấu chấm (ví dụ 000.00.00.H99).',
    );
  });
});

describe('idNumberProblem (CCCD)', () => {
  it.each(['001090012345', '079203000001', '096000000000', '038187654321'])('accepts %s', (id) => {
    expect(idNumberProblem(id)).toBeNull();
  });

  it.each(['003090012345', '000090012345', '099090012345', '065123456789', '100000000000'])('refuses %s: no such province code', (id) => {
    expect(idNumberProblem(id)).toBe('Ba chữ số đầu của số CCCD không phải mã tỉnh hợp lệ.');
  });

  it.each([
    ['11 digits', '00109001234'],
    ['13 digits', '0010900123456'],
    ['letters', '00109001234A'],
    ['spaces', '001 090 012 345'],
    ['empty', ''],
    ['trailing newline', '001090012345\n'],
    ['Arabic-Indic digits', '٠٠١٠٩٠٠١٢٣٤٥'],
  ])('refuses %s', (_why, id) => {
    expect(idNumberProblem(id)).toBe('Số CCCD phải gồm đúng 12 chữ số.');
  });

  it('knows the 63 province codes of the pre-2025 list', () => {
    expect(CCCD_PROVINCE_CODES.size).toBe(63);
    expect(CCCD_PROVINCE_CODES.has('001')).toBe(true); // Hà Nội
    expect(CCCD_PROVINCE_CODES.has('079')).toBe(true); // TP Hồ Chí Minh
    expect(CCCD_PROVINCE_CODES.has('003')).toBe(false);
    expect([...CCCD_PROVINCE_CODES].every((c) => /^\d{3}$/.test(c))).toBe(true);
  });
});

describe('usernameProblem', () => {
  it.each(['admin', 'vanthu.xa', 'vanthu.xa2', 'a_b-c', '123', 'x'.repeat(50), '0abc'])('accepts %s', (u) => {
    expect(usernameProblem(u)).toBeNull();
  });

  it.each([
    ['too short', 'ab'],
    ['too long', 'x'.repeat(51)],
    ['uppercase', 'VanThu'],
    ['Vietnamese letters', 'vănthư'],
    ['space', 'van thu'],
    ['starts with a dot', '.vanthu'],
    ['starts with a dash', '-vanthu'],
    ['e-mail address', 'a@b.vn'],
    ['empty', ''],
  ])('refuses %s', (_why, u) => {
    expect(usernameProblem(u)).toBe('Tên đăng nhập gồm 3–50 ký tự chữ thường không dấu, chữ số, dấu chấm, gạch dưới hoặc gạch ngang.');
  });
});

describe('emailProblem', () => {
  it.each(['ubnd@thaihoa.gov.vn', 'a.b+c@example.vn', 'x@y.co'])('accepts %s', (e) => {
    expect(emailProblem(e)).toBeNull();
  });

  it.each(['', 'khong-co-a-cong', 'a@b', '@example.vn', 'a@.', 'a b@example.vn', 'a@@example.vn', `${'a'.repeat(250)}@b.vn`])('refuses %j', (e) => {
    expect(emailProblem(e)).toBe('Địa chỉ e-mail không hợp lệ.');
  });
});

describe('phoneProblem', () => {
  it.each(['0200 3800 100', '0912345678', '+84 912 345 678', '(0200) 3811-111', '0912.345.678'])('accepts %s', (p) => {
    expect(phoneProblem(p)).toBeNull();
  });

  it.each(['', '1234567', '0912abc678', '0'.repeat(21), '+84+912345678', '091234567#'])('refuses %j', (p) => {
    expect(phoneProblem(p)).toBe('Số điện thoại không hợp lệ.');
  });
});

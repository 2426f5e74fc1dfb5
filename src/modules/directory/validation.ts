/**
 * Identifier rules of the directory, as data where the law may change them.
 */

/** Agency identifier (mã định danh, QĐ 20/2020/QĐ-TTg): dot-separated groups of 0–9/A–Z, ≤ 35 chars. */
export function agencyCodeProblem(code: string): string | null {
  if (code.length === 0) return 'Mã định danh không được để trống.';
  if (code.length > 35) return 'Mã định danh dài tối đa 35 ký tự.';
  if (!/^[0-9A-Z]+(\.[0-9A-Z]+)*$/.test(code)) {
    return 'Mã định danh gồm các nhóm chữ số 0–9 và chữ in hoa A–Z, ngăn cách bởi dấu chấm (ví dụ 000.00.00.H99).';
  }
  return null;
}

/**
 * Province codes that open a 12-digit citizen identity number (CCCD, Circular 07/2016/TT-BCA,
 * 63 provinces before the 2025 merger — numbers already issued keep their code).
 */
export const CCCD_PROVINCE_CODES = new Set(
  ('001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 035 036 037 038 040 042 044 045 046 ' +
    '048 049 051 052 054 056 058 060 062 064 066 067 068 070 072 074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096').split(' '),
);

/** Citizen identity number (CCCD): 12 digits, starting with a province code. */
export function idNumberProblem(id: string): string | null {
  if (!/^\d{12}$/.test(id)) return 'Số CCCD phải gồm đúng 12 chữ số.';
  if (!CCCD_PROVINCE_CODES.has(id.slice(0, 3))) return 'Ba chữ số đầu của số CCCD không phải mã tỉnh hợp lệ.';
  return null;
}

export function emailProblem(email: string): string | null {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) && email.length <= 254 ? null : 'Địa chỉ e-mail không hợp lệ.';
}

export function phoneProblem(phone: string): string | null {
  return /^\+?[0-9 .()-]{8,20}$/.test(phone) ? null : 'Số điện thoại không hợp lệ.';
}

export function usernameProblem(username: string): string | null {
  return /^[a-z0-9][a-z0-9._-]{2,49}$/.test(username)
    ? null
    : 'Tên đăng nhập gồm 3–50 ký tự chữ thường không dấu, chữ số, dấu chấm, gạch dưới hoặc gạch ngang.';
}

import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblems, verifyPassword } from './password.js';

describe('password policy', () => {
  it('accepts the demo password', () => {
    expect(passwordProblems('LienThong@2026', 'vanthu.xa')).toEqual([]);
  });
  it.each([
    ['Ngan@1a', 'Mật khẩu phải có ít nhất 10 ký tự.'],
    ['khonghoa@2026', 'Mật khẩu phải có chữ hoa.'],
    ['KHONGTHUONG@2026', 'Mật khẩu phải có chữ thường.'],
    ['KhongCoSo@@@', 'Mật khẩu phải có chữ số.'],
    ['KhongKyTu2026', 'Mật khẩu phải có ký tự đặc biệt.'],
  ])('refuses %s', (pw, reason) => {
    expect(passwordProblems(pw)).toContain(reason);
  });
  it('refuses a password containing the username', () => {
    expect(passwordProblems('Vanthu.xa@2026', 'vanthu.xa')).toContain('Mật khẩu không được chứa tên đăng nhập.');
  });
  it('hashes with argon2id and verifies, NFC-normalising Vietnamese input', async () => {
    const h = await hashPassword('Mật-khẩu@2026');
    expect(h).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(h, 'Mật-khẩu@2026'.normalize('NFD'))).toBe(true);
    expect(await verifyPassword(h, 'Mat-khau@2026')).toBe(false);
    expect(await verifyPassword('not-a-hash', 'x')).toBe(false);
  });
});

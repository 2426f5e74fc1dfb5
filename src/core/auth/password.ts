import { type Algorithm, hash, verify } from '@node-rs/argon2';

// argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane).
const OPTIONS = { algorithm: 2 as Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string): Promise<string> => hash(password.normalize('NFC'), OPTIONS);

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password.normalize('NFC'));
  } catch {
    return false;
  }
}

// Verified against when the username does not exist, so timing does not reveal it.
let dummyHash: Promise<string> | undefined;
export const dummyPasswordHash = (): Promise<string> => (dummyHash ??= hashPassword('khong-co-tai-khoan-nay!A1'));

/** Password policy: returns the Vietnamese reasons the password is refused (empty = accepted). */
export function passwordProblems(password: string, username?: string): string[] {
  const problems: string[] = [];
  if (password.length < 10) problems.push('Mật khẩu phải có ít nhất 10 ký tự.');
  if (password.length > 128) problems.push('Mật khẩu không được dài quá 128 ký tự.');
  if (!/[a-z]/.test(password)) problems.push('Mật khẩu phải có chữ thường.');
  if (!/[A-Z]/.test(password)) problems.push('Mật khẩu phải có chữ hoa.');
  if (!/[0-9]/.test(password)) problems.push('Mật khẩu phải có chữ số.');
  if (!/[^A-Za-z0-9]/.test(password)) problems.push('Mật khẩu phải có ký tự đặc biệt.');
  if (username && username.length >= 3 && password.toLowerCase().includes(username.toLowerCase())) {
    problems.push('Mật khẩu không được chứa tên đăng nhập.');
  }
  return problems;
}

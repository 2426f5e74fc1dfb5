import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';

export const newTotpSecret = (): string => generateSecret();

export async function totpEnrolment(secret: string, account: string, issuer = 'LienThong') {
  const otpauthUrl = generateURI({ issuer, label: account, secret });
  const qrDataUrl = await QRCode.toDataURL(otpauthUrl, { margin: 1, width: 220 });
  return { secret, otpauthUrl, qrDataUrl };
}

/**
 * Accepts the current code and one step either side (clock drift of phones), but never a step at or
 * before the last accepted one. Returns the matched time step, or null.
 */
export async function checkTotp(secret: string, code: string, now: Date, lastStep: number | null): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  try {
    const res = await verify({ secret, token: code, epoch: Math.floor(now.getTime() / 1000), epochTolerance: 30, ...(lastStep != null ? { afterTimeStep: lastStep } : {}) });
    return res.valid ? (res as { timeStep?: number }).timeStep ?? Math.floor(now.getTime() / 30_000) : null;
  } catch {
    return null;
  }
}

import { createHash, X509Certificate } from 'node:crypto';
import { AppError } from '../../core/errors/index.js';

/** What we show and store about a certificate (subject and issuer as "CN=…, O=…", Vietnamese kept as UTF-8). */
export type CertificateInfo = {
  subject: string;
  issuer: string;
  commonName: string | null;
  serialNumber: string; // lower-case hex without leading zeros
  fingerprint: string; // SHA-256 of the DER, lower-case hex
  notBefore: Date;
  notAfter: Date;
  selfSigned: boolean;
  isCa: boolean;
};

const b64 = (s: string) => s.replace(/[^A-Za-z0-9+/=]/g, '');

/** Every certificate in a PEM bundle, or the one DER certificate; 400 with a Vietnamese message otherwise. */
export function readCertificates(input: Uint8Array, field = 'file'): Buffer[] {
  const text = Buffer.from(input).toString('latin1');
  if (text.includes('-----BEGIN CERTIFICATE-----')) {
    const out = [...text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((m) => Buffer.from(b64(m[1]), 'base64'));
    out.forEach((der) => parse(der, field));
    return out;
  }
  const der = Buffer.from(input);
  parse(der, field);
  return [der];
}

function parse(der: Buffer, field: string): X509Certificate {
  try {
    return new X509Certificate(der);
  } catch {
    throw new AppError(400, 'bad-certificate', 'Chứng thư số không hợp lệ', 'Tệp không phải chứng thư số X.509 (PEM hoặc DER).', [{ field, message: 'Không đọc được chứng thư số' }]);
  }
}

/** RFC 4514 order (most specific first), as the validator reports names: "CN=…, O=…, C=VN". */
const dn = (s: string) => s.split('\n').filter(Boolean).reverse().join(', ');

export function certificateInfo(der: Uint8Array): CertificateInfo {
  const c = parse(Buffer.from(der), 'certificate');
  const cn = /(?:^|\n)CN=([^\n]*)/.exec(c.subject)?.[1] ?? null;
  return {
    subject: dn(c.subject),
    issuer: dn(c.issuer),
    commonName: cn,
    serialNumber: c.serialNumber.toLowerCase().replace(/^0+(?=.)/, ''),
    fingerprint: createHash('sha256').update(der).digest('hex'),
    notBefore: new Date(c.validFrom),
    notAfter: new Date(c.validTo),
    selfSigned: c.subject === c.issuer && c.checkIssued(c) && c.verify(c.publicKey),
    isCa: c.ca,
  };
}

export const toPem = (der: Uint8Array) =>
  `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;

export const toBase64 = (der: Uint8Array) => Buffer.from(der).toString('base64');
export const fromBase64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

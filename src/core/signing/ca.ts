import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { buildPkcs12, readPkcs12 } from './pkcs12.js';
import {
  certificateDer,
  engine,
  generateKeyPair,
  OID,
  parseCertificate,
  parseDer,
  randomSerial,
  serialHex,
  subtle,
  toArrayBuffer,
  toBytes,
} from './pki.js';
import { type CertificateAuthority, type CertificateRequest, type IssuedCertificate, type RootCa } from './types.js';

/**
 * The demo certificate authority: a root, officials' and units' certificates with the subject fields
 * of the Vietnamese government CA (Ban Cơ yếu Chính phủ) — CN, T, OU, O, L, ST, C=VN and
 * UID "CCCD:…" (official) or "MST:…" (unit) — and CRLs. Values are UTF8String, so Vietnamese
 * names keep their diacritics. For demos and tests; production keys come from a real CA.
 */

const DAY = 86_400_000;

/**
 * Written into certificates issued without a CRL address. `.invalid` never resolves (RFC 2606):
 * validators that fetch CRLs find nothing, those given the CRL (DSS, upload) use it. Real
 * deployments pass the URL where `lienthong ca crl` publishes.
 */
export const DEFAULT_CRL_URL = 'http://ca.lienthong.invalid/demo-root.crl';

/** emailProtection (what NSS/poppler check for document signers) and documentSigning (RFC 9336). */
const SIGNER_EKU = ['1.3.6.1.5.5.7.3.4', '1.3.6.1.5.5.7.3.36'];
const ATTR = { C: '2.5.4.6', ST: '2.5.4.8', L: '2.5.4.7', O: '2.5.4.10', OU: '2.5.4.11', T: '2.5.4.12', CN: '2.5.4.3' } as const;

type NamePart = [oid: string, value: string | undefined];

/** An X.501 Name with one attribute per RDN (pkijs would put them all in one multi-valued RDN). */
function name(parts: NamePart[]): pkijs.RelativeDistinguishedNames {
  const rdns: asn1js.Set[] = [];
  for (const [type, value] of parts) {
    if (!value) continue;
    const text = value.normalize('NFC');
    const asn =
      type === ATTR.C
        ? new asn1js.PrintableString({ value: text })
        : type === OID.emailAddress
          ? new asn1js.IA5String({ value: text })
          : new asn1js.Utf8String({ value: text });
    rdns.push(new asn1js.Set({ value: [new pkijs.AttributeTypeAndValue({ type, value: asn }).toSchema()] }));
  }
  const sequence = toBytes(new asn1js.Sequence({ value: rdns }).toBER(false));
  return new pkijs.RelativeDistinguishedNames({ schema: parseDer(sequence, 'name') });
}

/** Validity times: UTCTime until 2049, GeneralizedTime after (RFC 5280 §4.1.2.5). */
const time = (date: Date) => new pkijs.Time({ type: date.getUTCFullYear() < 2050 ? 0 : 1, value: date });

async function keyIdentifier(cert: pkijs.Certificate): Promise<ArrayBuffer> {
  return subtle.digest('SHA-1', toArrayBuffer(cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView));
}

function keyUsage(bits: number[]): pkijs.Extension {
  // KeyUsage BIT STRING: bit 0 is the most significant bit of the first byte.
  let value = 0;
  for (const bit of bits) value |= 0x8000 >> bit;
  const bytes = value & 0xff ? new Uint8Array([value >> 8, value & 0xff]) : new Uint8Array([value >> 8]);
  const lastBit = Math.max(...bits);
  const unused = bytes.length * 8 - 1 - lastBit;
  return new pkijs.Extension({
    extnID: '2.5.29.15',
    critical: true,
    extnValue: new asn1js.BitString({ valueHex: toArrayBuffer(bytes), unusedBits: unused }).toBER(false),
  });
}

const KEY_USAGE = { digitalSignature: 0, nonRepudiation: 1, keyCertSign: 5, cRLSign: 6 } as const;

async function makeCertificate(input: {
  subject: pkijs.RelativeDistinguishedNames;
  issuer: pkijs.Certificate | null;
  issuerKey: CryptoKey | null;
  keys: CryptoKeyPair;
  notBefore: Date;
  notAfter: Date;
  ca: boolean;
  email?: string;
  crlUrl?: string;
}): Promise<pkijs.Certificate> {
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = randomSerial();
  cert.subject = input.subject;
  cert.issuer = input.issuer ? input.issuer.subject : input.subject;
  cert.notBefore = time(input.notBefore);
  cert.notAfter = time(input.notAfter);
  await cert.subjectPublicKeyInfo.importKey(input.keys.publicKey, engine);
  const ski = await keyIdentifier(cert);
  const aki = input.issuer ? await keyIdentifier(input.issuer) : ski;
  const extensions: pkijs.Extension[] = [
    new pkijs.Extension({
      extnID: '2.5.29.19',
      critical: true,
      extnValue: new pkijs.BasicConstraints({ cA: input.ca }).toSchema().toBER(false),
    }),
    input.ca
      ? keyUsage([KEY_USAGE.digitalSignature, KEY_USAGE.keyCertSign, KEY_USAGE.cRLSign])
      : keyUsage([KEY_USAGE.digitalSignature, KEY_USAGE.nonRepudiation]),
    new pkijs.Extension({ extnID: '2.5.29.14', extnValue: new asn1js.OctetString({ valueHex: ski }).toBER(false) }),
    new pkijs.Extension({
      extnID: '2.5.29.35',
      extnValue: new pkijs.AuthorityKeyIdentifier({ keyIdentifier: new asn1js.OctetString({ valueHex: aki }) }).toSchema().toBER(false),
    }),
  ];
  if (input.email) {
    extensions.push(
      new pkijs.Extension({
        extnID: '2.5.29.17',
        extnValue: new pkijs.AltName({ altNames: [new pkijs.GeneralName({ type: 1, value: input.email })] }).toSchema().toBER(false),
      }),
    );
  }
  if (!input.ca) {
    extensions.push(new pkijs.Extension({ extnID: '2.5.29.37', extnValue: new pkijs.ExtKeyUsage({ keyPurposes: SIGNER_EKU }).toSchema().toBER(false) }));
    // Also works around poppler 22.12, which reports a valid chain as "Unknown issue with
    // Certificate" when NSS left a stale "extension not found" error while checking a leaf without
    // a CRL distribution point.
    const point = new pkijs.DistributionPoint({ distributionPoint: [new pkijs.GeneralName({ type: 6, value: input.crlUrl ?? DEFAULT_CRL_URL })] });
    extensions.push(
      new pkijs.Extension({ extnID: '2.5.29.31', extnValue: new pkijs.CRLDistributionPoints({ distributionPoints: [point] }).toSchema().toBER(false) }),
    );
  }
  cert.extensions = extensions;
  await cert.sign(input.issuerKey ?? input.keys.privateKey, 'SHA-256', engine);
  return cert;
}

/** A self-signed root (RSA 3072, CA, keyCertSign + cRLSign). */
export async function createRootCa(input: {
  commonName: string;
  organization: string;
  validYears?: number;
  notBefore?: Date;
}): Promise<RootCa> {
  const keys = await generateKeyPair('rsa-3072');
  const notBefore = input.notBefore ?? new Date(Date.now() - DAY);
  const notAfter = new Date(notBefore.getTime() + (input.validYears ?? 20) * 365 * DAY);
  const subject = name([
    [ATTR.C, 'VN'],
    [ATTR.O, input.organization],
    [ATTR.CN, input.commonName],
  ]);
  const cert = await makeCertificate({ subject, issuer: null, issuerKey: null, keys, notBefore, notAfter, ca: true });
  const der = certificateDer(cert);
  return {
    certificate: der,
    privateKey: keys.privateKey,
    serialNumber: serialHex(cert),
    pkcs12: (pin) => buildPkcs12({ privateKey: keys.privateKey, certificates: [der], pin, friendlyName: input.commonName }),
  };
}

/** Reopens a CA stored as PKCS#12 (e.g. by `lienthong ca`). */
export async function caFromPkcs12(pkcs12: Uint8Array, pin: string): Promise<CertificateAuthority> {
  const { privateKey, certificates } = await readPkcs12(pkcs12, pin);
  return { certificate: certificates[0], privateKey };
}

/** An official's or a unit's signing certificate (digitalSignature + nonRepudiation), issued by `ca`. */
export async function issueCertificate(ca: CertificateAuthority, input: CertificateRequest): Promise<IssuedCertificate> {
  const issuer = parseCertificate(ca.certificate);
  const keys = await generateKeyPair(input.keyType);
  const uid =
    input.kind === 'official' ? (input.personalId ? `CCCD:${input.personalId}` : undefined) : input.taxCode ? `MST:${input.taxCode}` : undefined;
  const subject = name([
    [ATTR.C, 'VN'],
    [ATTR.ST, input.province],
    [ATTR.L, input.locality],
    [ATTR.O, input.organization],
    [ATTR.OU, input.organizationalUnit],
    [ATTR.T, input.kind === 'official' ? input.title : undefined],
    [ATTR.CN, input.commonName],
    [OID.uid, uid],
    [OID.emailAddress, input.email],
  ]);
  const notBefore = input.notBefore ?? new Date(Date.now() - DAY);
  const issuerEnd = issuer.notAfter.value.getTime();
  const notAfter = new Date(Math.min(notBefore.getTime() + (input.validYears ?? 3) * 365 * DAY, issuerEnd));
  const cert = await makeCertificate({
    subject,
    issuer,
    issuerKey: ca.privateKey,
    keys,
    notBefore,
    notAfter,
    ca: false,
    email: input.email,
    crlUrl: input.crlUrl,
  });
  const der = certificateDer(cert);
  return {
    certificate: der,
    privateKey: keys.privateKey,
    serialNumber: serialHex(cert),
    pkcs12: (pin) => buildPkcs12({ privateKey: keys.privateKey, certificates: [der, ca.certificate], pin, friendlyName: input.commonName }),
  };
}

/**
 * A CRL (v2, CRL number, authority key identifier) listing the revoked serials (hex, as
 * `serialNumber` gives them). Valid for `validDays` (default 7).
 */
export async function createCrl(
  ca: CertificateAuthority,
  revokedSerials: string[],
  options: { thisUpdate?: Date; validDays?: number; crlNumber?: number } = {},
): Promise<Uint8Array> {
  const issuer = parseCertificate(ca.certificate);
  const thisUpdate = options.thisUpdate ?? new Date();
  const crl = new pkijs.CertificateRevocationList();
  crl.version = 1;
  crl.issuer = issuer.subject;
  crl.thisUpdate = time(thisUpdate);
  crl.nextUpdate = time(new Date(thisUpdate.getTime() + (options.validDays ?? 7) * DAY));
  if (revokedSerials.length > 0) {
    crl.revokedCertificates = revokedSerials.map((serial) => {
      const clean = serial.toLowerCase().replace(/[^0-9a-f]/g, '');
      const even = clean.length % 2 ? `0${clean}` : clean;
      const bytes = Buffer.from(even, 'hex');
      return new pkijs.RevokedCertificate({
        userCertificate: new asn1js.Integer({ valueHex: toArrayBuffer(bytes[0] & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes) }),
        revocationDate: time(thisUpdate),
      });
    });
  }
  crl.crlExtensions = new pkijs.Extensions({
    extensions: [
      new pkijs.Extension({ extnID: '2.5.29.20', extnValue: new asn1js.Integer({ value: options.crlNumber ?? Math.floor(thisUpdate.getTime() / 1000) }).toBER(false) }),
      new pkijs.Extension({
        extnID: '2.5.29.35',
        extnValue: new pkijs.AuthorityKeyIdentifier({ keyIdentifier: new asn1js.OctetString({ valueHex: await keyIdentifier(issuer) }) }).toSchema().toBER(false),
      }),
    ],
  });
  await crl.sign(ca.privateKey, 'SHA-256', engine);
  return toBytes(crl.toSchema(true).toBER(false));
}

/** PEM armour for tools (openssl, certutil) and for people. */
export function toPem(der: Uint8Array, label = 'CERTIFICATE'): string {
  const b64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${b64}${b64.endsWith('\n') ? '' : '\n'}-----END ${label}-----\n`;
}

import { createHash, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { AppError } from '../errors/index.js';
import { children } from './der.js';
import { type KeyType, type SignatureAlgorithm } from './types.js';

/**
 * Shared PKI plumbing: one pkijs crypto engine over Node's WebCrypto, byte conversions, key
 * generation and the OIDs the engine writes.
 */
export const subtle = webcrypto.subtle as SubtleCrypto;
export const engine = new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as Crypto });
pkijs.setEngine('node', engine);

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  timeStampToken: '1.2.840.113549.1.9.16.2.14',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecPublicKey: '1.2.840.10045.2.1',
  uid: '0.9.2342.19200300.100.1.1',
  emailAddress: '1.2.840.113549.1.9.1',
} as const;

/** A fresh ArrayBuffer with exactly these bytes (pkijs/asn1js want ArrayBuffers, not views). */
export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

export const toBytes = (buf: ArrayBuffer | ArrayBufferView): Uint8Array =>
  buf instanceof ArrayBuffer ? new Uint8Array(buf) : new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);

export function hex(bytes: Uint8Array | ArrayBuffer): string {
  return Buffer.from(bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes).toString('hex');
}

/** Parses DER; throws with `what` in the message when the bytes are not one complete ASN.1 value. */
export function parseDer(bytes: Uint8Array, what: string): asn1js.AsnType {
  const parsed = asn1js.fromBER(toArrayBuffer(bytes));
  if (parsed.offset === -1) throw new Error(`${what}: not DER (${parsed.result.error})`);
  return parsed.result;
}

export function parseCertificate(der: Uint8Array): pkijs.Certificate {
  return new pkijs.Certificate({ schema: parseDer(der, 'certificate') });
}

export type CertificateIds = {
  /** DER of the issuer Name. */
  issuer: Uint8Array;
  /** DER of the serialNumber INTEGER. */
  serial: Uint8Array;
};

const idsCache = new Map<string, CertificateIds>();

/**
 * Issuer and serial number of a certificate, sliced straight from the DER (no ASN.1 object tree);
 * cached per certificate.
 */
export function certificateIds(certificate: Uint8Array): CertificateIds {
  const key = createHash('sha1').update(certificate).digest('hex');
  const cached = idsCache.get(key);
  if (cached) return cached;
  let ids: CertificateIds;
  try {
    const tbs = children(certificate)[0];
    const fields = children(certificate, tbs.at);
    const first = fields[0].tag === 0xa0 ? 1 : 0; // [0] version present
    const slice = (f: { at: number; end: number }) => certificate.slice(f.at, f.end);
    ids = { serial: slice(fields[first]), issuer: slice(fields[first + 2]) };
  } catch {
    throw new AppError(422, 'signing-certificate-invalid', 'Chứng thư số không hợp lệ', 'Không đọc được chứng thư số của người ký.');
  }
  if (idsCache.size > 1000) idsCache.clear();
  idsCache.set(key, ids);
  return ids;
}

export const certificateDer = (cert: pkijs.Certificate): Uint8Array => toBytes(cert.toSchema(true).toBER(false));

/** Serial number as lower-case hex without leading zeros (the form CRLs and reports use). */
export function serialHex(cert: pkijs.Certificate): string {
  return hex(cert.serialNumber.valueBlock.valueHexView).replace(/^0+(?=.)/, '');
}

const RSA_PARAMS = (modulusLength: number): RsaHashedKeyGenParams => ({
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: 'SHA-256',
});

export async function generateKeyPair(type: KeyType = 'rsa-2048'): Promise<CryptoKeyPair> {
  const params = type === 'ecdsa-p256' ? { name: 'ECDSA', namedCurve: 'P-256' } : RSA_PARAMS(type === 'rsa-3072' ? 3072 : 2048);
  return (await subtle.generateKey(params, true, ['sign', 'verify'])) as CryptoKeyPair;
}

/** The signature algorithm a key signs with (SHA-256 always). */
export function algorithmOfKey(key: CryptoKey): SignatureAlgorithm {
  return key.algorithm.name === 'ECDSA' ? 'ecdsa-sha256' : 'rsa-pkcs1-sha256';
}

export const sha256Identifier = () => new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 });

/** Random positive serial number of 16 bytes (RFC 5280: unique, at most 20 octets). */
export function randomSerial(): asn1js.Integer {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] & 0x7f) | 0x10; // positive, no leading zero byte
  return new asn1js.Integer({ valueHex: toArrayBuffer(bytes) });
}

/** Imports a PKCS#8 private key for signing; the algorithm is read from the key itself. */
export async function importPrivateKey(pkcs8: Uint8Array): Promise<CryptoKey> {
  const info = new pkijs.PrivateKeyInfo({ schema: parseDer(pkcs8, 'private key') });
  const oid = info.privateKeyAlgorithm.algorithmId;
  if (oid === OID.ecPublicKey) {
    const curve = (info.privateKeyAlgorithm.algorithmParams as asn1js.ObjectIdentifier).valueBlock.toString();
    const namedCurve = { '1.2.840.10045.3.1.7': 'P-256', '1.3.132.0.34': 'P-384', '1.3.132.0.35': 'P-521' }[curve];
    if (!namedCurve) throw new Error(`unsupported elliptic curve ${curve}`);
    return subtle.importKey('pkcs8', toArrayBuffer(pkcs8), { name: 'ECDSA', namedCurve }, true, ['sign']);
  }
  if (oid !== OID.rsaEncryption) throw new Error(`unsupported key algorithm ${oid}`);
  return subtle.importKey('pkcs8', toArrayBuffer(pkcs8), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, true, ['sign']);
}

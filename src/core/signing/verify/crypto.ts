import { createHash, createVerify, verify as oneShotVerify, constants, X509Certificate, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/**
 * Hashes and signature checks for the validator on Node's own crypto (OpenSSL): synchronous, fast,
 * and streaming over several byte ranges without joining them. pkijs/asn1js only parse the structures.
 */

const DIGEST_BY_OID: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** Node's name of a digest algorithm OID, or undefined when unknown. */
export const digestName = (oid: string): string | undefined => DIGEST_BY_OID[oid];

export function hashParts(algorithm: string, parts: Uint8Array[]): Uint8Array {
  const hash = createHash(algorithm);
  for (const part of parts) hash.update(part);
  return hash.digest();
}

export const bytesOf = (view: ArrayBuffer | ArrayBufferView): Uint8Array =>
  view instanceof ArrayBuffer ? new Uint8Array(view) : new Uint8Array(view.buffer, view.byteOffset, view.byteLength);

export const equalBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && Buffer.compare(a, b) === 0;

/** The same bytes typed as pkijs' `fromBER` wants them (it only reads). */
export const der = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => bytes as Uint8Array<ArrayBuffer>;

/** asn1js wants an ArrayBuffer holding exactly the value. */
export function parseBer(bytes: Uint8Array): asn1js.AsnType {
  const copy = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const parsed = asn1js.fromBER(copy);
  if (parsed.offset === -1) throw new Error(`not BER: ${parsed.result.error}`);
  return parsed.result;
}

/** The original encoding of a parsed ASN.1 value (asn1js keeps it). */
export const encodingOf = (value: asn1js.AsnType): Uint8Array => bytesOf(value.valueBeforeDecodeView);

const keys = new WeakMap<pkijs.Certificate, KeyObject | null>();
const encodings = new WeakMap<pkijs.Certificate, Uint8Array>();
const parsed = new Map<string, pkijs.Certificate>();
const PARSED_MAX = 1_000;

/**
 * A certificate from its DER, parsed once per process: the same CA and signer certificates come
 * back in every document, and pkijs parsing is most of the cost of a small verification.
 */
export function certificateFromDer(der: Uint8Array, schema?: asn1js.AsnType): pkijs.Certificate {
  const key = createHash('sha256').update(der).digest('base64');
  let cert = parsed.get(key);
  if (!cert) {
    cert = new pkijs.Certificate({ schema: schema ?? parseBer(der) });
    if (parsed.size >= PARSED_MAX) parsed.delete(parsed.keys().next().value!);
    parsed.set(key, cert);
    encodings.set(cert, new Uint8Array(der));
  }
  return cert;
}

const crls = new Map<string, pkijs.CertificateRevocationList>();

/** A CRL from its DER, parsed once per process (the same CRLs come back in every DSS of a period). */
export function crlFromDer(der: Uint8Array): pkijs.CertificateRevocationList {
  const key = createHash('sha256').update(der).digest('base64');
  let crl = crls.get(key);
  if (!crl) {
    crl = new pkijs.CertificateRevocationList({ schema: parseBer(der) });
    if (crls.size >= PARSED_MAX) crls.delete(crls.keys().next().value!);
    crls.set(key, crl);
  }
  return crl;
}

/** The certificate's DER (as read; re-encoded only for a certificate not made by certificateFromDer). */
export function derOf(cert: pkijs.Certificate): Uint8Array {
  let der = encodings.get(cert);
  if (!der) {
    der = bytesOf(cert.toSchema().toBER(false));
    encodings.set(cert, der);
  }
  return der;
}

export const sameCertificate = (a: pkijs.Certificate, b: pkijs.Certificate): boolean => a === b || equalBytes(a.tbsView, b.tbsView);

/** The certificate's public key as a Node key object (null when Node cannot use it). */
export function publicKeyOf(cert: pkijs.Certificate): KeyObject | null {
  if (keys.has(cert)) return keys.get(cert) ?? null;
  let key: KeyObject | null;
  try {
    key = new X509Certificate(derOf(cert)).publicKey;
  } catch {
    key = null;
  }
  keys.set(cert, key);
  return key;
}

const RSA_PKCS1: Record<string, string | null> = {
  '1.2.840.113549.1.1.1': null, // rsaEncryption: the digest algorithm says which hash
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.14': 'sha224',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
};
const ECDSA: Record<string, string | null> = {
  '1.2.840.10045.2.1': null, // id-ecPublicKey used as a signature algorithm
  '1.2.840.10045.4.1': 'sha1',
  '1.2.840.10045.4.3.1': 'sha224',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};
const RSA_PSS = '1.2.840.113549.1.1.10';
const EDDSA = new Set(['1.3.101.112', '1.3.101.113']);

/** A short, readable name of a signature algorithm for reports ("RSA-SHA256", "ECDSA-SHA256"…). */
export function algorithmLabel(algorithm: pkijs.AlgorithmIdentifier, digestOid?: string): string {
  const oid = algorithm.algorithmId;
  const hash = (RSA_PKCS1[oid] ?? ECDSA[oid] ?? (digestOid ? digestName(digestOid) : undefined))?.toUpperCase();
  if (oid in RSA_PKCS1) return `RSA-${hash ?? '?'}`;
  if (oid in ECDSA) return `ECDSA-${hash ?? '?'}`;
  if (oid === RSA_PSS) return 'RSA-PSS';
  if (EDDSA.has(oid)) return oid.endsWith('112') ? 'Ed25519' : 'Ed448';
  return oid;
}

/**
 * Checks `signature` over the concatenation of `data` with the key, for the algorithm of a
 * certificate, CRL, OCSP response or CMS signer info. False on any mismatch or unusable input.
 */
export function verifySignature(input: {
  algorithm: pkijs.AlgorithmIdentifier;
  /** For algorithms that do not name their hash (rsaEncryption in CMS signer infos). */
  digestOid?: string;
  data: Uint8Array[];
  signature: Uint8Array;
  key: KeyObject | null;
}): boolean {
  const { algorithm, data, signature, key } = input;
  if (!key) return false;
  const oid = algorithm.algorithmId;
  try {
    if (EDDSA.has(oid)) return oneShotVerify(null, Buffer.concat(data), key, signature);
    let hash: string | undefined;
    const options: { key: KeyObject; padding?: number; saltLength?: number; dsaEncoding?: 'der' } = { key };
    if (oid in RSA_PKCS1 || oid in ECDSA) {
      hash = RSA_PKCS1[oid] ?? ECDSA[oid] ?? (input.digestOid ? digestName(input.digestOid) : undefined);
      if (oid in RSA_PKCS1) options.padding = constants.RSA_PKCS1_PADDING;
      else options.dsaEncoding = 'der';
    } else if (oid === RSA_PSS) {
      const params = new pkijs.RSASSAPSSParams({ schema: algorithm.algorithmParams });
      hash = digestName(params.hashAlgorithm.algorithmId);
      options.padding = constants.RSA_PKCS1_PSS_PADDING;
      options.saltLength = params.saltLength;
    }
    if (!hash) return false;
    const verifier = createVerify(hash);
    for (const part of data) verifier.update(part);
    return verifier.verify(options, signature);
  } catch {
    return false;
  }
}

/** Checks that `issuer` signed `cert` (certificate signature over its TBS part). */
export function issuedBy(cert: pkijs.Certificate, issuer: pkijs.Certificate): boolean {
  return verifySignature({
    algorithm: cert.signatureAlgorithm,
    data: [cert.tbsView],
    signature: bytesOf(cert.signatureValue.valueBlock.valueHexView),
    key: publicKeyOf(issuer),
  });
}

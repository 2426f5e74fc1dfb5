import { constants, KeyObject, privateEncrypt } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { AppError } from '../errors/index.js';
import { readPkcs12 } from './pkcs12.js';
import { algorithmOfKey } from './pki.js';
import { type Signer } from './types.js';

/** DER prefix of DigestInfo { sha256, OCTET STRING(32) } (RFC 8017 §9.2 note 1). */
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

const badDigest = () => new AppError(400, 'signing-digest-invalid', 'Yêu cầu không hợp lệ', 'Giá trị băm phải là SHA-256 (32 byte).');

/**
 * A signer over a private key held in this process. RSA: PKCS#1 v1.5 over DigestInfo(SHA-256,
 * digest) — the same bytes `crypto.sign('sha256', data)` makes, without hashing again. ECDSA P-256:
 * @noble/curves signs the digest as given (Node has no pre-hashed ECDSA).
 */
export function keySigner(input: { privateKey: CryptoKey; certificates: Uint8Array[] }): Signer {
  const algorithm = algorithmOfKey(input.privateKey);
  const key = KeyObject.from(input.privateKey);
  let ecScalar: Uint8Array | null = null;
  if (algorithm === 'ecdsa-sha256') {
    const jwk = key.export({ format: 'jwk' });
    if (jwk.crv !== 'P-256' || !jwk.d) throw new AppError(422, 'signing-key-invalid', 'Khoá ký số không được hỗ trợ', 'Chỉ hỗ trợ khoá RSA và ECDSA P-256.');
    ecScalar = Buffer.from(jwk.d, 'base64url');
  }
  const certificates = input.certificates.map((c) => new Uint8Array(c));
  return {
    certificates: async () => certificates,
    async signDigest(digest) {
      if (digest.length !== 32) throw badDigest();
      if (ecScalar) {
        return { signature: p256.sign(digest, ecScalar, { prehash: false, format: 'der', lowS: true }), algorithm };
      }
      const signature = privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([SHA256_DIGEST_INFO, digest]));
      return { signature: new Uint8Array(signature), algorithm };
    },
  };
}

/**
 * The signer of a PKCS#12 (.p12/.pfx) unlocked with the holder's PIN. A wrong PIN is an AppError
 * 422 `signing-pin-invalid` ("Mã PIN không đúng"). The key stays in memory only as long as the
 * returned signer is referenced.
 */
export async function localKeySigner(input: { pkcs12: Uint8Array; pin: string }): Promise<Signer> {
  const { privateKey, certificates } = await readPkcs12(input.pkcs12, input.pin);
  return keySigner({ privateKey, certificates });
}

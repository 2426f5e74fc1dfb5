import { createPublicKey, KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { AppError } from '../errors/index.js';
import { certificateDer, engine, importPrivateKey, parseCertificate, parseDer, subtle, toArrayBuffer, toBytes } from './pki.js';

/**
 * PKCS#12 (RFC 7292) with pkijs: written with PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC) for the key
 * and the certificates and an HMAC-SHA256 MAC — what OpenSSL 3 writes by default, read by
 * OpenSSL, NSS (pk12util) and Windows. Read: any PBES2 file (OpenSSL 3, NSS, recent Windows).
 */

const BAG = {
  key: '1.2.840.113549.1.12.10.1.1',
  shroudedKey: '1.2.840.113549.1.12.10.1.2',
  cert: '1.2.840.113549.1.12.10.1.3',
} as const;
const X509_CERT = '1.2.840.113549.1.9.22.1';
const FRIENDLY_NAME = '1.2.840.113549.1.9.20';
const LOCAL_KEY_ID = '1.2.840.113549.1.9.21';
const PBES2 = '1.2.840.113549.1.5.13';

/** PBKDF2 iterations for the key and the certificates; unlocking costs ~30 ms, a guessed PIN as much. */
const ITERATIONS = 100_000;
const MAC_ITERATIONS = 2048;

export const pinInvalid = () =>
  new AppError(422, 'signing-pin-invalid', 'Mã PIN không đúng', 'Mã PIN không mở được khoá ký số (tệp PKCS#12). Kiểm tra lại mã PIN.');

const pkcs12Invalid = (detail: string) =>
  new AppError(422, 'signing-key-invalid', 'Tệp khoá ký số không hợp lệ', `Tệp khoá ký số (PKCS#12) không dùng được: ${detail}`);

const password = (pin: string) => toArrayBuffer(new TextEncoder().encode(pin.normalize('NFC')));

const encryption = (pin: string) => ({
  password: password(pin),
  contentEncryptionAlgorithm: { name: 'AES-CBC', length: 256 } as pkijs.ContentEncryptionAlgorithm,
  hmacHashAlgorithm: 'SHA-256',
  iterationCount: ITERATIONS,
});

export async function buildPkcs12(input: {
  privateKey: CryptoKey;
  /** Leaf first, then the chain. */
  certificates: Uint8Array[];
  pin: string;
  friendlyName?: string;
}): Promise<Uint8Array> {
  const pkcs8 = new Uint8Array(await subtle.exportKey('pkcs8', input.privateKey));
  const keyId = new Uint8Array(await subtle.digest('SHA-1', toArrayBuffer(input.certificates[0])));
  const attributes = (leaf: boolean) => [
    ...(leaf ? [new pkijs.Attribute({ type: LOCAL_KEY_ID, values: [new asn1js.OctetString({ valueHex: toArrayBuffer(keyId) })] })] : []),
    ...(leaf && input.friendlyName ? [new pkijs.Attribute({ type: FRIENDLY_NAME, values: [new asn1js.BmpString({ value: input.friendlyName })] })] : []),
  ];
  const keyBag = new pkijs.PKCS8ShroudedKeyBag({ parsedValue: new pkijs.PrivateKeyInfo({ schema: parseDer(pkcs8, 'private key') }) });
  await keyBag.makeInternalValues(encryption(input.pin), engine);
  const keyContents = new pkijs.SafeContents({
    safeBags: [new pkijs.SafeBag({ bagId: BAG.shroudedKey, bagValue: keyBag, bagAttributes: attributes(true) })],
  });
  const certContents = new pkijs.SafeContents({
    safeBags: input.certificates.map(
      (der, i) =>
        new pkijs.SafeBag({
          bagId: BAG.cert,
          bagValue: new pkijs.CertBag({ parsedValue: parseCertificate(der) }),
          ...(i === 0 ? { bagAttributes: attributes(true) } : {}),
        }),
    ),
  });
  const authenticatedSafe = new pkijs.AuthenticatedSafe({
    parsedValue: {
      safeContents: [
        { privacyMode: 1, value: certContents },
        { privacyMode: 0, value: keyContents },
      ],
    },
  });
  await authenticatedSafe.makeInternalValues({ safeContents: [encryption(input.pin), {}] }, engine);
  const pfx = new pkijs.PFX({ parsedValue: { integrityMode: 0, authenticatedSafe } });
  await pfx.makeInternalValues({ password: password(input.pin), iterations: MAC_ITERATIONS, pbkdf2HashAlgorithm: 'SHA-256', hmacHashAlgorithm: 'SHA-256' }, engine);
  return toBytes(pfx.toSchema().toBER(false));
}

export type Pkcs12Contents = {
  privateKey: CryptoKey;
  /** Leaf (the key's certificate) first, then the others as found. */
  certificates: Uint8Array[];
};

/** Opens a PKCS#12 with the PIN: the private key and the certificates, leaf first. */
export async function readPkcs12(bytes: Uint8Array, pin: string): Promise<Pkcs12Contents> {
  let pfx: pkijs.PFX;
  try {
    pfx = new pkijs.PFX({ schema: parseDer(bytes, 'PKCS#12') });
  } catch {
    throw pkcs12Invalid('không phải tệp PKCS#12 (.p12/.pfx).');
  }
  try {
    await pfx.parseInternalValues({ password: password(pin), checkIntegrity: true }, engine);
  } catch (err) {
    if (/integrity/i.test((err as Error).message)) throw pinInvalid();
    throw pkcs12Invalid((err as Error).message);
  }
  const safe = pfx.parsedValue?.authenticatedSafe;
  if (!safe) throw pkcs12Invalid('thiếu nội dung.');
  for (const info of safe.safeContents) {
    if (info.contentType === '1.2.840.113549.1.7.6') {
      // A copy: pkijs' schema matching writes into the parsed tree it reads.
      const copy = asn1js.fromBER((info.content as asn1js.Sequence).toBER(false)).result;
      const algorithm = new pkijs.EncryptedData({ schema: copy }).encryptedContentInfo.contentEncryptionAlgorithm.algorithmId;
      if (algorithm !== PBES2) throw legacyEncryption(algorithm);
    }
  }
  try {
    await safe.parseInternalValues({ safeContents: safe.safeContents.map(() => ({ password: password(pin) })) }, engine);
  } catch (err) {
    throw /decrypt|operation/i.test((err as Error).message) ? pinInvalid() : pkcs12Invalid((err as Error).message);
  }
  const certificates: Uint8Array[] = [];
  let pkcs8: Uint8Array | null = null;
  for (const content of safe.parsedValue.safeContents as { value: pkijs.SafeContents }[]) {
    for (const bag of content.value.safeBags) {
      if (bag.bagId === BAG.cert) {
        const certBag = bag.bagValue as pkijs.CertBag;
        if (certBag.certId === X509_CERT) certificates.push(certificateDer(certBag.parsedValue as pkijs.Certificate));
      } else if (bag.bagId === BAG.key) {
        pkcs8 = toBytes((bag.bagValue as unknown as pkijs.PrivateKeyInfo).toSchema().toBER(false));
      } else if (bag.bagId === BAG.shroudedKey) {
        const shrouded = bag.bagValue as pkijs.PKCS8ShroudedKeyBag;
        const algorithm = shrouded.encryptionAlgorithm.algorithmId;
        if (algorithm !== PBES2) throw legacyEncryption(algorithm);
        const info = new pkijs.EncryptedContentInfo({
          contentType: '1.2.840.113549.1.7.1',
          contentEncryptionAlgorithm: shrouded.encryptionAlgorithm,
          encryptedContent: shrouded.encryptedData,
        });
        try {
          pkcs8 = toBytes(await engine.decryptEncryptedContentInfo({ password: password(pin), encryptedContentInfo: info }));
        } catch {
          throw pinInvalid();
        }
      }
    }
  }
  if (!pkcs8) throw pkcs12Invalid('không có khoá bí mật.');
  if (certificates.length === 0) throw pkcs12Invalid('không có chứng thư số.');
  const privateKey = await importPrivateKey(pkcs8).catch((err: Error) => {
    throw pkcs12Invalid(err.message);
  });
  // The leaf is the certificate whose public key matches the private key.
  const spki = createPublicKey(KeyObject.from(privateKey)).export({ type: 'spki', format: 'der' });
  const leafIndex = certificates.findIndex((der) => {
    const cert = parseCertificate(der);
    return Buffer.from(cert.subjectPublicKeyInfo.toSchema().toBER(false)).equals(spki);
  });
  if (leafIndex === -1) throw pkcs12Invalid('không có chứng thư số của khoá bí mật.');
  const [leaf] = certificates.splice(leafIndex, 1);
  return { privateKey, certificates: [leaf, ...certificates] };
}

function legacyEncryption(oid: string): AppError {
  return pkcs12Invalid(
    `mã hoá kiểu cũ (${oid}). Xuất lại tệp với mã hoá AES, ví dụ: openssl pkcs12 -in cu.p12 -legacy -nodes | openssl pkcs12 -export -out moi.p12.`,
  );
}

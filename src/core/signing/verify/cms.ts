import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { algorithmLabel, bytesOf, certificateFromDer, crlFromDer, der, derOf, digestName, encodingOf, equalBytes, hashParts, parseBer, publicKeyOf, verifySignature } from './crypto.js';

/**
 * CMS SignedData (RFC 5652) as used by PDF signatures and RFC 3161 time-stamp tokens: finds the
 * signer's certificate, checks the messageDigest against the content, the signature over the signed
 * attributes and the ESS signing-certificate(-v2) binding, and collects what the signer embedded
 * (certificates, revocation data, time-stamp tokens).
 */

export const OID = {
  signedData: '1.2.840.113549.1.7.2',
  data: '1.2.840.113549.1.7.1',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  signatureTimeStamp: '1.2.840.113549.1.9.16.2.14',
  adbeRevocation: '1.2.840.113583.1.1.8',
  subjectKeyIdentifier: '2.5.29.14',
  sha256: '2.16.840.1.101.3.4.2.1',
} as const;

export type SignedDataCheck = {
  /** Vietnamese reasons the signature value is not valid (empty when it is). */
  problems: string[];
  digestMatches: boolean;
  signatureValid: boolean;
  signer: pkijs.Certificate | null;
  certificates: pkijs.Certificate[];
  /** ESS signing-certificate-v2 (or v1) binding of the signer certificate. */
  ess: 'v2' | 'v1' | 'absent' | 'mismatch';
  signingTimeAttribute: boolean;
  digestAlgorithm: string | null;
  /** The signer's signature algorithm, e.g. "RSA-SHA256". */
  algorithm: string | null;
  /** The signature value (what an RFC 3161 signature time-stamp is computed over). */
  signatureValue: Uint8Array;
  timestampTokens: Uint8Array[];
  crls: pkijs.CertificateRevocationList[];
  ocsps: pkijs.BasicOCSPResponse[];
  eContentType: string;
  /** The encapsulated content when present (TSTInfo of a time-stamp token, SHA-1 digest of adbe.pkcs7.sha1). */
  eContent: Uint8Array | null;
};

/** SignedData taken apart with asn1js (pkijs objects only for the parts used; certificates cached). */
export type ParsedSignedData = {
  eContentType: string;
  eContent: Uint8Array | null;
  certificates: pkijs.Certificate[];
  crls: pkijs.CertificateRevocationList[];
  signerInfos: pkijs.SignerInfo[];
};

/**
 * Fast path: a DER walk that hands pkijs only the signer infos (and certificates not seen before).
 * BER with indefinite lengths, which some producers emit, goes through asn1js as a whole.
 */
export function parseSignedData(der: Uint8Array): ParsedSignedData {
  try {
    return parseDerSignedData(der);
  } catch {
    return parseBerSignedData(der);
  }
}

type Tlv = { cls: number; constructed: boolean; tag: number; start: number; body: number; end: number };

function tlv(buf: Uint8Array, pos: number, limit = buf.length): Tlv {
  const first = buf[pos];
  if (first === undefined || (first & 0x1f) === 0x1f) throw new Error('unsupported tag');
  let p = pos + 1;
  let length = buf[p++];
  if (length === 0x80) throw new Error('indefinite length');
  if (length > 0x80) {
    const count = length & 0x7f;
    if (count > 4) throw new Error('length too long');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + buf[p++];
  }
  const end = p + length;
  if (end > limit) throw new Error('truncated');
  return { cls: first >> 6, constructed: (first & 0x20) !== 0, tag: first & 0x1f, start: pos, body: p, end };
}

function childrenOf(buf: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let p = parent.body; p < parent.end; ) {
    const child = tlv(buf, p, parent.end);
    out.push(child);
    p = child.end;
  }
  return out;
}

const oidOf = (buf: Uint8Array, t: Tlv): string => {
  const value = parseBer(buf.subarray(t.start, t.end));
  if (!(value instanceof asn1js.ObjectIdentifier)) throw new Error('not an OID');
  return value.valueBlock.toString();
};

function parseDerSignedData(der: Uint8Array): ParsedSignedData {
  const info = tlv(der, 0);
  const [type, wrapped] = childrenOf(der, info);
  if (!type || !wrapped || oidOf(der, type) !== OID.signedData) throw new Error('not SignedData');
  const sd = childrenOf(der, wrapped)[0];
  const [, , encap, ...rest] = childrenOf(der, sd);
  const [contentType, content] = childrenOf(der, encap);
  const result: ParsedSignedData = { eContentType: oidOf(der, contentType), eContent: null, certificates: [], crls: [], signerInfos: [] };
  if (content) {
    const octets = childrenOf(der, content)[0];
    if (octets.constructed) throw new Error('constructed OCTET STRING');
    result.eContent = der.subarray(octets.body, octets.end);
  }
  for (const item of rest) {
    const parts = childrenOf(der, item);
    if (item.cls === 2 && item.tag === 0) {
      for (const c of parts) if (c.tag === 16) result.certificates.push(certificateFromDer(der.subarray(c.start, c.end)));
    } else if (item.cls === 2 && item.tag === 1) {
      for (const c of parts) if (c.tag === 16) result.crls.push(crlFromDer(der.subarray(c.start, c.end)));
    } else if (item.cls === 0 && item.tag === 17) {
      for (const c of parts) result.signerInfos.push(new pkijs.SignerInfo({ schema: parseBer(der.subarray(c.start, c.end)) }));
    }
  }
  return result;
}

function parseBerSignedData(der: Uint8Array): ParsedSignedData {
  const info = parseBer(der);
  const [type, wrapped] = info instanceof asn1js.Sequence ? info.valueBlock.value : [];
  if (!(type instanceof asn1js.ObjectIdentifier) || type.valueBlock.toString() !== OID.signedData || !(wrapped instanceof asn1js.Constructed)) {
    throw new Error('not SignedData');
  }
  const sd = wrapped.valueBlock.value[0];
  if (!(sd instanceof asn1js.Sequence)) throw new Error('not SignedData');
  const [, , encap, ...rest] = sd.valueBlock.value;
  const [contentType, content] = encap instanceof asn1js.Sequence ? encap.valueBlock.value : [];
  if (!(contentType instanceof asn1js.ObjectIdentifier)) throw new Error('no encapsulated content info');
  const octets = content instanceof asn1js.Constructed ? content.valueBlock.value[0] : undefined;
  const result: ParsedSignedData = {
    eContentType: contentType.valueBlock.toString(),
    eContent: octets instanceof asn1js.OctetString ? bytesOf(octets.getValue()) : null,
    certificates: [],
    crls: [],
    signerInfos: [],
  };
  for (const item of rest) {
    const tagged = item.idBlock.tagClass === 3 && item instanceof asn1js.Constructed;
    if (tagged && item.idBlock.tagNumber === 0) {
      for (const c of item.valueBlock.value) if (c instanceof asn1js.Sequence) result.certificates.push(certificateFromDer(encodingOf(c), c));
    } else if (tagged && item.idBlock.tagNumber === 1) {
      for (const c of item.valueBlock.value) if (c instanceof asn1js.Sequence) result.crls.push(new pkijs.CertificateRevocationList({ schema: c }));
    } else if (item instanceof asn1js.Set) {
      for (const s of item.valueBlock.value) result.signerInfos.push(new pkijs.SignerInfo({ schema: s }));
    }
  }
  return result;
}

const attribute = (attrs: pkijs.SignedAndUnsignedAttributes | undefined, oid: string) => attrs?.attributes.find((a) => a.type === oid);

/**
 * Checks the first signer of `sd`. `contentDigest(alg)` gives the digest of the detached content
 * (the PDF byte ranges); `contentParts` the content itself, needed only when there are no signed attributes.
 */
export function checkSignedData(sd: ParsedSignedData, detached: { digest(algorithm: string): Uint8Array; parts(): Uint8Array[] } | null): SignedDataCheck {
  const problems: string[] = [];
  const { certificates, eContent } = sd;
  const result: SignedDataCheck = {
    problems,
    digestMatches: false,
    signatureValid: false,
    signer: null,
    certificates,
    ess: 'absent',
    signingTimeAttribute: false,
    digestAlgorithm: null,
    algorithm: null,
    signatureValue: new Uint8Array(),
    timestampTokens: [],
    crls: [...sd.crls],
    ocsps: [],
    eContentType: sd.eContentType,
    eContent,
  };
  const info = sd.signerInfos[0];
  if (!info) {
    problems.push('Gói chữ ký (CMS) không có thông tin người ký.');
    return result;
  }
  result.signatureValue = bytesOf(info.signature.valueBlock.valueHexView);
  result.algorithm = algorithmLabel(info.signatureAlgorithm, info.digestAlgorithm.algorithmId);
  const digestAlgorithm = digestName(info.digestAlgorithm.algorithmId) ?? null;
  result.digestAlgorithm = digestAlgorithm;
  result.signer = findSigner(info, certificates);
  if (!result.signer) problems.push('Không tìm thấy chứng thư số của người ký trong gói chữ ký.');
  if (!digestAlgorithm) {
    problems.push(`Thuật toán băm ${info.digestAlgorithm.algorithmId} không được hỗ trợ.`);
    return result;
  }
  const content = eContent ? { digest: (alg: string) => hashParts(alg, [eContent]), parts: () => [eContent] } : detached;
  if (!content) {
    problems.push('Gói chữ ký không chứa nội dung được ký.');
    return result;
  }

  const signed = info.signedAttrs;
  if (signed) {
    const md = attribute(signed, OID.messageDigest)?.values[0];
    const expected = md instanceof asn1js.OctetString ? bytesOf(md.valueBlock.valueHexView) : null;
    result.digestMatches = expected !== null && equalBytes(expected, content.digest(digestAlgorithm));
    if (!result.digestMatches) problems.push('Giá trị băm của nội dung không khớp: tài liệu đã bị thay đổi sau khi ký.');
    const ct = attribute(signed, OID.contentType)?.values[0];
    if (!(ct instanceof asn1js.ObjectIdentifier) || ct.valueBlock.toString() !== sd.eContentType) {
      problems.push('Thuộc tính loại nội dung (contentType) của chữ ký không đúng.');
      result.digestMatches = false;
    }
    result.signingTimeAttribute = attribute(signed, OID.signingTime) !== undefined;
    // The DER of the SET OF attributes: the [0] IMPLICIT encoding with the SET tag put back.
    const encoded = new Uint8Array(signed.encodedValue.slice(0));
    encoded[0] = 0x31;
    result.signatureValid = verifySignature({
      algorithm: info.signatureAlgorithm,
      digestOid: info.digestAlgorithm.algorithmId,
      data: [encoded],
      signature: result.signatureValue,
      key: result.signer ? publicKeyOf(result.signer) : null,
    });
    if (result.signer) result.ess = essBinding(signed, result.signer);
  } else {
    result.digestMatches = true;
    result.signatureValid = verifySignature({
      algorithm: info.signatureAlgorithm,
      digestOid: info.digestAlgorithm.algorithmId,
      data: content.parts(),
      signature: result.signatureValue,
      key: result.signer ? publicKeyOf(result.signer) : null,
    });
  }
  if (result.signer && !result.signatureValid) problems.push('Giá trị chữ ký không khớp với khoá công khai của chứng thư số người ký.');
  if (result.ess === 'mismatch') problems.push('Thuộc tính signing-certificate không khớp với chứng thư số người ký.');

  for (const attr of info.unsignedAttrs?.attributes ?? []) {
    if (attr.type === OID.signatureTimeStamp) for (const v of attr.values) result.timestampTokens.push(encodingOf(v));
  }
  const archival = attribute(signed, OID.adbeRevocation)?.values[0];
  if (archival) collectArchival(archival, result);
  return result;
}

function findSigner(info: pkijs.SignerInfo, certificates: pkijs.Certificate[]): pkijs.Certificate | null {
  const sid = info.sid;
  if (sid instanceof pkijs.IssuerAndSerialNumber) {
    const issuer = bytesOf(sid.issuer.valueBeforeDecode);
    const serial = bytesOf(sid.serialNumber.valueBlock.valueHexView);
    return (
      certificates.find((c) => equalBytes(bytesOf(c.serialNumber.valueBlock.valueHexView), serial) && equalBytes(bytesOf(c.issuer.valueBeforeDecode), issuer)) ?? null
    );
  }
  // subjectKeyIdentifier [0]
  const ski = sid instanceof asn1js.BaseBlock ? bytesOf((sid as asn1js.Primitive).valueBlock.valueHexView) : null;
  if (!ski) return null;
  return (
    certificates.find((c) => {
      const ext = c.extensions?.find((e) => e.extnID === OID.subjectKeyIdentifier);
      const value = ext?.parsedValue;
      return value instanceof asn1js.OctetString && equalBytes(bytesOf(value.valueBlock.valueHexView), ski);
    }) ?? null
  );
}

/** ESS signing-certificate-v2 (RFC 5035) or v1 (RFC 2634): the first certHash must be the signer certificate's. */
function essBinding(signed: pkijs.SignedAndUnsignedAttributes, signer: pkijs.Certificate): SignedDataCheck['ess'] {
  const der = derOf(signer);
  const v2 = attribute(signed, OID.signingCertificateV2)?.values[0];
  const v1 = attribute(signed, OID.signingCertificate)?.values[0];
  const value = v2 ?? v1;
  if (!value) return 'absent';
  try {
    const certs = (value as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence;
    const first = certs.valueBlock.value[0] as asn1js.Sequence;
    const parts = first.valueBlock.value;
    let algorithm = v2 ? 'sha256' : 'sha1';
    let hashIndex = 0;
    if (v2 && parts[0] instanceof asn1js.Sequence) {
      const oid = (parts[0].valueBlock.value[0] as asn1js.ObjectIdentifier).valueBlock.toString();
      algorithm = digestName(oid) ?? '';
      hashIndex = 1;
    }
    const hash = parts[hashIndex];
    if (!algorithm || !(hash instanceof asn1js.OctetString)) return 'mismatch';
    if (!equalBytes(bytesOf(hash.valueBlock.valueHexView), hashParts(algorithm, [der]))) return 'mismatch';
    return v2 ? 'v2' : 'v1';
  } catch {
    return 'mismatch';
  }
}

/** Adobe's revocation archival attribute: CRLs [0] and OCSP responses [1] embedded by the signer. */
function collectArchival(value: asn1js.AsnType, into: SignedDataCheck): void {
  if (!(value instanceof asn1js.Sequence)) return;
  for (const tagged of value.valueBlock.value) {
    if (!(tagged instanceof asn1js.Constructed)) continue;
    const list = tagged.valueBlock.value[0];
    if (!(list instanceof asn1js.Sequence)) continue;
    for (const item of list.valueBlock.value) {
      try {
        if (tagged.idBlock.tagNumber === 0) into.crls.push(new pkijs.CertificateRevocationList({ schema: item }));
        if (tagged.idBlock.tagNumber === 1) {
          const basic = basicOcsp(new pkijs.OCSPResponse({ schema: item }));
          if (basic) into.ocsps.push(basic);
        }
      } catch {
        // One unreadable entry does not make the others useless.
      }
    }
  }
}

export function basicOcsp(response: pkijs.OCSPResponse): pkijs.BasicOCSPResponse | null {
  if (!response.responseBytes || response.responseBytes.responseType !== '1.3.6.1.5.5.7.48.1.1') return null;
  return pkijs.BasicOCSPResponse.fromBER(der(response.responseBytes.response.valueBlock.valueHexView));
}

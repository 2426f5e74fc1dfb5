/**
 * The validator's report (the signing contract; fields may be added, not renamed). Texts are
 * Vietnamese, times ISO 8601 with +07:00.
 */

export type ChangeReport = {
  category: 'structure' | 'dss' | 'timestamp' | 'signature' | 'form' | 'annotation' | 'content';
  description: string;
  permitted: boolean;
};

export type SignatureReport = {
  fieldName: string;
  signerName: string | null;
  certificate: { subject: string; issuer: string; serialNumber: string; notBefore: string; notAfter: string } | null;
  integrity: 'valid' | 'invalid';
  coversWholeDocument: boolean;
  modificationsAfter: { permitted: boolean; description: string; changes: ChangeReport[] } | null;
  chain: 'trusted' | 'untrusted' | 'unknown-root';
  /** ISO 8601 +07:00: the time-stamp's time when there is a valid one, otherwise /M. */
  signingTime: string | null;
  timestamp: null | { time: string; valid: boolean; authority: string | null; chain: 'trusted' | 'untrusted' | 'unknown-root' };
  level: 'B-B' | 'B-T' | 'B-LT' | 'B-LTA' | 'not-pades';
  subFilter: string;
  reason: string | null;
  location: string | null;
  certification: null | { permissions: 1 | 2 | 3 };
  /** A signature, or a document time-stamp (ETSI.RFC3161) reported as its own entry. */
  kind: 'signature' | 'document-timestamp';
  /** Integrity valid, chain trusted, nothing unpermitted after it, time-stamp (if any) valid. */
  valid: boolean;
  /** Why it is not valid or not trusted, in Vietnamese (empty when all is well). */
  problems: string[];
  /** E.g. "RSA-SHA256". */
  algorithm: string | null;
  /** The signed revision ends here (bytes); signatures are listed in signing order. */
  signedBytes: number;
};

export type VerificationReport = {
  signatures: SignatureReport[];
  /** Plain Vietnamese, e.g. "Tài liệu có 2 chữ ký số, tất cả hợp lệ và được tin cậy." */
  verdict: string;
  valid: boolean;
};

export type VerifyOptions = {
  /** Trusted roots (DER), e.g. the demo root and the government CA roots. */
  trustedRoots: Uint8Array[];
  /** "Now" for checks that need it (revocation without a time-stamp, times in the future). */
  now?: Date;
};

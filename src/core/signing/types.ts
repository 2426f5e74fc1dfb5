/**
 * The signing contract shared by the engine (this folder), the validator (verify/) and the signing
 * module. Names and shapes are agreed: add fields, do not rename.
 */
export type SignatureAlgorithm = 'rsa-pkcs1-sha256' | 'ecdsa-sha256';

export type Signer = {
  /** Leaf certificate first, then intermediates (DER). */
  certificates(): Promise<Uint8Array[]>;
  /** Signs the SHA-256 digest of the DER-encoded CMS signed attributes; returns the raw signature value. */
  signDigest(digest: Uint8Array): Promise<{ signature: Uint8Array; algorithm: SignatureAlgorithm }>;
};

export type Placement =
  /** PDF points, page 1-based, origin bottom-left of the page's crop box. */
  | { page: number; x: number; y: number; width: number; height: number }
  /** Centred on the first occurrence of this text in the PDF. */
  | { placeholder: string; width?: number; height?: number }
  /** Top right of page 1 (attachments and electronic copies, Decree 30 Appendix I). */
  | { attachmentCorner: true }
  | { invisible: true };

export type Appearance = {
  /** The leader's handwritten signature, transparent PNG (or JPEG), centred in the box. */
  signatureImage?: Uint8Array;
  /** The agency seal, red transparent PNG, drawn at real size overlapping the left third of the box. */
  sealImage?: Uint8Array;
  /** Real diameter of the seal, default 36 mm. */
  sealDiameterMm?: number;
  /** Text lines in Tinos 10 pt: number/symbol, agency, ISO 8601 time with +07:00… */
  lines?: string[];
};

export type SignOptions = {
  /** Name of the signature field; a free one ("Signature1", "Signature2", …) when absent. */
  fieldName?: string;
  placement: Placement;
  appearance?: Appearance;
  reason?: string;
  location?: string;
  contactInfo?: string;
  signerName?: string;
  /** Goes in /M of the signature dictionary, not as a signed attribute (PAdES baseline). */
  signingTime: Date;
  /** DocMDP permissions when this is a certification signature (must be the first signature). */
  certify?: 1 | 2 | 3;
  /** RFC 3161 time-stamp authority → PAdES B-T. */
  timestampUrl?: string;
  /** Bytes reserved for the DER CMS (default 16 KiB; more with long chains or timestamps). */
  contentsSize?: number;
};

export type PreparedSignature = {
  /** The PDF with the signature placeholder appended as an incremental update. */
  prepared: Uint8Array;
  byteRange: [number, number, number, number];
  /** SHA-256 of the two byte ranges. */
  contentDigest: Uint8Array;
};

/** Input of the demo CA for an official's or a unit's certificate. */
export type CertificateRequest = {
  kind: 'official' | 'unit';
  /** Official: full name. Unit: the agency's name. */
  commonName: string;
  /** Agency (for an official: the agency they work for). */
  organization: string;
  /** Department or position (OU). */
  organizationalUnit?: string;
  /** Title of an official (X.520 title). */
  title?: string;
  locality?: string;
  province?: string;
  /** Citizen identity card (CCCD) number of an official → UID "CCCD:…". */
  personalId?: string;
  /** Tax code (MST) of a unit → UID "MST:…". */
  taxCode?: string;
  email?: string;
  validYears?: number;
  /** Default RSA 2048. */
  keyType?: KeyType;
  /** CRL distribution point written into the certificate. */
  crlUrl?: string;
  /** Default now. */
  notBefore?: Date;
};

export type KeyType = 'rsa-2048' | 'rsa-3072' | 'ecdsa-p256';

/** A certificate authority able to issue certificates and CRLs. */
export type CertificateAuthority = {
  certificate: Uint8Array;
  privateKey: CryptoKey;
};

export type IssuedCertificate = {
  certificate: Uint8Array;
  privateKey: CryptoKey;
  /** Serial number, lower-case hex without leading zeros. */
  serialNumber: string;
  /** PKCS#12 with the key and the certificate chain, protected by the PIN. */
  pkcs12(pin: string): Promise<Uint8Array>;
};

export type RootCa = CertificateAuthority & {
  serialNumber: string;
  pkcs12(pin: string): Promise<Uint8Array>;
};

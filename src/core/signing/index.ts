/**
 * Digital signatures (chữ ký số): the PAdES signing engine and, in verify/, the validator.
 * Core service: modules use it through this file only.
 */
export type {
  Appearance,
  CertificateAuthority,
  CertificateRequest,
  IssuedCertificate,
  KeyType,
  Placement,
  PreparedSignature,
  RootCa,
  SignatureAlgorithm,
  SignOptions,
  Signer,
} from './types.js';
export { caFromPkcs12, createCrl, createRootCa, DEFAULT_CRL_URL, issueCertificate, toPem } from './ca.js';
export { assembleCms, buildSignedAttributes, cmsMessageDigest } from './cms.js';
export { isoVietnam } from './pdf/appearance.js';
export { addValidationData, readValidationData, type ValidationData } from './pdf/dss.js';
export {
  addFormFields,
  addIssueFields,
  type FieldPlacement,
  fillIssueNumber,
  type FormFieldSpec,
  ISSUE_DATE_FIELD,
  ISSUE_DATE_PLACEHOLDER,
  ISSUE_NUMBER_FIELD,
  ISSUE_NUMBER_PLACEHOLDER,
} from './pdf/form-fields.js';
export { findText, type TextBox } from './pdf/find-text.js';
export { byteRangeDigest, prepareSignature } from './pdf/prepare.js';
export { buildPkcs12, type Pkcs12Contents, readPkcs12 } from './pkcs12.js';
export { addDocumentTimestamp, embedCms, signPdf } from './sign.js';
export { keySigner, localKeySigner } from './signer.js';
export { requestTimestamp, requestTimestampForDigest } from './timestamp.js';
// The validator (verify/, owned by the validator engineer): keep this line when editing the file.
export { type ChangeReport, type SignatureReport, type VerificationReport, type VerifyOptions, verifyPdfSignatures } from './verify/index.js';

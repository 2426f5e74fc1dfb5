// The signing module's public face: credentials, signers, images, verification with the trusted roots,
// external signing and signature records. The documents module wires these into its flows.
import { registerFileAccess } from '../files/index.js';
import { imageFileReadable } from './images.js';

registerFileAccess(imageFileReadable);

export { signingRoutes } from './routes.js';
export { setupSigning, requireKey, type SigningRuntime, type SigningConfig } from './runtime.js';
export { SigningKeyError } from './keys.js';
export { findCredential, activeCredentials, type Credential, type CredentialRow } from './credentials.js';
export { openSigner, assertUsable, MAX_PIN_FAILURES } from './signers.js';
export { signatureImageOf, sealImageOf, DEFAULT_SEAL_DIAMETER_MM } from './images.js';
export { verifyPdf, verifyIfSigned, mayHaveSignatures, recordSignature, recordsForFiles, checkReceivedFiles, levelOf, type StoredRecord, type VerificationReport } from './verify.js';
export { prepareExternal, ownPending, embedExternal, closePending, type PendingRow, type PreparedExternal } from './external.js';
export { initDemoCa, issueDemoCredential, demoCaCertificate, demoCrl } from './authority.js';
export { loadTrustedRoots, addTrustedRoots } from './roots.js';
export { issuingAgency, withValidationData, type AgencyUnit } from './agency.js';
export { certificateInfo, fromBase64, toPem } from './certificates.js';
export { credentialSchema, verificationReportSchema, recordSchema, placementSchema } from './api.js';
export { signatureRecords, signingCredentials, trustedRoots, signatureImages, pendingSignatures } from './schema.js';
export { seedDemoSigning, DEMO_SIGNING_PIN } from './demo.js';
export { runCaCommand, CA_USAGE, CliUsageError } from './cli.js';

import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from '../../core/auth/schema.js';
import { files } from '../../core/files/schema.js';
import { units } from '../directory/schema.js';

// Binary values (certificates, encrypted keys, digests) are stored as base64 text: the same on PGlite and
// PostgreSQL, and the logical backup writes rows as JSON.

export const CREDENTIAL_OWNERS = ['official', 'unit'] as const;
/** local: PKCS#12 kept here (encrypted); remote: a CSC API v2 credential; token: certificate only (USB token, external signing). */
export const CREDENTIAL_KINDS = ['local', 'remote', 'token'] as const;
export const CREDENTIAL_STATUSES = ['active', 'disabled', 'revoked'] as const;

/** Signing credentials (chứng thư số) of officials and of units (the agency seal key). */
export const signingCredentials = pgTable(
  'signing_credentials',
  {
    id: uuid('id').primaryKey(),
    // Owning unit (isolation): the unit itself for a unit credential, the official's unit for an official's.
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    owner: text('owner', { enum: CREDENTIAL_OWNERS }).notNull(),
    userId: uuid('user_id').references(() => users.id), // official credentials
    kind: text('kind', { enum: CREDENTIAL_KINDS }).notNull(),
    label: text('label').notNull(),
    // local: the PKCS#12 encrypted with AES-256-GCM under SIGNING_KEY (iv|tag|ciphertext, base64) and the key's id.
    pkcs12Encrypted: text('pkcs12_encrypted'),
    keyId: text('key_id'),
    // remote: the CSC credential id and the CSC user it belongs to.
    remoteCredentialId: text('remote_credential_id'),
    remoteUserId: text('remote_user_id'),
    // Leaf first, then intermediates; DER as base64.
    certificates: jsonb('certificates').$type<string[]>().notNull(),
    subject: text('subject').notNull(),
    issuer: text('issuer').notNull(),
    serialNumber: text('serial_number').notNull(),
    fingerprint: text('fingerprint').notNull(), // SHA-256 of the leaf DER, hex
    notBefore: timestamp('not_before', { withTimezone: true }).notNull(),
    notAfter: timestamp('not_after', { withTimezone: true }).notNull(),
    source: text('source', { enum: ['demo_ca', 'uploaded', 'remote', 'certificate'] }).notNull(),
    status: text('status', { enum: CREDENTIAL_STATUSES }).notNull().default('active'),
    // Wrong PINs in a row and the lock they caused (PIN guessing is limited per credential).
    failedAttempts: integer('failed_attempts').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('signing_credentials_user_idx').on(t.userId).where(sql`${t.userId} is not null`),
    index('signing_credentials_unit_idx').on(t.unitId, t.owner),
    index('signing_credentials_fingerprint_idx').on(t.fingerprint),
  ],
);

/** Root certificates the validator trusts (deployment-wide, managed by the system administrator). */
export const trustedRoots = pgTable(
  'trusted_roots',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    certificate: text('certificate').notNull(), // DER, base64
    subject: text('subject').notNull(),
    issuer: text('issuer').notNull(),
    serialNumber: text('serial_number').notNull(),
    fingerprint: text('fingerprint').notNull(),
    notBefore: timestamp('not_before', { withTimezone: true }).notNull(),
    notAfter: timestamp('not_after', { withTimezone: true }).notNull(),
    demo: boolean('demo').notNull().default(false),
    note: text('note'),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('trusted_roots_fingerprint_uq').on(t.fingerprint)],
);

/** Certificate authorities kept by this deployment (the demo CA of `lienthong ca`); private key encrypted like local credentials. */
export const signingAuthorities = pgTable('signing_authorities', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  certificate: text('certificate').notNull(),
  // The CA's key and certificate as PKCS#12, encrypted under SIGNING_KEY; key_algorithm says the format.
  privateKeyEncrypted: text('private_key_encrypted').notNull(),
  keyAlgorithm: jsonb('key_algorithm').notNull(),
  keyId: text('key_id').notNull(),
  revokedSerials: jsonb('revoked_serials').$type<string[]>().notNull().default([]),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});

/** Signature images: an official's handwritten signature, a unit's seal (with its real diameter). */
export const signatureImages = pgTable(
  'signature_images',
  {
    id: uuid('id').primaryKey(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    owner: text('owner', { enum: CREDENTIAL_OWNERS }).notNull(),
    userId: uuid('user_id').references(() => users.id),
    fileId: uuid('file_id')
      .notNull()
      .references(() => files.id),
    sealDiameterMm: real('seal_diameter_mm'),
    updatedBy: uuid('updated_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('signature_images_user_uq').on(t.userId).where(sql`${t.owner} = 'official'`),
    uniqueIndex('signature_images_unit_uq').on(t.unitId).where(sql`${t.owner} = 'unit'`),
  ],
);

export const PENDING_STATUSES = ['pending', 'finalised', 'expired', 'cancelled'] as const;

/** External signing in progress: the prepared PDF waits for the CMS from the signing tool on the official's PC. */
export const pendingSignatures = pgTable(
  'pending_signatures',
  {
    id: uuid('id').primaryKey(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    documentId: uuid('document_id').notNull(),
    sourceFileId: uuid('source_file_id')
      .notNull()
      .references(() => files.id),
    purpose: text('purpose', { enum: ['leader', 'seal'] }).notNull(),
    userId: uuid('user_id').notNull(),
    credentialId: uuid('credential_id').references(() => signingCredentials.id),
    preparedSha256: text('prepared_sha256').notNull(), // the prepared PDF in the file store
    byteRange: jsonb('byte_range').$type<[number, number, number, number]>().notNull(),
    contentDigest: text('content_digest').notNull(), // SHA-256 of the byte ranges, base64
    options: jsonb('options').notNull(), // placement etc. (kept for the signature record)
    status: text('status', { enum: PENDING_STATUSES }).notNull().default('pending'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    finalisedAt: timestamp('finalised_at', { withTimezone: true }),
  },
  (t) => [index('pending_signatures_doc_idx').on(t.documentId, t.status), index('pending_signatures_user_idx').on(t.userId, t.status)],
);

export const RECORD_ACTIONS = ['signed', 'sealed', 'uploaded', 'verified'] as const;
export const SIGN_METHODS = ['local', 'remote', 'external', 'upload'] as const;

/**
 * Signature records per document file version: who signed it how (leader's signature, agency seal, a PDF
 * signed elsewhere) or an automatic check of a received file, with the validator's report at that moment.
 */
export const signatureRecords = pgTable(
  'signature_records',
  {
    id: uuid('id').primaryKey(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    documentId: uuid('document_id'), // null: a file checked before it belonged to a document (incoming registration)
    fileId: uuid('file_id')
      .notNull()
      .references(() => files.id),
    sha256: text('sha256').notNull(),
    action: text('action', { enum: RECORD_ACTIONS }).notNull(),
    method: text('method', { enum: SIGN_METHODS }),
    credentialId: uuid('credential_id'),
    actorId: uuid('actor_id'),
    actorName: text('actor_name'),
    at: timestamp('at', { withTimezone: true }).notNull(),
    fieldName: text('field_name'),
    placement: jsonb('placement'),
    level: text('level'),
    valid: boolean('valid').notNull(),
    signatureCount: integer('signature_count').notNull(),
    verdict: text('verdict').notNull(),
    report: jsonb('report').notNull(), // VerificationReport snapshot
  },
  (t) => [index('signature_records_doc_idx').on(t.documentId, t.at).where(sql`${t.documentId} is not null`), index('signature_records_file_idx').on(t.fileId, t.at)],
);

import type { Principal } from '../../core/access/index.js';
import type { Db } from '../../core/db/index.js';
import { AppError } from '../../core/errors/index.js';
import type { FileStore } from '../../core/files/index.js';
import { pageCount } from '../../core/pdf/index.js';
import { activeCredentials, type Credential, sealImageOf, signatureImageOf } from '../signing/index.js';
import { isClerkOf, readableOutgoing } from './outgoing.js';
import { approvedDraftPdf, latestSignedVersion } from './signing-rules.js';

/** Where the signature goes by default: a marker the document templates carry at the signature place. */
export const DEFAULT_PLACEHOLDER = '[CHU_KY]';

export type SigningOptions = {
  sourceFileId: string | null;
  pageCount: number | null;
  credentials: Credential[];
  sealCredentials: Credential[];
  hasSignatureImage: boolean;
  hasSealImage: boolean;
  timestamp: boolean;
  defaultPlaceholder: string;
};

/** What the "Ký số" (signer) and "Đóng dấu và phát hành" (clerk) dialogs need, for the caller. */
export async function signingOptions(db: Db, store: FileStore, p: Principal, id: string, now: Date, timestamp: boolean): Promise<SigningOptions> {
  const d = await readableOutgoing(db, p, id);
  const signed = await latestSignedVersion(db, d.id);
  let source: { fileId: string; sha256: string } | null = signed?.digital ? signed : null;
  if (!source && d.secrecy === 'none') source = await approvedDraftPdf(db, d).catch((err: unknown) => (err instanceof AppError ? null : Promise.reject(err)));
  const clerk = await isClerkOf(db, p, d.unitId);
  const signer = d.signerUserId === p.userId;
  return {
    sourceFileId: source?.fileId ?? null,
    pageCount: source ? await pageCount(await store.read(source.sha256)).catch(() => null) : null,
    credentials: signer ? await activeCredentials(db, { owner: 'official', userId: p.userId }, now) : [],
    sealCredentials: clerk && d.issuerUnitId ? await activeCredentials(db, { owner: 'unit', unitId: d.issuerUnitId }, now) : [],
    hasSignatureImage: signer && !!(await signatureImageOf(db, store, p.userId)),
    hasSealImage: !!d.issuerUnitId && !!(await sealImageOf(db, store, d.issuerUnitId)),
    timestamp,
    defaultPlaceholder: DEFAULT_PLACEHOLDER,
  };
}

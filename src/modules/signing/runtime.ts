import type { Db } from '../../core/db/index.js';
import { AppError } from '../../core/errors/index.js';
import { CscClient, type CscConfig } from './csc.js';
import { checkSigningKey, resolveSigningKey, type SigningKey } from './keys.js';
import { type RevocationFetcher, revocationFetcher } from './revocation.js';

/**
 * What the signing services need from the deployment: the key that encrypts private keys at rest, the
 * time-stamp authority and the remote signing service. Built once by buildApp (and the CLI), checked at
 * start-up: stored keys with no SIGNING_KEY (or another one) stop the server before it listens.
 */
export type SigningRuntime = {
  key: SigningKey | null;
  tsaUrl?: string;
  csc: CscClient | null;
  verifyRateLimitPerMinute: number;
  /** Outside CAs' revocation lists for the DSS of sealed PDFs; null when REVOCATION_FETCH=off. */
  revocation: RevocationFetcher | null;
};

export type SigningConfig = {
  signingKey?: string;
  env: string;
  demoData: boolean;
  dataDir: string;
  tsaUrl?: string;
  csc?: CscConfig;
  verifyRateLimitPerMinute?: number;
  revocationFetch?: boolean;
};

// One per process: revocation lists are public data, the same for every database of the process.
let sharedFetcher: RevocationFetcher | null = null;

export async function setupSigning(db: Db, config: SigningConfig): Promise<SigningRuntime> {
  const key = resolveSigningKey(config);
  await checkSigningKey(db, key);
  const revocation = config.revocationFetch === false ? null : (sharedFetcher ??= revocationFetcher());
  return { key, tsaUrl: config.tsaUrl, csc: config.csc ? new CscClient(config.csc) : null, verifyRateLimitPerMinute: config.verifyRateLimitPerMinute ?? 30, revocation };
}

export function requireKey(rt: SigningRuntime): SigningKey {
  if (!rt.key) {
    throw new AppError(503, 'signing-key-missing', 'Máy chủ chưa cấu hình khoá bảo vệ khoá ký số', 'Cần đặt biến môi trường SIGNING_KEY (32 byte, base64) để lưu hoặc dùng khoá ký số trên máy chủ.');
  }
  return rt.key;
}

export function requireCsc(rt: SigningRuntime): CscClient {
  if (!rt.csc) {
    throw new AppError(503, 'remote-signing-not-configured', 'Chưa cấu hình dịch vụ ký số từ xa', 'Cần đặt CSC_BASE_URL (và CSC_CLIENT_ID, CSC_CLIENT_SECRET) để dùng chữ ký số từ xa.');
  }
  return rt.csc;
}

// Module augmentation needs interfaces.
/* eslint-disable @typescript-eslint/consistent-type-definitions */
declare module 'fastify' {
  interface FastifyInstance {
    /** Signing configuration of this deployment (set by buildApp after the start-up check). */
    signing: SigningRuntime;
  }
}
/* eslint-enable @typescript-eslint/consistent-type-definitions */

import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'phải bắt đầu bằng postgres:// hoặc postgresql://')
    .optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DEMO_DATA: bool.optional(),
  SESSION_TTL_HOURS: z.coerce.number().min(0.01).max(24 * 30).default(12),
  SESSION_IDLE_MINUTES: z.coerce.number().min(1).max(24 * 60).default(120),
  COOKIE_SECURE: bool.optional(),
  TRUST_PROXY: bool.default(false),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  UPLOAD_LIMIT_BYTES: z.coerce.number().int().min(1024).default(50 * 1_048_576),
  LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  LOGIN_LOCK_MINUTES: z.coerce.number().min(0.01).default(15),
  WEB_DIST_DIR: z.string().optional(),
  // An empty value (as docker-compose writes it) means "not configured".
  SMTP_URL: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.string().regex(/^smtps?:\/\/[^/]+/, 'phải có dạng smtp://user:pass@host:587 hoặc smtps://user:pass@host:465').optional(),
  ),
  MAIL_FROM: z.string().min(3).default('LienThong <no-reply@localhost>'),
  PAYMENT_TEST_SECRET: z.string().min(16).default('lienthong-cong-thanh-toan-thu-nghiem'),
  SMS_PROVIDER: z.enum(['log', 'http']).default('log'),
  SMS_HTTP_URL: z.url().optional(),
  SMS_HTTP_TOKEN: z.string().min(1).optional(),
  OUTBOX_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(5000),
  // Digital signatures: the key encrypting private keys at rest (32 bytes, base64), a time-stamp authority
  // (PAdES B-T) and a Cloud Signature Consortium API v2 remote-signing service.
  SIGNING_KEY: z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'phải là 32 byte mã hoá base64 (openssl rand -base64 32)').optional()),
  TSA_URL: z.preprocess((v) => (v === '' ? undefined : v), z.url({ protocol: /^https?$/ }).optional()),
  CSC_BASE_URL: z.preprocess((v) => (v === '' ? undefined : v), z.url({ protocol: /^https?$/ }).optional()),
  CSC_CLIENT_ID: z.string().optional(),
  CSC_CLIENT_SECRET: z.string().optional(),
  VERIFY_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  // Fetch outside CAs' revocation lists (CRL distribution points) when sealing, for PAdES B-LT; off for offline sites.
  REVOCATION_FETCH: z.enum(['on', 'off']).default('on'),
});

export type Config = {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  databasePoolMax: number;
  logLevel: string;
  demoData: boolean;
  sessionTtlMs: number;
  sessionIdleMs: number;
  cookieSecure: boolean;
  trustProxy: boolean;
  bodyLimit: number;
  uploadLimit: number;
  loginRateLimitPerMinute: number;
  loginMaxFailures: number;
  loginLockMs: number;
  webDistDir: string;
  /** Outgoing mail server; without it mail stays in the outbox with a clear error. */
  smtpUrl?: string;
  /** SMS to citizens: `log` records them only (default); `http` posts to SMS_HTTP_URL. */
  sms: { provider: 'log' | 'http'; httpUrl?: string; httpToken?: string };
  /** HMAC secret of the test payment gateway's callbacks (the only provider so far). */
  paymentTestSecret: string;
  mailFrom: string;
  outboxIntervalMs: number;
  /** SIGNING_KEY (base64); see modules/signing/keys.ts for the development fallback. */
  signingKey?: string;
  /** RFC 3161 time-stamp authority: signatures become PAdES B-T. */
  tsaUrl?: string;
  /** CSC API v2 remote signing: base URL (…/csc/v2) and OAuth2 client credentials. */
  csc?: { baseUrl: string; clientId?: string; clientSecret?: string };
  verifyRateLimitPerMinute: number;
  /** Fetch the CRLs named by signing certificates when sealing (modules/signing/revocation.ts). */
  revocationFetch: boolean;
  version: string;
};

export class ConfigError extends Error {}

/** Reads and validates the environment once; every message says which variable is wrong and why. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Cấu hình không hợp lệ (invalid configuration):\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    databasePoolMax: e.DATABASE_POOL_MAX,
    logLevel: e.LOG_LEVEL,
    demoData: e.DEMO_DATA ?? !production,
    sessionTtlMs: e.SESSION_TTL_HOURS * 3_600_000,
    sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
    cookieSecure: e.COOKIE_SECURE ?? production,
    trustProxy: e.TRUST_PROXY,
    bodyLimit: e.BODY_LIMIT_BYTES,
    uploadLimit: e.UPLOAD_LIMIT_BYTES,
    loginRateLimitPerMinute: e.LOGIN_RATE_LIMIT_PER_MINUTE,
    loginMaxFailures: e.LOGIN_MAX_FAILURES,
    loginLockMs: e.LOGIN_LOCK_MINUTES * 60_000,
    webDistDir: path.resolve(e.WEB_DIST_DIR ?? 'web/dist'),
    smtpUrl: e.SMTP_URL,
    paymentTestSecret: e.PAYMENT_TEST_SECRET,
    sms: { provider: e.SMS_PROVIDER, ...(e.SMS_HTTP_URL ? { httpUrl: e.SMS_HTTP_URL } : {}), ...(e.SMS_HTTP_TOKEN ? { httpToken: e.SMS_HTTP_TOKEN } : {}) },
    mailFrom: e.MAIL_FROM,
    outboxIntervalMs: e.OUTBOX_INTERVAL_MS,
    signingKey: e.SIGNING_KEY,
    tsaUrl: e.TSA_URL,
    csc: e.CSC_BASE_URL ? { baseUrl: e.CSC_BASE_URL.replace(/\/+$/, ''), clientId: e.CSC_CLIENT_ID, clientSecret: e.CSC_CLIENT_SECRET } : undefined,
    verifyRateLimitPerMinute: e.VERIFY_RATE_LIMIT_PER_MINUTE,
    revocationFetch: e.REVOCATION_FETCH === 'on',
    version: process.env.npm_package_version ?? '0.1.0',
    ...overrides,
  };
}

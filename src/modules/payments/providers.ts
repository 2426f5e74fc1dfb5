import { createHmac, timingSafeEqual } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../../core/db/index.js';
import { testGatewayTransactions } from './schema.js';

/**
 * A payment provider (cổng thanh toán): creates a payment and gives the address the payer is sent to, checks
 * the signature of its server-to-server callback, and answers a status query (for the re-check job when a
 * callback is lost). Real gateways (the national payment platform of Cổng DVC, banks' gateways) plug in here.
 */
export type CallbackResult = { ref: string; status: 'paid' | 'failed'; amount: number };
export type PaymentProvider = {
  name: string;
  create(db: Db, input: { ref: string; amount: number; description: string; returnUrl: string }, now: Date): Promise<{ redirectUrl: string }>;
  /** Parses and checks a callback body; null when the signature (or shape) is wrong. */
  verifyCallback(body: unknown): CallbackResult | null;
  query(db: Db, ref: string): Promise<{ status: 'pending' | 'paid' | 'failed'; amount: number } | null>;
};

export const TEST_GATEWAY_PATH = '/cong-thanh-toan-thu-nghiem';

/** HMAC-SHA256 of `ref|status|amount` — the shape of the usual Vietnamese gateways' checksum. */
export function signCallback(secret: string, ref: string, status: string, amount: number): string {
  return createHmac('sha256', secret).update(`${ref}|${status}|${amount}`).digest('hex');
}

/**
 * The test gateway ("Cổng thanh toán thử nghiệm"), clearly labelled everywhere: its own book of transactions
 * (test_gateway_transactions), a page where the payer chooses pay or cancel, a signed callback, a status query.
 * No money moves. Its secret comes from PAYMENT_TEST_SECRET.
 */
export function testGateway(secret: string): PaymentProvider {
  return {
    name: 'test',
    async create(db, input, now) {
      await db.insert(testGatewayTransactions).values({ ref: input.ref, amount: input.amount, description: input.description, status: 'pending', returnUrl: input.returnUrl, createdAt: now });
      return { redirectUrl: `${TEST_GATEWAY_PATH}/${encodeURIComponent(input.ref)}` };
    },
    verifyCallback(body) {
      const b = body as { ref?: unknown; status?: unknown; amount?: unknown; signature?: unknown } | null;
      if (!b || typeof b.ref !== 'string' || (b.status !== 'paid' && b.status !== 'failed') || typeof b.amount !== 'number' || typeof b.signature !== 'string') return null;
      const expected = Buffer.from(signCallback(secret, b.ref, b.status, b.amount), 'hex');
      const given = Buffer.from(b.signature, 'hex');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
      return { ref: b.ref, status: b.status, amount: b.amount };
    },
    async query(db, ref) {
      const [t] = await db.select().from(testGatewayTransactions).where(eq(testGatewayTransactions.ref, ref)).limit(1);
      if (!t) return null;
      return { status: t.status === 'paid' ? 'paid' : t.status === 'cancelled' ? 'failed' : 'pending', amount: t.amount };
    },
  };
}

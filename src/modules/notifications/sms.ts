import { z } from 'zod';
import type { Db } from '../../core/db/index.js';
import { newId } from '../../core/ids/index.js';
import { enqueue, type OutboxHandler, PermanentDeliveryError } from '../../core/outbox/index.js';
import { smsMessages } from './schema.js';

/**
 * SMS through a provider chosen by configuration (SMS_PROVIDER). `log` (the default) records the message in
 * `sms_messages` and the log — a deployment without an SMS contract still sees what would have been sent;
 * `http` posts JSON to an SMS gateway (SMS_HTTP_URL, bearer SMS_HTTP_TOKEN), the usual shape of Vietnamese
 * brand-name SMS gateways' REST APIs, adapted by a small proxy if a gateway wants another body.
 * Messages travel through the outbox (kind `sms`): written in the transaction of the change, retried.
 */
export const SMS_KIND = 'sms';

export type SmsMessage = { phone: string; text: string; unitId: string | null; dossierId: string | null };
export type SmsProvider = { name: string; send(db: Db, message: SmsMessage, now: Date): Promise<void> };
export type SmsConfig = { provider: 'log' | 'http'; httpUrl?: string; httpToken?: string };

const SmsPayload = z.object({
  phone: z.string().regex(/^\+?\d{9,15}$/),
  text: z.string().min(1).max(480),
  unitId: z.string().uuid().nullable(),
  dossierId: z.string().uuid().nullable(),
});

/** Vietnamese mobile numbers as written on forms ("0987 654 321", "+84 987…") to digits; null when it is not one. */
export function normalizePhone(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const digits = raw.replace(/[\s.()-]/g, '');
  if (/^\+84\d{9}$/.test(digits)) return `0${digits.slice(3)}`;
  if (/^84\d{9}$/.test(digits)) return `0${digits.slice(2)}`;
  return /^0\d{9}$/.test(digits) ? digits : null;
}

export async function enqueueSms(tx: Db, message: SmsMessage, opts: { dedupeKey?: string | null }, now: Date): Promise<string | null> {
  return enqueue(tx, { kind: SMS_KIND, payload: SmsPayload.parse(message), unitId: message.unitId, dedupeKey: opts.dedupeKey ?? null }, now);
}

async function record(db: Db, provider: string, m: SmsMessage, now: Date, providerRef: string | null): Promise<void> {
  await db.insert(smsMessages).values({ id: newId(), unitId: m.unitId, dossierId: m.dossierId, phone: m.phone, text: m.text, provider, providerRef, sentAt: now });
}

export function createSmsProvider(config: SmsConfig, log: { info(obj: object, msg: string): void }): SmsProvider {
  if (config.provider === 'http') {
    const url = config.httpUrl;
    if (!url) throw new Error('SMS_PROVIDER=http cần SMS_HTTP_URL');
    return {
      name: 'http',
      async send(db, m, now) {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(config.httpToken ? { authorization: `Bearer ${config.httpToken}` } : {}) },
          body: JSON.stringify({ to: m.phone, text: m.text }),
          signal: AbortSignal.timeout(15_000),
        });
        if (res.status >= 400 && res.status < 500) throw new PermanentDeliveryError(`Cổng SMS từ chối tin nhắn (HTTP ${res.status})`);
        if (!res.ok) throw new Error(`Cổng SMS lỗi HTTP ${res.status}`);
        const ref = (await res.text()).slice(0, 200) || null;
        await record(db, 'http', m, now, ref);
      },
    };
  }
  return {
    name: 'log',
    async send(db, m, now) {
      log.info({ phone: m.phone, dossierId: m.dossierId }, `SMS (nhà cung cấp "log", không gửi thật): ${m.text}`);
      await record(db, 'log', m, now, null);
    },
  };
}

/** The outbox handler for kind `sms`. */
export function createSmsHandler(deps: { db: Db; provider: SmsProvider; now: () => Date }): OutboxHandler {
  return async (payload) => {
    const parsed = SmsPayload.safeParse(payload);
    if (!parsed.success) throw new PermanentDeliveryError('Tin nhắn SMS không hợp lệ');
    await deps.provider.send(deps.db, parsed.data, deps.now());
  };
}

import type { LienThongApp } from './app.js';
import type { Config } from './config.js';
import { createMailer, createMailHandler } from './core/mail/index.js';
import { startOutboxWorker } from './core/outbox/index.js';
import { startDigestScheduler } from './modules/documents/index.js';
import { createSmsHandler, createSmsProvider, SMS_KIND } from './modules/notifications/index.js';
import { recheckPending, testGateway } from './modules/payments/index.js';

/**
 * Background work of a serving process: outbox delivery (mail) and scheduled jobs. Started by
 * `lienthong serve` only, so test apps and CLI commands never send anything by themselves. Safe with
 * several processes: the outbox leases rows (FOR UPDATE SKIP LOCKED) and scheduled jobs deduplicate.
 */
export type BackgroundJobs = { stop(): Promise<void> };

export function startBackgroundJobs(app: LienThongApp, config: Config): BackgroundJobs {
  const outboxWorker = startOutboxWorker({
    db: app.db,
    clock: app.clock,
    intervalMs: config.outboxIntervalMs,
    logger: app.log,
    handlers: {
      mail: createMailHandler({ mailer: createMailer(config), fileStore: app.fileStore }),
      [SMS_KIND]: createSmsHandler({ db: app.db, provider: createSmsProvider(config.sms, app.log), now: () => app.clock.now() }),
    },
  });
  // The daily deadline digest (near-due and overdue items per handler) at the configured local time.
  const digest = startDigestScheduler({ db: app.db, clock: app.clock, logger: app.log });
  // Payments whose callback was lost are asked about every minute (systemCtx: the job acts as the system).
  const gateway = testGateway(config.paymentTestSecret);
  const recheck = setInterval(() => {
    const now = app.clock.now();
    recheckPending(app.db, gateway, { actorId: null, actorName: 'Hệ thống', unitId: null, requestId: null, ip: null, now }).catch((err: unknown) => app.log.error({ err }, 'payments re-check failed'));
  }, 60_000);
  recheck.unref();
  if (!config.smtpUrl) app.log.warn('SMTP_URL chưa được cấu hình: thư đi sẽ nằm trong hàng đợi (outbox) cho đến khi cấu hình máy chủ gửi thư');
  return {
    async stop() {
      clearInterval(recheck);
      digest.stop();
      await outboxWorker.stop();
    },
  };
}

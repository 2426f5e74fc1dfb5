import type { LienThongApp } from './app.js';
import type { Config } from './config.js';
import { createMailer, createMailHandler } from './core/mail/index.js';
import { startOutboxWorker } from './core/outbox/index.js';
import { startDigestScheduler } from './modules/documents/index.js';

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
    handlers: { mail: createMailHandler({ mailer: createMailer(config), fileStore: app.fileStore }) },
  });
  // The daily deadline digest (near-due and overdue items per handler) at the configured local time.
  const digest = startDigestScheduler({ db: app.db, clock: app.clock, logger: app.log });
  if (!config.smtpUrl) app.log.warn('SMTP_URL chưa được cấu hình: thư đi sẽ nằm trong hàng đợi (outbox) cho đến khi cấu hình máy chủ gửi thư');
  return {
    async stop() {
      digest.stop();
      await outboxWorker.stop();
    },
  };
}

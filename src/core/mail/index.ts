import nodemailer from 'nodemailer';
import { z } from 'zod';
import type { Config } from '../../config.js';
import type { Db } from '../db/index.js';
import { AppError } from '../errors/index.js';
import type { FileStore } from '../files/index.js';
import { enqueue, type OutboxHandler, PermanentDeliveryError } from '../outbox/index.js';

/**
 * Outgoing mail over SMTP. Services never send directly: they call `enqueueMail` in their
 * transaction and the outbox worker delivers through `createMailHandler`, with retries.
 */

export const MAIL_KIND = 'mail';

export type MailAttachment = { filename: string; content: Buffer; contentType: string };

export type MailMessage = {
  to: string | string[];
  subject: string;
  text: string;
  html?: string;
  attachments?: MailAttachment[];
};

export type Mailer = {
  /** False when SMTP_URL is not set: `send` then always fails with a clear message. */
  readonly configured: boolean;
  send(message: MailMessage): Promise<{ messageId: string }>;
};

export type MailConfig = Pick<Config, 'smtpUrl' | 'mailFrom'>;

export const mailNotConfigured = () =>
  new AppError(
    503,
    'mail-not-configured',
    'Chưa cấu hình máy chủ gửi thư',
    'Chưa cấu hình máy chủ gửi thư (biến môi trường SMTP_URL) nên thư chưa được gửi; thư vẫn nằm trong hàng đợi và sẽ được gửi lại sau khi cấu hình.',
  );

type SmtpError = Error & { code?: string; responseCode?: number };

export function createMailer(config: MailConfig): Mailer {
  if (!config.smtpUrl) {
    return {
      configured: false,
      send: async () => {
        throw mailNotConfigured();
      },
    };
  }
  // One connection per message (no pool): nothing to close, and a restarted server is picked up at once.
  const transport = nodemailer.createTransport({
    url: config.smtpUrl,
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  });
  return {
    configured: true,
    async send(message) {
      try {
        const info = await transport.sendMail({
          from: config.mailFrom,
          to: message.to,
          subject: message.subject.normalize('NFC'),
          text: message.text.normalize('NFC'),
          html: message.html?.normalize('NFC'),
          attachments: message.attachments?.map((a) => ({ filename: a.filename.normalize('NFC'), content: a.content, contentType: a.contentType })),
        });
        return { messageId: String(info.messageId) };
      } catch (err) {
        const e = err as SmtpError;
        const why = `Không gửi được thư qua máy chủ SMTP: ${e.message}`;
        // A recipient the server refuses for good (5xx on RCPT TO) will not be accepted on a retry.
        if (e.code === 'EENVELOPE' && (e.responseCode ?? 0) >= 500) throw new PermanentDeliveryError(why);
        throw new Error(why, { cause: err });
      }
    },
  };
}

const email = z.email('địa chỉ thư không hợp lệ');

/** What the outbox row holds: files by SHA-256 (read from the file store at delivery), never bytes. */
export const MailPayloadSchema = z.object({
  to: z.union([email, z.array(email).min(1).max(100)]),
  subject: z.string().min(1).max(500),
  text: z.string().max(200_000),
  html: z.string().max(500_000).optional(),
  attachments: z
    .array(
      z.object({
        filename: z.string().min(1).max(255),
        sha256: z.string().regex(/^[0-9a-f]{64}$/, 'mã SHA-256 không hợp lệ'),
        contentType: z.string().min(3).max(255),
      }),
    )
    .max(20)
    .optional(),
});

export type MailPayload = z.infer<typeof MailPayloadSchema>;

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'thư'}: ${i.message}`).join('; ');
}

/** Queues a mail in the caller's transaction. Returns the outbox id, or null when deduplicated. */
export async function enqueueMail(
  tx: Db,
  mail: MailPayload,
  opts: { unitId?: string | null; dedupeKey?: string | null; notBefore?: Date },
  now: Date,
): Promise<string | null> {
  const parsed = MailPayloadSchema.safeParse(mail);
  if (!parsed.success) throw new AppError(400, 'validation', 'Dữ liệu thư không hợp lệ', describeIssues(parsed.error));
  return enqueue(tx, { kind: MAIL_KIND, payload: parsed.data, ...opts }, now);
}

/** The outbox handler for kind 'mail': reads attachments from the file store, then sends. */
export function createMailHandler(deps: { mailer: Mailer; fileStore: FileStore }): OutboxHandler {
  return async (payload) => {
    const parsed = MailPayloadSchema.safeParse(payload);
    if (!parsed.success) throw new PermanentDeliveryError(`Thư không hợp lệ: ${describeIssues(parsed.error)}`);
    const mail = parsed.data;
    // Fail before reading files when there is no server: the row keeps this reason.
    if (!deps.mailer.configured) throw mailNotConfigured();
    const attachments: MailAttachment[] = [];
    for (const a of mail.attachments ?? []) {
      let content: Buffer;
      try {
        content = await deps.fileStore.read(a.sha256);
      } catch (err) {
        const why = `Không đọc được tệp đính kèm "${a.filename}" (SHA-256 ${a.sha256.slice(0, 12)}…) trong kho tệp`;
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new PermanentDeliveryError(`${why}: tệp không tồn tại`);
        throw new Error(`${why}: ${(err as Error).message}`, { cause: err });
      }
      attachments.push({ filename: a.filename, content, contentType: a.contentType });
    }
    await deps.mailer.send({ to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, attachments });
  };
}

import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { type ParsedMail, simpleParser } from 'mailparser';
import { PDFDocument } from 'pdf-lib';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { fixedClock } from '../clock/index.js';
import { type Database, inTransaction } from '../db/index.js';
import { type FileStore, localFileStore } from '../files/index.js';
import { enqueue, outbox, startOutboxWorker } from '../outbox/index.js';
import { openTestDatabase } from '../../test/harness.js';
import { createMailer, createMailHandler, enqueueMail } from './index.js';

const T0 = new Date('2025-03-10T01:00:00Z');
const MIN = 60_000;
const SUBJECT = 'Công văn số 123/UBND-VP về việc tổ chức họp giao ban';
const TEXT = 'Kính gửi: Phòng Tư pháp huyện Đông Hưng.\nỦy ban nhân dân xã đề nghị quý cơ quan phối hợp xử lý hồ sơ trước ngày 15/03/2025. Trân trọng!';

type TestSmtp = { port: number; messages: ParsedMail[]; close(): Promise<void> };

/** A real SMTP server on localhost, with login, that parses every message it accepts. */
function startSmtp(port = 0, opts: { rejectRecipient?: string } = {}): Promise<TestSmtp> {
  const messages: ParsedMail[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === 'lienthong' && auth.password === 'mat-khau') cb(null, { user: auth.username });
      else cb(new Error('Invalid username or password'));
    },
    onRcptTo(address, _session, cb) {
      if (address.address === opts.rejectRecipient) cb(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
      else cb();
    },
    onData(stream, _session, cb) {
      simpleParser(stream).then(
        (m) => {
          messages.push(m);
          cb();
        },
        (err: Error) => cb(err),
      );
    },
  });
  return new Promise((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      resolve({ port: (server.server.address() as AddressInfo).port, messages, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

const smtpUrl = (port: number) => `smtp://lienthong:mat-khau@127.0.0.1:${port}`;

async function samplePdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]).drawText('Cong van 123', { x: 50, y: 780, size: 14 });
  return Buffer.from(await doc.save());
}

let database: Database;
let drop: () => Promise<void>;
let dataDir: string;
let fileStore: FileStore;
let smtp: TestSmtp | undefined;

beforeAll(async () => {
  ({ database, drop } = await openTestDatabase());
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lienthong-mail-'));
  fileStore = localFileStore(path.join(dataDir, 'files'));
});
afterAll(async () => {
  await database.close();
  await drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});
beforeEach(async () => {
  await database.db.delete(outbox);
});
afterEach(async () => {
  await smtp?.close();
  smtp = undefined;
});

const row = async (id: string) => (await database.db.select().from(outbox).where(eq(outbox.id, id)))[0];

describe('createMailer', () => {
  it('sends through a real SMTP server with login: Vietnamese text intact and PDF bytes equal', async () => {
    smtp = await startSmtp();
    const pdf = await samplePdf();
    const mailer = createMailer({ smtpUrl: smtpUrl(smtp.port), mailFrom: 'UBND xã Đông Hòa <vanthu@donghoa.gov.vn>' });
    expect(mailer.configured).toBe(true);
    const res = await mailer.send({
      to: ['truongphong@tuphap.gov.vn', 'vanthu@tuphap.gov.vn'],
      subject: SUBJECT,
      text: TEXT,
      html: `<p>${TEXT}</p>`,
      attachments: [{ filename: 'Công văn 123.pdf', content: pdf, contentType: 'application/pdf' }],
    });
    expect(res.messageId).toMatch(/@/);
    expect(smtp.messages).toHaveLength(1);
    const m = smtp.messages[0];
    expect(m.subject).toBe(SUBJECT);
    expect(m.text?.trim()).toBe(TEXT);
    expect(m.html).toContain('Ủy ban nhân dân xã');
    expect(m.from?.value).toEqual([{ name: 'UBND xã Đông Hòa', address: 'vanthu@donghoa.gov.vn' }]);
    expect((Array.isArray(m.to) ? m.to : [m.to]).flatMap((a) => a!.value.map((v) => v.address))).toEqual(['truongphong@tuphap.gov.vn', 'vanthu@tuphap.gov.vn']);
    expect(m.attachments).toHaveLength(1);
    expect(m.attachments[0]).toMatchObject({ filename: 'Công văn 123.pdf', contentType: 'application/pdf' });
    expect(Buffer.compare(m.attachments[0].content, pdf)).toBe(0);
  });

  it('refuses to pretend when SMTP_URL is missing', async () => {
    const mailer = createMailer(loadConfig({ NODE_ENV: 'test' }));
    expect(mailer.configured).toBe(false);
    await expect(mailer.send({ to: 'a@b.vn', subject: 's', text: 't' })).rejects.toMatchObject({ status: 503, message: expect.stringContaining('SMTP_URL') });
  });
});

describe('mail through the outbox', () => {
  it('delivers a queued mail whose attachment is read from the file store at delivery time', async () => {
    smtp = await startSmtp();
    const pdf = await samplePdf();
    const sha256 = await fileStore.put(pdf);
    const clock = fixedClock(T0);
    const id = await inTransaction(database.db, (tx) =>
      enqueueMail(tx, { to: 'vanthu@tuphap.gov.vn', subject: SUBJECT, text: TEXT, attachments: [{ filename: 'Công văn 123.pdf', sha256, contentType: 'application/pdf' }] }, {}, T0),
    );
    const r = await row(id!);
    expect(JSON.stringify(r.payload).length).toBeLessThan(1000); // a reference, not the bytes

    const worker = startOutboxWorker({
      db: database.db,
      clock,
      intervalMs: 3_600_000,
      handlers: { mail: createMailHandler({ mailer: createMailer({ smtpUrl: smtpUrl(smtp.port), mailFrom: 'LienThong <no-reply@localhost>' }), fileStore }) },
    });
    expect(await worker.runOnce()).toBe(1);
    expect(await row(id!)).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0].subject).toBe(SUBJECT);
    expect(smtp.messages[0].text?.trim()).toBe(TEXT);
    expect(Buffer.compare(smtp.messages[0].attachments[0].content, pdf)).toBe(0);
    await worker.stop();
  });

  it('retries while the SMTP server is down and sends once it is back', async () => {
    // Find a free port, then leave it closed: the server is "down".
    const probe = await startSmtp();
    const port = probe.port;
    await probe.close();
    const clock = fixedClock(T0);
    const handler = createMailHandler({ mailer: createMailer({ smtpUrl: smtpUrl(port), mailFrom: 'LienThong <no-reply@localhost>' }), fileStore });
    const worker = startOutboxWorker({ db: database.db, clock, intervalMs: 3_600_000, handlers: { mail: handler } });
    const id = (await enqueueMail(database.db, { to: 'a@tuphap.gov.vn', subject: SUBJECT, text: TEXT }, {}, T0))!;

    expect(await worker.runOnce()).toBe(1);
    let r = await row(id);
    expect(r).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.stringMatching(/^Không gửi được thư qua máy chủ SMTP: .*ECONNREFUSED/) });
    expect(r.nextAttemptAt.getTime()).toBe(T0.getTime() + 1 * MIN);

    clock.advance(1 * MIN);
    expect(await worker.runOnce()).toBe(1);
    r = await row(id);
    expect(r).toMatchObject({ status: 'pending', attempts: 2 });
    expect(r.nextAttemptAt.getTime()).toBe(T0.getTime() + 1 * MIN + 5 * MIN);

    smtp = await startSmtp(port); // back up
    expect(await worker.runOnce()).toBe(0); // waits for its back-off
    clock.advance(5 * MIN);
    expect(await worker.runOnce()).toBe(1);
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
    expect(smtp.messages.map((m) => m.subject)).toEqual([SUBJECT]);
    await worker.stop();
  });

  it('keeps the mail queued with a clear reason when SMTP is not configured, then fails it after the last attempt', async () => {
    const clock = fixedClock(T0);
    const handler = createMailHandler({ mailer: createMailer({ mailFrom: 'LienThong <no-reply@localhost>' }), fileStore });
    const worker = startOutboxWorker({ db: database.db, clock, intervalMs: 3_600_000, maxAttempts: 2, handlers: { mail: handler } });
    const id = (await enqueueMail(database.db, { to: 'a@tuphap.gov.vn', subject: SUBJECT, text: TEXT }, {}, T0))!;
    await worker.runOnce();
    expect(await row(id)).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.stringContaining('Chưa cấu hình máy chủ gửi thư (biến môi trường SMTP_URL)') });
    clock.advance(1 * MIN);
    await worker.runOnce();
    expect(await row(id)).toMatchObject({ status: 'failed', attempts: 2, lastError: expect.stringContaining('SMTP_URL') });
    await worker.stop();
  });

  it('fails at once, with the reason, on a missing attachment, a malformed payload or a refused recipient', async () => {
    smtp = await startSmtp(0, { rejectRecipient: 'khongco@tuphap.gov.vn' });
    const clock = fixedClock(T0);
    const handler = createMailHandler({ mailer: createMailer({ smtpUrl: smtpUrl(smtp.port), mailFrom: 'LienThong <no-reply@localhost>' }), fileStore });
    const worker = startOutboxWorker({ db: database.db, clock, intervalMs: 3_600_000, handlers: { mail: handler } });
    const missing = (await enqueueMail(
      database.db,
      { to: 'a@tuphap.gov.vn', subject: 's', text: 't', attachments: [{ filename: 'mất.pdf', sha256: 'ab'.repeat(32), contentType: 'application/pdf' }] },
      {},
      T0,
    ))!;
    const malformed = (await enqueue(database.db, { kind: 'mail', payload: { to: 'không phải địa chỉ', subject: '' } }, T0))!;
    const refused = (await enqueueMail(database.db, { to: 'khongco@tuphap.gov.vn', subject: 's', text: 't' }, {}, T0))!;

    expect(await worker.runOnce()).toBe(3);
    expect(await row(missing)).toMatchObject({ status: 'failed', attempts: 1, lastError: expect.stringMatching(/^Không đọc được tệp đính kèm "mất.pdf" .* tệp không tồn tại$/) });
    expect(await row(malformed)).toMatchObject({ status: 'failed', lastError: expect.stringMatching(/^Thư không hợp lệ: to: địa chỉ thư không hợp lệ/) });
    expect(await row(refused)).toMatchObject({ status: 'failed', lastError: expect.stringContaining('Mailbox unavailable') });
    expect(smtp.messages).toHaveLength(0);
    await worker.stop();
  });

  it('validates a mail when it is queued and deduplicates by key', async () => {
    await expect(enqueueMail(database.db, { to: 'sai', subject: 's', text: 't' }, {}, T0)).rejects.toMatchObject({ status: 400, title: 'Dữ liệu thư không hợp lệ' });
    const mail = { to: 'a@tuphap.gov.vn', subject: 'Nhắc hạn xử lý', text: 't' };
    expect(await enqueueMail(database.db, mail, { dedupeKey: 'remind:doc1:2025-03-10' }, T0)).toBeTruthy();
    expect(await enqueueMail(database.db, mail, { dedupeKey: 'remind:doc1:2025-03-10' }, T0)).toBeNull();
  });
});

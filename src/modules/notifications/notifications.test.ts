import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../core/db/index.js';
import { createMailer, createMailHandler } from '../../core/mail/index.js';
import { startOutboxWorker } from '../../core/outbox/index.js';
import { CODES, counterBody, createDossierApp, type DossierTestApp, expectProblem, TUESDAY_9AM } from '../dossiers/testing.js';
import { createSmsHandler, createSmsProvider, normalizePhone, SMS_KIND } from './index.js';
import { eventFor, render, unknownVariables } from './templates.js';

/** Citizens are told of every change of their dossier by e-mail (real SMTP) and SMS, from editable templates. */

let h: DossierTestApp;
let birth: string;
let marriage: string;
let smtp: SMTPServer;
let smtpPort = 0;
const received: ParsedMail[] = [];
const applicant = { name: 'Trần Thị Bình', idNumber: '001185000123', phone: '0987 654 321', email: 'binh.tran@example.vn', address: 'Thôn Đông, xã Tân An' };

type OutRow = { kind: string; payload: { to?: string; subject?: string; text: string; phone?: string }; dedupe_key: string };
const outbox = async (): Promise<OutRow[]> => queryRows<OutRow>(h.t.database.db, sql`SELECT kind, payload, dedupe_key FROM outbox WHERE kind IN ('mail', 'sms') ORDER BY created_at, kind`);
const act = async (user: string, id: string, action: string, body: Record<string, unknown> = {}) => h.api(await h.token(user), 'POST', `/api/dossiers/${id}/actions/${action}`, body);

beforeAll(async () => {
  h = await createDossierApp(TUESDAY_9AM);
  birth = await h.procedure(CODES.birth);
  marriage = await h.procedure(CODES.marriage);
  smtp = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _s, cb) {
      simpleParser(stream).then((m) => {
        received.push(m);
        cb();
      }, cb);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  smtpPort = (smtp.server.address() as { port: number }).port;
}, 240_000);
afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await h?.t.close();
});

describe('rules', () => {
  it('maps actions to the events a citizen is told about', () => {
    expect(eventFor('submit', 0, 1)).toBe('submitted');
    expect(eventFor('receive', null, 2)).toBe('received');
    expect(eventFor('forward', 2, 4)).toBe('processing');
    expect(eventFor('forward', 4, 4)).toBeNull(); // an internal hand-over is not news
    expect(eventFor('supplement', 5, 4)).toBeNull();
    expect(eventFor('apologize', 4, 4)).toBe('apologized');
    expect(eventFor('request-supplement', 4, 5)).toBe('supplement_requested');
    expect(eventFor('return', 9, 10)).toBe('returned');
  });
  it('renders only known variables and finds the unknown ones', () => {
    expect(render('Hồ sơ {ma_ho_so}: {ly_do} {khong_co}', { ma_ho_so: 'X-1' })).toBe('Hồ sơ X-1: — {khong_co}');
    expect(unknownVariables('{ma_ho_so} {ngay_hen} {}')).toEqual(['ngay_hen', '']);
  });
  it('normalises Vietnamese mobile numbers', () => {
    expect(normalizePhone('0987 654 321')).toBe('0987654321');
    expect(normalizePhone('+84 987.654.321')).toBe('0987654321');
    expect(normalizePhone('12345')).toBeNull();
    expect(normalizePhone(null)).toBeNull();
  });
});

describe('dossier changes reach the applicant', () => {
  let id: string;
  let code: string;
  it('a counter reception sends the code and the appointment by e-mail and SMS, in the transaction of the reception', async () => {
    const r = await h.api(await h.token('motcua.xa'), 'POST', '/api/dossiers', { ...counterBody(marriage, { caseId: 'th2' }), applicant });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    ({ id, code } = r.body);
    const rows = await outbox();
    const mail = rows.find((m) => m.kind === 'mail' && m.payload.to === applicant.email)!;
    expect(mail.payload.subject).toBe(`Hồ sơ ${code} đã được tiếp nhận`);
    expect(mail.payload.text).toContain('Kính gửi Trần Thị Bình');
    expect(mail.payload.text).toContain('Ủy ban nhân dân xã Tân An');
    expect(mail.payload.text).toMatch(/Ngày hẹn trả kết quả: \d\d:\d\d \d\d\/\d\d\/2026/);
    expect(mail.payload.text).toContain(`/tra-cuu/${encodeURIComponent(code)}`);
    const sms = rows.find((m) => m.kind === 'sms')!;
    expect(sms.payload).toMatchObject({ phone: '0987654321', dossierId: id });
    expect(sms.payload.text).toContain(code);
  });

  it('an internal hand-over tells nothing; a supplement request tells the reason and the deadline', async () => {
    const before = (await outbox()).length;
    expect((await act('motcua.xa', id, 'forward', { toUserId: await h.t.userId('chuyenvien.xa') })).status).toBe(200);
    const afterForward = await outbox();
    expect(afterForward.length - before).toBe(2); // received → processing: the citizen is told once
    const r = await act('chuyenvien.xa', id, 'request-supplement', {
      reason: 'Giấy xác nhận tình trạng hôn nhân đã quá 6 tháng',
      items: ['Giấy xác nhận tình trạng hôn nhân (cấp trong 6 tháng)'],
      deadline: new Date('2026-03-20T10:00:00Z').toISOString(),
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const mail = (await outbox()).filter((m) => m.kind === 'mail').at(-1)!;
    expect(mail.payload.subject).toBe(`Hồ sơ ${code}: cần bổ sung`);
    expect(mail.payload.text).toContain('Giấy xác nhận tình trạng hôn nhân đã quá 6 tháng');
    expect(mail.payload.text).toContain('17:00 20/03/2026');
  });

  it('an applicant with a phone and no e-mail gets the SMS only; one with neither gets nothing', async () => {
    const before = await outbox();
    const r = await h.api(await h.token('motcua.xa'), 'POST', '/api/dossiers', { ...counterBody(birth), applicant: { ...applicant, name: 'Lê Văn Cường', idNumber: '001090000777', email: null, phone: '+84 912 345 678' } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const seen = new Set(before.map((m) => m.dedupe_key));
    const added = (await outbox()).filter((m) => !seen.has(m.dedupe_key));
    expect(added.map((m) => m.kind)).toEqual(['sms']);
    expect(added[0].payload.phone).toBe('0912345678');
    const quiet = await h.api(await h.token('motcua.xa'), 'POST', '/api/dossiers', { ...counterBody(birth), applicant: { ...applicant, name: 'Phạm Thị Dung', idNumber: '001190000888', email: null, phone: null } });
    expect(quiet.status, JSON.stringify(quiet.body)).toBe(201);
    expect((await outbox()).length).toBe(before.length + 1);
  });

  it('the worker delivers the mail over SMTP and the logging SMS provider records the messages', async () => {
    const db = h.t.database.db;
    const worker = startOutboxWorker({
      db,
      clock: h.clock,
      intervalMs: 3_600_000,
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
      handlers: {
        mail: createMailHandler({ mailer: createMailer({ smtpUrl: `smtp://127.0.0.1:${smtpPort}`, mailFrom: 'LienThong <no-reply@thaihoa.gov.vn>' }), fileStore: h.t.app.fileStore }),
        [SMS_KIND]: createSmsHandler({ db, provider: createSmsProvider({ provider: 'log' }, { info: () => undefined }), now: () => h.clock.now() }),
      },
    });
    try {
      while ((await worker.runOnce()) > 0);
    } finally {
      await worker.stop();
    }
    expect(received.map((m) => m.subject)).toContain(`Hồ sơ ${code}: cần bổ sung`);
    expect(received.find((m) => m.subject === `Hồ sơ ${code} đã được tiếp nhận`)?.text).toContain('Trần Thị Bình');
    const list = await h.api(await h.token('admin'), 'GET', '/api/admin/sms?pageSize=50');
    expect(list.status).toBe(200);
    expect(list.body.total).toBeGreaterThanOrEqual(4);
    expect(list.body.items.map((s: { phone: string }) => s.phone)).toEqual(expect.arrayContaining(['0987654321', '0912345678']));
    expect(list.body.items.every((s: { provider: string }) => s.provider === 'log')).toBe(true);
    const [{ n }] = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM outbox WHERE kind IN ('mail', 'sms') AND status <> 'sent'`);
    expect(n).toBe(0);
  });
});

describe('administrators edit the templates', () => {
  it('lists every event and channel with the variables; only administrators', async () => {
    const r = await h.api(await h.token('admin'), 'GET', '/api/notification-templates');
    expect(r.status).toBe(200);
    expect(r.body.items.length).toBe(22);
    expect(r.body.variables.map((v: { name: string }) => v.name)).toContain('ngay_hen_tra');
    expect((await h.api(await h.token('motcua.xa'), 'GET', '/api/notification-templates')).status).toBe(404);
  });

  it('refuses unknown variables, a missing subject and an over-long SMS, with the fields', async () => {
    const admin = await h.token('admin');
    expectProblem(await h.api(admin, 'PUT', '/api/notification-templates/received/email', { subject: 'Hồ sơ {ma_hoso}', body: 'Hẹn {ngay_hen_tra}' }), 400, 'subject');
    expectProblem(await h.api(admin, 'PUT', '/api/notification-templates/received/email', { subject: '  ', body: 'Hẹn {ngay_hen_tra}' }), 400, 'subject');
    expectProblem(await h.api(admin, 'PUT', '/api/notification-templates/received/sms', { body: 'x'.repeat(481) }), 400, 'body');
    expect((await h.api(admin, 'PUT', '/api/notification-templates/khong-co/sms', { body: 'x' })).status).toBe(400);
  });

  it('a saved template is used for the next dossier, previews with sample data, is audited, and can be reset', async () => {
    const admin = await h.token('admin');
    const saved = await h.api(admin, 'PUT', '/api/notification-templates/received/email', { subject: 'Đã tiếp nhận hồ sơ {ma_ho_so} – {ten_thu_tuc}', body: 'Chào {ho_ten}, hẹn trả {ngay_hen_tra}.' });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body).toMatchObject({ custom: true, subject: 'Đã tiếp nhận hồ sơ {ma_ho_so} – {ten_thu_tuc}' });
    const preview = await h.api(admin, 'POST', '/api/notification-templates/received/email/preview', { subject: 'Hồ sơ {ma_ho_so}', body: 'Chào {ho_ten} {sai}' });
    expect(preview.body).toMatchObject({ subject: 'Hồ sơ 000.01.31.H99-260310-0007', body: 'Chào Nguyễn Văn An {sai}' });
    expect(preview.body.problems[0].field).toBe('body');

    const r = await h.api(await h.token('motcua.xa'), 'POST', '/api/dossiers', { ...counterBody(birth), applicant: { ...applicant, name: 'Nguyễn Văn An', idNumber: '001095000999', email: 'an.nguyen@example.vn' } });
    const mail = (await outbox()).find((m) => m.kind === 'mail' && m.payload.to === 'an.nguyen@example.vn')!;
    expect(mail.payload.subject).toBe(`Đã tiếp nhận hồ sơ ${r.body.code} – Đăng ký khai sinh`);
    const [{ n }] = await queryRows<{ n: number }>(h.t.database.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'notification-template.update'`);
    expect(n).toBe(1);

    const reset = await h.api(admin, 'DELETE', '/api/notification-templates/received/email');
    expect(reset.body).toMatchObject({ custom: false, subject: 'Hồ sơ {ma_ho_so} đã được tiếp nhận' });
  });
});

import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type ActorContext, writeAudit } from '../../core/audit/index.js';
import { type Db, inTransaction, queryRows } from '../../core/db/index.js';
import { type FieldError, validationFailed } from '../../core/errors/index.js';
import { enqueueMail } from '../../core/mail/index.js';
import { getSetting } from '../../core/settings/index.js';
import { type DossierEvent, formatDateTime, lookupUrl, PUBLIC_URL_KEY, STATUS_LABELS } from '../dossiers/index.js';
import { notificationTemplates } from './schema.js';
import { enqueueSms, normalizePhone } from './sms.js';
import { EVENTS, type EventKey, eventFor, render, unknownVariables, type Values } from './templates.js';

export type Channel = 'email' | 'sms';
export type Template = { event: EventKey; channel: Channel; label: string; subject: string | null; body: string; custom: boolean };

/** The template in force: the administrator's row, else the built-in default. */
export async function templateFor(db: Db, event: EventKey, channel: Channel): Promise<Template> {
  const [row] = await db.select().from(notificationTemplates).where(and(eq(notificationTemplates.event, event), eq(notificationTemplates.channel, channel))).limit(1);
  const def = EVENTS[event];
  if (row) return { event, channel, label: def.label, subject: row.subject, body: row.body, custom: true };
  return channel === 'email'
    ? { event, channel, label: def.label, subject: def.email.subject, body: def.email.body, custom: false }
    : { event, channel, label: def.label, subject: null, body: def.sms, custom: false };
}

export async function listTemplates(db: Db): Promise<Template[]> {
  const out: Template[] = [];
  for (const event of Object.keys(EVENTS) as EventKey[]) for (const channel of ['email', 'sms'] as const) out.push(await templateFor(db, event, channel));
  return out;
}

export const SMS_MAX = 480; // three concatenated unaccented SMS segments

/** Field errors of a template being saved: unknown variables, lengths, a subject for e-mail. */
export function templateProblems(channel: Channel, subject: string | null | undefined, body: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const [field, text] of [['subject', subject ?? ''], ['body', body]] as const) {
    const unknown = unknownVariables(text);
    if (unknown.length) errors.push({ field, message: `Biến không có trong danh sách: ${unknown.map((v) => `{${v}}`).join(', ')}` });
  }
  if (channel === 'email' && !subject?.trim()) errors.push({ field: 'subject', message: 'Thư điện tử cần có tiêu đề.' });
  if (!body.trim()) errors.push({ field: 'body', message: 'Nội dung không được để trống.' });
  if (channel === 'sms' && body.length > SMS_MAX) errors.push({ field: 'body', message: `Tin nhắn dài tối đa ${SMS_MAX} ký tự (hiện ${body.length}).` });
  return errors;
}

export async function saveTemplate(db: Db, ctx: ActorContext, input: { event: EventKey; channel: Channel; subject?: string | null; body: string }): Promise<Template> {
  const subject = input.channel === 'email' ? (input.subject ?? '').normalize('NFC') : null;
  const body = input.body.normalize('NFC');
  const errors = templateProblems(input.channel, subject, body);
  if (errors.length) throw validationFailed(errors);
  return inTransaction(db, async (tx) => {
    const before = await templateFor(tx, input.event, input.channel);
    await tx
      .insert(notificationTemplates)
      .values({ event: input.event, channel: input.channel, subject, body, updatedBy: ctx.actorId, updatedAt: ctx.now })
      .onConflictDoUpdate({ target: [notificationTemplates.event, notificationTemplates.channel], set: { subject, body, updatedBy: ctx.actorId, updatedAt: ctx.now } });
    await writeAudit(tx, ctx, { action: 'notification-template.update', objectType: 'notification_template', objectId: `${input.event}:${input.channel}`, unitId: null, summary: { before: { subject: before.subject, body: before.body }, after: { subject, body } } });
    return templateFor(tx, input.event, input.channel);
  });
}

export async function resetTemplate(db: Db, ctx: ActorContext, event: EventKey, channel: Channel): Promise<Template> {
  return inTransaction(db, async (tx) => {
    await tx.delete(notificationTemplates).where(and(eq(notificationTemplates.event, event), eq(notificationTemplates.channel, channel)));
    await writeAudit(tx, ctx, { action: 'notification-template.reset', objectType: 'notification_template', objectId: `${event}:${channel}`, unitId: null, summary: {} });
    return templateFor(tx, event, channel);
  });
}

/** Example values for the preview in the admin page. */
export const SAMPLE: Values = {
  ho_ten: 'Nguyễn Văn An',
  ma_ho_so: '000.01.31.H99-260310-0007',
  ten_thu_tuc: 'Đăng ký khai sinh',
  don_vi: 'Ủy ban nhân dân xã Tân An',
  trang_thai: 'Đã tiếp nhận',
  ngay_hen_tra: '17:00 10/03/2026',
  ly_do: 'Thiếu bản sao giấy chứng nhận kết hôn của cha mẹ',
  han_bo_sung: '17:00 13/03/2026',
  link_tra_cuu: 'https://dichvucong.example.gov.vn/tra-cuu/000.01.31.H99-260310-0007',
};

/**
 * The listener on every dossier action (dossiers' onDossierAction): tells the applicant by e-mail and SMS
 * when the change is news to them, in the transaction of the change (outbox rows, deduplicated per action).
 */
export async function notifyApplicant(tx: Db, { dossier, action }: DossierEvent): Promise<void> {
  const event = eventFor(action.action, action.fromStatus as never, action.toStatus as never);
  if (!event) return;
  const typed = dossier.applicant.email?.trim() || null;
  const email = typed && z.email().safeParse(typed).success ? typed : null; // a mistyped address must not fail the action
  const phone = normalizePhone(dossier.applicant.phone);
  if (!email && !phone) return;
  const [info] = await queryRows<{ procedure: string | null; unit: string | null }>(
    tx,
    sql`SELECT (SELECT name FROM procedure_versions WHERE id = ${dossier.procedureVersionId}) AS procedure, (SELECT name FROM units WHERE id = ${dossier.unitId}) AS unit`,
  );
  // The portal's address (setting of the dossiers module, as printed on the forms); outside a request there is no Host header.
  const base = (await getSetting<string | null>(tx, PUBLIC_URL_KEY, null)) ?? process.env.PUBLIC_URL ?? 'http://localhost:3000';
  const values: Values = {
    ho_ten: dossier.applicant.name,
    ma_ho_so: dossier.code ?? '(chưa cấp mã)',
    ten_thu_tuc: info?.procedure ?? '',
    don_vi: info?.unit ?? '',
    trang_thai: STATUS_LABELS[action.toStatus as keyof typeof STATUS_LABELS] ?? '',
    ngay_hen_tra: dossier.dueAt ? formatDateTime(dossier.dueAt) : '—',
    ly_do: action.reason ?? '',
    han_bo_sung: dossier.supplementDeadline ? formatDateTime(dossier.supplementDeadline) : '—',
    link_tra_cuu: lookupUrl(base, dossier.code),
  };
  const now = action.at;
  if (email) {
    const t = await templateFor(tx, event, 'email');
    await enqueueMail(tx, { to: email, subject: render(t.subject ?? '', values).slice(0, 500), text: render(t.body, values) }, { unitId: dossier.unitId, dedupeKey: `dossier-action:${action.id}:email` }, now);
  }
  if (phone) {
    const t = await templateFor(tx, event, 'sms');
    await enqueueSms(tx, { phone, text: render(t.body, values).slice(0, 480), unitId: dossier.unitId, dossierId: dossier.id }, { dedupeKey: `dossier-action:${action.id}:sms` }, now);
  }
}

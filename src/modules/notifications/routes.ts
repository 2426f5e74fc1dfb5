import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { count, desc } from 'drizzle-orm';
import { z } from 'zod';
import { can } from '../../core/access/index.js';
import { notFound } from '../../core/errors/index.js';
import { actorOf, requireOfficial } from '../../core/http/context.js';
import { pageQuery, paged, problems } from '../../core/http/schemas.js';
import { smsMessages } from './schema.js';
import { listTemplates, resetTemplate, SAMPLE, saveTemplate, SMS_MAX, templateProblems } from './service.js';
import { EVENT_KEYS, render, VARIABLES } from './templates.js';

const tags = ['Thông báo (notifications)'];
const template = z.object({
  event: z.enum(EVENT_KEYS),
  channel: z.enum(['email', 'sms']),
  label: z.string(),
  subject: z.string().nullable(),
  body: z.string(),
  custom: z.boolean().describe('false: mẫu mặc định của hệ thống'),
});
const key = z.object({ event: z.enum(EVENT_KEYS), channel: z.enum(['email', 'sms']) });
const body = z.object({ subject: z.string().max(500).nullish(), body: z.string().max(5000) });

/** Administrators edit the texts citizens receive, preview them and read the SMS log. */
export const notificationRoutes: FastifyPluginAsyncZod = async (app) => {
  const admin = (req: Parameters<typeof requireOfficial>[0]) => {
    const p = requireOfficial(req);
    if (!can(p, 'security.manage')) throw notFound('Trang');
    return p;
  };

  app.get('/api/notification-templates', {
    schema: {
      tags,
      summary: 'Mẫu thông báo gửi công dân theo từng sự kiện của hồ sơ (thư điện tử, SMS) và danh sách biến',
      response: { 200: z.object({ items: z.array(template), variables: z.array(z.object({ name: z.string(), label: z.string() })), smsMaxLength: z.number() }), ...problems(401, 404) },
    },
  }, async (req) => {
    admin(req);
    return { items: await listTemplates(app.db), variables: Object.entries(VARIABLES).map(([name, label]) => ({ name, label })), smsMaxLength: SMS_MAX };
  });

  app.put('/api/notification-templates/:event/:channel', {
    schema: { tags, summary: 'Sửa mẫu thông báo (biến không hợp lệ bị từ chối)', params: key, body, response: { 200: template, ...problems(400, 401, 404) } },
  }, async (req) => {
    admin(req);
    return saveTemplate(app.db, actorOf(req, app.clock.now()), { ...req.params, subject: req.body.subject ?? null, body: req.body.body });
  });

  app.delete('/api/notification-templates/:event/:channel', {
    schema: { tags, summary: 'Trở về mẫu mặc định', params: key, response: { 200: template, ...problems(401, 404) } },
  }, async (req) => {
    admin(req);
    return resetTemplate(app.db, actorOf(req, app.clock.now()), req.params.event, req.params.channel);
  });

  app.post('/api/notification-templates/:event/:channel/preview', {
    schema: {
      tags,
      summary: 'Xem trước mẫu với dữ liệu ví dụ',
      params: key,
      body,
      response: { 200: z.object({ subject: z.string().nullable(), body: z.string(), problems: z.array(z.object({ field: z.string(), message: z.string() })) }), ...problems(400, 401, 404) },
    },
  }, async (req) => {
    admin(req);
    const subject = req.params.channel === 'email' ? (req.body.subject ?? '') : null;
    return {
      subject: subject === null ? null : render(subject, SAMPLE),
      body: render(req.body.body, SAMPLE),
      problems: templateProblems(req.params.channel, subject, req.body.body).map((e) => ({ field: e.field, message: e.message })),
    };
  });

  app.get('/api/admin/sms', {
    schema: {
      tags,
      summary: 'Tin nhắn SMS đã chuyển cho nhà cung cấp (với nhà cung cấp "log": những gì lẽ ra đã gửi)',
      querystring: z.object(pageQuery),
      response: {
        200: paged(z.object({ id: z.string(), phone: z.string(), text: z.string(), provider: z.string(), dossierId: z.string().nullable(), sentAt: z.string() })),
        ...problems(400, 401, 404),
      },
    },
  }, async (req) => {
    admin(req);
    const { page, pageSize } = req.query;
    const [{ total }] = await app.db.select({ total: count() }).from(smsMessages);
    const rows = await app.db.select().from(smsMessages).orderBy(desc(smsMessages.sentAt)).limit(pageSize).offset((page - 1) * pageSize);
    return { items: rows.map((r) => ({ id: r.id, phone: r.phone, text: r.text, provider: r.provider, dossierId: r.dossierId, sentAt: r.sentAt.toISOString() })), total, page, pageSize };
  });
};

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { and, count, desc, eq, gte, lte, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { can } from '../../core/access/index.js';
import { auditLog, verifyAuditChain, writeAudit } from '../../core/audit/index.js';
import { inTransaction } from '../../core/db/index.js';
import { conflict, notFound } from '../../core/errors/index.js';
import { actorOf, requireOfficial } from '../../core/http/context.js';
import { idParams, pageQuery, paged, problems } from '../../core/http/schemas.js';
import { listOutbox, outboxCounts, retryOutboxMessage } from '../../core/outbox/index.js';
import { SECURITY_KEY, type SecuritySettings, defaultSecurity, getSetting, putSetting } from '../../core/settings/index.js';
import { ROLES } from '../directory/index.js';

const auditItem = z.object({
  id: z.string(),
  seq: z.number(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  unitId: z.string().nullable(),
  action: z.string(),
  objectType: z.string(),
  objectId: z.string().nullable(),
  summary: z.unknown(),
  requestId: z.string().nullable(),
  ip: z.string().nullable(),
});
const uuidish = z.string().max(100);
const isoDate = z.iso.datetime({ offset: true }).or(z.iso.date());

export const administrationRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['Quản trị (administration)'];
  const admin = (req: Parameters<typeof requireOfficial>[0], action: 'audit.read' | 'security.manage' | 'outbox.read') => {
    const p = requireOfficial(req);
    if (!can(p, action)) throw notFound('Trang');
    return p;
  };

  app.get('/api/audit', {
    schema: {
      tags,
      summary: 'Nhật ký hệ thống (lọc, phân trang)',
      querystring: z.object({ action: z.string().max(100).optional(), actorId: uuidish.optional(), unitId: uuidish.optional(), objectType: z.string().max(100).optional(), objectId: z.string().max(200).optional(), from: isoDate.optional(), to: isoDate.optional(), ...pageQuery }),
      response: { 200: paged(auditItem), ...problems(400, 401, 404) },
    },
  }, async (req) => {
    admin(req, 'audit.read');
    const q = req.query;
    const conds: (SQL | undefined)[] = [
      q.action ? eq(auditLog.action, q.action) : undefined,
      q.actorId ? eq(auditLog.actorId, q.actorId) : undefined,
      q.unitId ? eq(auditLog.unitId, q.unitId) : undefined,
      q.objectType ? eq(auditLog.objectType, q.objectType) : undefined,
      q.objectId ? eq(auditLog.objectId, q.objectId) : undefined,
      q.from ? gte(auditLog.at, new Date(q.from.length === 10 ? `${q.from}T00:00:00+07:00` : q.from)) : undefined,
      q.to ? lte(auditLog.at, new Date(q.to.length === 10 ? `${q.to}T23:59:59.999+07:00` : q.to)) : undefined,
    ];
    const where = and(...conds);
    const [{ total }] = await app.db.select({ total: count() }).from(auditLog).where(where);
    const rows = await app.db.select().from(auditLog).where(where).orderBy(desc(auditLog.seq)).limit(q.pageSize).offset((q.page - 1) * q.pageSize);
    return {
      items: rows.map(({ hash: _h, prevHash: _p, ...r }) => ({ ...r, at: r.at.toISOString() })),
      total,
      page: q.page,
      pageSize: q.pageSize,
    };
  });

  app.get('/api/audit/verify', {
    schema: { tags, summary: 'Kiểm tra toàn vẹn chuỗi băm của nhật ký', response: { 200: z.object({ ok: z.boolean(), checked: z.number(), firstBrokenSeq: z.number().optional(), reason: z.string().optional() }), ...problems(401, 404) } },
  }, async (req) => {
    admin(req, 'audit.read');
    return verifyAuditChain(app.db);
  });

  const securitySchema = z.object({ requireTwoFactorRoles: z.array(z.enum(ROLES)) });
  app.get('/api/admin/security', { schema: { tags, response: { 200: securitySchema, ...problems(401, 404) } } }, async (req) => {
    admin(req, 'security.manage');
    return (await getSetting<SecuritySettings>(app.db, SECURITY_KEY, defaultSecurity)) as z.infer<typeof securitySchema>;
  });

  app.put('/api/admin/security', { schema: { tags, summary: 'Vai trò bắt buộc xác thực hai lớp', body: securitySchema, response: { 200: securitySchema, ...problems(400, 401, 404) } } }, async (req) => {
    admin(req, 'security.manage');
    const ctx = actorOf(req, app.clock.now());
    const before = await getSetting<SecuritySettings>(app.db, SECURITY_KEY, defaultSecurity);
    const value = { requireTwoFactorRoles: [...new Set(req.body.requireTwoFactorRoles)] };
    await inTransaction(app.db, async (tx) => {
      await putSetting(tx, SECURITY_KEY, value, ctx.now);
      await writeAudit(tx, ctx, { action: 'settings.security_update', objectType: 'settings', objectId: SECURITY_KEY, unitId: null, summary: { before, after: value } });
    });
    return value;
  });

  // The outbox: mail and other sends waiting, delivered or failed (with the reason), and a retry.
  const outboxItem = z.object({
    id: z.string(),
    kind: z.string(),
    unitId: z.string().nullable(),
    status: z.enum(['pending', 'sent', 'failed']),
    attempts: z.number(),
    nextAttemptAt: z.string(),
    lastError: z.string().nullable(),
    createdAt: z.string(),
    sentAt: z.string().nullable(),
    to: z.string().nullable().describe('Recipients of a mail'),
    subject: z.string().nullable(),
  });
  app.get('/api/admin/outbox', {
    schema: {
      tags,
      summary: 'Hàng đợi gửi (thư điện tử…): đang chờ, đã gửi, lỗi',
      querystring: z.object({ status: z.enum(['pending', 'sent', 'failed']).optional(), ...pageQuery }),
      response: { 200: paged(outboxItem).extend({ counts: z.object({ pending: z.number(), sent: z.number(), failed: z.number() }) }), ...problems(400, 401, 404) },
    },
  }, async (req) => {
    admin(req, 'outbox.read');
    const [list, counts] = await Promise.all([listOutbox(app.db, req.query), outboxCounts(app.db)]);
    return {
      ...list,
      counts,
      items: list.items.map((m) => {
        const p = (m.payload ?? {}) as { to?: unknown; subject?: unknown };
        return {
          id: m.id,
          kind: m.kind,
          unitId: m.unitId,
          status: m.status,
          attempts: m.attempts,
          nextAttemptAt: new Date(m.nextAttemptAt).toISOString(),
          lastError: m.lastError,
          createdAt: new Date(m.createdAt).toISOString(),
          sentAt: m.sentAt ? new Date(m.sentAt).toISOString() : null,
          to: Array.isArray(p.to) ? p.to.join(', ') : typeof p.to === 'string' ? p.to : null,
          subject: typeof p.subject === 'string' ? p.subject : null,
        };
      }),
    };
  });

  app.post('/api/admin/outbox/:id/retry', {
    schema: { tags, summary: 'Gửi lại một mục lỗi (sau khi đã khắc phục nguyên nhân)', params: idParams, response: { 204: z.null(), ...problems(401, 404, 409) } },
  }, async (req, reply) => {
    admin(req, 'outbox.read');
    const ctx = actorOf(req, app.clock.now());
    if (!/^[0-9a-f-]{36}$/i.test(req.params.id)) throw notFound('Mục trong hàng đợi');
    await inTransaction(app.db, async (tx) => {
      if (!(await retryOutboxMessage(tx, req.params.id, ctx.now))) throw conflict('Chỉ gửi lại được mục đang ở trạng thái lỗi (hoặc mục không tồn tại).');
      await writeAudit(tx, ctx, { action: 'outbox.retry', objectType: 'outbox', objectId: req.params.id, unitId: null, summary: {} });
    });
    return reply.status(204).send(null);
  });
};

import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isSystemAdmin } from '../../core/access/index.js';
import { writeAudit } from '../../core/audit/index.js';
import { inTransaction } from '../../core/db/index.js';
import { notFound } from '../../core/errors/index.js';
import { isUuid } from '../../core/ids/index.js';
import { actorOf, requireOfficial } from '../../core/http/context.js';
import { putSetting } from '../../core/settings/index.js';
import { DIGEST_KEY, digestSettings } from './digest.js';
import { exportName, incomingRegister, outgoingRegister, registerPdf, registerXlsx } from './registers.js';
import { documentStatistics, statisticsXlsx } from './statistics.js';
import { boolQuery, idParams, pageQuery, problems } from '../../core/http/schemas.js';
import { documentSummarySchema } from './api.js';
import { INBOX_STATES, inboxCounts } from './inbox.js';
import { createSavedSearch, deleteSavedSearch, listSavedSearches } from './saved-searches.js';
import { DOCUMENT_STATUSES, URGENCIES } from './schema.js';
import { BOXES, DATE_FIELDS, searchDocuments, SORTS } from './search.js';

const TAGS = ['Văn bản (documents)'];

const isRealDate = (s: string) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
};
/** A calendar date yyyy-MM-dd that exists (2026-02-30 does not). */
export const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Ngày phải có dạng yyyy-MM-dd')
  .refine(isRealDate, 'Ngày không tồn tại');

const uuidString = (what: string) => z.string().max(100).refine(isUuid, `${what} không hợp lệ`);

/** From ≤ to, and the inbox-only parameter only with the inbox. */
export function checkPeriod(v: { from?: string; to?: string }, ctx: z.RefinementCtx): void {
  if (v.from && v.to && v.from > v.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'Ngày kết thúc phải sau hoặc bằng ngày bắt đầu' });
}

const filterShape = {
  q: z.string().trim().max(200).optional().describe('Từ khóa: trích yếu, số/ký hiệu, cơ quan ban hành, người ký (không phân biệt dấu, hoa thường)'),
  typeCode: z.string().trim().max(20).optional(),
  from: calendarDate.optional(),
  to: calendarDate.optional(),
  dateField: z.enum(DATE_FIELDS).optional().describe('Khoảng ngày lọc theo ngày văn bản (issued, mặc định) hoặc ngày đến (arrival)'),
  status: z.enum(DOCUMENT_STATUSES).optional(),
  urgency: z.enum(URGENCIES).optional(),
  handlerId: uuidString('Người xử lý').optional(),
  state: z.enum(INBOX_STATES).optional().describe('Chỉ với box=assigned: trạng thái xử lý của người gọi'),
  sort: z.enum(SORTS).optional().describe('relevance (mặc định khi có q; trong đơn vị có rất nhiều kết quả, xếp hạng 500 kết quả mới nhất) hoặc date'),
};

const checkQuery = (v: { box: string; state?: string; from?: string; to?: string; cursor?: string; sort?: string; q?: string }, ctx: z.RefinementCtx) => {
  checkPeriod(v, ctx);
  if (v.state && v.box !== 'assigned') ctx.addIssue({ code: 'custom', path: ['state'], message: 'Chỉ lọc theo trạng thái xử lý trong hộp văn bản được giao (box=assigned)' });
  if (v.cursor && v.q && v.sort !== 'date') ctx.addIssue({ code: 'custom', path: ['cursor'], message: 'Con trỏ phân trang chỉ dùng khi sắp xếp theo ngày (sort=date)' });
};

export const documentQuerySchema = z
  .object({
    box: z.enum(BOXES).default('all'),
    ...filterShape,
    overdue: boolQuery,
    ...pageQuery,
    cursor: z.string().max(500).optional().describe('nextCursor của trang trước (sắp xếp theo ngày)'),
  })
  .superRefine(checkQuery);

export const savedQuerySchema = z
  .object({ box: z.enum(BOXES).default('all'), ...filterShape, overdue: z.boolean().optional() })
  .strict()
  .superRefine(checkQuery);

export const documentPageSchema = z.object({
  items: z.array(documentSummarySchema),
  total: z.number().int(),
  totalExact: z.boolean().describe('false: có ít nhất total kết quả (hiển thị "total+")'),
  page: z.number().int(),
  pageSize: z.number().int(),
  nextCursor: z.string().nullable(),
});

const countsSchema = z.object({
  pending: z.number().int(),
  inProgress: z.number().int(),
  nearDue: z.number().int(),
  overdue: z.number().int(),
  doneOnTime: z.number().int().describe('Hoàn thành đúng hạn trong năm nay'),
  doneLate: z.number().int().describe('Hoàn thành quá hạn trong năm nay'),
  unread: z.number().int().describe('Chưa đọc, trong các việc đang mở và đã xong năm nay'),
  toAssign: z.number().int(),
  toReview: z.number().int(),
  toAccept: z.number().int(),
});

const savedSearchSchema = z.object({ id: z.string(), name: z.string(), query: z.record(z.string(), z.unknown()), createdAt: z.string() });

const periodQuery = {
  from: calendarDate.describe('Từ ngày (yyyy-MM-dd)'),
  to: calendarDate.describe('Đến ngày (yyyy-MM-dd), tính cả ngày này'),
};
const FORMATS = ['json', 'xlsx', 'pdf'] as const;
const registerQuery = z
  .object({ ...periodQuery, bookId: uuidString('Sổ đăng ký').optional(), unitId: uuidString('Đơn vị').optional(), format: z.enum(FORMATS).default('json'), ...pageQuery, pageSize: pageQuery.pageSize.default(50) })
  .superRefine(checkPeriod);
const registerHead = {
  direction: z.enum(['incoming', 'outgoing']),
  unit: z.object({ id: z.string(), name: z.string() }),
  book: z.object({ id: z.string(), name: z.string() }).nullable(),
  from: z.string(),
  to: z.string(),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
};
const d = z.string().nullable();
const incomingRegisterSchema = z.object({
  ...registerHead,
  entries: z.array(z.object({ documentId: z.string(), arrivalDate: d, arrivalNumber: z.number().int().nullable(), author: z.string(), numberSymbol: d, documentDate: d, typeAndSubject: z.string(), recipient: d, transferDate: d, note: d })),
});
const outgoingRegisterSchema = z.object({
  ...registerHead,
  entries: z.array(z.object({ documentId: z.string(), numberSymbol: d, documentDate: d, typeAndSubject: z.string(), signer: d, recipients: d, archive: d, copies: z.number().int(), transferDate: d, note: d })),
});
const statCounts = { received: z.number().int(), onTime: z.number().int(), late: z.number().int(), open: z.number().int(), overdue: z.number().int() };
const statisticsSchema = z.object({
  unit: z.object({ id: z.string(), name: z.string() }).nullable().describe('null: thống kê cá nhân (người không có quyền báo cáo)'),
  from: z.string(),
  to: z.string(),
  asOf: z.string(),
  byUnit: z.array(z.object({ unitId: z.string(), unitName: z.string(), ...statCounts })),
  byPerson: z.array(z.object({ userId: z.string(), fullName: z.string(), ...statCounts })),
  totals: z.object(statCounts),
});
const digestSchema = z.object({
  enabled: z.boolean(),
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Giờ gửi phải có dạng HH:mm (00:00–23:59)'),
  nearDueDays: z.number().int().min(0).max(30),
});

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const sendFile = (reply: FastifyReply, body: Buffer, type: string, name: string) =>
  reply.header('content-type', type).header('content-disposition', `attachment; filename="${name}"`).header('cache-control', 'no-store').send(body);

/** Lists, search, counts, saved searches, register books, statistics and the digest settings. */
export const searchRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/documents', {
    schema: {
      tags: TAGS,
      summary: 'Danh sách và tìm kiếm văn bản: hộp đến, đi, được giao, tất cả; lọc, sắp xếp, phân trang (trang hoặc con trỏ)',
      querystring: documentQuerySchema,
      response: { 200: documentPageSchema, ...problems(400, 401, 403) },
    },
  }, async (req) => searchDocuments(app.db, requireOfficial(req), req.query, app.clock.now()));

  app.get('/api/documents/counts', {
    schema: { tags: TAGS, summary: 'Số lượng trong hộp văn bản của người dùng (chờ xử lý, đang xử lý, sắp đến hạn, quá hạn, …)', response: { 200: countsSchema, ...problems(401, 403) } },
  }, async (req) => inboxCounts(app.db, requireOfficial(req), app.clock.now()));

  app.get('/api/saved-searches', {
    schema: { tags: TAGS, summary: 'Tìm kiếm đã lưu của người dùng', response: { 200: z.object({ items: z.array(savedSearchSchema) }), ...problems(401, 403) } },
  }, async (req) => ({ items: await listSavedSearches(app.db, requireOfficial(req)) }));

  app.post('/api/saved-searches', {
    schema: {
      tags: TAGS,
      summary: 'Lưu một tìm kiếm (tên và tham số lọc)',
      body: z.object({ name: z.string().trim().min(1).max(100), query: savedQuerySchema }),
      response: { 201: savedSearchSchema, ...problems(400, 401, 403, 409, 422) },
    },
  }, async (req, reply) => {
    const p = requireOfficial(req);
    const saved = await createSavedSearch(app.db, p, req.body, actorOf(req, app.clock.now()));
    return reply.status(201).send(saved);
  });

  app.delete('/api/saved-searches/:id', {
    schema: { tags: TAGS, summary: 'Xóa một tìm kiếm đã lưu', params: idParams, response: { 204: z.null(), ...problems(401, 403, 404) } },
  }, async (req, reply) => {
    const p = requireOfficial(req);
    await deleteSavedSearch(app.db, p, req.params.id, actorOf(req, app.clock.now()));
    return reply.status(204).send(null);
  });

  app.get('/api/registers/incoming', {
    schema: {
      tags: TAGS,
      summary: 'Sổ đăng ký văn bản đến theo thời gian (JSON, .xlsx, PDF in ngang)',
      querystring: registerQuery,
      response: { 200: incomingRegisterSchema.describe('format=xlsx|pdf trả về tệp'), ...problems(400, 401, 403, 404, 422) },
    },
  }, async (req, reply) => {
    const p = requireOfficial(req);
    const q = req.query;
    const book = await incomingRegister(app.db, p, q, q.format !== 'json');
    if (q.format === 'xlsx') return sendFile(reply, await registerXlsx(book), XLSX, exportName(book, 'xlsx'));
    if (q.format === 'pdf') return sendFile(reply, await registerPdf(book), 'application/pdf', exportName(book, 'pdf'));
    return book;
  });

  app.get('/api/registers/outgoing', {
    schema: {
      tags: TAGS,
      summary: 'Sổ đăng ký văn bản đi theo thời gian (JSON, .xlsx, PDF in ngang)',
      querystring: registerQuery,
      response: { 200: outgoingRegisterSchema.describe('format=xlsx|pdf trả về tệp'), ...problems(400, 401, 403, 404, 422) },
    },
  }, async (req, reply) => {
    const p = requireOfficial(req);
    const q = req.query;
    const book = await outgoingRegister(app.db, p, q, q.format !== 'json');
    if (q.format === 'xlsx') return sendFile(reply, await registerXlsx(book), XLSX, exportName(book, 'xlsx'));
    if (q.format === 'pdf') return sendFile(reply, await registerPdf(book), 'application/pdf', exportName(book, 'pdf'));
    return book;
  });

  app.get('/api/documents/statistics', {
    schema: {
      tags: TAGS,
      summary: 'Thống kê xử lý văn bản đến theo đơn vị và cán bộ (JSON hoặc .xlsx)',
      querystring: z.object({ ...periodQuery, unitId: uuidString('Đơn vị').optional(), format: z.enum(['json', 'xlsx']).default('json') }).superRefine(checkPeriod),
      response: { 200: statisticsSchema.describe('format=xlsx trả về tệp'), ...problems(400, 401, 403, 404) },
    },
  }, async (req, reply) => {
    const p = requireOfficial(req);
    const stats = await documentStatistics(app.db, p, req.query, app.clock.now());
    if (req.query.format === 'xlsx') return sendFile(reply, await statisticsXlsx(stats), XLSX, `thong-ke-van-ban_${stats.from}_${stats.to}.xlsx`);
    return stats;
  });

  const admin = (req: Parameters<typeof requireOfficial>[0]) => {
    const p = requireOfficial(req);
    if (!isSystemAdmin(p)) throw notFound('Trang');
    return p;
  };
  app.get('/api/settings/digest', {
    schema: { tags: TAGS, summary: 'Cấu hình thư nhắc hạn xử lý hằng ngày (quản trị hệ thống)', response: { 200: digestSchema, ...problems(401, 403, 404) } },
  }, async (req) => {
    admin(req);
    return digestSettings(app.db);
  });
  app.put('/api/settings/digest', {
    schema: { tags: TAGS, summary: 'Sửa cấu hình thư nhắc hạn: bật/tắt, giờ gửi (HH:mm, giờ Việt Nam), số ngày “sắp đến hạn”', body: digestSchema, response: { 200: digestSchema, ...problems(400, 401, 403, 404) } },
  }, async (req) => {
    admin(req);
    const ctx = actorOf(req, app.clock.now());
    const before = await digestSettings(app.db);
    const value = { enabled: req.body.enabled, time: req.body.time, nearDueDays: req.body.nearDueDays };
    await inTransaction(app.db, async (tx) => {
      await putSetting(tx, DIGEST_KEY, value, ctx.now);
      await writeAudit(tx, ctx, { action: 'settings.digest_update', objectType: 'settings', objectId: DIGEST_KEY, unitId: null, summary: { before, after: value } });
    });
    return value;
  });
};

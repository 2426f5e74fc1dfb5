import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isUuid } from '../../core/ids/index.js';
import { actorOf, requireOfficial } from '../../core/http/context.js';
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
  sort: z.enum(SORTS).optional().describe('relevance (mặc định khi có q) hoặc date'),
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
  totalExact: z.boolean().describe('false: có nhiều hơn total kết quả (hiển thị "total+")'),
  page: z.number().int(),
  pageSize: z.number().int(),
  nextCursor: z.string().nullable(),
});

const countsSchema = z.object({
  pending: z.number().int(),
  inProgress: z.number().int(),
  nearDue: z.number().int(),
  overdue: z.number().int(),
  doneOnTime: z.number().int(),
  doneLate: z.number().int(),
  unread: z.number().int(),
  toAssign: z.number().int(),
  toReview: z.number().int(),
  toAccept: z.number().int(),
});

const savedSearchSchema = z.object({ id: z.string(), name: z.string(), query: z.record(z.string(), z.unknown()), createdAt: z.string() });

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
};

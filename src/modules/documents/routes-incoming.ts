import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { can } from '../../core/access/index.js';
import { forbidden, notFound } from '../../core/errors/index.js';
import { actorOf, requireOfficial } from '../../core/http/context.js';
import { boolQuery, idParams, pageQuery, paged, problemSchema, problems } from '../../core/http/schemas.js';
import { documentDetailSchema, documentSummarySchema } from './api.js';
import { listHandlers } from './assignments-people.js';
import { assignDocument, completeAssignment, forwardToUnit, handOver, markUnread, presentDocument, recordProgress, returnAssignment } from './assignments.js';
import { getDocumentDetail, presentSummary } from './detail.js';
import { listAgencies, listDocumentTypes, listRegisterBooks } from './incoming-lists.js';
import { DuplicateDocumentError, calendarDate as isoDate, findDuplicates, incomingBodySchema, registerIncoming, registeringUnit, unitRef } from './incoming.js';
import { returnForRevision } from './outgoing.js';
import { readableDocument } from './visibility.js';

// HTTP routes of incoming documents (văn bản đến): registration, presenting, assignment, handling.
// Routes parse and shape; the services decide who may do what (assignments-rules.ts).

const tags = ['Văn bản (documents)'];
const id = z.string().max(100);
const text = (max: number) => z.string().trim().max(max).transform((s) => s.normalize('NFC'));
const required = (max: number, message: string) => z.string().trim().min(1, message).max(max).transform((s) => s.normalize('NFC'));
const assignmentId = id.nullish().describe('Việc của người gọi cần thao tác (mặc định: việc chủ trì, rồi phối hợp, rồi để biết)');

const duplicateSchema = z.object({ id: z.string(), arrivalNumber: z.number().int().nullable(), numberSymbol: z.string().nullable(), issuedDate: z.string().nullable() });
const duplicateProblem = problemSchema.extend({ duplicates: z.array(duplicateSchema).optional() });

const assignBody = z.object({
  leadUserId: id.nullish().describe('Cán bộ chủ trì (hoặc leadUnitId)'),
  leadUnitId: id.nullish().describe('Đơn vị chủ trì (hoặc leadUserId)'),
  coHandlerIds: z.array(id).max(50).default([]).describe('Phối hợp: id cán bộ hoặc đơn vị'),
  forInfoIds: z.array(id).max(50).default([]).describe('Nhận để biết: id cán bộ hoặc đơn vị'),
  dueDate: isoDate.nullish().describe('Hạn xử lý của đơn vị/cán bộ chủ trì (mặc định: hạn của văn bản)'),
  coDueDate: isoDate.nullish().describe('Hạn của các đơn vị/cán bộ phối hợp (mặc định: như chủ trì)'),
  dueDates: z.record(id, isoDate).refine((o) => Object.keys(o).length <= 101, 'Quá nhiều hạn riêng').optional().describe('Hạn riêng theo từng người/đơn vị được giao'),
  instruction: required(2000, 'Nhập ý kiến chỉ đạo').describe('Ý kiến chỉ đạo'),
  withinAssignmentId: id.nullish().describe('Phân công trong đơn vị cấp dưới: việc đã giao/chuyển cho đơn vị mà người gọi là lãnh đạo'),
});

const handlerSchema = z.object({ id: z.string(), fullName: z.string(), positionTitle: z.string().nullable(), unitId: z.string(), unitName: z.string(), roles: z.array(z.string()) });
const bookSchema = z.object({
  id: z.string(),
  unitId: z.string(),
  unitName: z.string(),
  direction: z.enum(['incoming', 'outgoing']),
  series: z.string().describe("'regular', 'secret' hoặc 'legal:<mã loại>'"),
  name: z.string(),
  active: z.boolean(),
  year: z.number().int(),
  lastNumber: z.number().int().describe('Số cuối cùng đã cấp trong năm'),
});
const typeSchema = z.object({ code: z.string(), name: z.string(), abbreviation: z.string().nullable(), legalNormative: z.boolean(), validFrom: z.string(), validTo: z.string().nullable(), inForce: z.boolean() });

export const incomingRoutes: FastifyPluginAsyncZod = async (app) => {
  const now = () => app.clock.now();
  const detail = (req: FastifyRequest, docId: string) => getDocumentDetail(app.db, requireOfficial(req), docId, now());
  const detailResponse = (...codes: number[]) => ({ 200: documentDetailSchema, ...problems(400, 401, 403, 404, 409, ...codes) });

  app.post('/api/documents/incoming', {
    schema: {
      tags,
      summary: 'Đăng ký văn bản đến (văn thư): cấp số đến tự động, ghép ảnh chụp thành PDF, cảnh báo trùng',
      body: incomingBodySchema,
      response: { 201: documentSummarySchema, 409: duplicateProblem, ...problems(400, 401, 403, 404, 415, 422) },
    },
  }, async (req, reply) => {
    const p = requireOfficial(req);
    try {
      const created = await registerIncoming(app.db, p, req.body, actorOf(req, now()), app.fileStore);
      return reply.status(201).send(await presentSummary(app.db, created.row, now(), { read: false }));
    } catch (err) {
      if (!(err instanceof DuplicateDocumentError)) throw err;
      return sendDuplicate(req, reply, err);
    }
  });

  app.get('/api/documents/incoming/duplicates', {
    schema: {
      tags,
      summary: 'Kiểm tra trùng trước khi đăng ký: cùng cơ quan ban hành, số, ký hiệu, ngày văn bản',
      querystring: z.object({
        unitId: id.optional(),
        issuer: z.string().max(300).default(''),
        issuerUnitId: id.optional(),
        codeNumber: z.coerce.number().int().min(1).max(99_999_999).optional(),
        codeNotation: z.string().max(30).optional(),
        issuedDate: isoDate,
      }),
      response: { 200: z.object({ duplicates: z.array(duplicateSchema) }), ...problems(400, 401, 403, 404) },
    },
  }, async (req) => {
    const p = requireOfficial(req);
    const unit = await registeringUnit(app.db, p, req.query.unitId);
    const issuer = req.query.issuerUnitId ? (await unitRef(app.db, req.query.issuerUnitId))?.name : req.query.issuer;
    if (issuer === undefined) throw notFound('Cơ quan ban hành');
    const q = { unitId: unit.id, unitPath: unit.path, issuer: issuer.normalize('NFC'), codeNumber: req.query.codeNumber ?? null, codeNotation: req.query.codeNotation?.normalize('NFC') ?? null, issuedDate: req.query.issuedDate };
    return { duplicates: await findDuplicates(app.db, p, q) };
  });

  app.get('/api/document-types', {
    schema: { tags, summary: 'Loại văn bản (Nghị định 30/2020), đang có hiệu lực (all=true: cả loại đã hết hiệu lực)', querystring: z.object({ all: boolQuery }), response: { 200: z.object({ items: z.array(typeSchema) }), ...problems(401, 403) } },
  }, async (req) => {
    requireOfficial(req);
    return { items: await listDocumentTypes(app.db, now(), req.query.all) };
  });

  app.get('/api/register-books', {
    schema: {
      tags,
      summary: 'Sổ đăng ký văn bản đến/đi của các đơn vị người dùng được xem, kèm số cuối cùng đã cấp trong năm',
      querystring: z.object({ direction: z.enum(['incoming', 'outgoing']).optional(), unitId: id.optional(), year: z.coerce.number().int().min(2000).max(2999).optional(), ...pageQuery }),
      response: { 200: paged(bookSchema), ...problems(400, 401, 403, 404) },
    },
  }, async (req) => {
    const r = await listRegisterBooks(app.db, requireOfficial(req), req.query, now());
    return { ...r, page: req.query.page, pageSize: req.query.pageSize };
  });

  app.get('/api/document-agencies', {
    schema: {
      tags,
      summary: 'Cơ quan, đơn vị trong hệ thống (tên, mã định danh): chọn tác giả văn bản đến',
      querystring: z.object({ q: z.string().max(200).optional(), ...pageQuery }),
      response: { 200: paged(z.object({ id: z.string(), name: z.string(), agencyCode: z.string().nullable() })), ...problems(400, 401, 403) },
    },
  }, async (req) => {
    const p = requireOfficial(req);
    if (!p.roles.some((r) => ['clerk', 'leader', 'deputy_leader', 'specialist'].includes(r.role))) throw forbidden('Chức năng dành cho người xử lý văn bản.');
    const r = await listAgencies(app.db, req.query);
    return { ...r, page: req.query.page, pageSize: req.query.pageSize };
  });

  app.get('/api/officials/handlers', {
    schema: {
      tags,
      summary: 'Người có thể được giao xử lý trong đơn vị (role=handler), hoặc lãnh đạo có thể được trình (role=leader)',
      querystring: z.object({ unitId: id.optional(), role: z.enum(['handler', 'leader']).default('handler'), q: z.string().max(100).optional(), ...pageQuery }),
      response: { 200: paged(handlerSchema), ...problems(400, 401, 403, 404) },
    },
  }, async (req) => {
    const p = requireOfficial(req);
    const unit = await unitRef(app.db, req.query.unitId ?? p.unitId);
    const leaders = req.query.role === 'leader';
    const allowed = unit && (can(p, 'document.assign', unit.path) || (leaders && can(p, 'document.register', unit.path)));
    if (!unit || !allowed) throw notFound('Đơn vị');
    const r = await listHandlers(app.db, unit, { leaders, q: req.query.q, page: req.query.page, pageSize: req.query.pageSize });
    return { ...r, page: req.query.page, pageSize: req.query.pageSize };
  });

  app.post('/api/documents/:id/present', {
    schema: { tags, summary: 'Trình văn bản đến cho lãnh đạo (văn thư)', params: idParams, body: z.object({ leaderId: id, note: text(2000).nullish() }), response: detailResponse() },
  }, async (req) => {
    await presentDocument(app.db, requireOfficial(req), req.params.id, req.body, actorOf(req, now()));
    return detail(req, req.params.id);
  });

  app.post('/api/documents/:id/assign', {
    schema: { tags, summary: 'Phân công xử lý: chủ trì, phối hợp, nhận để biết, hạn xử lý, ý kiến chỉ đạo (phân công lại hủy phân công cũ)', params: idParams, body: assignBody, response: detailResponse() },
  }, async (req) => {
    await assignDocument(app.db, requireOfficial(req), req.params.id, req.body, actorOf(req, now()));
    return detail(req, req.params.id);
  });

  app.post('/api/documents/:id/progress', {
    schema: {
      tags,
      summary: 'Cập nhật tiến độ xử lý',
      params: idParams,
      body: z.object({ note: required(2000, 'Nhập nội dung tiến độ'), percent: z.number().int().min(0).max(100).nullish(), assignmentId }),
      response: detailResponse(),
    },
  }, async (req) => {
    await recordProgress(app.db, requireOfficial(req), req.params.id, req.body, actorOf(req, now()));
    return detail(req, req.params.id);
  });

  app.post('/api/documents/:id/return', {
    schema: {
      tags,
      summary: 'Trả lại kèm lý do: văn bản đến trả về lãnh đạo đã giao; văn bản đi trả về người soạn (vòng duyệt mới)',
      params: idParams,
      body: z.object({ reason: required(2000, 'Phải nêu lý do trả lại'), assignmentId }),
      response: detailResponse(422),
    },
  }, async (req) => {
    const p = requireOfficial(req);
    const doc = await readableDocument(app.db, p, req.params.id);
    if (doc.direction === 'outgoing') {
      await returnForRevision(app.db, p, doc.id, req.body.reason, actorOf(req, now()));
    } else {
      await returnAssignment(app.db, p, doc.id, req.body, actorOf(req, now()));
    }
    return detail(req, doc.id);
  });

  app.post('/api/documents/:id/handover', {
    schema: { tags, summary: 'Chuyển việc cho cán bộ khác trong đơn vị', params: idParams, body: z.object({ toUserId: id, note: text(2000).nullish(), assignmentId }), response: detailResponse() },
  }, async (req) => {
    await handOver(app.db, requireOfficial(req), req.params.id, req.body, actorOf(req, now()));
    return detail(req, req.params.id);
  });

  app.post('/api/documents/:id/forward', {
    schema: {
      tags,
      summary: 'Chuyển cho đơn vị cấp dưới xử lý (lãnh đạo đơn vị đó phân công tiếp)',
      params: idParams,
      body: z.object({ unitId: id, note: text(2000).nullish(), dueDate: isoDate.nullish(), assignmentId }),
      response: detailResponse(),
    },
  }, async (req) => {
    await forwardToUnit(app.db, requireOfficial(req), req.params.id, req.body, actorOf(req, now()));
    return detail(req, req.params.id);
  });

  app.post('/api/documents/:id/complete', {
    schema: {
      tags,
      summary: 'Hoàn thành việc được giao (kết quả xử lý, văn bản đi trả lời); chủ trì hoàn thành thì văn bản hoàn thành',
      params: idParams,
      body: z.object({ note: text(2000).nullish().describe('Kết quả xử lý (bắt buộc trừ việc nhận để biết)'), replyDocumentId: id.nullish(), assignmentId }),
      response: detailResponse(),
    },
  }, async (req) => {
    await completeAssignment(app.db, requireOfficial(req), req.params.id, req.body, actorOf(req, now()));
    return detail(req, req.params.id);
  });

  app.post('/api/documents/:id/unread', {
    schema: { tags, summary: 'Đánh dấu chưa đọc', params: idParams, response: { 204: z.null(), ...problems(401, 403, 404) } },
  }, async (req, reply) => {
    await markUnread(app.db, requireOfficial(req), req.params.id);
    return reply.status(204).send(null);
  });
};

/** 409 problem+json listing the documents that look the same (the form shows them and offers allowDuplicate). */
function sendDuplicate(req: FastifyRequest, reply: FastifyReply, err: DuplicateDocumentError) {
  return reply
    .status(409)
    .type('application/problem+json; charset=utf-8')
    .send({ type: 'https://lienthong.vn/problems/duplicate', title: err.title, status: 409, detail: err.detail, instance: `urn:request:${req.id}`, duplicates: err.duplicates });
}

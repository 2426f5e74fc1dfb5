import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, requireOfficial } from '../../core/http/context.js';
import { idParams, pageQuery, paged, problems } from '../../core/http/schemas.js';
import { reachableWorkFile } from './access.js';
import { addDocument, getWorkFileDetail, removeDocument } from './contents.js';
import { exportDisposition, exportPdf, exportXml } from './export.js';
import { NOTATION_MAX, RETENTION_MAX, RETENTION_MIN } from './rules.js';
import { changeStatus, copyYear, createWorkFile, deleteWorkFile, listWorkFiles, updateWorkFile } from './service.js';
import { getTransferSettings, putTransferSettings, transferDue } from './transfer.js';

const STATUSES = ['planned', 'open', 'closed', 'transferred'] as const;
const ts = z.string().describe('ISO 8601 date-time');
const id = z.string().max(100);
const year = z.number().int().min(2000).max(2100);
const queryYear = z.coerce.number().int().min(2000).max(2100);

const workFileSchema = z.object({
  id: z.string(),
  unitId: z.string(),
  unitName: z.string(),
  year: z.number().int(),
  notation: z.string().describe('Ký hiệu hồ sơ, e.g. 01.TCCB'),
  title: z.string(),
  retentionYears: z.number().int().nullable().describe('Thời hạn bảo quản (năm); null = Vĩnh viễn'),
  retentionLabel: z.string(),
  status: z.enum(STATUSES),
  ownerUserId: z.string().nullable().describe('Người lập hồ sơ'),
  ownerName: z.string().nullable(),
  createdBy: z.string(),
  createdByName: z.string().nullable(),
  openedAt: ts.nullable(),
  closedAt: ts.nullable(),
  transferredAt: ts.nullable(),
  note: z.string().nullable(),
  createdAt: ts,
  documentCount: z.number().int().describe('All documents in the file, including those hidden from the caller'),
});

const filedDocumentSchema = z.object({
  id: z.string(),
  direction: z.enum(['incoming', 'outgoing']),
  status: z.string(),
  typeCode: z.string(),
  typeName: z.string(),
  codeNumber: z.number().int().nullable(),
  codeNotation: z.string().nullable(),
  numberSymbol: z.string().nullable(),
  issuedDate: z.string().nullable(),
  subject: z.string(),
  issuerName: z.string(),
  issuerCode: z.string().nullable(),
  signerName: z.string().nullable(),
  signerPosition: z.string().nullable(),
  pageCount: z.number().int().nullable(),
  secrecy: z.enum(['none', 'confidential', 'secret', 'top_secret']),
  addedAt: ts,
  addedByName: z.string().nullable(),
});

const detailSchema = workFileSchema.extend({
  documents: z.array(filedDocumentSchema).describe('Documents of the file the caller may read, in index order'),
  hiddenCount: z.number().int().describe('Documents of the file the caller may not read (not listed)'),
  history: z.array(z.object({ at: ts, actorName: z.string().nullable(), action: z.string(), reason: z.string().nullable(), documentId: z.string().nullable() })),
});

const fields = {
  notation: z.string().max(NOTATION_MAX + 20).describe('Số thứ tự, dấu chấm, chữ viết tắt: 01.TCCB'),
  title: z.string().max(500),
  retentionYears: z.number().int().min(RETENTION_MIN).max(RETENTION_MAX).nullable().describe('null = Vĩnh viễn'),
  ownerUserId: id.nullish(),
  note: z.string().max(2000).nullish(),
};

const transferItemSchema = workFileSchema.extend({ transferDueDate: z.string(), daysLeft: z.number().int(), transferState: z.enum(['not_due', 'due_soon', 'overdue']) });
const settingsSchema = z.object({ unitId: z.string(), transferMonths: z.number().int() });

export const workFileRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['Hồ sơ công việc (work files)'];
  const now = () => app.clock.now();

  app.get('/api/work-files', {
    schema: {
      tags,
      summary: 'Danh mục hồ sơ của đơn vị (mặc định: đơn vị của người dùng), lọc theo năm, trạng thái, từ khoá, văn bản',
      querystring: z.object({ unitId: id.optional(), year: queryYear.optional(), status: z.enum(STATUSES).optional(), q: z.string().max(200).optional(), documentId: id.optional(), ...pageQuery }),
      response: { 200: paged(workFileSchema), ...problems(400, 401, 403, 404) },
    },
  }, async (req) => listWorkFiles(app.db, requireOfficial(req), req.query));

  app.post('/api/work-files', {
    schema: { tags, summary: 'Thêm hồ sơ vào danh mục năm (trạng thái: chưa mở)', body: z.object({ unitId: id.nullish(), year, ...fields }), response: { 201: workFileSchema, ...problems(400, 401, 403, 404, 409) } },
  }, async (req, reply) => reply.status(201).send(await createWorkFile(app.db, requireOfficial(req), req.body, actorOf(req, now()))));

  app.post('/api/work-files/copy', {
    schema: {
      tags,
      summary: 'Sao chép danh mục hồ sơ của một năm sang năm khác (bỏ qua ký hiệu đã có)',
      body: z.object({ unitId: id.nullish(), fromYear: year, toYear: year }),
      response: { 200: z.object({ created: z.number().int(), skipped: z.array(z.string()) }), ...problems(400, 401, 403, 404, 422) },
    },
  }, async (req) => copyYear(app.db, requireOfficial(req), req.body, actorOf(req, now())));

  app.get('/api/work-files/transfer-due', {
    schema: {
      tags,
      summary: 'Hồ sơ đã đóng đến hạn nộp lưu (nhắc trước 30 ngày) hoặc quá hạn',
      querystring: z.object({ unitId: id.optional(), ...pageQuery }),
      response: { 200: paged(transferItemSchema).extend({ transferMonths: z.number().int(), reminderDays: z.number().int() }), ...problems(400, 401, 403, 404) },
    },
  }, async (req) => transferDue(app.db, requireOfficial(req), req.query, now()));

  app.get('/api/work-files/settings', {
    schema: { tags, summary: 'Thời hạn nộp lưu hồ sơ của đơn vị (số tháng kể từ ngày đóng hồ sơ)', querystring: z.object({ unitId: id.optional() }), response: { 200: settingsSchema, ...problems(400, 401, 403, 404) } },
  }, async (req) => getTransferSettings(app.db, requireOfficial(req), req.query.unitId));

  app.put('/api/work-files/settings', {
    schema: { tags, summary: 'Đặt thời hạn nộp lưu (lãnh đạo đơn vị)', body: z.object({ unitId: id.nullish(), transferMonths: z.number().int().min(1).max(120) }), response: { 200: settingsSchema, ...problems(400, 401, 403, 404) } },
  }, async (req) => putTransferSettings(app.db, requireOfficial(req), req.body, actorOf(req, now())));

  app.get('/api/work-files/:id', {
    schema: { tags, summary: 'Hồ sơ, các văn bản người dùng được xem và lịch sử', params: idParams, response: { 200: detailSchema, ...problems(401, 404) } },
  }, async (req) => getWorkFileDetail(app.db, requireOfficial(req), req.params.id));

  app.patch('/api/work-files/:id', {
    schema: { tags, summary: 'Sửa hồ sơ (chưa đóng)', params: idParams, body: z.object(fields).partial(), response: { 200: workFileSchema, ...problems(400, 401, 403, 404, 409) } },
  }, async (req) => updateWorkFile(app.db, requireOfficial(req), req.params.id, req.body, actorOf(req, now())));

  app.delete('/api/work-files/:id', {
    schema: { tags, summary: 'Xoá hồ sơ chưa mở khỏi danh mục', params: idParams, response: { 204: z.null(), ...problems(401, 403, 404, 409) } },
  }, async (req, reply) => {
    await deleteWorkFile(app.db, requireOfficial(req), req.params.id, actorOf(req, now()));
    return reply.status(204).send(null);
  });

  const transition = (name: 'open' | 'close' | 'transfer', summary: string) =>
    app.post(`/api/work-files/:id/${name}`, {
      schema: { tags, summary, params: idParams, response: { 200: workFileSchema, ...problems(401, 403, 404, 409, 422) } },
    }, async (req) => changeStatus(app.db, requireOfficial(req), (req.params as { id: string }).id, name, actorOf(req, now())));
  transition('open', 'Mở hồ sơ (chưa mở → đang mở)');
  transition('close', 'Đóng hồ sơ (đang mở → đã đóng, không sửa được nữa)');
  transition('transfer', 'Ghi nhận đã nộp lưu hồ sơ vào lưu trữ cơ quan (đã đóng → đã nộp lưu)');

  app.post('/api/work-files/:id/reopen', {
    schema: { tags, summary: 'Mở lại hồ sơ đã đóng (lãnh đạo đơn vị, kèm lý do)', params: idParams, body: z.object({ reason: z.string().min(1).max(2000) }), response: { 200: workFileSchema, ...problems(400, 401, 403, 404, 409) } },
  }, async (req) => changeStatus(app.db, requireOfficial(req), req.params.id, 'reopen', actorOf(req, now()), req.body.reason));

  app.post('/api/work-files/:id/documents', {
    schema: {
      tags,
      summary: 'Đưa văn bản vào hồ sơ đang mở (tham chiếu, không sao chép; thêm lại không đổi gì)',
      params: idParams,
      body: z.object({ documentId: id }),
      response: { 200: z.object({ added: z.boolean().describe('false when the document was already in the file') }), ...problems(400, 401, 403, 404, 409) },
    },
  }, async (req) => addDocument(app.db, requireOfficial(req), req.params.id, req.body.documentId, actorOf(req, now())));

  app.delete('/api/work-files/:id/documents/:documentId', {
    schema: { tags, summary: 'Rút văn bản khỏi hồ sơ đang mở', params: z.object({ id, documentId: id }), response: { 204: z.null(), ...problems(401, 403, 404, 409) } },
  }, async (req, reply) => {
    await removeDocument(app.db, requireOfficial(req), req.params.id, req.params.documentId, actorOf(req, now()));
    return reply.status(204).send(null);
  });

  app.get('/api/work-files/:id/export', {
    schema: {
      tags,
      summary: 'Xuất hồ sơ: PDF (bìa, mục lục văn bản, các văn bản) hoặc XML siêu dữ liệu',
      params: idParams,
      querystring: z.object({ format: z.enum(['pdf', 'xml']).default('pdf') }),
      response: { 200: z.any().describe('application/pdf or application/xml'), ...problems(400, 401, 404, 422) },
    },
  }, async (req, reply) => {
    const p = requireOfficial(req);
    const file = await reachableWorkFile(app.db, p, req.params.id);
    const format = req.query.format;
    const body = format === 'xml' ? await exportXml(app.db, app.fileStore, p, file.id, now()) : await exportPdf(app.db, app.fileStore, p, file.id, now());
    return reply
      .header('content-type', format === 'xml' ? 'application/xml; charset=utf-8' : 'application/pdf')
      .header('content-disposition', exportDisposition(file, format))
      .header('cache-control', 'private, no-store')
      .send(body);
  });
};

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { canAnywhere } from '../../core/access/index.js';
import { notFound, validationFailed } from '../../core/errors/index.js';
import { actorOf, requireOfficial } from '../../core/http/context.js';
import { boolQuery, idParams, pageQuery, paged, problems } from '../../core/http/schemas.js';
import { findFile } from '../files/index.js';
import { catalogueSchema, exportCatalogue, importCatalogue } from './catalogue.js';
import { computeFee, formatDong } from './fees.js';
import { createInputSchema, editInputSchema, effectiveSchema, processEditSchema, retireInputSchema } from './inputs.js';
import { processStepSchema } from './process.js';
import { isProcedureForm, listProcedures, procedureFields, procedureVersionById } from './read.js';
import { caseSchema, CHANNELS, recordInputSchema, UNIT_LEVELS } from './record.js';
import { ONLINE_LEVELS } from './schema.js';
import { createProcedure, editProcedure, editProcess, getProcedureDetail, retireProcedure } from './service.js';
import { parseEffective } from './versions.js';

const ts = z.string().describe('ISO 8601 date-time');
// As stored: every case has its key.
const recordSchema = recordInputSchema.extend({ cases: z.array(caseSchema.extend({ key: z.string().describe('Mã trường hợp, ổn định trong phiên bản') })) });
const labelsSchema = z.object({
  channels: z.array(z.object({ channel: z.string(), timeLimit: z.string(), fee: z.string() })),
  cases: z.record(z.string(), z.string().nullable()).describe('Thời hạn riêng của trường hợp (nếu có)'),
  unitNames: z.record(z.string(), z.string()),
});
export const versionSchema = z.object({
  id: z.string().describe('Mã phiên bản — hồ sơ giữ mã này'),
  procedureId: z.string(),
  code: z.string(),
  version: z.number().int(),
  effectiveFrom: ts,
  name: z.string(),
  field: z.string(),
  level: z.enum(UNIT_LEVELS),
  onlineLevel: z.enum(ONLINE_LEVELS),
  record: recordSchema,
  process: z.array(processStepSchema.extend({ id: z.string(), position: z.number().int(), targetUnitName: z.string().nullable() })),
  ownerUnitId: z.string(),
  changeNote: z.string().nullable(),
  createdAt: ts,
  labels: labelsSchema,
});
const detailSchema = z.object({
  id: z.string(),
  code: z.string(),
  ownerUnitId: z.string(),
  ownerUnitName: z.string(),
  retiredFrom: ts.nullable(),
  retireReason: z.string().nullable(),
  current: versionSchema.describe('Phiên bản có hiệu lực tại thời điểm hỏi'),
  versions: z.array(z.object({ id: z.string(), version: z.number().int(), effectiveFrom: ts, changeNote: z.string().nullable(), createdAt: ts, createdByName: z.string().nullable() })),
  canManage: z.boolean(),
});
const listItemSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  field: z.string(),
  level: z.enum(UNIT_LEVELS),
  onlineLevel: z.enum(ONLINE_LEVELS),
  versionId: z.string(),
  version: z.number().int(),
  effectiveFrom: ts,
  channels: z.array(z.object({ channel: z.string(), timeLimit: z.string(), fee: z.string() })),
  twoLevel: z.boolean(),
  retiredFrom: ts.nullable(),
});
const atQuery = { at: effectiveSchema.optional().describe('Xem danh mục/phiên bản có hiệu lực tại ngày này (mặc định: bây giờ)') };

export const procedureRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['Thủ tục hành chính (procedures)'];
  const pub = { tags, security: [] };
  const now = () => app.clock.now();
  const atOf = (s: string | undefined): Date => {
    if (s === undefined) return now();
    const d = parseEffective(s);
    if (!d) throw validationFailed([{ field: 'at', message: 'Ngày không hợp lệ.' }]);
    return d;
  };

  app.get('/api/procedures', {
    schema: {
      ...pub,
      summary: 'Tra cứu thủ tục (công khai): tìm không dấu theo mã, tên, lĩnh vực; lọc lĩnh vực, cấp',
      querystring: z.object({ q: z.string().max(200).optional(), field: z.string().max(200).optional(), level: z.enum(UNIT_LEVELS).optional(), includeRetired: boolQuery, ...atQuery, ...pageQuery }),
      response: { 200: paged(listItemSchema), ...problems(400) },
    },
  }, async (req) => {
    const includeRetired = !!req.query.includeRetired && !!req.principal && canAnywhere(req.principal, 'procedure.manage');
    return listProcedures(app.db, { ...req.query, includeRetired, at: atOf(req.query.at) });
  });

  app.get('/api/procedures/fields', {
    schema: { ...pub, summary: 'Các lĩnh vực của danh mục đang có hiệu lực, kèm số thủ tục', querystring: z.object(atQuery), response: { 200: z.object({ items: z.array(z.object({ field: z.string(), count: z.number().int() })) }), ...problems(400) } },
  }, async (req) => ({ items: await procedureFields(app.db, atOf(req.query.at)) }));

  app.get('/api/procedures/export', {
    schema: { tags, summary: 'Xuất toàn bộ danh mục (mọi thủ tục, mọi phiên bản) dạng JSON', response: { 200: catalogueSchema, ...problems(401, 403) } },
  }, async (req, reply) => {
    const body = await exportCatalogue(app.db, requireOfficial(req), now());
    return reply.header('content-disposition', `attachment; filename="danh-muc-thu-tuc-${now().toISOString().slice(0, 10)}.json"`).send(body as z.output<typeof catalogueSchema>);
  });

  app.post('/api/procedures/import', {
    bodyLimit: 50 * 1024 * 1024,
    schema: {
      tags,
      summary: 'Nhập danh mục từ JSON (như tệp xuất): theo mã + số phiên bản, nhập lại không đổi gì; lỗi thì không nhập gì',
      body: catalogueSchema,
      response: { 200: z.object({ proceduresCreated: z.number().int(), versionsAdded: z.number().int(), versionsUnchanged: z.number().int(), retired: z.number().int() }), ...problems(400, 401, 403, 409, 413, 422) },
    },
  }, async (req) => importCatalogue(app.db, requireOfficial(req), req.body, actorOf(req, now())));

  app.get('/api/procedures/forms/:fileId', {
    schema: { ...pub, summary: 'Tải mẫu đơn, tờ khai của thủ tục (công khai)', params: z.object({ fileId: z.string().max(100) }), response: { 200: z.any().describe('Nội dung tệp mẫu'), ...problems(404) } },
  }, async (req, reply) => {
    const f = await findFile(app.db, req.params.fileId);
    if (!f || !(await isProcedureForm(app.db, f.id))) throw notFound('Mẫu đơn');
    const ascii = f.name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').replace(/[^\x20-\x7e]/g, '_').replace(/"/g, '');
    return reply
      .header('content-type', f.contentType)
      .header('content-length', String(f.size))
      .header('cache-control', 'public, max-age=3600')
      .header('x-content-type-options', 'nosniff')
      .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(f.name)}`)
      .send(app.fileStore.stream(f.sha256));
  });

  app.get('/api/procedures/versions/:id', {
    schema: { ...pub, summary: 'Một phiên bản thủ tục theo mã phiên bản (phiên bản hồ sơ đã tiếp nhận), có hiệu lực hay không', params: idParams, response: { 200: versionSchema, ...problems(404) } },
  }, async (req) => {
    const v = await procedureVersionById(app.db, req.params.id);
    if (!v) throw notFound('Phiên bản thủ tục');
    return v;
  });

  app.get('/api/procedures/:id', {
    schema: { ...pub, summary: 'Chi tiết thủ tục (công khai): phiên bản có hiệu lực bây giờ hoặc tại ?at=', params: idParams, querystring: z.object(atQuery), response: { 200: detailSchema, ...problems(400, 404) } },
  }, async (req) => getProcedureDetail(app.db, req.principal, req.params.id, atOf(req.query.at), req.query.at !== undefined));

  app.get('/api/procedures/:id/fee', {
    schema: {
      ...pub,
      summary: 'Tính phí, lệ phí theo cách thức nộp và số lượng (trang, bản)',
      params: idParams,
      querystring: z.object({ channel: z.enum(CHANNELS), units: z.coerce.number().int().min(0).max(100_000).optional(), items: z.coerce.number().int().min(1).max(10_000).optional(), ...atQuery }),
      response: { 200: z.object({ amount: z.number().int().describe('đồng'), label: z.string() }), ...problems(400, 404) },
    },
  }, async (req) => {
    const d = await getProcedureDetail(app.db, null, req.params.id, atOf(req.query.at), true);
    const offer = d.current.record.channels.find((c) => c.channel === req.query.channel);
    if (!offer) throw notFound('Cách thức thực hiện');
    const amount = computeFee(offer.fee, { units: req.query.units, items: req.query.items });
    return { amount, label: formatDong(amount) };
  });

  app.post('/api/procedures', {
    schema: { tags, summary: 'Thêm thủ tục vào danh mục (phiên bản 1)', body: createInputSchema, response: { 201: detailSchema, ...problems(400, 401, 403, 409) } },
  }, async (req, reply) => reply.status(201).send(await createProcedure(app.db, requireOfficial(req), req.body, actorOf(req, now()))));

  app.put('/api/procedures/:id', {
    schema: { tags, summary: 'Sửa thủ tục: tạo phiên bản mới có hiệu lực từ ngày chọn (không sửa phiên bản cũ)', params: idParams, body: editInputSchema, response: { 200: detailSchema, ...problems(400, 401, 403, 404, 409, 422) } },
  }, async (req) => editProcedure(app.db, requireOfficial(req), req.params.id, req.body, actorOf(req, now())));

  app.put('/api/procedures/:id/process', {
    schema: { tags, summary: 'Sửa quy trình nội bộ: tạo phiên bản mới với các bước theo thứ tự', params: idParams, body: processEditSchema, response: { 200: detailSchema, ...problems(400, 401, 403, 404, 409, 422) } },
  }, async (req) => editProcess(app.db, requireOfficial(req), req.params.id, req.body, actorOf(req, now())));

  app.post('/api/procedures/:id/retire', {
    schema: { tags, summary: 'Bãi bỏ thủ tục từ một ngày (hồ sơ đã nhận giữ phiên bản của mình)', params: idParams, body: retireInputSchema, response: { 200: detailSchema, ...problems(400, 401, 403, 404, 409) } },
  }, async (req) => retireProcedure(app.db, requireOfficial(req), req.params.id, req.body, actorOf(req, now())));
};

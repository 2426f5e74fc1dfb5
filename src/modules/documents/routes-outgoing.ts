import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, requireOfficial } from '../../core/http/context.js';
import { idParams, pageQuery, paged, problems } from '../../core/http/schemas.js';
import { documentDetailSchema, isoDate } from './api.js';
import { DELIVERY_FILTERS, acceptDelivery, getDelivery, listDeliveries, refuseDelivery } from './delivery.js';
import { getDocumentDetail } from './detail.js';
import { attachSignedScan, issueDocument } from './issue.js';
import { addDraftFile, createDraft, updateDraft } from './outgoing.js';
import { recallDocument } from './recall.js';
import { REVIEW_KINDS, approveStep, getReviewConfig, putReviewConfig, signerCandidates, submitForReview } from './review.js';
import { SECRECIES, URGENCIES } from './schema.js';
import { documentSigningRoutes } from './signing-routes.js';

// HTTP routes of outgoing documents (văn bản đi): parse, authorize in the services, shape the answer.

const tags = ['Văn bản (documents)'];
const text = (max: number) => z.string().trim().max(max).transform((s) => s.normalize('NFC'));
const required = (max: number, message: string) => z.string().trim().min(1, message).max(max).transform((s) => s.normalize('NFC'));
const id = z.string().max(100);

const recipientInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('unit'), unitId: id.describe('Đơn vị nhận trong hệ thống') }),
  z.object({
    kind: z.literal('external'),
    agencyCode: z.string().trim().max(35).regex(/^[0-9A-Za-z]+(\.[0-9A-Za-z]+)*$/, 'Mã định danh gồm các nhóm chữ số, chữ cái cách nhau bởi dấu chấm').describe('Mã định danh cơ quan (QĐ 20/2020/QĐ-TTg)'),
    name: required(300, 'Nhập tên cơ quan nhận'),
  }),
  z.object({ kind: z.literal('email'), email: z.email('Địa chỉ thư điện tử không hợp lệ').max(254), name: required(300, 'Nhập tên người hoặc cơ quan nhận') }),
]);

const draftFields = {
  typeCode: z.string().trim().min(1, 'Chọn loại văn bản').max(10).describe('Mã loại văn bản (GET /api/document-types), ví dụ QD, CV'),
  subject: required(500, 'Nhập trích yếu').describe('Trích yếu'),
  contentSummary: text(4000).nullish(),
  recipients: z.array(recipientInput).max(200).describe('Nơi nhận: đơn vị trong hệ thống, cơ quan ngoài theo mã định danh, địa chỉ thư điện tử'),
  urgency: z.enum(URGENCIES),
  secrecy: z.enum(SECRECIES),
  signerUserId: id.nullish().describe('Người ký: lãnh đạo (cấp trưởng/cấp phó) của đơn vị hoặc cơ quan cấp trên'),
  legalNormative: z.boolean().describe('Văn bản quy phạm pháp luật (chỉ với loại cho phép): sổ riêng, ký hiệu có năm'),
  replacesDocumentId: id.nullish().describe('Văn bản đi đã ban hành của đơn vị mà văn bản này thay thế'),
  dueDate: isoDate.nullish().describe('Hạn trả lời đề nghị nơi nhận'),
};

const draftBody = z.object({
  ...draftFields,
  recipients: draftFields.recipients.default([]),
  urgency: draftFields.urgency.default('normal'),
  secrecy: draftFields.secrecy.default('none'),
  legalNormative: draftFields.legalNormative.default(false),
  unitId: id.nullish().describe('Đơn vị soạn thảo (mặc định: đơn vị chính của người soạn)'),
  fileId: id.nullish().describe('Tệp dự thảo đã tải lên (POST /api/files): PDF, hoặc DOCX (chuyển sang PDF khi máy chủ có LibreOffice)'),
  fileNote: text(500).nullish(),
});
const patchBody = z.object(draftFields).partial();

const outgoingDetail = documentDetailSchema.extend({ warnings: z.array(z.string()).describe('Lưu ý cho người dùng, ví dụ cần tải lên bản PDF trước khi ban hành') });
const reasonBody = z.object({ reason: required(2000, 'Phải nêu lý do') });

const deliverySchema = z.object({
  id: z.string(),
  documentId: z.string(),
  status: z.string().describe('arrived | accepted | assigned | processing | done | refused | recalled'),
  reason: z.string().nullable(),
  incomingDocumentId: z.string().nullable(),
  recipientName: z.string(),
  receivingUnitId: z.string(),
  receivingUnitName: z.string(),
  senderUnitId: z.string(),
  senderName: z.string(),
  senderCode: z.string().nullable(),
  typeCode: z.string(),
  typeName: z.string(),
  codeNumber: z.number().int().nullable(),
  codeNotation: z.string().nullable(),
  numberSymbol: z.string().nullable(),
  issuedDate: z.string().nullable(),
  arrivedAt: z.string(),
  subject: z.string(),
  urgency: z.string(),
  secrecy: z.string(),
  signerName: z.string().nullable(),
  signerPosition: z.string().nullable(),
  dueDate: z.string().nullable(),
  recalledAt: z.string().nullable(),
  recallReason: z.string().nullable(),
  updatedAt: z.string(),
});
const deliveryFile = z.object({ fileId: z.string(), name: z.string(), size: z.number(), contentType: z.string(), sha256: z.string(), role: z.string() });
const reviewConfig = z.object({ unitId: z.string(), steps: z.array(z.enum(REVIEW_KINDS)), isDefault: z.boolean(), canEdit: z.boolean() });

export const outgoingRoutes: FastifyPluginAsyncZod = async (app) => {
  const ctxOf = (req: FastifyRequest) => actorOf(req, app.clock.now());
  const detail = async (req: FastifyRequest, docId: string, warnings: string[] = []) => ({
    ...(await getDocumentDetail(app.db, requireOfficial(req), docId, app.clock.now())),
    warnings,
  });

  app.post('/api/documents/outgoing', {
    schema: { tags, summary: 'Soạn dự thảo văn bản đi', body: draftBody, response: { 201: outgoingDetail, ...problems(400, 401, 403, 404, 409, 422) } },
  }, async (req, reply) => {
    const p = requireOfficial(req);
    const created = await createDraft(app.db, p, req.body, ctxOf(req), app.fileStore);
    return reply.status(201).send(await detail(req, created.id, created.warnings));
  });

  app.get('/api/documents/signers', {
    schema: {
      tags,
      summary: 'Người có thể ký văn bản của đơn vị soạn thảo: lãnh đạo, cấp phó của đơn vị hoặc cơ quan cấp trên',
      querystring: z.object({ unitId: id.optional().describe('Đơn vị soạn thảo (mặc định: đơn vị chính của người gọi)'), ...pageQuery }),
      response: {
        200: paged(z.object({ id: z.string(), fullName: z.string(), positionTitle: z.string().nullable(), unitId: z.string(), unitName: z.string(), role: z.enum(['leader', 'deputy_leader']) })),
        ...problems(400, 401, 403, 404),
      },
    },
  }, async (req) => {
    const p = requireOfficial(req);
    const r = await signerCandidates(app.db, p, req.query.unitId ?? p.unitId ?? '', req.query);
    return { ...r, page: req.query.page, pageSize: req.query.pageSize };
  });

  app.patch('/api/documents/:id', {
    schema: { tags, summary: 'Sửa dự thảo văn bản đi (khi là dự thảo hoặc bị trả lại)', params: idParams, body: patchBody, response: { 200: outgoingDetail, ...problems(400, 401, 403, 404, 409, 422) } },
  }, async (req) => {
    await updateDraft(app.db, requireOfficial(req), req.params.id, req.body, ctxOf(req));
    return detail(req, req.params.id);
  });

  app.post('/api/documents/:id/draft-files', {
    schema: {
      tags,
      summary: 'Thêm phiên bản tệp dự thảo (phiên bản cũ vẫn được giữ)',
      params: idParams,
      body: z.object({ fileId: id, note: text(500).nullish() }),
      response: { 201: outgoingDetail.extend({ version: z.number().int() }), ...problems(400, 401, 403, 404, 409, 422) },
    },
  }, async (req, reply) => {
    const added = await addDraftFile(app.db, requireOfficial(req), req.params.id, req.body, ctxOf(req), app.fileStore);
    return reply.status(201).send({ ...(await detail(req, req.params.id, added.warnings)), version: added.version });
  });

  app.post('/api/documents/:id/submit', {
    schema: { tags, summary: 'Trình duyệt dự thảo (mở một vòng trình mới)', params: idParams, response: { 200: outgoingDetail, ...problems(401, 403, 404, 409, 422) } },
  }, async (req) => {
    await submitForReview(app.db, requireOfficial(req), req.params.id, ctxOf(req));
    return detail(req, req.params.id);
  });

  app.post('/api/documents/:id/approve', {
    schema: {
      tags,
      summary: 'Ký nháy hoặc duyệt (bước đang chờ chính người gọi)',
      params: idParams,
      body: z.object({ note: text(2000).nullish() }).nullish(),
      response: { 200: outgoingDetail, ...problems(400, 401, 403, 404, 409) },
    },
  }, async (req) => {
    await approveStep(app.db, requireOfficial(req), req.params.id, req.body?.note ?? null, ctxOf(req));
    return detail(req, req.params.id);
  });

  app.post('/api/documents/:id/signed-file', {
    schema: {
      tags,
      summary: 'Tải lên bản giấy đã ký (quét PDF) — văn thư hoặc người ký',
      description: 'Điểm nối cho ký số: chức năng ký số điện tử sẽ ghi bản ký số vào cùng vị trí (phiên bản "signed").',
      params: idParams,
      body: z.object({ fileId: id }),
      response: { 200: outgoingDetail, ...problems(400, 401, 403, 404, 409, 415, 422) },
    },
  }, async (req) => {
    await attachSignedScan(app.db, requireOfficial(req), req.params.id, req.body.fileId, ctxOf(req), app.fileStore);
    return detail(req, req.params.id);
  });

  app.post('/api/documents/:id/issue', {
    schema: {
      tags,
      summary: 'Cấp số, ngày, ký hiệu, vào sổ và phát hành văn bản đi (văn thư)',
      params: idParams,
      body: z.object({ bookId: id.nullish().describe('Sổ văn bản đi (mặc định: sổ của đơn vị theo loại: thường, mật, quy phạm pháp luật)') }).nullish(),
      response: { 200: outgoingDetail, ...problems(400, 401, 403, 404, 409, 422) },
    },
  }, async (req) => {
    await issueDocument(app.db, requireOfficial(req), req.params.id, { bookId: req.body?.bookId ?? null }, ctxOf(req), app.fileStore);
    return detail(req, req.params.id);
  });

  app.post('/api/documents/:id/recall', {
    schema: { tags, summary: 'Thu hồi văn bản đã ban hành (văn thư hoặc người ký), nêu lý do', params: idParams, body: reasonBody, response: { 200: outgoingDetail, ...problems(400, 401, 403, 404, 409) } },
  }, async (req) => {
    await recallDocument(app.db, requireOfficial(req), req.params.id, req.body.reason, ctxOf(req));
    return detail(req, req.params.id);
  });

  app.get('/api/deliveries', {
    schema: {
      tags,
      summary: 'Văn bản chờ tiếp nhận của văn thư (khẩn trước, mới trước)',
      querystring: z.object({ status: z.enum(DELIVERY_FILTERS).default('arrived'), ...pageQuery }),
      response: { 200: paged(deliverySchema), ...problems(400, 401, 403) },
    },
  }, async (req) => listDeliveries(app.db, requireOfficial(req), req.query));

  app.get('/api/deliveries/:id', {
    schema: { tags, summary: 'Xem văn bản được gửi đến trước khi tiếp nhận', params: idParams, response: { 200: deliverySchema.extend({ files: z.array(deliveryFile) }), ...problems(401, 403, 404) } },
  }, async (req) => getDelivery(app.db, requireOfficial(req), req.params.id));

  app.post('/api/deliveries/:id/accept', {
    schema: {
      tags,
      summary: 'Tiếp nhận: trở thành văn bản đến của đơn vị (thông tin điền sẵn, số đến tự động)',
      params: idParams,
      body: z.object({ bookId: id.nullish(), dueDate: isoDate.nullish() }).nullish(),
      response: { 200: z.object({ incomingDocumentId: z.string(), arrivalNumber: z.number().int() }), ...problems(400, 401, 403, 404, 409, 422) },
    },
  }, async (req) => acceptDelivery(app.db, requireOfficial(req), req.params.id, req.body ?? {}, ctxOf(req), app.fileStore));

  app.post('/api/deliveries/:id/refuse', {
    schema: { tags, summary: 'Từ chối nhận văn bản, nêu lý do', params: idParams, body: reasonBody, response: { 200: deliverySchema.extend({ files: z.array(deliveryFile) }), ...problems(400, 401, 403, 404, 409) } },
  }, async (req) => {
    await refuseDelivery(app.db, requireOfficial(req), req.params.id, req.body.reason, ctxOf(req));
    return getDelivery(app.db, requireOfficial(req), req.params.id);
  });

  app.get('/api/review-config/:unitId', {
    schema: { tags, summary: 'Quy trình trình duyệt văn bản đi của đơn vị', params: z.object({ unitId: id }), response: { 200: reviewConfig, ...problems(401, 403, 404) } },
  }, async (req) => getReviewConfig(app.db, requireOfficial(req), req.params.unitId));

  app.put('/api/review-config/:unitId', {
    schema: {
      tags,
      summary: 'Đặt quy trình trình duyệt (lãnh đạo hoặc quản trị đơn vị): ký nháy rồi duyệt, hoặc chỉ duyệt',
      params: z.object({ unitId: id }),
      body: z.object({ steps: z.array(z.enum(REVIEW_KINDS)).min(1).max(2) }),
      response: { 200: reviewConfig, ...problems(400, 401, 403, 404) },
    },
  }, async (req) => putReviewConfig(app.db, requireOfficial(req), req.params.unitId, req.body.steps, ctxOf(req)));

  // Digital signatures: "Ký số", external signing, signed uploads, "Đóng dấu và phát hành", the signature panel.
  await app.register(documentSigningRoutes);
};

import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { badRequest } from '../../core/errors/index.js';
import { actorOf, requireOfficial } from '../../core/http/context.js';
import { idParams, problems } from '../../core/http/schemas.js';
import { credentialSchema, placementSchema, recordSchema, verificationReportSchema } from '../signing/index.js';
import { documentDetailSchema } from './api.js';
import { getDocumentDetail } from './detail.js';
import { signingOptions } from './signing-options.js';
import { attachSignedPdf, finaliseLeaderExternal, prepareLeaderExternal, signAsLeader } from './signing-leader.js';
import { finaliseSealExternal, prepareSealExternal, sealAndIssue } from './signing-issue.js';
import { documentSignatures } from './signing-view.js';

// HTTP routes of the digital signatures on documents: "Ký số", external signing, a PDF signed elsewhere,
// "Đóng dấu và phát hành", and the signature panel.

const tags = ['Văn bản (documents)', 'Chữ ký số (signing)'];
const id = z.string().max(100);
const secret = z.string().min(1).max(64);
const signResult = z.object({ version: z.number().int(), fileId: z.string(), report: verificationReportSchema });
const detailSigned = documentDetailSchema.extend({ signing: signResult });
const detailIssued = documentDetailSchema.extend({ issued: z.object({ codeNumber: z.number().int(), codeNotation: z.string(), fileId: z.string() }) });
/** Step 1 of a USB-token signature (the leader's or the agency seal): the prepared file and its digest for the tool. */
const preparedExternal = z.object({
  pendingId: z.string(),
  digest: z.object({ base64: z.string(), hex: z.string() }).describe('SHA-256 của hai vùng ký (messageDigest của CMS)'),
  byteRange: z.array(z.number().int()),
  expiresAt: z.string(),
  pdfUrl: z.string(),
});
/** Step 2: the tool's CMS. */
const cmsBody = z.object({ cms: z.string().min(100).max(2_000_000).describe('CMS SignedData (DER) mã hoá base64') });
function cmsOf(base64: string): Buffer {
  const cms = Buffer.from(base64.replace(/\s+/g, ''), 'base64');
  if (cms.length === 0) throw badRequest('CMS phải được mã hoá base64.');
  return cms;
}

export const documentSigningRoutes: FastifyPluginAsyncZod = async (app) => {
  const ctxOf = (req: FastifyRequest) => actorOf(req, app.clock.now());
  const detail = (req: FastifyRequest, docId: string) => getDocumentDetail(app.db, requireOfficial(req), docId, app.clock.now());

  app.get('/api/documents/:id/signing-options', {
    schema: {
      tags,
      summary: 'Dữ liệu cho hộp thoại "Ký số" / "Đóng dấu và phát hành": tệp sẽ ký, chứng thư dùng được, ảnh chữ ký và con dấu',
      params: idParams,
      response: {
        200: z.object({
          sourceFileId: z.string().nullable().describe('Tệp PDF sẽ được ký (bản dự thảo đã duyệt, hoặc bản đã ký khi đóng dấu): hiển thị để chọn vị trí'),
          pageCount: z.number().int().nullable(),
          credentials: z.array(credentialSchema).describe('Chứng thư của chính người ký'),
          sealCredentials: z.array(credentialSchema).describe('Chứng thư (con dấu điện tử) của cơ quan ban hành, cho văn thư'),
          hasSignatureImage: z.boolean(),
          hasSealImage: z.boolean(),
          timestamp: z.boolean(),
          defaultPlaceholder: z.string().describe('Chữ đánh dấu vị trí ký trong văn bản mẫu'),
        }),
        ...problems(401, 404),
      },
    },
  }, async (req) => signingOptions(app.db, app.fileStore, requireOfficial(req), req.params.id, app.clock.now(), !!app.signing.tsaUrl));

  app.post('/api/documents/:id/sign', {
    schema: {
      tags,
      summary: 'Ký số văn bản đi đã duyệt (người ký được giao): chứng thư của mình, mã PIN/OTP, vị trí ký',
      description: 'Chữ ký chứng thực (DocMDP P=2): văn thư điền số, ngày và đóng dấu sau mà chữ ký vẫn hợp lệ. Sai PIN bị đếm; quá số lần cho phép thì chứng thư bị tạm khoá.',
      params: idParams,
      body: z.object({ credentialId: id, pin: secret.nullish(), otp: secret.nullish(), placement: placementSchema, reason: z.string().trim().max(200).nullish() }),
      response: { 200: detailSigned, ...problems(400, 401, 403, 404, 409, 422, 423, 502, 503) },
    },
  }, async (req) => {
    const r = await signAsLeader(app.db, app.signing, app.fileStore, requireOfficial(req), req.params.id, req.body, ctxOf(req));
    return { ...(await detail(req, req.params.id)), signing: r };
  });

  app.post('/api/documents/:id/sign/external', {
    schema: {
      tags,
      summary: 'Ký bằng USB token — bước 1: chuẩn bị tệp và giá trị băm cho công cụ ký trên máy tính',
      description: 'Công cụ ký tải tệp đã chuẩn bị (pdfUrl), ký giá trị băm (SHA-256 của vùng ký) thành CMS (CAdES, tách rời) và gửi lại ở bước 2.',
      params: idParams,
      body: z.object({ credentialId: id.nullish().describe('Chứng thư USB token đã đăng ký (nếu có)'), placement: placementSchema, reason: z.string().trim().max(200).nullish() }),
      response: {
        200: preparedExternal,
        ...problems(400, 401, 403, 404, 409, 422),
      },
    },
  }, async (req) => {
    const r = await prepareLeaderExternal(app.db, app.signing, app.fileStore, requireOfficial(req), req.params.id, req.body, ctxOf(req));
    return { ...r, pdfUrl: `/api/signing/pending/${r.pendingId}/pdf` };
  });

  app.post('/api/documents/:id/sign/external/:pendingId', {
    schema: {
      tags,
      summary: 'Ký bằng USB token — bước 2: gửi CMS (DER, base64) từ công cụ ký; hệ thống gắn vào tệp và kiểm tra',
      params: z.object({ id, pendingId: id }),
      body: cmsBody,
      response: { 200: detailSigned, ...problems(400, 401, 403, 404, 409, 410, 422) },
    },
  }, async (req) => {
    const r = await finaliseLeaderExternal(app.db, app.fileStore, requireOfficial(req), req.params.id, req.params.pendingId, cmsOf(req.body.cms), ctxOf(req));
    return { ...(await detail(req, req.params.id)), signing: r };
  });

  app.post('/api/documents/:id/signed-pdf', {
    schema: {
      tags,
      summary: 'Tải lên bản PDF đã ký số ở nơi khác (người ký hoặc văn thư): chỉ nhận khi có chữ ký hợp lệ của người có thẩm quyền',
      params: idParams,
      body: z.object({ fileId: id.describe('Tệp đã tải lên qua POST /api/files') }),
      response: { 200: detailSigned, ...problems(400, 401, 403, 404, 409, 422) },
    },
  }, async (req) => {
    const r = await attachSignedPdf(app.db, app.fileStore, requireOfficial(req), req.params.id, req.body.fileId, ctxOf(req));
    return { ...(await detail(req, req.params.id)), signing: r };
  });

  app.post('/api/documents/:id/seal-issue', {
    schema: {
      tags,
      summary: 'Đóng dấu và phát hành (văn thư): cấp số, ngày, ký hiệu, vào sổ, ghi số/ngày vào tệp, ký con dấu điện tử của cơ quan, gửi',
      params: idParams,
      body: z.object({ credentialId: id, pin: secret.nullish(), otp: secret.nullish(), bookId: id.nullish() }),
      response: { 200: detailIssued, ...problems(400, 401, 403, 404, 409, 422, 423, 502, 503) },
    },
  }, async (req) => {
    const r = await sealAndIssue(app.db, app.signing, app.fileStore, requireOfficial(req), req.params.id, req.body, ctxOf(req));
    return { ...(await detail(req, req.params.id)), issued: r };
  });

  app.post('/api/documents/:id/seal-issue/external', {
    schema: {
      tags,
      summary: 'Đóng dấu và phát hành bằng USB token — bước 1: số, ngày sẽ cấp ghi vào tệp, tệp và giá trị băm cho công cụ ký (chưa cấp số, chưa giữ số)',
      description: 'Số và ngày là số, ngày văn bản sẽ nhận nếu phát hành lúc này; không giữ trước (sổ không có số bỏ trống). Ở bước 2, nếu số hoặc ngày đã khác (văn bản khác vừa phát hành, hoặc đã sang ngày mới) thì trả 409 seal-number-changed và không phát hành: chuẩn bị lại.',
      params: idParams,
      body: z.object({ credentialId: id.nullish().describe('Chứng thư USB token con dấu của cơ quan ban hành đã đăng ký (nếu có)'), bookId: id.nullish() }),
      response: {
        200: preparedExternal.extend({
          numberSymbol: z.string().describe('Số, ký hiệu đã ghi vào tệp'),
          issuedDate: z.string().describe('Ngày ban hành đã ghi vào tệp (yyyy-MM-dd, giờ Việt Nam)'),
        }),
        ...problems(400, 401, 403, 404, 409, 422),
      },
    },
  }, async (req) => {
    const r = await prepareSealExternal(app.db, app.fileStore, requireOfficial(req), req.params.id, req.body, ctxOf(req));
    return { ...r, pdfUrl: `/api/signing/pending/${r.pendingId}/pdf` };
  });

  app.post('/api/documents/:id/seal-issue/external/:pendingId', {
    schema: {
      tags,
      summary: 'Đóng dấu và phát hành bằng USB token — bước 2: gửi CMS từ công cụ ký; hệ thống gắn vào tệp, cấp số (đúng số đã chuẩn bị), kiểm tra và gửi',
      params: z.object({ id, pendingId: id }),
      body: cmsBody,
      response: { 200: detailIssued, ...problems(400, 401, 403, 404, 409, 410, 422) },
    },
  }, async (req) => {
    const r = await finaliseSealExternal(app.db, app.signing, app.fileStore, requireOfficial(req), req.params.id, req.params.pendingId, cmsOf(req.body.cms), ctxOf(req));
    return { ...(await detail(req, req.params.id)), issued: r };
  });

  app.get('/api/documents/:id/signatures', {
    schema: {
      tags,
      summary: 'Chữ ký số trên từng phiên bản tệp PDF của văn bản: kết quả kiểm tra hiện tại và các lần ký/kiểm tra đã ghi',
      params: idParams,
      response: {
        200: z.object({
          documentId: z.string(),
          truncated: z.boolean(),
          files: z.array(
            z.object({
              documentFileId: z.string(),
              fileId: z.string(),
              name: z.string(),
              role: z.string(),
              version: z.number().int(),
              createdAt: z.string(),
              report: verificationReportSchema,
              records: z.array(recordSchema),
            }),
          ),
        }),
        ...problems(401, 404),
      },
    },
  }, async (req) => documentSignatures(app.db, app.fileStore, requireOfficial(req), req.params.id, app.clock.now()));
};

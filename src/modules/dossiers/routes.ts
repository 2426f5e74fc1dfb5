import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { canAnywhere } from '../../core/access/index.js';
import { forbidden } from '../../core/errors/index.js';
import { actorOf, requireOfficial, requireUser } from '../../core/http/context.js';
import { idParams, paged, problems } from '../../core/http/schemas.js';
import type { Database } from '../../core/db/index.js';
import { getSetting } from '../../core/settings/index.js';
import { performAction } from './actions.js';
import { actionBodySchema, actionParams, countsSchema, createBodySchema, dossierDetailSchema, dossierItemSchema, draftBodySchema, formParams, foundApplicantSchema, listQuerySchema, publicDossierSchema, sealOptionsSchema, targetsSchema } from './api.js';
import { findApplicant } from './applicant.js';
import { handoverTargets } from './candidates.js';
import { formFileName, renderDossierForm } from './forms-data.js';
import { dossierCounts, listDossiers } from './lists.js';
import { readableDossier } from './policy.js';
import { publicLookup } from './public.js';
import { presentDossier } from './read.js';
import { createDossier, updateDraft } from './reception.js';
import { sealOptions } from './result-seal.js';
import type { FormNumber } from './transitions.js';

/** Setting with the public portal's address, printed on forms and in their QR codes (default: this server's address). */
export const PUBLIC_URL_KEY = 'portal.public-url';

/** `database`: the public lookup runs as a prepared statement on it (see public.ts). */
export type DossierRouteOptions = { publicLookupPerMinute?: number; database?: Database };

const idempotencyKey = (req: FastifyRequest) => {
  const v = req.headers['idempotency-key'];
  return typeof v === 'string' ? v : undefined;
};

export const dossierRoutes = (opts: DossierRouteOptions = {}): FastifyPluginAsyncZod => async (app) => {
  const tags = ['Hồ sơ một cửa (dossiers)'];
  const now = () => app.clock.now();
  const detail = async (req: FastifyRequest, id: string) => {
    const p = requireUser(req);
    return presentDossier(app.db, p, await readableDossier(app.db, p, id), now());
  };
  const publicBase = async (req: FastifyRequest) => (await getSetting<string | null>(app.db, PUBLIC_URL_KEY, null)) ?? `${req.protocol}://${req.host}`;
  const headers = z.object({ 'idempotency-key': z.string().max(100).optional().describe('Khoá chống gửi lặp: gửi lại cùng khoá không tạo thao tác mới') });

  app.post('/api/dossiers', {
    schema: {
      tags,
      summary: 'Tiếp nhận hồ sơ tại quầy/bưu chính (cán bộ Một cửa: cấp mã, tính hẹn trả, in mẫu 01) hoặc nộp trực tuyến (công dân; draft: true để lưu nháp)',
      headers,
      body: createBodySchema,
      response: { 201: dossierDetailSchema, ...problems(400, 401, 403, 404, 409, 415, 422) },
    },
  }, async (req, reply) => {
    const p = requireUser(req);
    const id = await createDossier(app.db, app.fileStore, p, req.body, actorOf(req, now()), idempotencyKey(req));
    return reply.status(201).send(await detail(req, id));
  });

  app.put('/api/dossiers/:id', {
    schema: { tags, summary: 'Tự động lưu bản nháp hồ sơ trực tuyến (chỉ bản nháp, người lập)', params: idParams, body: draftBodySchema, response: { 200: dossierDetailSchema, ...problems(400, 401, 403, 404, 409, 415, 422) } },
  }, async (req) => {
    const p = requireUser(req);
    await updateDraft(app.db, app.fileStore, p, await readableDossier(app.db, p, req.params.id), req.body, actorOf(req, now()));
    return detail(req, req.params.id);
  });

  app.get('/api/dossiers', {
    schema: {
      tags,
      summary: 'Danh sách hồ sơ: mine (đang giữ), unit (đơn vị đang giữ), desk (trực tuyến chờ tiếp nhận; overdue=true: quá 8 giờ làm việc), return (chờ trả kết quả), all',
      querystring: listQuerySchema,
      response: { 200: paged(dossierItemSchema), ...problems(400, 401) },
    },
  }, async (req) => listDossiers(app.db, requireUser(req), req.query, now()));

  app.get('/api/dossiers/counts', {
    schema: { tags, summary: 'Số hồ sơ trong các hàng đợi của người dùng', response: { 200: countsSchema, ...problems(401) } },
  }, async (req) => dossierCounts(app.db, requireUser(req), now()));

  app.get('/api/dossiers/applicants', {
    schema: {
      tags,
      summary: 'Tìm người nộp theo số CCCD: công dân đã đăng ký, hoặc thông tin trên hồ sơ gần nhất (cán bộ Một cửa)',
      querystring: z.object({ idNumber: z.string().max(20) }),
      response: { 200: foundApplicantSchema, ...problems(400, 401, 403) },
    },
  }, async (req) => {
    const p = requireOfficial(req);
    if (!canAnywhere(p, 'dossier.receive')) throw forbidden('Chỉ cán bộ Bộ phận Một cửa tra cứu người nộp hồ sơ.');
    return { found: await findApplicant(app.db, p, req.query.idNumber) };
  });

  app.get('/api/dossiers/:id', {
    schema: { tags, summary: 'Hồ sơ: trạng thái, thành phần, tệp, lịch sử xử lý, các mẫu phiếu, thao tác được phép', params: idParams, response: { 200: dossierDetailSchema, ...problems(401, 404) } },
  }, async (req) => detail(req, req.params.id));

  app.get('/api/dossiers/:id/targets', {
    schema: {
      tags,
      summary: 'Người nhận có thể chọn khi chuyển (forward, transfer, approve, complete): bước tiếp theo, đơn vị của bước, cán bộ có vai trò của bước',
      params: idParams,
      querystring: z.object({ action: z.enum(['forward', 'transfer', 'approve', 'complete']).default('forward') }),
      response: { 200: targetsSchema, ...problems(401, 404) },
    },
  }, async (req) => handoverTargets(app.db, await readableDossier(app.db, requireOfficial(req), req.params.id), req.query.action));

  app.post('/api/dossiers/:id/actions/:action', {
    schema: {
      tags,
      summary: 'Thao tác trên hồ sơ: submit, accept, refuse, request-supplement, supplement, request-fee, fee-paid, forward, transfer, approve, complete, return, apologize, stop, withdraw',
      params: actionParams,
      headers,
      body: actionBodySchema.default({}),
      response: { 200: dossierDetailSchema, ...problems(400, 401, 403, 404, 409, 415, 422) },
    },
  }, async (req) => {
    const p = requireUser(req);
    await performAction(app.db, app.fileStore, p, req.params.id, req.params.action, req.body, actorOf(req, now()), idempotencyKey(req), app.signing);
    return detail(req, req.params.id);
  });

  app.get('/api/dossiers/:id/seal-options', {
    schema: {
      tags,
      summary: 'Hộp thoại "Đóng dấu điện tử kết quả": cơ quan giải quyết, chứng thư số (con dấu điện tử) dùng được của cơ quan, có bắt buộc đóng dấu không',
      params: idParams,
      response: { 200: sealOptionsSchema, ...problems(401, 403, 404) },
    },
  }, async (req) => sealOptions(app.db, await readableDossier(app.db, requireOfficial(req), req.params.id), now()));

  app.get('/api/dossiers/:id/forms/:file', {
    schema: {
      tags,
      summary: 'Mẫu phiếu (PDF, có mã QR tra cứu): 01 tiếp nhận và hẹn trả, 02 yêu cầu bổ sung, 03 từ chối, 04 xin lỗi và hẹn lại, 05 dừng giải quyết, 06 kiểm soát quá trình',
      params: formParams,
      querystring: z.object({ actionId: z.string().max(100).optional().describe('Phiếu của thao tác này (mặc định: phiếu mới nhất)') }),
      response: { 200: z.any().describe('application/pdf'), ...problems(401, 404) },
    },
  }, async (req, reply) => {
    const p = requireUser(req);
    const d = await readableDossier(app.db, p, req.params.id);
    const number = req.params.file.slice(0, 2) as FormNumber;
    const pdf = await renderDossierForm(app.db, d, number, req.query.actionId ?? null, await publicBase(req));
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `inline; filename="${formFileName(number, d.code)}"`)
      .header('cache-control', 'private, no-store')
      .send(pdf);
  });

  app.get('/api/public/dossiers/:code', {
    config: { rateLimit: { max: opts.publicLookupPerMinute ?? 120, timeWindow: '1 minute' } },
    schema: {
      tags,
      security: [],
      summary: 'Tra cứu công khai theo mã hồ sơ: trạng thái, ngày hẹn trả, quá trình xử lý (tên người nộp đã che, không có ghi chú nội bộ)',
      params: z.object({ code: z.string().max(60) }),
      response: { 200: publicDossierSchema, ...problems(404, 429) },
    },
  }, async (req, reply) => {
    reply.header('cache-control', 'no-cache');
    return publicLookup(app.db, req.params.code, opts.database);
  });
};

import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { validationFailed } from '../../core/errors/index.js';
import { actorOf, requireOfficial } from '../../core/http/context.js';
import { idParams, pageQuery, paged, problems } from '../../core/http/schemas.js';
import { credentialSchema, imageSchema, readMultipart, requireFile, trustedRootSchema } from './api.js';
import { demoCaCertificate, issueDemoCredential } from './authority.js';
import { toPem } from './certificates.js';
import { changeCredentialStatus, getCredential, listCredentials, type Owner, visibleCredential } from './credentials.js';
import { ownPending, preparedPdf } from './external.js';
import { removeImage, type SignatureImage, sealImageOf, setSealImage, setSignatureImage, signatureImageOf } from './images.js';
import { addTrustedRoots, getTrustedRootDer, listTrustedRoots, removeTrustedRoot } from './roots.js';
import { requireCsc } from './runtime.js';
import { MAX_PIN_FAILURES, PIN_LOCK_MINUTES } from './signers.js';
import { linkRemoteCredential, registerTokenCertificate, uploadPkcs12 } from './sources.js';
import { verificationRoutes } from './routes-verify.js';

// HTTP routes of the signing module: credentials, trusted roots, signature images, configuration.

const tags = ['Chữ ký số (signing)'];
const id = z.string().max(100);
const label = z.string().trim().max(200).nullish();
const pin = z.string().min(4, 'Mã PIN tối thiểu 4 ký tự').max(64);
const ownerBody = { owner: z.enum(['official', 'unit']), userId: id.nullish().describe('Cán bộ (owner = official)'), unitId: id.nullish().describe('Đơn vị (owner = unit)') };

function ownerOf(b: { owner: string; userId?: string | null; unitId?: string | null }, self: string): Owner {
  if (b.owner === 'unit') {
    if (!b.unitId) throw validationFailed([{ field: 'unitId', message: 'Chọn đơn vị' }]);
    return { owner: 'unit', unitId: b.unitId };
  }
  return { owner: 'official', userId: b.userId || self };
}

const pem = (name: string, der: Uint8Array) => ({ name: `${name.replace(/[^\w.-]+/g, '_').slice(0, 80) || 'certificate'}.pem`, body: toPem(der) });

export const signingRoutes: FastifyPluginAsyncZod = async (app) => {
  const ctxOf = (req: FastifyRequest) => actorOf(req, app.clock.now());
  const now = () => app.clock.now();

  app.get('/api/signing/config', {
    schema: {
      tags,
      summary: 'Cấu hình ký số của hệ thống (cho giao diện)',
      response: {
        200: z.object({
          timestamp: z.boolean().describe('Có máy chủ cấp dấu thời gian (TSA_URL): chữ ký đạt PAdES B-T'),
          remoteSigning: z.boolean().describe('Có dịch vụ ký số từ xa (CSC_BASE_URL)'),
          localKeys: z.boolean().describe('Máy chủ lưu được khoá ký (có SIGNING_KEY)'),
          demoCa: z.boolean().describe('Có CA mẫu để cấp chứng thư thử'),
          pinMaxFailures: z.number().int(),
          pinLockMinutes: z.number().int(),
        }),
        ...problems(401, 403),
      },
    },
  }, async (req) => {
    requireOfficial(req);
    return {
      timestamp: !!app.signing.tsaUrl,
      remoteSigning: !!app.signing.csc,
      localKeys: !!app.signing.key,
      demoCa: !!(await demoCaCertificate(app.db)),
      pinMaxFailures: MAX_PIN_FAILURES,
      pinLockMinutes: PIN_LOCK_MINUTES,
    };
  });

  // ------------------------------------------------------------ credentials

  app.get('/api/signing/credentials', {
    schema: {
      tags,
      summary: 'Chứng thư số: của mình (mine=true) hoặc trong phạm vi quản trị',
      querystring: z.object({ mine: z.enum(['true', 'false']).optional(), userId: id.optional(), unitId: id.optional(), owner: z.enum(['official', 'unit']).optional(), ...pageQuery }),
      response: { 200: paged(credentialSchema), ...problems(400, 401, 403) },
    },
  }, async (req) => {
    const q = req.query;
    const r = await listCredentials(app.db, requireOfficial(req), { ...q, mine: q.mine === 'true' }, now());
    return { ...r, page: q.page, pageSize: q.pageSize };
  });

  app.get('/api/signing/credentials/:id', {
    schema: { tags, summary: 'Một chứng thư số', params: idParams, response: { 200: credentialSchema, ...problems(401, 404) } },
  }, async (req) => getCredential(app.db, requireOfficial(req), req.params.id, now()));

  app.get('/api/signing/credentials/:id/certificate', {
    schema: { tags, summary: 'Tải chứng thư (PEM, kèm chuỗi chứng thư)', params: idParams, response: { 200: z.string(), ...problems(401, 404) } },
  }, async (req, reply) => {
    const c = await visibleCredential(app.db, requireOfficial(req), req.params.id);
    const body = c.certificates.map((b) => toPem(Buffer.from(b, 'base64'))).join('');
    return reply.header('content-type', 'application/x-pem-file').header('content-disposition', `attachment; filename="certificate-${c.serialNumber}.pem"`).send(body);
  });

  app.post('/api/signing/credentials/issue', {
    schema: {
      tags,
      summary: 'Cấp chứng thư số thử từ CA mẫu (quản trị) cho cán bộ hoặc đơn vị; khoá được khoá bằng mã PIN',
      body: z.object({ ...ownerBody, pin, label, validYears: z.number().int().min(1).max(10).optional() }),
      response: { 201: credentialSchema, ...problems(400, 401, 403, 409, 503) },
    },
  }, async (req, reply) => {
    const p = requireOfficial(req);
    const c = await issueDemoCredential(app.db, app.signing, p, ownerOf(req.body, p.userId), req.body, ctxOf(req));
    return reply.status(201).send(await getCredential(app.db, p, c.id, now()));
  });

  app.post('/api/signing/credentials/pkcs12', {
    schema: {
      tags,
      summary: 'Tải lên tệp PKCS#12 (.p12/.pfx) với mã PIN (multipart: file, pin, owner, userId | unitId, label)',
      description: 'Tệp được mã hoá AES-256-GCM khi lưu; mã PIN không được lưu và phải nhập lại mỗi lần ký.',
      consumes: ['multipart/form-data'],
      response: { 201: credentialSchema, ...problems(400, 401, 403, 413, 415, 422, 503) },
    },
  }, async (req, reply) => {
    const p = requireOfficial(req);
    const m = await readMultipart(req);
    const file = requireFile(m);
    const body = z.object({ ...ownerBody, owner: ownerBody.owner.default('official'), pin, label }).parse(m.fields);
    const c = await uploadPkcs12(app.db, app.signing, p, ownerOf(body, p.userId), { content: file.content, pin: body.pin, label: body.label }, ctxOf(req));
    return reply.status(201).send(await getCredential(app.db, p, c.id, now()));
  });

  app.post('/api/signing/credentials/remote', {
    schema: {
      tags,
      summary: 'Liên kết chứng thư của dịch vụ ký số từ xa (CSC API v2)',
      body: z.object({ ...ownerBody, remoteCredentialId: z.string().trim().min(1).max(200), remoteUserId: z.string().trim().max(200).nullish(), label }),
      response: { 201: credentialSchema, ...problems(400, 401, 403, 422, 502, 503) },
    },
  }, async (req, reply) => {
    const p = requireOfficial(req);
    const c = await linkRemoteCredential(app.db, app.signing, p, ownerOf(req.body, p.userId), req.body, ctxOf(req));
    return reply.status(201).send(await getCredential(app.db, p, c.id, now()));
  });

  app.get('/api/signing/remote-credentials', {
    schema: {
      tags,
      summary: 'Danh sách chứng thư của một tài khoản ở dịch vụ ký số từ xa (credentials/list)',
      querystring: z.object({ remoteUserId: z.string().trim().max(200).optional().describe('Mặc định: tên đăng nhập của người gọi') }),
      response: { 200: z.object({ credentialIds: z.array(z.string()) }), ...problems(401, 502, 503) },
    },
  }, async (req) => {
    const p = requireOfficial(req);
    const r = await requireCsc(app.signing).listCredentials(req.query.remoteUserId || p.username);
    return { credentialIds: r.credentialIDs };
  });

  app.post('/api/signing/credentials/certificate', {
    schema: {
      tags,
      summary: 'Đăng ký chứng thư của USB token (PEM/DER; multipart: file, owner, userId | unitId, label) để ký qua công cụ ký và nhận diện bản đã ký',
      consumes: ['multipart/form-data'],
      response: { 201: credentialSchema, ...problems(400, 401, 403, 413, 415, 422) },
    },
  }, async (req, reply) => {
    const p = requireOfficial(req);
    const m = await readMultipart(req);
    const file = requireFile(m);
    const body = z.object({ ...ownerBody, owner: ownerBody.owner.default('official'), label }).parse(m.fields);
    const c = await registerTokenCertificate(app.db, p, ownerOf(body, p.userId), { content: file.content, label: body.label }, ctxOf(req));
    return reply.status(201).send(await getCredential(app.db, p, c.id, now()));
  });

  app.post('/api/signing/credentials/:id/status', {
    schema: {
      tags,
      summary: 'Tạm ngừng (chủ sở hữu), kích hoạt lại, mở khoá PIN hoặc thu hồi (quản trị) chứng thư số',
      params: idParams,
      body: z.object({ action: z.enum(['disable', 'enable', 'unlock', 'revoke']) }),
      response: { 200: credentialSchema, ...problems(400, 401, 403, 404, 409) },
    },
  }, async (req) => {
    const p = requireOfficial(req);
    await changeCredentialStatus(app.db, p, req.params.id, req.body.action, ctxOf(req));
    return getCredential(app.db, p, req.params.id, now());
  });

  // ------------------------------------------------------------ trusted roots

  app.get('/api/signing/trusted-roots', {
    schema: { tags, summary: 'Chứng thư gốc tin cậy khi kiểm tra chữ ký số', response: { 200: z.object({ items: z.array(trustedRootSchema) }), ...problems(401, 403) } },
  }, async (req) => {
    requireOfficial(req);
    return { items: await listTrustedRoots(app.db) };
  });

  app.post('/api/signing/trusted-roots', {
    schema: {
      tags,
      summary: 'Thêm chứng thư gốc tin cậy (quản trị hệ thống; multipart: file PEM/DER, name, note)',
      consumes: ['multipart/form-data'],
      response: { 201: z.object({ added: z.array(trustedRootSchema), skipped: z.number().int().describe('Đã có trong danh sách') }), ...problems(400, 401, 403, 413, 415, 422) },
    },
  }, async (req, reply) => {
    const p = requireOfficial(req);
    const m = await readMultipart(req);
    const file = requireFile(m);
    const r = await addTrustedRoots(app.db, p, { content: file.content, name: m.fields.name, note: m.fields.note }, ctxOf(req));
    return reply.status(201).send(r);
  });

  app.get('/api/signing/trusted-roots/:id/certificate', {
    schema: { tags, summary: 'Tải chứng thư gốc (PEM)', params: idParams, response: { 200: z.string(), ...problems(401, 404) } },
  }, async (req, reply) => {
    requireOfficial(req);
    const r = await getTrustedRootDer(app.db, req.params.id);
    const f = pem(r.name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd'), r.der);
    return reply.header('content-type', 'application/x-pem-file').header('content-disposition', `attachment; filename="${f.name}"`).send(f.body);
  });

  app.delete('/api/signing/trusted-roots/:id', {
    schema: { tags, summary: 'Bỏ một chứng thư gốc khỏi danh sách tin cậy (quản trị hệ thống)', params: idParams, response: { 204: z.null(), ...problems(401, 403, 404) } },
  }, async (req, reply) => {
    await removeTrustedRoot(app.db, requireOfficial(req), req.params.id, ctxOf(req));
    return reply.status(204).send(null);
  });

  // ------------------------------------------------------------ images

  app.get('/api/signing/images/me', {
    schema: { tags, summary: 'Ảnh chữ ký tay của tôi', response: { 200: z.object({ image: imageSchema.nullable() }), ...problems(401, 403) } },
  }, async (req) => {
    const img = await signatureImageOf(app.db, app.fileStore, requireOfficial(req).userId);
    return { image: img ? strip(img) : null };
  });

  app.put('/api/signing/images/me', {
    schema: { tags, summary: 'Đặt ảnh chữ ký tay (PNG nền trong suốt, đã tải lên qua POST /api/files)', body: z.object({ fileId: id }), response: { 200: z.object({ image: imageSchema }), ...problems(400, 401, 403) } },
  }, async (req) => ({ image: strip(await setSignatureImage(app.db, app.fileStore, requireOfficial(req), req.body, ctxOf(req))) }));

  app.delete('/api/signing/images/me', {
    schema: { tags, summary: 'Xoá ảnh chữ ký tay', response: { 204: z.null(), ...problems(401, 403, 404) } },
  }, async (req, reply) => {
    await removeImage(app.db, requireOfficial(req), { owner: 'official' }, ctxOf(req));
    return reply.status(204).send(null);
  });

  app.get('/api/units/:id/seal', {
    schema: { tags, summary: 'Ảnh con dấu của đơn vị', params: idParams, response: { 200: z.object({ image: imageSchema.nullable() }), ...problems(401, 403, 404) } },
  }, async (req) => {
    requireOfficial(req);
    const img = await sealImageOf(app.db, app.fileStore, req.params.id);
    return { image: img ? strip(img) : null };
  });

  app.put('/api/units/:id/seal', {
    schema: {
      tags,
      summary: 'Đặt ảnh con dấu của đơn vị (quản trị đơn vị): PNG đỏ nền trong suốt và đường kính thật (mm)',
      params: idParams,
      body: z.object({ fileId: id, diameterMm: z.number().min(20).max(60).nullish().describe('Mặc định 36 mm') }),
      response: { 200: z.object({ image: imageSchema }), ...problems(400, 401, 403, 404) },
    },
  }, async (req) => ({ image: strip(await setSealImage(app.db, app.fileStore, requireOfficial(req), req.params.id, req.body, ctxOf(req))) }));

  app.delete('/api/units/:id/seal', {
    schema: { tags, summary: 'Xoá ảnh con dấu của đơn vị', params: idParams, response: { 204: z.null(), ...problems(401, 403, 404) } },
  }, async (req, reply) => {
    await removeImage(app.db, requireOfficial(req), { owner: 'unit', unitId: req.params.id }, ctxOf(req));
    return reply.status(204).send(null);
  });

  app.get('/api/signing/pending/:id/pdf', {
    schema: {
      tags,
      summary: 'Tệp PDF đã chuẩn bị cho công cụ ký trên máy tính (ký ngoài): công cụ ký giá trị băm và trả về CMS',
      params: idParams,
      response: { 200: z.any().describe('application/pdf'), ...problems(401, 404, 409, 410) },
    },
  }, async (req, reply) => {
    const row = await ownPending(app.db, requireOfficial(req), req.params.id, now());
    return reply.header('content-type', 'application/pdf').header('cache-control', 'private, no-store').header('content-disposition', `attachment; filename="prepared-${row.id}.pdf"`).send(await preparedPdf(app.fileStore, row));
  });

  await app.register(verificationRoutes);
};

const strip = ({ content: _c, ...rest }: SignatureImage & { content?: unknown }): SignatureImage => rest;

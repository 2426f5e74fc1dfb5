import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, badRequest } from '../../core/errors/index.js';
import { actorOf, requireUser } from '../../core/http/context.js';
import { boolQuery, idParams, problems } from '../../core/http/schemas.js';
import { readableFile, storeFile } from './service.js';

const storedSchema = z.object({ id: z.string(), sha256: z.string(), size: z.number().int(), contentType: z.string(), name: z.string() });

export const fileRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['Tệp (files)'];

  app.post('/api/files', {
    schema: {
      tags,
      summary: 'Tải lên một tệp (multipart, trường `file`)',
      consumes: ['multipart/form-data'],
      response: { 201: storedSchema, ...problems(400, 401, 413, 415, 422) },
    },
  }, async (req, reply) => {
    const p = requireUser(req);
    if (!req.isMultipart()) throw new AppError(415, 'unsupported-media-type', 'Sai kiểu dữ liệu gửi lên', 'Hãy gửi multipart/form-data với trường "file".');
    const part = await req.file();
    if (!part || part.fieldname !== 'file') throw badRequest('Thiếu trường "file" trong biểu mẫu gửi lên.');
    const content = await part.toBuffer();
    const stored = await storeFile(app.db, app.fileStore, p, { content, name: part.filename }, actorOf(req, app.clock.now()));
    return reply.status(201).send(stored);
  });

  app.get('/api/files/:id', {
    schema: { tags, summary: 'Tải tệp về (chỉ người được phép xem)', params: idParams, querystring: z.object({ download: boolQuery }), response: { 200: z.any().describe('Nội dung tệp'), ...problems(401, 404) } },
  }, async (req, reply) => {
    const f = await readableFile(app.db, requireUser(req), req.params.id);
    const ascii = f.name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').replace(/[^\x20-\x7e]/g, '_').replace(/"/g, '');
    return reply
      .header('content-type', f.contentType)
      .header('content-length', String(f.size))
      .header('cache-control', 'private, no-store')
      .header('x-content-type-options', 'nosniff')
      .header('content-disposition', `${req.query.download ? 'attachment' : 'inline'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(f.name)}`)
      .send(app.fileStore.stream(f.sha256));
  });
};

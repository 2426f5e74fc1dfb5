import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireOfficial } from '../../core/http/context.js';
import { idParams, problems } from '../../core/http/schemas.js';
import { documentDetailSchema } from './api.js';
import { getDocumentDetail } from './detail.js';
import { incomingRoutes } from './routes-incoming.js';
import { outgoingRoutes } from './routes-outgoing.js';
import { searchRoutes } from './routes-search.js';

export const DOCUMENT_TAGS = ['Văn bản (documents)'];

/** All documents routes: the shared detail here, each flow in its own file. */
export const documentRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/documents/:id', {
    schema: { tags: DOCUMENT_TAGS, summary: 'Chi tiết văn bản: tệp, phân công, trình duyệt, nơi nhận, dòng thời gian', params: idParams, response: { 200: documentDetailSchema, ...problems(401, 403, 404) } },
  }, async (req) => getDocumentDetail(app.db, requireOfficial(req), req.params.id, app.clock.now()));

  await app.register(incomingRoutes);
  await app.register(outgoingRoutes);
  await app.register(searchRoutes);
};

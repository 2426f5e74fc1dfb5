import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { writeAudit } from '../../core/audit/index.js';
import { inTransaction } from '../../core/db/index.js';
import { actorOf, requireOfficial } from '../../core/http/context.js';
import { problems } from '../../core/http/schemas.js';
import { statisticsQuerySchema, statisticsSchema } from './api.js';
import { currentMonth } from './period.js';
import { dossierStatistics } from './service.js';
import { exportFileName, statisticsXlsx } from './xlsx.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
// A file, not the JSON schema's shape: sent through the untyped reply.
const sendFile = (reply: FastifyReply, body: Buffer, name: string) =>
  reply.header('content-type', XLSX).header('content-disposition', `attachment; filename="${name}"`).header('cache-control', 'no-store').send(body);

/** GET /api/dossier-statistics: the figures as JSON, or the .xlsx workbook (an audited export). */
export const statisticsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/dossier-statistics', {
    schema: {
      tags: ['Thống kê một cửa (dossier statistics)'],
      summary: 'Thống kê tình hình giải quyết hồ sơ một cửa của đơn vị (và đơn vị trực thuộc) trong kỳ: theo đơn vị, thủ tục hoặc cán bộ; format=xlsx xuất tệp Excel',
      querystring: statisticsQuerySchema,
      response: { 200: statisticsSchema.describe('format=xlsx trả về tệp .xlsx'), ...problems(400, 401, 403, 404) },
    },
  }, async (req, reply) => {
    const p = requireOfficial(req);
    const now = app.clock.now();
    const { from, to } = req.query.from && req.query.to ? { from: req.query.from, to: req.query.to } : currentMonth(now);
    const xlsx = req.query.format === 'xlsx';
    const stats = await dossierStatistics(app.db, p, { unitId: req.query.unitId, from, to, groupBy: req.query.groupBy }, now, xlsx);
    if (!xlsx) return stats;
    const file = await statisticsXlsx(stats);
    await inTransaction(app.db, (tx) =>
      writeAudit(tx, actorOf(req, now), {
        action: 'dossier.statistics_exported',
        objectType: 'dossier_statistics',
        objectId: null,
        unitId: stats.unit.id,
        summary: { unit: stats.unit.name, from, to, received: stats.totals.received, done: stats.totals.done, bytes: file.length },
      }),
    );
    return sendFile(reply, file, exportFileName(stats));
  });
};

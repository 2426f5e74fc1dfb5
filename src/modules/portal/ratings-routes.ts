import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { can } from '../../core/access/index.js';
import { isValidDay } from '../../core/calendar/index.js';
import { queryRows } from '../../core/db/index.js';
import { forbidden, notFound, validationFailed } from '../../core/errors/index.js';
import { actorOf, requireOfficial, requireUser } from '../../core/http/context.js';
import { idParams, problems } from '../../core/http/schemas.js';
import { isUuid } from '../../core/ids/index.js';
import { readableDossier } from '../dossiers/index.js';
import { INDICATORS, LEVELS } from './indicators.js';
import { rateDossier, ratingOf, ratingSummary } from './ratings.js';

/** JSON API of the satisfaction ratings (the public pages post the same service from their forms). */

const ratingSchema = z.object({
  dossierId: z.string(),
  code: z.string().nullable(),
  kind: z.enum(['indicators', 'simple']),
  scores: z.array(z.number().int()).nullable().describe('9 chỉ số theo thứ tự, mỗi chỉ số 0/1/2 điểm'),
  total: z.number().int().nullable().describe('Tổng điểm 0–18'),
  level: z.number().int().nullable().describe('Mức độ hài lòng chung: 5 rất hài lòng … 1 rất không hài lòng'),
  levelLabel: z.string().nullable(),
  comment: z.string().nullable(),
  ratedAt: z.string(),
});

const summarySchema = z.object({
  unitId: z.string().nullable().describe('null: tổng hợp các đơn vị'),
  unitName: z.string().nullable(),
  ratings: z.number().int(),
  withIndicators: z.number().int(),
  indicatorAverages: z.array(z.number().nullable()),
  averageTotal: z.number().nullable(),
  averageShare: z.number().nullable().describe('Điểm trung bình so với tối đa (0–1)'),
  withLevel: z.number().int(),
  levels: z.object({ 1: z.number().int(), 2: z.number().int(), 3: z.number().int(), 4: z.number().int(), 5: z.number().int() }),
  satisfiedShare: z.number().nullable().describe('Tỷ lệ hài lòng và rất hài lòng (0–1)'),
});

const day = z.string().refine(isValidDay, 'Ngày dạng yyyy-MM-dd.');
/** A local day (Asia/Ho_Chi_Minh) → the instant it starts. */
const startOf = (d: string) => new Date(`${d}T00:00:00+07:00`);

export const ratingRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['Đánh giá mức độ hài lòng (ratings)'];
  const now = () => app.clock.now();

  app.get('/api/ratings/indicators', {
    schema: {
      tags,
      security: [],
      summary: '9 chỉ số đánh giá (mỗi chỉ số 0/1/2 điểm) và 5 mức độ hài lòng',
      response: { 200: z.object({ indicators: z.array(z.object({ key: z.string(), label: z.string(), options: z.array(z.string()) })), levels: z.array(z.object({ value: z.number().int(), label: z.string() })) }) },
    },
  }, async () => ({ indicators: INDICATORS.map((i) => ({ ...i, options: [...i.options] })), levels: [...LEVELS] }));

  app.post('/api/dossiers/:id/rating', {
    schema: {
      tags,
      summary: 'Người nộp đánh giá hồ sơ đã trả kết quả (một lần): 9 chỉ số 0/1/2 và/hoặc mức độ hài lòng chung, kèm ý kiến',
      params: idParams,
      body: z.object({
        scores: z.array(z.number().int()).max(20).nullish(),
        level: z.number().int().nullish(),
        comment: z.string().max(4000).nullish(),
      }),
      response: { 201: ratingSchema, ...problems(400, 401, 403, 404, 409) },
    },
  }, async (req, reply) => reply.status(201).send(await rateDossier(app.db, requireUser(req), req.params.id, req.body, actorOf(req, now()))));

  app.get('/api/dossiers/:id/rating', {
    schema: { tags, summary: 'Đánh giá của hồ sơ (người nộp, cán bộ xem được hồ sơ)', params: idParams, response: { 200: z.object({ rating: ratingSchema.nullable() }), ...problems(401, 404) } },
  }, async (req) => {
    const d = await readableDossier(app.db, requireUser(req), req.params.id);
    return { rating: await ratingOf(app.db, d.id) };
  });

  app.get('/api/ratings/summary', {
    schema: {
      tags,
      summary: 'Tổng hợp đánh giá theo đơn vị tiếp nhận (đơn vị và các đơn vị trực thuộc) trong khoảng ngày — cán bộ của đơn vị hoặc cấp trên',
      querystring: z.object({ unitId: z.string().max(100), from: day.describe('Từ ngày (yyyy-MM-dd)'), to: day.describe('Đến hết ngày (yyyy-MM-dd)') }),
      response: { 200: z.object({ from: z.string(), to: z.string(), units: z.array(summarySchema), total: summarySchema }), ...problems(400, 401, 403, 404) },
    },
  }, async (req) => {
    const p = requireOfficial(req);
    const { unitId, from, to } = req.query;
    if (from > to) throw validationFailed([{ field: 'query.to', message: 'Đến ngày phải sau từ ngày.' }]);
    const [unit] = isUuid(unitId) ? await queryRows<{ path: string }>(app.db, sql`SELECT path FROM units WHERE id = ${unitId}`) : [];
    if (!unit) throw notFound('Đơn vị');
    if (!can(p, 'dossier.read', unit.path)) throw forbidden('Chỉ cán bộ của đơn vị hoặc đơn vị cấp trên xem tổng hợp đánh giá.');
    const ids = (await queryRows<{ id: string }>(app.db, sql`SELECT id FROM units WHERE path LIKE ${`${unit.path}%`}`)).map((r) => r.id);
    const end = new Date(startOf(to).getTime() + 86_400_000);
    const rows = await ratingSummary(app.db, ids, startOf(from), end);
    return { from, to, units: rows.filter((r) => r.unitId !== null), total: rows.find((r) => r.unitId === null)! };
  });
};

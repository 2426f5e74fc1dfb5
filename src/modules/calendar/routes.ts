import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type Duration, loadCalendar, getHolidayRules, solarToLunar, type HolidayRules, WEEKDAYS } from '../../core/calendar/index.js';
import { validationFailed } from '../../core/errors/index.js';
import { actorOf, requireOfficial } from '../../core/http/context.js';
import { idParams, problems } from '../../core/http/schemas.js';
import { clearOfficeHours, createAdjustment, deleteAdjustment, getOfficeHours, listAdjustments, putOfficeHours, setHolidayRules, updateAdjustment } from './service.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Ngày phải có dạng yyyy-MM-dd');
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Giờ phải có dạng HH:mm');
const unitId = z.string().max(100);
const year = z.coerce.number().int().min(1901).max(2198);
const kind = z.enum(['day-off', 'working-day']);

const adjustmentSchema = z.object({
  id: z.string(),
  unitId: z.string().nullable().describe('null = the whole deployment (the government’s announcement)'),
  unitName: z.string().nullable(),
  date: day,
  kind: kind.describe('day-off = extra day off; working-day = make-up working day (e.g. a Saturday)'),
  name: z.string(),
  legalBasis: z.string().nullable(),
});

const sessionSchema = z.object({ start: clock, end: clock });
const hoursBody = z.object({
  sessions: z.array(sessionSchema).min(1).max(4).describe('Working sessions of a working day, e.g. 07:00–11:30 and 13:30–17:00'),
  saturdayMorning: z.boolean().describe('The desk also receives on Saturday morning (not counted as working time)'),
  sameDayCutoff: clock.describe('Same-day procedures received after this time are due the next working day'),
});
const hoursSchema = hoursBody.extend({
  unitId: z.string(),
  inheritedFrom: z.string().nullable().describe('Unit whose hours apply; null = built-in default'),
  inheritedFromName: z.string().nullable(),
  own: z.boolean(),
});

const validity = { validFrom: day.optional(), validTo: day.optional() };
const ruleBase = { id: z.string().min(1).max(50), name: z.string().min(1).max(200), nameEn: z.string().min(1).max(200), ...validity };
const weekdaySide = z.enum(['before', 'after']);
const rulesSchema = z.object({
  source: z.string().max(500),
  weekend: z.array(z.enum(WEEKDAYS as [string, ...string[]])).max(6),
  moveWeekendHolidays: z.boolean(),
  holidays: z
    .array(
      z.discriminatedUnion('kind', [
        z.object({ ...ruleBase, kind: z.literal('solar'), month: z.number().int().min(1).max(12), day: z.number().int().min(1).max(31) }),
        z.object({ ...ruleBase, kind: z.literal('lunar'), month: z.number().int().min(1).max(12), day: z.number().int().min(1).max(30) }),
        z.object({ ...ruleBase, kind: z.literal('lunar-new-year'), daysBefore: z.number().int().min(0).max(10), daysOfNewYear: z.number().int().min(1).max(15) }),
        z.object({ ...ruleBase, kind: z.literal('adjacent'), anchor: z.string(), side: z.object(Object.fromEntries(WEEKDAYS.map((w) => [w, weekdaySide])) as Record<(typeof WEEKDAYS)[number], typeof weekdaySide>) }),
      ]),
    )
    .max(50),
});

const amount = (max: number) => z.coerce.number().min(0).max(max).optional();

export const calendarRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['Lịch làm việc (calendar)'];
  const now = () => app.clock.now();

  app.get('/api/calendar/due', {
    schema: {
      tags,
      security: [],
      summary: 'Hạn xử lý: thời điểm hết hạn tính từ `from` theo ngày làm việc, giờ làm việc, ngày lịch hoặc trong ngày',
      description:
        'Exactly one of workingDays, workingHours, calendarDays, sameDay. Received outside office hours counts from the next opening; N working days end at the close of office hours of the N-th working day after the day of receipt.',
      querystring: z.object({
        from: z.iso.datetime({ offset: true }).describe('ISO 8601 instant, e.g. 2026-02-13T16:59:00+07:00'),
        workingDays: amount(3650).refine((v) => v === undefined || Number.isInteger(v), 'Số ngày phải là số nguyên'),
        workingHours: amount(3650 * 8),
        calendarDays: amount(3650).refine((v) => v === undefined || Number.isInteger(v), 'Số ngày phải là số nguyên'),
        sameDay: z.enum(['true', '1']).optional(),
        unitId: unitId.optional().describe('Unit whose office hours and adjustments apply; default = the deployment’s'),
      }),
      response: {
        200: z.object({ dueAt: z.string(), from: z.string(), countedFrom: z.string().describe('When the clock starts (the next opening if received outside office hours)'), duration: z.object({ unit: z.string(), amount: z.number().optional() }), unitId: z.string().nullable() }),
        ...problems(400, 404),
      },
    },
  }, async (req) => {
    const q = req.query;
    const given: Duration[] = [];
    if (q.workingDays !== undefined) given.push({ unit: 'working-days', amount: q.workingDays });
    if (q.workingHours !== undefined) given.push({ unit: 'working-hours', amount: q.workingHours });
    if (q.calendarDays !== undefined) given.push({ unit: 'calendar-days', amount: q.calendarDays });
    if (q.sameDay) given.push({ unit: 'same-day' });
    if (given.length !== 1) throw validationFailed([{ field: 'query.workingDays', message: 'Cần đúng một trong các tham số workingDays, workingHours, calendarDays, sameDay.' }]);
    const from = new Date(q.from);
    const y = Number(new Date(from.getTime() + 7 * 3_600_000).toISOString().slice(0, 4));
    if (y < 1901 || y > 2180) throw validationFailed([{ field: 'query.from', message: 'Thời điểm phải trong khoảng năm 1901–2180.' }]);
    const cal = await loadCalendar(app.db, q.unitId ?? null);
    const dueAt = cal.addDuration(from, given[0]);
    return { dueAt: dueAt.toISOString(), from: from.toISOString(), countedFrom: cal.nextOpening(from).toISOString(), duration: given[0], unitId: q.unitId ?? null };
  });

  app.get('/api/calendar/holidays', {
    schema: {
      tags,
      security: [],
      summary: 'Ngày nghỉ lễ, nghỉ bù và điều chỉnh (nghỉ thêm, làm bù) của một năm',
      querystring: z.object({ year, unitId: unitId.optional() }),
      response: {
        200: z.object({
          year: z.number().int(),
          unitId: z.string().nullable(),
          source: z.string().describe('Legal basis of the holiday rules'),
          days: z.array(
            z.object({
              date: day,
              name: z.string(),
              kind: z.enum(['holiday', 'compensation', 'day-off', 'working-day']),
              working: z.boolean(),
              lunar: z.object({ day: z.number().int(), month: z.number().int(), year: z.number().int(), leap: z.boolean() }),
            }),
          ),
        }),
        ...problems(400, 404),
      },
    },
  }, async (req) => {
    const cal = await loadCalendar(app.db, req.query.unitId ?? null);
    const rules = await getHolidayRules(app.db);
    const days = cal.specialDays(req.query.year).map((d) => ({ ...d, lunar: solarToLunar(d.date) }));
    return { year: req.query.year, unitId: req.query.unitId ?? null, source: rules.source, days };
  });

  app.get('/api/calendar/adjustments', {
    schema: { tags, summary: 'Điều chỉnh lịch nghỉ của một năm (chung và của các đơn vị được xem)', querystring: z.object({ year, unitId: unitId.optional() }), response: { 200: z.object({ items: z.array(adjustmentSchema) }), ...problems(400, 401, 403, 404) } },
  }, async (req) => ({ items: await listAdjustments(app.db, requireOfficial(req), req.query) }));

  app.post('/api/calendar/adjustments', {
    schema: {
      tags,
      summary: 'Thêm ngày nghỉ thêm hoặc ngày làm bù (quản trị hệ thống: chung; quản trị đơn vị: của đơn vị)',
      body: z.object({ unitId: unitId.nullish(), date: day, kind, name: z.string().max(300), legalBasis: z.string().max(500).nullish() }),
      response: { 201: adjustmentSchema, ...problems(400, 401, 403, 404, 409) },
    },
  }, async (req, reply) => reply.status(201).send(await createAdjustment(app.db, requireOfficial(req), req.body, actorOf(req, now()))));

  app.patch('/api/calendar/adjustments/:id', {
    schema: { tags, summary: 'Sửa điều chỉnh lịch', params: idParams, body: z.object({ date: day, kind, name: z.string().max(300), legalBasis: z.string().max(500).nullable() }).partial(), response: { 200: adjustmentSchema, ...problems(400, 401, 403, 404, 409) } },
  }, async (req) => updateAdjustment(app.db, requireOfficial(req), req.params.id, req.body, actorOf(req, now())));

  app.delete('/api/calendar/adjustments/:id', {
    schema: { tags, summary: 'Xoá điều chỉnh lịch', params: idParams, response: { 204: z.null(), ...problems(401, 403, 404) } },
  }, async (req, reply) => {
    await deleteAdjustment(app.db, requireOfficial(req), req.params.id, actorOf(req, now()));
    return reply.status(204).send(null);
  });

  app.get('/api/calendar/office-hours/:unitId', {
    schema: { tags, summary: 'Giờ làm việc của đơn vị (riêng hoặc kế thừa từ đơn vị cấp trên)', params: z.object({ unitId }), response: { 200: hoursSchema, ...problems(401, 404) } },
  }, async (req) => getOfficeHours(app.db, requireOfficial(req), req.params.unitId));

  app.put('/api/calendar/office-hours/:unitId', {
    schema: { tags, summary: 'Đặt giờ làm việc riêng của đơn vị (áp dụng cho cả các đơn vị cấp dưới chưa đặt riêng)', params: z.object({ unitId }), body: hoursBody, response: { 200: hoursSchema, ...problems(400, 401, 403, 404) } },
  }, async (req) => putOfficeHours(app.db, requireOfficial(req), req.params.unitId, req.body, actorOf(req, now())));

  app.delete('/api/calendar/office-hours/:unitId', {
    schema: { tags, summary: 'Bỏ giờ làm việc riêng, dùng lại giờ kế thừa', params: z.object({ unitId }), response: { 200: hoursSchema, ...problems(401, 403, 404) } },
  }, async (req) => clearOfficeHours(app.db, requireOfficial(req), req.params.unitId, actorOf(req, now())));

  app.get('/api/calendar/rules', {
    schema: { tags, security: [], summary: 'Quy tắc ngày lễ đang áp dụng (dữ liệu, có hiệu lực theo ngày)', response: { 200: rulesSchema } },
  }, async () => (await getHolidayRules(app.db)) as z.infer<typeof rulesSchema>);

  app.put('/api/calendar/rules', {
    schema: { tags, summary: 'Thay quy tắc ngày lễ (quản trị hệ thống), ví dụ khi luật thay đổi; null = quy tắc mặc định', body: z.object({ rules: rulesSchema.nullable() }), response: { 200: rulesSchema, ...problems(400, 401, 403, 422) } },
  }, async (req) => (await setHolidayRules(app.db, requireOfficial(req), req.body.rules as HolidayRules | null, actorOf(req, now()))) as z.infer<typeof rulesSchema>);
};

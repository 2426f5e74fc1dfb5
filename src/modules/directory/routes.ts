import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { can, canAnywhere } from '../../core/access/index.js';
import { notFound, badRequest } from '../../core/errors/index.js';
import { actorOf, requireOfficial } from '../../core/http/context.js';
import { boolQuery, idParams, pageQuery, paged, problems } from '../../core/http/schemas.js';
import { createCitizen, listCitizens } from './citizens.js';
import { buildTemplate, importDirectory } from './import.js';
import { createOfficial, getOfficial, listOfficials, resetPassword, setRoles, updateOfficial } from './officials.js';
import { ROLES, UNIT_KINDS, UNIT_LEVELS } from './schema.js';
import { createUnit, deleteUnit, listUnits, readableUnit, presentUnit, updateUnit } from './units.js';

const opt = (s: z.ZodString) => s.nullish();
const unitSchema = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  depth: z.number().int(),
  level: z.enum(UNIT_LEVELS),
  kind: z.enum(UNIT_KINDS),
  name: z.string(),
  shortName: z.string(),
  agencyCode: z.string().nullable(),
  address: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  active: z.boolean(),
});
const unitBody = z.object({
  parentId: z.string().max(100).nullable(),
  level: z.enum(UNIT_LEVELS),
  kind: z.enum(UNIT_KINDS),
  name: z.string().min(1).max(300),
  shortName: z.string().min(1).max(20),
  agencyCode: opt(z.string().max(35)),
  address: opt(z.string().max(500)),
  phone: opt(z.string().max(30)),
  email: opt(z.string().max(254)),
});
const roleSchema = z.object({ unitId: z.string().max(100), role: z.enum(ROLES) });
const officialSchema = z.object({
  id: z.string(),
  username: z.string(),
  fullName: z.string(),
  positionTitle: z.string().nullable(),
  unitId: z.string(),
  unitName: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  active: z.boolean(),
  twoFactorEnabled: z.boolean(),
  roles: z.array(z.object({ unitId: z.string(), unitName: z.string(), role: z.enum(ROLES) })),
});
const citizenSchema = z.object({
  id: z.string(),
  username: z.string(),
  fullName: z.string(),
  idNumber: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  active: z.boolean(),
});
const password = z.string().min(1).max(128);

export const directoryRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['Danh bạ (directory)'];
  const now = () => app.clock.now();

  app.get('/api/units', {
    schema: { tags, summary: 'Đơn vị trong phạm vi được xem (danh sách phẳng, parentId)', querystring: z.object({ includeInactive: boolQuery }), response: { 200: z.object({ items: z.array(unitSchema) }), ...problems(401, 403) } },
  }, async (req) => ({ items: await listUnits(app.db, requireOfficial(req), { includeInactive: req.query.includeInactive }) }));

  app.get('/api/units/:id', { schema: { tags, params: idParams, response: { 200: unitSchema, ...problems(401, 404) } } }, async (req) =>
    presentUnit(await readableUnit(app.db, requireOfficial(req), req.params.id)),
  );

  app.post('/api/units', { schema: { tags, body: unitBody, response: { 201: unitSchema, ...problems(400, 401, 403, 404, 409) } } }, async (req, reply) => {
    const unit = await createUnit(app.db, requireOfficial(req), req.body, actorOf(req, now()));
    return reply.status(201).send(unit);
  });

  app.patch('/api/units/:id', {
    schema: { tags, summary: 'Sửa, đổi tên, chuyển (parentId), ngừng hoạt động (active=false)', params: idParams, body: unitBody.partial().extend({ active: z.boolean().optional() }), response: { 200: unitSchema, ...problems(400, 401, 403, 404, 409) } },
  }, async (req) => updateUnit(app.db, requireOfficial(req), req.params.id, req.body, actorOf(req, now())));

  app.delete('/api/units/:id', { schema: { tags, summary: 'Xoá đơn vị chưa được tham chiếu', params: idParams, response: { 204: z.null(), ...problems(401, 403, 404, 409) } } }, async (req, reply) => {
    await deleteUnit(app.db, requireOfficial(req), req.params.id, actorOf(req, now()));
    return reply.status(204).send(null);
  });

  app.get('/api/officials', {
    schema: { tags, querystring: z.object({ unitId: z.string().max(100).optional(), q: z.string().max(100).optional(), includeInactive: boolQuery, ...pageQuery }), response: { 200: paged(officialSchema), ...problems(400, 401) } },
  }, async (req) => listOfficials(app.db, requireOfficial(req), req.query));

  app.get('/api/officials/:id', { schema: { tags, params: idParams, response: { 200: officialSchema, ...problems(401, 404) } } }, async (req) =>
    getOfficial(app.db, requireOfficial(req), req.params.id),
  );

  app.post('/api/officials', {
    schema: {
      tags,
      body: z.object({
        username: z.string().min(1).max(50),
        fullName: z.string().min(1).max(200),
        positionTitle: opt(z.string().max(200)),
        unitId: z.string().max(100),
        email: opt(z.string().max(254)),
        phone: opt(z.string().max(30)),
        password,
        roles: z.array(roleSchema).max(50).default([]),
      }),
      response: { 201: officialSchema, ...problems(400, 401, 403, 409) },
    },
  }, async (req, reply) => reply.status(201).send(await createOfficial(app.db, requireOfficial(req), req.body, actorOf(req, now()))));

  app.patch('/api/officials/:id', {
    schema: {
      tags,
      params: idParams,
      body: z.object({ fullName: z.string().min(1).max(200).optional(), positionTitle: opt(z.string().max(200)), unitId: z.string().max(100).optional(), email: opt(z.string().max(254)), phone: opt(z.string().max(30)), active: z.boolean().optional() }),
      response: { 200: officialSchema, ...problems(400, 401, 403, 404, 409) },
    },
  }, async (req) => updateOfficial(app.db, requireOfficial(req), req.params.id, req.body, actorOf(req, now())));

  app.put('/api/officials/:id/roles', {
    schema: { tags, params: idParams, body: z.object({ roles: z.array(roleSchema).max(50) }), response: { 200: officialSchema, ...problems(400, 401, 403, 404, 409) } },
  }, async (req) => setRoles(app.db, requireOfficial(req), req.params.id, req.body.roles, actorOf(req, now())));

  app.post('/api/officials/:id/password', {
    schema: { tags, summary: 'Đặt lại mật khẩu (quản trị)', params: idParams, body: z.object({ newPassword: password }), response: { 204: z.null(), ...problems(400, 401, 403, 404) } },
  }, async (req, reply) => {
    await resetPassword(app.db, requireOfficial(req), req.params.id, req.body.newPassword, actorOf(req, now()));
    return reply.status(204).send(null);
  });

  app.get('/api/citizens', {
    schema: { tags, querystring: z.object({ q: z.string().max(100).optional(), ...pageQuery }), response: { 200: paged(citizenSchema), ...problems(401, 404) } },
  }, async (req) => {
    if (!can(requireOfficial(req), 'citizen.read')) throw notFound('Trang');
    return listCitizens(app.db, req.query);
  });

  app.post('/api/citizens', {
    schema: {
      tags,
      body: z.object({ username: z.string().min(1).max(50), fullName: z.string().min(1).max(200), idNumber: z.string().max(20), phone: opt(z.string().max(30)), email: opt(z.string().max(254)), password }),
      response: { 201: citizenSchema, ...problems(400, 401, 404, 409) },
    },
  }, async (req, reply) => {
    if (!can(requireOfficial(req), 'citizen.manage')) throw notFound('Trang');
    return reply.status(201).send(await createCitizen(app.db, req.body, actorOf(req, now())));
  });

  app.get('/api/directory/import/template', { schema: { tags, summary: 'Tệp mẫu .xlsx để nhập đơn vị và cán bộ' } }, async (req, reply) => {
    requireOfficial(req);
    return reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="mau-nhap-don-vi-can-bo.xlsx"`)
      .send(await buildTemplate());
  });

  app.post('/api/directory/import', {
    schema: { tags, summary: 'Nhập đơn vị và cán bộ từ .xlsx (multipart, trường file); không nhập gì nếu có dòng lỗi', consumes: ['multipart/form-data'], response: { 200: z.object({ unitsCreated: z.number(), officialsCreated: z.number() }), ...problems(400, 401, 403, 413, 422) } },
  }, async (req) => {
    const p = requireOfficial(req);
    if (!canAnywhere(p, 'directory.import')) throw notFound('Trang');
    const file = await req.file();
    if (!file) throw badRequest('Thiếu tệp (trường "file").');
    const buf = await file.toBuffer();
    return importDirectory(app.db, p, buf, actorOf(req, now()));
  });
};

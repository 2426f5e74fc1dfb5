import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { changePassword, completeTotpLogin, login, logout, type LoginPolicy } from '../../core/auth/login.js';
import { users } from '../../core/auth/schema.js';
import { type NewSession, resolveSession } from '../../core/auth/sessions.js';
import { disableTotp, enableTotp, setupTotp } from '../../core/auth/twofactor.js';
import { unauthorized } from '../../core/errors/index.js';
import { CSRF_COOKIE, SESSION_COOKIE, mustEnrollTwoFactor } from '../../core/http/auth-hook.js';
import { actorOf, requireUser } from '../../core/http/context.js';
import { problems } from '../../core/http/schemas.js';
import { citizenIdNumber, officials, ROLES, units } from '../directory/index.js';

const userSchema = z.object({
  id: z.string(),
  kind: z.enum(['official', 'citizen']),
  username: z.string(),
  fullName: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  positionTitle: z.string().nullable(),
  unitId: z.string().nullable(),
  unitName: z.string().nullable(),
  twoFactorEnabled: z.boolean(),
  idNumber: z.string().nullable(),
});
const meSchema = z.object({
  user: userSchema,
  roles: z.array(z.object({ unitId: z.string(), unitName: z.string(), role: z.enum(ROLES) })),
  mustEnrollTwoFactor: z.boolean(),
});
const sessionSchema = z.object({ token: z.string(), csrfToken: z.string(), expiresAt: z.string(), user: userSchema });

export const accountRoutes = (policy: LoginPolicy, cookieSecure: boolean, rateLimitPerMinute: number): FastifyPluginAsyncZod => async (app) => {
  const tags = ['Đăng nhập và tài khoản (account)'];
  const now = () => app.clock.now();

  async function profile(userId: string) {
    const [row] = await app.db
      .select({ u: users, positionTitle: officials.positionTitle, unitId: officials.unitId, unitName: units.name })
      .from(users)
      .leftJoin(officials, eq(officials.userId, users.id))
      .leftJoin(units, eq(units.id, officials.unitId))
      .where(eq(users.id, userId))
      .limit(1);
    const { u } = row;
    return {
      id: u.id,
      kind: u.kind,
      username: u.username,
      fullName: u.fullName,
      email: u.email,
      phone: u.phone,
      positionTitle: row.positionTitle,
      unitId: row.unitId,
      unitName: row.unitName,
      twoFactorEnabled: u.totpEnabled,
      idNumber: u.kind === 'citizen' ? await citizenIdNumber(app.db, u.id) : null,
    };
  }

  function setCookies(reply: FastifyReply, s: NewSession) {
    const base = { path: '/', sameSite: 'lax' as const, secure: cookieSecure, expires: s.expiresAt };
    reply.setCookie(SESSION_COOKIE, s.token, { ...base, httpOnly: true });
    reply.setCookie(CSRF_COOKIE, s.csrfToken, { ...base, httpOnly: false });
  }
  const sessionBody = async (userId: string, s: NewSession) => ({ token: s.token, csrfToken: s.csrfToken, expiresAt: s.expiresAt.toISOString(), user: await profile(userId) });
  const rateLimit = { max: rateLimitPerMinute, timeWindow: '1 minute' };

  app.post('/api/auth/login', {
    config: { rateLimit },
    schema: {
      tags,
      summary: 'Đăng nhập bằng tên đăng nhập (hoặc e-mail) và mật khẩu',
      body: z.object({ username: z.string().min(1).max(254), password: z.string().min(1).max(256) }),
      response: { 200: z.union([sessionSchema, z.object({ twoFactorRequired: z.literal(true), challenge: z.string() })]), ...problems(400, 401, 429) },
    },
  }, async (req, reply) => {
    const res = await login(app.db, { ...req.body, userAgent: req.headers['user-agent'] ?? null }, actorOf(req, now()), policy);
    if (res.kind === 'totp') return { twoFactorRequired: true as const, challenge: res.challenge };
    setCookies(reply, res.session);
    return sessionBody(res.userId, res.session);
  });

  app.post('/api/auth/login/totp', {
    config: { rateLimit },
    schema: { tags, summary: 'Bước 2: mã xác thực hai lớp', body: z.object({ challenge: z.string().min(1).max(200), code: z.string().max(10) }), response: { 200: sessionSchema, ...problems(400, 401, 429) } },
  }, async (req, reply) => {
    const challenge = await resolveSession(app.db, req.body.challenge, policy, now());
    const res = await completeTotpLogin(app.db, challenge, req.body.code.trim(), { userAgent: req.headers['user-agent'] ?? null }, actorOf(req, now()), policy);
    setCookies(reply, res.session);
    return sessionBody(res.userId, res.session);
  });

  app.post('/api/auth/logout', { schema: { tags, response: { 204: z.null(), ...problems(401) } } }, async (req, reply) => {
    if (!req.session || req.session.stage !== 'active') throw unauthorized();
    await logout(app.db, req.session.id, actorOf(req, now()));
    reply.clearCookie(SESSION_COOKIE, { path: '/' }).clearCookie(CSRF_COOKIE, { path: '/' });
    return reply.status(204).send(null);
  });

  app.get('/api/me', { schema: { tags, summary: 'Người dùng hiện tại, đơn vị và vai trò', response: { 200: meSchema, ...problems(401) } } }, async (req) => {
    // Everything comes from the request's one-query session load.
    const p = requireUser(req);
    return {
      user: req.profile!,
      roles: p.roles.map((r) => ({ unitId: r.unitId, unitName: r.unitName ?? '', role: r.role })),
      mustEnrollTwoFactor: await mustEnrollTwoFactor(app.db, p, req.session!.user.totpEnabled),
    };
  });

  app.post('/api/me/password', {
    schema: { tags, summary: 'Đổi mật khẩu (các phiên khác bị đăng xuất)', body: z.object({ currentPassword: z.string().min(1).max(256), newPassword: z.string().min(1).max(256) }), response: { 204: z.null(), ...problems(400, 401) } },
  }, async (req, reply) => {
    const p = requireUser(req);
    await changePassword(app.db, p.userId, req.session!.id, req.body, actorOf(req, now()));
    return reply.status(204).send(null);
  });

  app.post('/api/me/totp/setup', {
    schema: { tags, summary: 'Bắt đầu bật xác thực hai lớp: mã bí mật và QR', response: { 200: z.object({ secret: z.string(), otpauthUrl: z.string(), qrDataUrl: z.string() }), ...problems(401, 409) } },
  }, async (req) => setupTotp(app.db, requireUser(req).userId, actorOf(req, now())));

  app.post('/api/me/totp/enable', { schema: { tags, body: z.object({ code: z.string().max(10) }), response: { 204: z.null(), ...problems(400, 401, 409) } } }, async (req, reply) => {
    await enableTotp(app.db, requireUser(req).userId, req.body.code.trim(), actorOf(req, now()));
    return reply.status(204).send(null);
  });

  app.post('/api/me/totp/disable', { schema: { tags, body: z.object({ password: z.string().min(1).max(256) }), response: { 204: z.null(), ...problems(400, 401, 409) } } }, async (req, reply) => {
    const p = requireUser(req);
    const required = await mustEnrollTwoFactor(app.db, p, false);
    await disableTotp(app.db, p.userId, req.body.password, required, actorOf(req, now()));
    return reply.status(204).send(null);
  });
};

import type { FastifyInstance } from 'fastify';
import type { Principal } from '../access/index.js';
import type { UserProfile } from '../auth/profile.js';
import { type ActiveSession, csrfMatches, sessionIsLive, sha256, touchSession, type SessionPolicy } from '../auth/sessions.js';
import type { Database, Db } from '../db/index.js';
import { AppError, forbidden } from '../errors/index.js';
import { SECURITY_KEY, type SecuritySettings, defaultSecurity, getSetting } from '../settings/index.js';

export const SESSION_COOKIE = 'lt_session';
export const CSRF_COOKIE = 'lt_csrf';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Loads session, principal and profile for a token hash in one go (implemented by the directory module). */
export type SessionLoader = (database: Database, tokenHash: string) => Promise<{ session: ActiveSession; principal: Principal; profile: UserProfile } | null>;

export async function mustEnrollTwoFactor(db: Db, p: Principal, totpEnabled: boolean): Promise<boolean> {
  if (totpEnabled) return false;
  const sec = await getSetting<SecuritySettings>(db, SECURITY_KEY, defaultSecurity);
  return p.roles.some((r) => sec.requireTwoFactorRoles.includes(r.role));
}

/**
 * Resolves the caller on every request: Bearer token (API clients) or the session cookie (browser).
 * Cookie-authenticated writes must carry the CSRF token; an account whose role requires 2FA and has
 * not enrolled is held at the enrolment endpoints.
 */
export function registerAuthHook(app: FastifyInstance, database: Database, policy: SessionPolicy, loadSession: SessionLoader): void {
  app.decorateRequest('session', null);
  app.decorateRequest('principal', null);
  app.decorateRequest('authVia', null);
  app.decorateRequest('profile', null);
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/')) return;
    const header = req.headers.authorization;
    let token: string | undefined;
    if (header?.startsWith('Bearer ')) {
      token = header.slice(7).trim();
      req.authVia = 'bearer';
    } else if (req.cookies[SESSION_COOKIE]) {
      token = req.cookies[SESSION_COOKIE];
      req.authVia = 'cookie';
    }
    if (!SAFE.has(req.method)) {
      // Login CSRF: a cross-site form must not be able to sign the browser in or out.
      const origin = req.headers.origin;
      if (origin && req.authVia !== 'bearer' && new URL(origin).host !== req.headers.host) {
        throw forbidden('Yêu cầu đến từ trang web khác bị từ chối.', 'csrf');
      }
    }
    if (!token) return;
    if (token.length > 200) return;
    const loaded = await loadSession(database, sha256(token));
    const now = app.clock.now();
    if (!loaded || !sessionIsLive(loaded.session, policy, now)) return;
    const { session, principal, profile } = loaded;
    await touchSession(app.db, session, now);
    req.session = session;
    if (session.stage !== 'active') return; // a 2FA challenge is only good for /api/auth/login/totp
    if (req.authVia === 'cookie' && !SAFE.has(req.method) && !csrfMatches(session, req.headers['x-csrf-token'] as string | undefined)) {
      throw forbidden('Thiếu hoặc sai mã chống giả mạo yêu cầu (CSRF). Hãy tải lại trang.', 'csrf');
    }
    req.principal = principal;
    req.profile = profile;
    if (await mustEnrollTwoFactor(app.db, principal, session.user.totpEnabled)) {
      const path = req.url.split('?')[0];
      if (!path.startsWith('/api/me') && !path.startsWith('/api/auth/')) {
        throw new AppError(403, 'two-factor-enrolment-required', 'Cần bật xác thực hai lớp', 'Vai trò của bạn bắt buộc dùng xác thực hai lớp. Vào trang Cá nhân để bật.');
      }
    }
  });
}

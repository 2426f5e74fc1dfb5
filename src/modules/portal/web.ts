import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../core/access/index.js';
import type { LoginPolicy } from '../../core/auth/login.js';
import { csrfMatches, sessionIsLive, sha256, touchSession } from '../../core/auth/sessions.js';
import type { Database } from '../../core/db/index.js';
import { AppError, forbidden } from '../../core/errors/index.js';
import { CSRF_COOKIE, SESSION_COOKIE } from '../../core/http/auth-hook.js';
import type { FileStore } from '../../core/files/index.js';
import { actorOf } from '../../core/http/context.js';
import { loadSession } from '../directory/index.js';
import { storeFile } from '../files/index.js';

/**
 * What the public pages share with each other: the signed-in citizen from the same session cookie as
 * the API (the API's hook only looks at /api/…), CSRF tokens for forms without JavaScript, form
 * bodies (urlencoded and multipart with uploads), redirects after a post.
 */

export type PortalOptions = {
  database: Database;
  policy: LoginPolicy;
  cookieSecure: boolean;
  /** Sign-in and sign-up posts per IP and minute. */
  loginPerMinute: number;
  /** Dossier lookups per IP and minute (the page and the API share the idea, not the counter). */
  lookupPerMinute: number;
  /** Largest upload (bytes), as for /api/files. */
  uploadLimit: number;
};

/** The anonymous forms' CSRF cookie (double submit): sign-up, sign-in. */
export const FORM_CSRF_COOKIE = 'lt_pcsrf';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Resolves the session cookie for the portal's pages (not /api/, which core/http does). */
export function registerPortalSession(app: FastifyInstance, opts: PortalOptions): void {
  app.addHook('onRequest', async (req) => {
    const token = req.cookies[SESSION_COOKIE];
    if (!token || token.length > 200) return;
    const loaded = await loadSession(opts.database, sha256(token));
    const now = app.clock.now();
    if (!loaded || !sessionIsLive(loaded.session, opts.policy, now) || loaded.session.stage !== 'active') return;
    await touchSession(app.db, loaded.session, now);
    req.session = loaded.session;
    req.authVia = 'cookie';
    req.principal = loaded.principal;
    req.profile = loaded.profile;
  });
}

/** The token the page's forms carry in `_csrf`: the session's CSRF token, or the anonymous forms' cookie. */
export function csrfToken(req: FastifyRequest, reply: FastifyReply, cookieSecure: boolean): string {
  if (req.principal) return req.cookies[CSRF_COOKIE] ?? '';
  let t = req.cookies[FORM_CSRF_COOKIE];
  if (!t || !/^[\w-]{20,100}$/.test(t)) {
    t = randomBytes(24).toString('base64url');
    reply.setCookie(FORM_CSRF_COOKIE, t, { path: '/', httpOnly: true, sameSite: 'lax', secure: cookieSecure });
  }
  return t;
}

const CSRF_FAILED = () => forbidden('Biểu mẫu đã hết hạn hoặc không gửi từ trang này. Hãy tải lại trang và gửi lại.', 'csrf');

/** Refuses a post from another site, or without the token its page carried. */
export function checkCsrf(req: FastifyRequest, token: unknown): void {
  const origin = req.headers.origin;
  if (origin && origin !== 'null') {
    let host: string | null;
    try {
      host = new URL(origin).host;
    } catch {
      host = null;
    }
    if (host !== req.headers.host) throw forbidden('Yêu cầu đến từ trang web khác bị từ chối.', 'csrf');
  }
  if (typeof token !== 'string' || token.length === 0 || token.length > 200) throw CSRF_FAILED();
  if (req.session && req.principal) {
    if (!csrfMatches(req.session, token)) throw CSRF_FAILED();
    return;
  }
  const cookie = req.cookies[FORM_CSRF_COOKIE];
  if (!cookie || cookie.length !== token.length || !timingSafeEqual(Buffer.from(cookie), Buffer.from(token))) throw CSRF_FAILED();
}

export type FormFields = Record<string, string | string[]>;

/** application/x-www-form-urlencoded → fields (a repeated name gives an array). */
export function registerFormParser(app: FastifyInstance, bodyLimit: number): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit }, (_req, body, done) => {
    const out: FormFields = {};
    for (const [k, v] of new URLSearchParams(body as string)) {
      const prev = out[k];
      const value = v.normalize('NFC');
      out[k] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
    }
    done(null, out);
  });
}

/** One value of a form field (the first, trimmed), '' when absent. */
export const field = (f: FormFields | undefined, name: string): string => {
  const v = f?.[name];
  return (Array.isArray(v) ? v[0] : v ?? '').trim();
};
export const fields = (f: FormFields | undefined, name: string): string[] => {
  const v = f?.[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).map((s) => s.trim()).filter(Boolean);
};

export const formBody = (req: FastifyRequest): FormFields => {
  if (!req.body || typeof req.body !== 'object' || Array.isArray(req.body)) throw new AppError(415, 'unsupported-media-type', 'Sai kiểu dữ liệu gửi lên', 'Biểu mẫu phải gửi dạng application/x-www-form-urlencoded.');
  return req.body as FormFields;
};

export type Upload = { field: string; fileId: string; name: string };

/**
 * A multipart form post: its fields, and each chosen file stored (content sniffed by the files module)
 * under the signed-in person. The CSRF field must come before the first file (forms put it first), so
 * nothing is stored for a forged post.
 */
export async function readMultipart(req: FastifyRequest, store: FileStore, p: Principal, limits: { fileSize: number }): Promise<{ fields: FormFields; uploads: Upload[] }> {
  if (!req.isMultipart()) throw new AppError(415, 'unsupported-media-type', 'Sai kiểu dữ liệu gửi lên', 'Biểu mẫu có tệp phải gửi dạng multipart/form-data.');
  const out: FormFields = {};
  const uploads: Upload[] = [];
  let checked = false;
  for await (const part of req.parts({ limits: { files: 40, fields: 200, parts: 260, fileSize: limits.fileSize } })) {
    if (part.type === 'field') {
      const value = String(part.value).normalize('NFC');
      const prev = out[part.fieldname];
      out[part.fieldname] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
      continue;
    }
    if (!checked) {
      checkCsrf(req, field(out, '_csrf'));
      checked = true;
    }
    const content = await part.toBuffer();
    if (!part.filename && content.length === 0) continue; // a file input left empty
    const stored = await storeFile(req.server.db, store, p, { content, name: part.filename }, actorOf(req, req.server.clock.now()));
    uploads.push({ field: part.fieldname, fileId: stored.id, name: stored.name });
  }
  if (!checked) checkCsrf(req, field(out, '_csrf'));
  return { fields: out, uploads };
}

/** After a post: go to the page that shows the result (303, so reloading does not post again). */
export const seeOther = (reply: FastifyReply, url: string) => reply.code(303).header('location', url).header('cache-control', 'no-store').send();

/** Only our own relative paths are followed after sign-in. */
export const safeNext = (s: string | undefined | null, fallback = '/ho-so-cua-toi'): string =>
  s && /^\/(?![/\\])[\w\-./?=&%~]*$/.test(s) ? s : fallback;

/** The signed-in citizen, or a redirect to the sign-in page that comes back here. */
export function citizenOrSignIn(req: FastifyRequest, reply: FastifyReply): Principal | null {
  if (req.principal) return req.principal;
  void seeOther(reply, `/cong-dan/dang-nhap?tiep=${encodeURIComponent(req.url)}`);
  return null;
}

export const isSafeMethod = (req: FastifyRequest) => SAFE.has(req.method);

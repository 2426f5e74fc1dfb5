import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { sql } from 'drizzle-orm';
import { fixedClock } from '../../core/clock/index.js';
import { queryRows } from '../../core/db/index.js';
import { bearer, createTestApp, type TestContext } from '../../test/harness.js';
import { seedDemoProcedures } from '../procedures/index.js';

/**
 * Test factories of the portal: the demo province with its procedure catalogue, and a small
 * "browser without JavaScript" over app.inject — a cookie jar, GET and form posts (urlencoded and
 * multipart with files), the CSRF field read from the page like a browser would submit it. Not a test
 * file itself.
 */

export const TUESDAY_9AM = new Date('2026-03-10T02:00:00Z');
export const CODES = { birth: '1.001193', marriage: '1.000894', extract: '2.000635', signature: '2.000884' } as const;
export const UNITS = { tanAn: '000.01.31.H99', phuLoc: '000.02.31.H99' } as const;
export const PAGE_BUDGET = 60 * 1024;

export type PageResponse = { status: number; html: string; headers: Record<string, string | string[] | number | undefined>; location: string | null; bytes: number };
export type FilePart = { field: string; name: string; content: Buffer; type?: string };

const gunzip = (raw: Buffer, enc: unknown) => (enc === 'gzip' ? zlib.gunzipSync(raw) : raw);

export class Browser {
  readonly cookies = new Map<string, string>();
  constructor(
    private readonly t: TestContext,
    private readonly ip = '127.0.0.1',
  ) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(setCookie: unknown): void {
    const list = Array.isArray(setCookie) ? setCookie : setCookie ? [String(setCookie)] : [];
    for (const c of list) {
      const [pair, ...attrs] = String(c).split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      // Cleared cookies expire in 1970 (the app's clock is fixed in tests, so later dates are not compared with now).
      const expired = attrs.some((a) => /^\s*expires=/i.test(a) && new Date(a.split('=')[1]).getUTCFullYear() < 2000) || attrs.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (!value || expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(method: 'GET' | 'POST', url: string, body?: { payload: Buffer | string; type: string }, headers: Record<string, string> = {}): Promise<PageResponse> {
    const res = await this.t.app.inject({
      method,
      url,
      remoteAddress: this.ip,
      headers: { 'accept-encoding': 'gzip', ...(this.cookies.size ? { cookie: this.cookieHeader() } : {}), ...(body ? { 'content-type': body.type } : {}), ...headers },
      ...(body ? { payload: body.payload } : {}),
    });
    this.remember(res.headers['set-cookie']);
    const raw = res.rawPayload;
    return { status: res.statusCode, html: gunzip(raw, res.headers['content-encoding']).toString('utf8'), headers: res.headers, location: (res.headers.location as string | undefined) ?? null, bytes: raw.length };
  }

  get(url: string, headers?: Record<string, string>) {
    return this.request('GET', url, undefined, headers);
  }

  /** A urlencoded form post (fields may repeat). */
  post(url: string, fields: Record<string, string | string[]>, headers?: Record<string, string>) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) params.append(k, x);
    return this.request('POST', url, { payload: params.toString(), type: 'application/x-www-form-urlencoded' }, headers);
  }

  /** A multipart form post: fields in the given order (the CSRF field first, as the forms have it), then the files. */
  postMultipart(url: string, fields: [string, string][], files: FilePart[] = [], headers?: Record<string, string>) {
    const boundary = `----portaltest${Math.random().toString(16).slice(2)}`;
    const parts: Buffer[] = [];
    for (const [k, v] of fields) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
    for (const f of files) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.name}"\r\nContent-Type: ${f.type ?? 'application/octet-stream'}\r\n\r\n`), f.content, Buffer.from('\r\n'));
    }
    parts.push(Buffer.from(`--${boundary}--\r\n`));
    return this.request('POST', url, { payload: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` }, headers);
  }

  /** Signs in through the portal's own form. */
  async signIn(username: string, password = 'LienThong@2026'): Promise<void> {
    const page = await this.get('/cong-dan/dang-nhap');
    const r = await this.post('/cong-dan/dang-nhap', { _csrf: csrfOf(page.html), username, password });
    assert.equal(r.status, 303, r.html);
  }
}

/** The `_csrf` hidden field of the (first) form on the page. */
export function csrfOf(html: string): string {
  const m = /name="_csrf" value="([^"]*)"/.exec(html);
  assert.ok(m, 'no _csrf field on the page');
  return m[1];
}

/** Text of the page without tags (for content assertions). */
export const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&nbsp;|\s+/g, ' ').replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');

/** What a first visit transfers for the page: its compressed HTML plus the stylesheet and script it links. */
export async function transferredBytes(b: Browser, url: string): Promise<{ total: number; html: number; assets: number }> {
  const page = await b.get(url);
  assert.ok(page.status < 500, `${url}: ${page.status}`);
  let assets = 0;
  for (const m of page.html.matchAll(/(?:href|src)="(\/cong\/[^"]+)"/g)) {
    const r = await b.get(m[1]);
    assert.equal(r.status, 200, m[1]);
    assert.equal(r.headers['content-encoding'], r.bytes > 512 ? 'gzip' : r.headers['content-encoding']);
    assets += r.bytes;
  }
  return { total: page.bytes + assets, html: page.bytes, assets };
}

export type PortalTestApp = { t: TestContext; clock: ReturnType<typeof fixedClock>; procedure(code: string): Promise<string>; token(u: string): Promise<string>; api(token: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown): Promise<{ status: number; body: any }>; upload(token: string, content: Buffer, name: string): Promise<string>; browser(ip?: string): Browser }; // eslint-disable-line @typescript-eslint/no-explicit-any

export async function createPortalApp(start = TUESDAY_9AM): Promise<PortalTestApp> {
  const clock = fixedClock(start);
  const t = await createTestApp({ clock });
  await seedDemoProcedures(t.database, t.app.fileStore, new Date('2025-06-01T00:00:00Z'));
  const tokens = new Map<string, string>();
  const api: PortalTestApp['api'] = async (tk, method, url, payload) => {
    const res = await t.app.inject({ method, url, headers: bearer(tk), ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: res.statusCode, body: String(res.headers['content-type'] ?? '').includes('json') && res.body ? res.json() : res.body };
  };
  return {
    t,
    clock,
    api,
    async procedure(code) {
      const [r] = await queryRows<{ id: string }>(t.database.db, sql`SELECT id FROM procedures WHERE code = ${code}`);
      assert.ok(r, `no procedure ${code}`);
      return r.id;
    },
    async token(u) {
      if (!tokens.has(u)) tokens.set(u, await t.login(u));
      return tokens.get(u)!;
    },
    async upload(tk, content, name) {
      const boundary = `----up${Math.random().toString(16).slice(2)}`;
      const payload = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n\r\n`), content, Buffer.from(`\r\n--${boundary}--\r\n`)]);
      const res = await t.app.inject({ method: 'POST', url: '/api/files', headers: { ...bearer(tk), 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
      assert.equal(res.statusCode, 201, res.body);
      return res.json().id as string;
    },
    browser: (ip) => new Browser(t, ip),
  };
}

/** Takes an online dossier from submitted (1) to returned (10) through the staff API: accept → specialist → leader → result → return. */
export async function processToReturned(h: PortalTestApp, id: string, resultPdf: Buffer): Promise<string> {
  const act = async (user: string, action: string, body: Record<string, unknown> = {}) => {
    const r = await h.api(await h.token(user), 'POST', `/api/dossiers/${id}/actions/${action}`, body);
    assert.equal(r.status, 200, `${action}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const accepted = await act('motcua.xa', 'accept');
  await act('motcua.xa', 'forward', { toUserId: await h.t.userId('chuyenvien.xa'), note: 'Ghi chú nội bộ: đã đối chiếu sổ hộ tịch' });
  await act('chuyenvien.xa', 'forward', {});
  await act('lanhdao.xa', 'approve');
  const result = await h.upload(await h.token('motcua.xa'), resultPdf, 'ket-qua.pdf');
  await act('motcua.xa', 'complete', { fileIds: [result] });
  await act('motcua.xa', 'return', { method: 'online' });
  return accepted.code as string;
}

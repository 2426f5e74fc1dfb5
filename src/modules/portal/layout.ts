import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'drizzle-orm';
import { type Db, perDatabase, queryRows } from '../../core/db/index.js';
import type { FieldError } from '../../core/errors/index.js';
import { CSRF_COOKIE } from '../../core/http/auth-hook.js';
import { CSS_URL, JS_URL } from './assets.js';
import { type Html, html, minify } from './html.js';

/** The page shell of every public page: header with the deployment's name and navigation, main, footer. */

export type PageInput = {
  title: string;
  body: Html;
  /** Loads the enhancement script (submission form only). */
  script?: boolean;
  /** Which navigation entry is current. */
  nav?: 'catalogue' | 'lookup' | 'mine' | 'signin' | 'signup';
};

const siteNames = perDatabase((): { name?: string; at: number } => ({ at: 0 }));

/** The root unit's name ("Ủy ban nhân dân tỉnh Thái Hòa"), cached a minute. */
export async function deploymentName(db: Db): Promise<string> {
  const site = siteNames(db);
  if (site.name !== undefined && Date.now() - site.at < 60_000) return site.name;
  const [r] = await queryRows<{ name: string }>(db, sql`SELECT name FROM units WHERE parent_id IS NULL ORDER BY created_at LIMIT 1`);
  site.name = r?.name ?? 'LienThong';
  site.at = Date.now();
  return site.name;
}

const navLink = (href: string, label: string, current: boolean) => html`<li><a href="${href}"${current ? html` aria-current="page"` : ''}>${label}</a></li>`;

export async function renderPage(req: FastifyRequest, input: PageInput): Promise<string> {
  const p = req.principal;
  const name = await deploymentName(req.server.db);
  const account = p
    ? html`<li><span>${p.fullName}</span></li><li><form method="post" action="/dang-xuat"><input type="hidden" name="_csrf" value="${req.cookies[CSRF_COOKIE] ?? ''}"><button type="submit">Đăng xuất</button></form></li>`
    : html`${navLink('/cong-dan/dang-nhap', 'Đăng nhập', input.nav === 'signin')}${navLink('/dang-ky', 'Đăng ký', input.nav === 'signup')}`;
  const page = html`<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${input.title} — Dịch vụ công ${name}</title>
<link rel="stylesheet" href="${CSS_URL}">
${input.script ? html`<script src="${JS_URL}" defer></script>` : ''}
</head>
<body>
<a class="skip" href="#noi-dung">Chuyển đến nội dung chính</a>
<header class="site"><div class="in">
<a class="brand" href="/dich-vu-cong">Dịch vụ công trực tuyến<small>${name}</small></a>
<nav aria-label="Điều hướng chính"><ul>
${navLink('/dich-vu-cong', 'Thủ tục hành chính', input.nav === 'catalogue')}
${navLink('/tra-cuu', 'Tra cứu hồ sơ', input.nav === 'lookup')}
${navLink('/ho-so-cua-toi', 'Hồ sơ của tôi', input.nav === 'mine')}
${account}
</ul></nav>
</div></header>
<main id="noi-dung" tabindex="-1"><div class="in">
${input.body}
</div></main>
<footer><div class="in">${name} · Hệ thống thông tin giải quyết thủ tục hành chính · Giờ Việt Nam (GMT+7)</div></footer>
</body>
</html>`;
  return minify(page.value);
}

/** Sends a page (HTML, never cached: it can show personal data). */
export async function sendPage(req: FastifyRequest, reply: FastifyReply, input: PageInput, status = 200): Promise<FastifyReply> {
  const body = await renderPage(req, input);
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
}

/** The error summary at the top of a form (announced to screen readers), linking to each field. */
export function errorSummary(title: string | null, errors: FieldError[], ids: Record<string, string> = {}): Html | '' {
  if (!title && errors.length === 0) return '';
  return html`<div class="alert" role="alert" tabindex="-1"><h2>${title ?? 'Vui lòng kiểm tra lại'}</h2>${
    errors.length ? html`<ul>${errors.map((e) => html`<li>${ids[e.field] ? html`<a href="#${ids[e.field]}">${e.message}</a>` : e.message}</li>`)}</ul>` : ''
  }</div>`;
}

/** The messages of one field (for aria-describedby), or ''. */
export const fieldErrors = (errors: FieldError[], name: string, id: string): Html | '' => {
  const mine = errors.filter((e) => e.field === name || e.field.startsWith(`${name}.`));
  return mine.length ? html`<span class="err" id="${id}-err">${mine.map((e) => e.message).join(' ')}</span>` : '';
};

export const invalid = (errors: FieldError[], name: string, id: string): Html =>
  errors.some((e) => e.field === name || e.field.startsWith(`${name}.`)) ? html` aria-invalid="true" aria-describedby="${id}-err"` : html``;

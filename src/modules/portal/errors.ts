import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors/index.js';
import { toAppError } from '../../core/http/problem.js';
import { html } from './html.js';
import { sendPage } from './layout.js';

/**
 * Errors on the public pages are pages too (same Vietnamese title and detail as the API's problem+json,
 * the request id for the help desk), never a stack trace and never a bare 500.
 */

export async function errorPage(req: FastifyRequest, reply: FastifyReply, e: AppError): Promise<FastifyReply> {
  if (e.headers) for (const [k, v] of Object.entries(e.headers)) reply.header(k, v);
  const back = e.status === 401 ? html`<a class="btn" href="/cong-dan/dang-nhap?tiep=${encodeURIComponent(req.url)}">Đăng nhập</a>` : html`<a class="btn alt" href="/dich-vu-cong">Về trang thủ tục hành chính</a>`;
  const body = html`<section><h1>${e.title}</h1>${e.detail ? html`<p>${e.detail}</p>` : ''}${
    e.errors?.length ? html`<ul>${e.errors.map((x) => html`<li>${x.message}</li>`)}</ul>` : ''}<p class="meta">Mã yêu cầu: ${String(req.id)}</p>${back}</section>`;
  return sendPage(req, reply, { title: e.title, body }, e.status);
}

export const notFoundPage = (req: FastifyRequest, reply: FastifyReply, title: string, detail: string) => errorPage(req, reply, new AppError(404, 'not-found', title, detail));

export function registerPageErrors(app: FastifyInstance): void {
  app.setErrorHandler(async (err: FastifyError, req, reply) => {
    const known = toAppError(err);
    if (known) {
      if (known.status >= 500) req.log.error({ err }, 'page failed');
      return errorPage(req, reply, known);
    }
    req.log.error({ err }, 'unhandled error on a public page');
    return errorPage(req, reply, new AppError(500, 'internal', 'Lỗi hệ thống', `Đã ghi nhận sự cố. Vui lòng thử lại sau ít phút hoặc liên hệ Bộ phận Một cửa.`));
  });
}

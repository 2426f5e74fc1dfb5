import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type FieldError } from '../../core/errors/index.js';
import { actorOf } from '../../core/http/context.js';
import { type DossierRow, STATUS_LABELS, type StatusCode } from '../dossiers/index.js';
import { hidden, radios, textArea } from './controls.js';
import { html, time } from './html.js';
import { INDICATORS, LEVELS } from './indicators.js';
import { errorSummary, sendPage } from './layout.js';
import { applicantDossierByCode, cannotRate, rateDossier, type Rating, ratingOf } from './ratings.js';
import { checkCsrf, citizenOrSignIn, csrfToken, field, formBody, type FormFields, type PortalOptions, seeOther } from './web.js';

/**
 * The satisfaction rating of a returned dossier (/danh-gia/:code): only its applicant, signed in, once.
 * The overall level (5 levels) or the 9 official indicators (0/1/2 each), or both, and a comment.
 */

const IDS: Record<string, string> = { level: 'f-level', comment: 'f-comment', scores: 'chi-so', ...Object.fromEntries(INDICATORS.map((_, i) => [`scores.${i}`, `f-s${i}`])) };

function ratedPage(r: Rating) {
  return html`<div class="ok" role="status"><p>Cảm ơn bạn đã đánh giá hồ sơ ${r.code} lúc ${time(r.ratedAt)}.</p></div><dl class="kv">
${r.levelLabel ? html`<dt>Mức độ hài lòng</dt><dd>${r.levelLabel}</dd>` : ''}
${r.scores ? html`<dt>Điểm các chỉ số</dt><dd>${r.total}/18 điểm</dd>` : ''}
${r.comment ? html`<dt>Ý kiến</dt><dd>${r.comment}</dd>` : ''}</dl>
<p><a href="/ho-so-cua-toi">Về Hồ sơ của tôi</a></p>`;
}

export function registerRatingPages(app: FastifyInstance, opts: PortalOptions): void {
  const now = () => app.clock.now();

  /** The applicant's dossier by code; anyone else gets the same "not found" (a code reveals nothing). */
  async function dossierFor(req: FastifyRequest, code: string): Promise<DossierRow> {
    const d = req.principal ? await applicantDossierByCode(app.db, req.principal, code) : undefined;
    if (!d) throw new AppError(404, 'not-found', 'Không tìm thấy hồ sơ của bạn', `Không có hồ sơ mã ${code.slice(0, 60)} do tài khoản này nộp. Chỉ người nộp hồ sơ được đánh giá.`);
    return d;
  }

  async function formPage(req: FastifyRequest, reply: FastifyReply, d: DossierRow, f: FormFields, errors: FieldError[], status = 200) {
    const body = html`<h1>Đánh giá mức độ hài lòng</h1><p class="meta">Hồ sơ ${d.code} · ${STATUS_LABELS[d.status as StatusCode]}</p>
${errorSummary(errors.length ? 'Chưa gửi được đánh giá' : null, errors, IDS)}
<form method="post" action="/danh-gia/${d.code}" novalidate>${hidden('_csrf', csrfToken(req, reply, opts.cookieSecure))}
<section aria-labelledby="chung"><h2 id="chung">Đánh giá chung</h2>
${radios({ name: 'level', id: 'f-level', label: 'Bạn hài lòng thế nào với việc giải quyết hồ sơ này?', errors, value: field(f, 'level'), options: LEVELS.map((l) => ({ value: String(l.value), label: l.label })) })}
</section>
<section aria-labelledby="chi-so"><h2 id="chi-so">Đánh giá theo 9 chỉ số <span class="meta">(không bắt buộc; nếu chấm thì chấm đủ 9 chỉ số)</span></h2>
${INDICATORS.map((ind, i) => radios({ name: `s${i}`, id: `f-s${i}`, label: `${i + 1}. ${ind.label}`, errors, errorField: `scores.${i}`, value: field(f, `s${i}`), options: ind.options.map((o, pts) => ({ value: String(pts), label: `${o} (${pts} điểm)` })).reverse() }))}
</section>
${textArea({ name: 'comment', label: 'Ý kiến góp ý', hint: 'Không bắt buộc', errors, value: field(f, 'comment'), maxlength: 2000 })}
<button class="btn" type="submit">Gửi đánh giá</button></form>`;
    return sendPage(req, reply, { title: 'Đánh giá mức độ hài lòng', body, nav: 'mine' }, status);
  }

  app.get('/danh-gia/:code', { schema: { hide: true } }, async (req: FastifyRequest<{ Params: { code: string } }>, reply) => {
    const p = citizenOrSignIn(req, reply);
    if (!p) return reply;
    const d = await dossierFor(req, req.params.code);
    const existing = await ratingOf(app.db, d.id);
    if (existing) return sendPage(req, reply, { title: 'Đã đánh giá', body: html`<h1>Đánh giá mức độ hài lòng</h1>${ratedPage(existing)}`, nav: 'mine' });
    const refused = cannotRate(p, d, null);
    if (refused) throw refused;
    return formPage(req, reply, d, {}, []);
  });

  app.post('/danh-gia/:code', { schema: { hide: true } }, async (req: FastifyRequest<{ Params: { code: string } }>, reply) => {
    const p = citizenOrSignIn(req, reply);
    if (!p) return reply;
    const f = formBody(req);
    checkCsrf(req, field(f, '_csrf'));
    const d = await dossierFor(req, req.params.code);
    const given = INDICATORS.map((_, i) => field(f, `s${i}`));
    const scores = given.some(Boolean) ? given.map((s) => (s === '' ? Number.NaN : Number(s))) : null;
    const errors: FieldError[] = scores ? given.flatMap((s, i) => (s === '' ? [{ field: `scores.${i}`, message: `Chưa chấm chỉ số ${i + 1}.` }] : [])) : [];
    if (errors.length) return formPage(req, reply, d, f, errors, 400);
    try {
      await rateDossier(app.db, p, d.id, { scores, level: field(f, 'level') ? Number(field(f, 'level')) : null, comment: field(f, 'comment') || null }, actorOf(req, now()));
    } catch (err) {
      if (err instanceof AppError && err.status === 400) return formPage(req, reply, d, f, err.errors ?? [], 400);
      throw err;
    }
    return seeOther(reply, `/danh-gia/${d.code}`);
  });
}

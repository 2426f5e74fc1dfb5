import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors/index.js';
import { publicLookup, STATUS } from '../dossiers/index.js';
import { textInput } from './controls.js';
import { html, time } from './html.js';
import { sendPage } from './layout.js';
import type { PortalOptions } from './web.js';

/**
 * Dossier lookup by code without signing in (/tra-cuu, and /tra-cuu/:code where the QR codes on the
 * forms point): status, appointment and the history as the dossiers module publishes it — the
 * applicant's name masked, no officers' names, no internal notes. Rate-limited per IP.
 */

const CODE = /^[0-9A-Za-z.]{1,40}-\d{6}-\d{4,6}$/;

function lookupForm(value: string, error: string | null) {
  const errors = error ? [{ field: 'ma', message: error }] : [];
  return html`<form method="get" action="/tra-cuu" role="search">
${textInput({ name: 'ma', id: 'ma', label: 'Mã hồ sơ', hint: 'In trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả, ví dụ 000.01.31.H99-260311-0001', value, errors, required: true, maxlength: 60, autocomplete: 'off' })}
<button class="btn" type="submit">Tra cứu</button></form>`;
}

export function registerLookupPages(app: FastifyInstance, opts: PortalOptions): void {
  const rateLimit = { max: opts.lookupPerMinute, timeWindow: '1 minute' };

  app.get('/tra-cuu', { schema: { hide: true }, config: { rateLimit } }, async (req: FastifyRequest<{ Querystring: { ma?: string } }>, reply) => {
    const given = typeof req.query.ma === 'string' ? req.query.ma.trim().slice(0, 60) : null;
    if (given && CODE.test(given)) return reply.redirect(`/tra-cuu/${encodeURIComponent(given.toUpperCase())}`, 303);
    const error = given === null ? null : given === '' ? 'Nhập mã hồ sơ.' : 'Mã hồ sơ có dạng <mã cơ quan>-<yyMMdd>-<số thứ tự>, ví dụ 000.01.31.H99-260311-0001.';
    const body = html`<h1>Tra cứu hồ sơ</h1><section>
<p>Nhập mã hồ sơ để xem tình trạng giải quyết và ngày hẹn trả kết quả. Không cần đăng nhập.</p>
${lookupForm(given ?? '', error)}</section>`;
    return sendPage(req, reply, { title: 'Tra cứu hồ sơ', body, nav: 'lookup' }, error ? 400 : 200);
  });

  app.get('/tra-cuu/:code', { schema: { hide: true }, config: { rateLimit } }, async (req: FastifyRequest<{ Params: { code: string } }>, reply) => {
    const code = req.params.code.slice(0, 60);
    let d;
    try {
      d = await publicLookup(app.db, code);
    } catch (err) {
      if (!(err instanceof AppError) || err.status !== 404) throw err;
      const body = html`<h1>Không tìm thấy hồ sơ</h1><section><div class="alert" role="alert"><p>Không có hồ sơ mang mã <strong>${code}</strong>. Kiểm tra lại mã trên Giấy tiếp nhận (chữ số 0 và chữ O, dấu chấm, dấu gạch).</p></div>
${lookupForm(code, null)}</section>`;
      return sendPage(req, reply, { title: 'Không tìm thấy hồ sơ', body, nav: 'lookup' }, 404);
    }
    const returned = d.statusCode === STATUS.returned;
    const body = html`<h1>Hồ sơ ${d.code}</h1>
<section aria-labelledby="tinh-trang"><h2 id="tinh-trang">Tình trạng: ${d.status}</h2><dl class="kv">
<dt>Thủ tục</dt><dd>${d.procedure} <span class="meta">(mã ${d.procedureCode})</span></dd>
<dt>Người nộp</dt><dd>${d.applicantName}</dd>
<dt>Cơ quan tiếp nhận</dt><dd>${d.unit}</dd>
<dt>Ngày tiếp nhận</dt><dd>${time(d.receivedAt)}</dd>
<dt>Ngày hẹn trả kết quả</dt><dd>${time(d.dueAt)}</dd>
${d.returnedAt ? html`<dt>Ngày trả kết quả</dt><dd>${time(d.returnedAt)}</dd>` : ''}
</dl>
${returned ? html`<p><a class="btn" href="/danh-gia/${d.code}">Đánh giá mức độ hài lòng</a> <span class="meta">(người nộp hồ sơ, cần đăng nhập)</span></p>` : ''}
</section>
<section aria-labelledby="qua-trinh"><h2 id="qua-trinh">Quá trình giải quyết</h2><div class="scroll"><table>
<thead><tr><th scope="col">Thời gian</th><th scope="col">Nội dung</th><th scope="col">Cơ quan</th><th scope="col">Trạng thái</th></tr></thead>
<tbody>${d.history.filter((h) => h.statusCode !== STATUS.draft).map((h) => html`<tr><td>${time(h.at)}</td><td>${h.label}${h.reason ? html`<br><span class="meta">Lý do: ${h.reason}</span>` : ''}</td><td>${h.unit}</td><td>${h.status}</td></tr>`)}</tbody>
</table></div></section>
<p><a href="/tra-cuu">Tra cứu hồ sơ khác</a></p>`;
    return sendPage(req, reply, { title: `Hồ sơ ${d.code}`, body, nav: 'lookup' });
  });
}

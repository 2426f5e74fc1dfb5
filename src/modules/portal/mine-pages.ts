import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type FieldError } from '../../core/errors/index.js';
import { actorOf } from '../../core/http/context.js';
import { type DossierDetail, listDossiers, performAction, presentDossier, readableDossier, STATUS } from '../dossiers/index.js';
import { fileInput, hidden, textArea } from './controls.js';
import { type Html, html, time } from './html.js';
import { RETURN_LABELS } from './labels.js';
import { errorSummary, fieldErrors, invalid, sendPage } from './layout.js';
import { ratingOf } from './ratings.js';
import { checkCsrf, citizenOrSignIn, csrfToken, field, formBody, type PortalOptions, readMultipart, seeOther } from './web.js';

/**
 * "Hồ sơ của tôi": the citizen's dossiers (drafts included) with status and appointment, and one
 * dossier's page — history (without officers' notes), files and forms to download, the online
 * supplement when the desk asked for one (status 5), withdrawal, and the way to the rating.
 */

const PAGE_SIZE = 20;
const FORM_NAMES: Record<string, string> = {
  '01': 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả', '02': 'Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ', '03': 'Phiếu từ chối giải quyết hồ sơ',
  '04': 'Phiếu xin lỗi và hẹn lại ngày trả kết quả', '05': 'Phiếu dừng giải quyết hồ sơ', '06': 'Phiếu kiểm soát quá trình giải quyết hồ sơ',
};

type SupplementRequest = { reason: string | null; items: string[]; deadline: string | null };

/** The desk's latest supplement request: reason, each missing item, the deadline. */
export function supplementRequest(d: DossierDetail): SupplementRequest | null {
  const h = [...d.history].reverse().find((x) => x.action === 'request-supplement');
  if (!h) return null;
  const items = Array.isArray(h.detail?.items) ? (h.detail.items as unknown[]).map(String) : [];
  return { reason: h.reason, items, deadline: typeof h.detail?.deadline === 'string' ? h.detail.deadline : d.supplementDeadline };
}

function supplementSection(d: DossierDetail, csrf: string, errors: FieldError[]): Html {
  const r = supplementRequest(d);
  const ids: Record<string, string> = { fileIds: 'bs-khac', ...Object.fromEntries(d.checklist.map((c) => [`documents.${c.index}`, `bs-${c.index}`])) };
  return html`<section aria-labelledby="bo-sung" class="card"><h2 id="bo-sung">Bổ sung hồ sơ</h2>
${errorSummary(errors.length ? 'Chưa gửi được phần bổ sung' : null, errors, ids)}
<div class="note"><p>Bộ phận Một cửa yêu cầu bổ sung${r?.deadline ? html`, hạn nộp bổ sung: <strong>${time(r.deadline)}</strong>` : ''}. Thời hạn giải quyết tạm dừng cho đến khi bạn nộp bổ sung.</p>
${r?.reason ? html`<p>Lý do: ${r.reason}</p>` : ''}${r?.items.length ? html`<p>Cần bổ sung:</p><ul>${r.items.map((i) => html`<li>${i}</li>`)}</ul>` : ''}</div>
<form method="post" action="/ho-so-cua-toi/${d.id}/bo-sung" enctype="multipart/form-data" novalidate>
${hidden('_csrf', csrf)}
${d.checklist.map((c) => html`<div id="bs-${c.index}"${invalid(errors, `documents.${c.index}`, `bs-${c.index}`)}>${fieldErrors(errors, `documents.${c.index}`, `bs-${c.index}`)}${fileInput({ name: `doc-${c.index}`, id: `bs-${c.index}-tep`, label: c.name, hint: 'PDF hoặc ảnh chụp (JPEG/PNG); bỏ trống nếu không cần bổ sung giấy tờ này', multiple: true })}</div>`)}
<div id="bs-khac">${fileInput({ name: 'doc-khac', id: 'bs-khac-tep', label: 'Giấy tờ khác', errors, errorField: 'fileIds', multiple: true })}</div>
${textArea({ name: 'note', label: 'Ghi chú cho Bộ phận Một cửa', hint: 'Ví dụ: đã nộp bản giấy tại Bộ phận Một cửa ngày …', maxlength: 2000 })}
<button class="btn" type="submit">Gửi bổ sung</button></form></section>`;
}

function withdrawSection(d: DossierDetail, csrf: string, errors: FieldError[]): Html {
  return html`<section aria-labelledby="rut" class="card"><h2 id="rut">Rút hồ sơ</h2>
<form method="post" action="/ho-so-cua-toi/${d.id}/rut" novalidate>${hidden('_csrf', csrf)}
${textArea({ name: 'reason', label: 'Lý do rút hồ sơ', errors, required: true, maxlength: 2000 })}
<button class="btn alt" type="submit">Rút hồ sơ</button></form></section>`;
}

export function registerMyDossierPages(app: FastifyInstance, opts: PortalOptions): void {
  const now = () => app.clock.now();

  app.get('/ho-so-cua-toi', { schema: { hide: true } }, async (req: FastifyRequest<{ Querystring: { page?: string } }>, reply) => {
    const p = citizenOrSignIn(req, reply);
    if (!p) return reply;
    const page = Math.min(Math.max(1, Number.parseInt(String(req.query.page ?? '1'), 10) || 1), 10_000);
    const list = await listDossiers(app.db, p, { box: 'all', page, pageSize: PAGE_SIZE }, now());
    const pages = Math.max(1, Math.ceil(list.total / PAGE_SIZE));
    const body = html`<h1>Hồ sơ của tôi</h1>
${p.kind !== 'citizen' ? html`<p class="note">Tài khoản cán bộ xem hồ sơ trong <a href="/">trang quản lý</a>.</p>` : ''}
<p><a class="btn" href="/dich-vu-cong">Nộp hồ sơ mới</a></p>
<section aria-labelledby="ds"><h2 id="ds">${list.total ? `${list.total} hồ sơ` : 'Bạn chưa có hồ sơ nào'}</h2>
<ul class="list">${list.items.map((d) => html`<li><a href="/ho-so-cua-toi/${d.id}"><strong>${d.procedureName}</strong></a>
<div>${d.code ? html`Mã hồ sơ: <strong>${d.code}</strong> · ` : ''}<span class="badge${d.statusCode === STATUS.returned ? ' on' : ''}">${d.status}</span></div>
<div class="meta">${d.statusCode === STATUS.draft ? html`Lưu nháp lúc ${time(d.createdAt)}` : d.receivedAt ? html`Tiếp nhận ${time(d.receivedAt)}` : html`Nộp lúc ${time(d.submittedAt)}`}${
      d.dueAt ? html` · Hẹn trả: <strong>${time(d.dueAt)}</strong>` : ''} · ${d.unitName}</div></li>`)}</ul>
${pages > 1 ? html`<nav class="pager" aria-label="Phân trang">${page > 1 ? html`<a href="/ho-so-cua-toi?page=${page - 1}" rel="prev">← Trang trước</a>` : ''}<span>Trang ${page}/${pages}</span>${page < pages ? html`<a href="/ho-so-cua-toi?page=${page + 1}" rel="next">Trang sau →</a>` : ''}</nav>` : ''}
</section>`;
    return sendPage(req, reply, { title: 'Hồ sơ của tôi', body, nav: 'mine' });
  });

  async function detailPage(req: FastifyRequest, reply: FastifyReply, id: string, problem: { section: 'supplement' | 'withdraw'; error: AppError } | null, status = 200) {
    const p = citizenOrSignIn(req, reply);
    if (!p) return reply;
    const d = await presentDossier(app.db, p, await readableDossier(app.db, p, id), now());
    const csrf = csrfToken(req, reply, opts.cookieSecure);
    const errs = (s: 'supplement' | 'withdraw') => (problem?.section === s ? (problem.error.errors?.length ? problem.error.errors : [{ field: s === 'withdraw' ? 'reason' : 'fileIds', message: problem.error.detail ?? problem.error.title }]) : []);
    const rating = d.statusCode === STATUS.returned ? await ratingOf(app.db, d.id) : null;
    const result = d.result?.downloadable ? d.result : null;
    const body = html`<p class="meta"><a href="/ho-so-cua-toi">Hồ sơ của tôi</a></p>
<h1>${d.procedure.name}</h1>
<section aria-labelledby="tt"><h2 id="tt">Tình trạng: ${d.status}</h2><dl class="kv">
<dt>Mã hồ sơ</dt><dd>${d.code ?? (d.statusCode === STATUS.draft ? 'Bản nháp (chưa nộp)' : 'Chưa có (chờ tiếp nhận)')}</dd>
${d.procedure.caseName ? html`<dt>Trường hợp</dt><dd>${d.procedure.caseName}</dd>` : ''}
<dt>Cơ quan tiếp nhận</dt><dd>${d.unitName}</dd>
${d.submittedAt ? html`<dt>Nộp trực tuyến lúc</dt><dd>${time(d.submittedAt)}</dd>` : ''}
${d.statusCode === STATUS.submitted && d.acceptBy ? html`<dt>Hạn tiếp nhận</dt><dd>${time(d.acceptBy)} (trong 8 giờ làm việc)</dd>` : ''}
${d.receivedAt ? html`<dt>Ngày tiếp nhận</dt><dd>${time(d.receivedAt)}</dd>` : ''}
${d.dueAt ? html`<dt>Ngày hẹn trả kết quả</dt><dd><strong>${time(d.dueAt)}</strong></dd>` : ''}
${d.returnedAt ? html`<dt>Đã trả kết quả lúc</dt><dd>${time(d.returnedAt)}</dd>` : ''}
${d.fee.label ? html`<dt>Phí, lệ phí</dt><dd>${d.fee.label}</dd>` : ''}
${d.returnMethod ? html`<dt>Nhận kết quả</dt><dd>${RETURN_LABELS[d.returnMethod]}</dd>` : ''}
</dl>
${d.statusCode === STATUS.draft ? html`<a class="btn" href="/nop-ho-so/${d.procedure.id}?ho-so=${d.id}">Tiếp tục soạn và nộp</a>` : ''}
${d.code ? html`<p><a href="/tra-cuu/${d.code}">Trang tra cứu công khai của hồ sơ</a></p>` : ''}
${result ? resultBlock(result) : ''}
</section>
${d.allowedActions.includes('supplement') ? supplementSection(d, csrf, errs('supplement')) : ''}
${d.statusCode === STATUS.returned ? html`<section class="card" aria-labelledby="dg"><h2 id="dg">Đánh giá mức độ hài lòng</h2>${
      rating ? html`<p>Bạn đã đánh giá hồ sơ này lúc ${time(rating.ratedAt)}${rating.levelLabel ? html`: <strong>${rating.levelLabel}</strong>` : ''}${rating.total !== null ? html` (${rating.total}/18 điểm)` : ''}.</p>`
        : html`<p>Ý kiến của bạn giúp cơ quan phục vụ tốt hơn.</p><a class="btn" href="/danh-gia/${d.code}">Đánh giá</a>`}</section>` : ''}
${d.forms.length ? html`<section aria-labelledby="phieu"><h2 id="phieu">Phiếu, giấy tờ của cơ quan</h2><ul>${d.forms.map((f) => html`<li><a href="/api/dossiers/${d.id}/forms/${f.number}.pdf${f.actionId && f.number !== '01' && f.number !== '06' ? `?actionId=${f.actionId}` : ''}">Mẫu ${f.number}: ${FORM_NAMES[f.number]}</a> <span class="meta">(${time(f.at)})</span></li>`)}</ul></section>` : ''}
${d.files.length ? html`<section aria-labelledby="tep"><h2 id="tep">Giấy tờ đã nộp</h2><ul>${d.files.map((f) => html`<li><a href="/api/files/${f.fileId}">${f.documentName ?? f.name}</a> <span class="meta">(${f.kind === 'supplement' ? 'bổ sung, ' : f.kind === 'result' ? 'kết quả, ' : ''}${time(f.addedAt)})</span></li>`)}</ul></section>` : ''}
<section aria-labelledby="qt"><h2 id="qt">Quá trình giải quyết</h2><div class="scroll"><table>
<thead><tr><th scope="col">Thời gian</th><th scope="col">Nội dung</th><th scope="col">Cơ quan</th></tr></thead>
<tbody>${d.history.map((h) => html`<tr><td>${time(h.at)}</td><td>${h.label}${h.reason ? html`<br><span class="meta">Lý do: ${h.reason}</span>` : ''}</td><td>${h.unitName}</td></tr>`)}</tbody></table></div></section>
${d.allowedActions.includes('withdraw') ? withdrawSection(d, csrf, errs('withdraw')) : ''}`;
    return sendPage(req, reply, { title: d.procedure.name, body, nav: 'mine' }, status);
  }

  app.get('/ho-so-cua-toi/:id', { schema: { hide: true } }, async (req: FastifyRequest<{ Params: { id: string } }>, reply) => detailPage(req, reply, req.params.id, null));

  app.post('/ho-so-cua-toi/:id/bo-sung', { schema: { hide: true } }, async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const p = citizenOrSignIn(req, reply);
    if (!p) return reply;
    const d = await readableDossier(app.db, p, req.params.id); // 404 before anything is stored
    const { fields: f, uploads } = await readMultipart(req, app.fileStore, p, { fileSize: opts.uploadLimit });
    const byIndex = new Map<number, string[]>();
    for (const u of uploads) {
      const m = /^doc-(\d+)$/.exec(u.field);
      if (m) byIndex.set(Number(m[1]), [...(byIndex.get(Number(m[1])) ?? []), u.fileId]);
    }
    const other = uploads.filter((u) => u.field === 'doc-khac').map((u) => u.fileId);
    try {
      await performAction(app.db, app.fileStore, p, d.id, 'supplement', { documents: [...byIndex].map(([index, fileIds]) => ({ index, fileIds })), fileIds: other, note: field(f, 'note') || null }, actorOf(req, now()));
    } catch (err) {
      if (err instanceof AppError && err.status < 500 && err.status !== 404) return detailPage(req, reply, d.id, { section: 'supplement', error: err }, err.status);
      throw err;
    }
    return seeOther(reply, `/ho-so-cua-toi/${d.id}`);
  });

  app.post('/ho-so-cua-toi/:id/rut', { schema: { hide: true } }, async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const p = citizenOrSignIn(req, reply);
    if (!p) return reply;
    const f = formBody(req);
    checkCsrf(req, field(f, '_csrf'));
    try {
      await performAction(app.db, app.fileStore, p, req.params.id, 'withdraw', { reason: field(f, 'reason') }, actorOf(req, now()));
    } catch (err) {
      if (err instanceof AppError && err.status < 500 && err.status !== 404) return detailPage(req, reply, req.params.id, { section: 'withdraw', error: err }, err.status);
      throw err;
    }
    return seeOther(reply, `/ho-so-cua-toi/${req.params.id}`);
  });
}

type ResultView = { fileId: string; sealed: boolean; seal: { agencyName: string; at: string; valid: boolean } | null; onlineUnsealed: boolean };

/** The result's download, and what it is worth: sealed by the agency (a legal electronic original) or not. */
function resultBlock(r: ResultView) {
  const note = r.seal
    ? html`<p class="meta">${r.seal.valid ? '✔' : '⚠'} Bản điện tử có chữ ký số (con dấu điện tử) của <strong>${r.seal.agencyName}</strong>, ký lúc ${time(r.seal.at)}${
        r.seal.valid ? ', có giá trị pháp lý như bản giấy' : ', nhưng chữ ký không hợp lệ khi kiểm tra: liên hệ cơ quan giải quyết'
      }. Kiểm tra lại bất cứ lúc nào tại <a href="/kiem-tra-chu-ky">trang kiểm tra chữ ký số</a>.</p>`
    : r.onlineUnsealed
      ? html`<p class="meta">Bản tải về chưa có chữ ký số của cơ quan, chỉ để tham khảo; bản có giá trị pháp lý nhận tại cơ quan giải quyết.</p>`
      : '';
  return html`<p><a class="btn" href="/api/files/${r.fileId}?download=1">Tải kết quả giải quyết</a></p>${note}`;
}

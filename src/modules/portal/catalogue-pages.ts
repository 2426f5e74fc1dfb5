import type { FastifyInstance, FastifyRequest } from 'fastify';
import { findProcedure, listProcedures, procedureFields, type ProcedureVersion, procedureVersionAt, type UnitLevel } from '../procedures/index.js';
import { select, textInput } from './controls.js';
import { type Html, html } from './html.js';
import { APPLICANT_LABELS, copiesLabel, LEVEL_LABELS, OFFER_LABELS, ONLINE_LABELS } from './labels.js';
import { sendPage } from './layout.js';
import { notFoundPage } from './errors.js';

/** Procedure search (/dich-vu-cong, also /thu-tuc) and a procedure's detail (/thu-tuc/:id). */

const PAGE_SIZE = 20;
type Query = { q?: string; field?: string; level?: string; page?: string };

const str = (v: unknown, max = 200) => (typeof v === 'string' ? v.normalize('NFC').trim().slice(0, max) : '');
const pageUrl = (q: { q: string; field: string; level: string }, page: number) =>
  `/dich-vu-cong?${new URLSearchParams({ ...(q.q ? { q: q.q } : {}), ...(q.field ? { field: q.field } : {}), ...(q.level ? { level: q.level } : {}), ...(page > 1 ? { page: String(page) } : {}) })}`;

export const offersOnline = (v: ProcedureVersion) => v.record.channels.some((c) => c.channel === 'online');

function paragraphs(text: string): Html {
  return html`${text.split(/\n+/).filter((s) => s.trim()).map((s) => html`<p>${s}</p>`)}`;
}

export function registerCataloguePages(app: FastifyInstance): void {
  const now = () => app.clock.now();

  app.get('/thu-tuc', { schema: { hide: true } }, async (req, reply) => reply.redirect(`/dich-vu-cong${req.url.slice('/thu-tuc'.length)}`, 301));

  app.get('/dich-vu-cong', { schema: { hide: true } }, async (req: FastifyRequest<{ Querystring: Query }>, reply) => {
    const q = { q: str(req.query.q), field: str(req.query.field), level: str(req.query.level, 20) };
    const page = Math.min(Math.max(1, Number.parseInt(str(req.query.page, 6), 10) || 1), 10_000);
    const level = q.level in LEVEL_LABELS ? (q.level as UnitLevel) : undefined;
    const [list, fields] = await Promise.all([
      listProcedures(app.db, { q: q.q || undefined, field: q.field || undefined, level, page, pageSize: PAGE_SIZE, at: now() }),
      procedureFields(app.db, now()),
    ]);
    const pages = Math.max(1, Math.ceil(list.total / PAGE_SIZE));
    const body = html`<h1>Thủ tục hành chính</h1>
<section aria-labelledby="tim-kiem"><h2 id="tim-kiem">Tìm thủ tục</h2>
<form method="get" action="/dich-vu-cong" role="search"><div class="filters">
<div>${textInput({ name: 'q', id: 'q', type: 'search', label: 'Tên hoặc mã thủ tục', hint: 'Gõ có dấu hoặc không dấu, ví dụ: khai sinh', value: q.q, maxlength: 200 })}</div>
<div>${select({ name: 'field', id: 'field', label: 'Lĩnh vực', value: q.field, placeholder: 'Tất cả lĩnh vực', options: fields.map((f) => ({ value: f.field, label: `${f.field} (${f.count})` })) })}</div>
<div>${select({ name: 'level', id: 'level', label: 'Cấp thực hiện', value: q.level, placeholder: 'Tất cả các cấp', options: Object.entries(LEVEL_LABELS).map(([value, label]) => ({ value, label })) })}</div>
</div><button class="btn" type="submit">Tìm kiếm</button></form></section>
<section aria-labelledby="ket-qua"><h2 id="ket-qua">${list.total ? `Tìm thấy ${list.total} thủ tục` : 'Không tìm thấy thủ tục phù hợp'}</h2>
${list.total === 0 ? html`<p>Hãy thử từ khoá ngắn hơn hoặc bỏ bớt điều kiện lọc.</p>` : ''}
<ul class="list">${list.items.map((p) => html`<li><a href="/thu-tuc/${p.id}"><strong>${p.name}</strong></a>
<div class="meta">Mã ${p.code} · ${p.field} · ${LEVEL_LABELS[p.level] ?? p.level}${p.onlineLevel !== 'none' ? html` · <span class="badge on">${ONLINE_LABELS[p.onlineLevel]}</span>` : ''}</div>
<div class="meta">${p.channels.map((c, i) => html`${i ? ' · ' : ''}${OFFER_LABELS[c.channel] ?? c.channel}: ${c.timeLimit}, ${c.fee}`)}</div></li>`)}</ul>
${pages > 1 ? html`<nav class="pager" aria-label="Phân trang">${page > 1 ? html`<a href="${pageUrl(q, page - 1)}" rel="prev">← Trang trước</a>` : ''}<span>Trang ${page}/${pages}</span>${page < pages ? html`<a href="${pageUrl(q, page + 1)}" rel="next">Trang sau →</a>` : ''}</nav>` : ''}
</section>`;
    return sendPage(req, reply, { title: 'Thủ tục hành chính', body, nav: 'catalogue' });
  });

  app.get('/thu-tuc/:id', { schema: { hide: true } }, async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const row = await findProcedure(app.db, { id: req.params.id });
    const v = row ? await procedureVersionAt(app.db, row.id, now()) : null;
    if (!row || !v) return notFoundPage(req, reply, 'Không tìm thấy thủ tục', 'Thủ tục không tồn tại, chưa có hiệu lực hoặc đã bãi bỏ.');
    const r = v.record;
    const executing = r.executing.note ?? [...r.executing.levels.map((l) => LEVEL_LABELS[l]), ...Object.values(v.labels.unitNames)].join(', ');
    const online = offersOnline(v);
    const body = html`<p class="meta"><a href="/dich-vu-cong">Thủ tục hành chính</a> › ${v.field}</p>
<h1>${v.name}</h1>
<section aria-labelledby="thong-tin"><h2 id="thong-tin">Thông tin chung</h2><dl class="kv">
<dt>Mã thủ tục</dt><dd>${v.code}</dd>
<dt>Lĩnh vực</dt><dd>${v.field}</dd>
<dt>Cấp thực hiện</dt><dd>${LEVEL_LABELS[v.level] ?? v.level}</dd>
<dt>Cơ quan thực hiện</dt><dd>${executing}</dd>
${r.twoLevel ? html`<dt>Liên thông</dt><dd>${LEVEL_LABELS[r.twoLevel.receivingLevel]} tiếp nhận, ${LEVEL_LABELS[r.twoLevel.decidingLevel]} quyết định</dd>` : ''}
<dt>Đối tượng thực hiện</dt><dd>${r.applicants.map((a) => APPLICANT_LABELS[a] ?? a).join(', ')}</dd>
<dt>Mức độ dịch vụ công</dt><dd>${ONLINE_LABELS[v.onlineLevel]}</dd>
<dt>Kết quả</dt><dd>${r.result}</dd>
</dl>
${online ? html`<a class="btn" href="/nop-ho-so/${row.id}">Nộp hồ sơ trực tuyến</a>` : html`<p class="note">Thủ tục này chưa nhận hồ sơ trực tuyến; vui lòng nộp trực tiếp hoặc qua bưu chính.</p>`}
</section>
<section aria-labelledby="cach-thuc"><h2 id="cach-thuc">Cách thức thực hiện, thời hạn và phí, lệ phí</h2><div class="scroll"><table>
<thead><tr><th scope="col">Cách thức</th><th scope="col">Thời hạn giải quyết</th><th scope="col">Phí, lệ phí</th></tr></thead>
<tbody>${r.channels.map((c, i) => html`<tr><th scope="row">${OFFER_LABELS[c.channel] ?? c.channel}</th><td>${v.labels.channels[i]?.timeLimit}${c.note ? html`<br><span class="meta">${c.note}</span>` : ''}</td><td>${v.labels.channels[i]?.fee}</td></tr>`)}</tbody>
</table></div></section>
<section aria-labelledby="trinh-tu"><h2 id="trinh-tu">Trình tự thực hiện</h2>${paragraphs(r.steps)}</section>
<section aria-labelledby="thanh-phan"><h2 id="thanh-phan">Thành phần hồ sơ</h2>
${r.cases.map((c) => html`${r.cases.length > 1 ? html`<h3>Trường hợp: ${c.name}${v.labels.cases[c.key] ? ` (thời hạn ${v.labels.cases[c.key]})` : ''}</h3>` : ''}<div class="scroll"><table>
<thead><tr><th scope="col">Giấy tờ</th><th scope="col">Số lượng</th><th scope="col">Mẫu đơn, tờ khai</th></tr></thead>
<tbody>${c.documents.map((d) => html`<tr><td>${d.name}${d.required ? '' : html` <span class="meta">(nếu có)</span>`}${d.note ? html`<br><span class="meta">${d.note}</span>` : ''}</td><td>${copiesLabel(d.originals, d.copies)}</td><td>${
      d.template ? html`<a href="/api/procedures/forms/${d.template.fileId}" download>Tải mẫu<span class="sr"> ${d.template.name}</span></a>` : '—'}</td></tr>`)}</tbody></table></div>`)}
</section>
${r.conditions ? html`<section aria-labelledby="dieu-kien"><h2 id="dieu-kien">Yêu cầu, điều kiện</h2>${paragraphs(r.conditions)}</section>` : ''}
<section aria-labelledby="can-cu"><h2 id="can-cu">Căn cứ pháp lý</h2>${paragraphs(r.legalBasis.replace(/;\s*/g, '\n'))}</section>
${online ? html`<p><a class="btn" href="/nop-ho-so/${row.id}">Nộp hồ sơ trực tuyến</a></p>` : ''}`;
    return sendPage(req, reply, { title: v.name, body, nav: 'catalogue' });
  });
}

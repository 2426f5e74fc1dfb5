import type { FieldError } from '../../core/errors/index.js';
import type { ProcedureVersion } from '../procedures/index.js';
import { fileInput, hidden, radios, select, textArea, textInput } from './controls.js';
import { type Html, html } from './html.js';
import { copiesLabel, RETURN_LABELS } from './labels.js';
import { errorSummary, fieldErrors, invalid } from './layout.js';

/** The online submission form (server-rendered; multipart so that it works without JavaScript). */

export type CarriedFile = { fileId: string; name: string };
export type SubmitState = {
  procedureId: string;
  version: ProcedureVersion;
  caseKey: string;
  draftId: string | null;
  units: { id: string; name: string }[];
  unitId: string;
  applicant: { name: string; idNumber: string; phone: string; email: string; address: string };
  request: string; // nội dung yêu cầu (formData.noiDung)
  returnMethod: string;
  /** Files already with the form, per required document index ('0', '1', …) and 'khac' (other documents). */
  files: Record<string, CarriedFile[]>;
  errors: FieldError[];
  title: string | null;
  saved: boolean;
  csrf: string;
};

/** Where each service field's error is shown on the form. */
export function errorIds(v: ProcedureVersion, caseKey: string): Record<string, string> {
  const docs = v.record.cases.find((c) => c.key === caseKey)?.documents ?? [];
  return {
    unitId: 'f-unitId', caseId: 'truong-hop', 'applicant.phone': 'f-phone', 'applicant.email': 'f-email', 'applicant.address': 'f-address', returnMethod: 'f-returnMethod', fileIds: 'doc-khac',
    ...Object.fromEntries(docs.map((_, i) => [`documents.${i}`, `doc-${i}`])),
  };
}

/** Service errors name fields like `documents.1.fileIds.0` or `applicant.phone`: keep the part the form knows. */
export function formErrors(errors: FieldError[] | undefined, ids: Record<string, string>): FieldError[] {
  return (errors ?? []).map((e) => {
    const known = Object.keys(ids).find((k) => e.field === k || e.field.startsWith(`${k}.`));
    return known ? { ...e, field: known } : e;
  });
}

function documentFields(s: SubmitState): Html {
  const c = s.version.record.cases.find((x) => x.key === s.caseKey)!;
  const carried = (key: string) => (s.files[key] ?? []).map((f) => html`${hidden(`tep-${key}`, f.fileId)}<label class="opt"><input type="checkbox" name="xoa" value="${f.fileId}"><span>Xoá tệp <a href="/api/files/${f.fileId}" target="_blank" rel="noopener">${f.name}</a></span></label>`);
  const block = (key: string, id: string, legend: Html, errField: string, hint: string) => html`<fieldset id="${id}"${invalid(s.errors, errField, id)}><legend>${legend}</legend>${fieldErrors(s.errors, errField, id)}
${(s.files[key] ?? []).length ? html`<p class="meta">Đã tải lên ${(s.files[key] ?? []).length} tệp:</p>${carried(key)}` : ''}
${fileInput({ name: `doc-${key}`, id: `${id}-tep`, label: (s.files[key] ?? []).length ? 'Thêm tệp' : 'Chọn tệp', hint, multiple: true })}</fieldset>`;
  return html`${c.documents.map((d, i) =>
    block(String(i), `doc-${i}`, html`${d.name}${d.required ? html` <span aria-hidden="true">*</span><span class="sr"> (bắt buộc)</span>` : html` <span class="meta">(nếu có)</span>`}`, `documents.${i}`,
      `${copiesLabel(d.originals, d.copies)}. PDF hoặc ảnh chụp rõ nét bằng điện thoại (JPEG/PNG); nhiều ảnh được ghép thành một tệp PDF.${d.template ? ' Có mẫu để tải về bên dưới.' : ''}`),
  )}${c.documents.some((d) => d.template) ? html`<p>Mẫu đơn, tờ khai: ${c.documents.filter((d) => d.template).map((d, i) => html`${i ? ', ' : ''}<a href="/api/procedures/forms/${d.template!.fileId}" download>${d.template!.name}</a>`)}</p>` : ''}
${block('khac', 'doc-khac', html`Giấy tờ khác <span class="meta">(nếu có)</span>`, 'fileIds', 'Giấy tờ bổ sung bạn muốn gửi kèm.')}`;
}

export function submitForm(s: SubmitState): Html {
  const v = s.version;
  const c = v.record.cases.find((x) => x.key === s.caseKey)!;
  const online = v.record.channels.findIndex((x) => x.channel === 'online');
  const e = { errors: s.errors };
  const action = `/nop-ho-so/${s.procedureId}`;
  return html`<h1>Nộp hồ sơ trực tuyến</h1>
<p class="meta">${v.name} (mã ${v.code})</p>
${s.saved ? html`<div class="ok" role="status">Đã lưu bản nháp. Bạn có thể quay lại tiếp tục bất cứ lúc nào tại <a href="/ho-so-cua-toi">Hồ sơ của tôi</a>.</div>` : ''}
${errorSummary(s.title, s.errors, errorIds(v, s.caseKey))}
<form method="post" action="${action}" enctype="multipart/form-data" data-autosave="${action}/tu-luu" novalidate>
${hidden('_csrf', s.csrf)}${hidden('draftId', s.draftId)}${hidden('caseId', s.caseKey)}
<section aria-labelledby="s-thu-tuc"><h2 id="s-thu-tuc">Thủ tục</h2><dl class="kv">
<dt>Trường hợp</dt><dd id="truong-hop">${c.name}${v.record.cases.length > 1 ? html` · <a href="${action}?chon-truong-hop=1${s.draftId ? `&ho-so=${s.draftId}` : ''}">Đổi trường hợp</a>` : ''}</dd>
${online >= 0 ? html`<dt>Thời hạn giải quyết</dt><dd>${v.labels.cases[c.key] ?? v.labels.channels[online].timeLimit}</dd><dt>Phí, lệ phí</dt><dd>${v.labels.channels[online].fee}</dd>` : ''}
</dl>
${select({ ...e, name: 'unitId', label: 'Cơ quan tiếp nhận hồ sơ', value: s.unitId, required: true, placeholder: '— Chọn cơ quan —', options: s.units.map((u) => ({ value: u.id, label: u.name })) })}
</section>
<section aria-labelledby="s-nguoi-nop"><h2 id="s-nguoi-nop">Người nộp hồ sơ</h2>
<dl class="kv"><dt>Họ và tên</dt><dd>${s.applicant.name}</dd><dt>Số CCCD</dt><dd>${s.applicant.idNumber}</dd></dl>
${textInput({ ...e, name: 'phone', label: 'Số điện thoại', type: 'tel', value: s.applicant.phone, autocomplete: 'tel', maxlength: 30, errorField: 'applicant.phone' })}
${textInput({ ...e, name: 'email', label: 'E-mail', type: 'email', value: s.applicant.email, autocomplete: 'email', maxlength: 254, errorField: 'applicant.email' })}
${textInput({ ...e, name: 'address', label: 'Địa chỉ liên hệ', value: s.applicant.address, autocomplete: 'street-address', maxlength: 500, errorField: 'applicant.address' })}
${textArea({ name: 'noiDung', label: 'Nội dung yêu cầu, ghi chú cho cán bộ', hint: 'Không bắt buộc', value: s.request, maxlength: 4000 })}
</section>
<section aria-labelledby="s-thanh-phan"><h2 id="s-thanh-phan">Thành phần hồ sơ</h2>${documentFields(s)}</section>
<section aria-labelledby="s-nhan"><h2 id="s-nhan">Nhận kết quả</h2>
${radios({ ...e, name: 'returnMethod', label: 'Hình thức nhận kết quả', value: s.returnMethod || 'online', options: Object.entries(RETURN_LABELS).map(([value, label]) => ({ value, label })) })}
</section>
<div class="note"><p>Sau khi bạn bấm <strong>Nộp hồ sơ</strong>, Bộ phận Một cửa sẽ kiểm tra và tiếp nhận hoặc từ chối (có nêu lý do) trong vòng 8 giờ làm việc.</p></div>
<p id="autosave-status" role="status" aria-live="polite" class="meta"></p>
<button class="btn alt" type="submit" name="hanh-dong" value="luu-nhap">Lưu nháp</button>
<button class="btn" type="submit" name="hanh-dong" value="nop">Nộp hồ sơ</button>
</form>`;
}

export function caseChooser(procedureId: string, v: ProcedureVersion, draftId: string | null, current: string | null, error: string | null): Html {
  const errors = error ? [{ field: 'truong-hop', message: error }] : [];
  return html`<h1>Nộp hồ sơ trực tuyến</h1><p class="meta">${v.name} (mã ${v.code})</p>
<section><form method="get" action="/nop-ho-so/${procedureId}">
${draftId ? hidden('ho-so', draftId) : ''}
${radios({ name: 'truong-hop', id: 'truong-hop', label: 'Hồ sơ của bạn thuộc trường hợp nào?', value: current, errors, required: true, options: v.record.cases.map((c) => ({ value: c.key, label: html`${c.name}${v.labels.cases[c.key] ? html` <span class="meta">(thời hạn ${v.labels.cases[c.key]})</span>` : ''}` })) })}
${draftId ? html`<p class="meta">Đổi trường hợp sẽ bỏ các giấy tờ đã tải lên theo danh mục của trường hợp cũ.</p>` : ''}
<button class="btn" type="submit">Tiếp tục</button></form></section>`;
}


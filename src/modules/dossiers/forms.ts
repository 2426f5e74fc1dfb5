import { dateLine, placeName } from '../documents/index.js';
import type { FormBlock, FormSpec } from './forms-pdf.js';
import { RETURN_METHOD_LABELS, type ReturnMethod } from './status.js';
import { formatDateTime, formatDay, localIsoDate, spokenDateTime } from './time.js';
import type { FormNumber } from './transitions.js';

/**
 * What each form of Circular 03/2025 (Appendix I) says, from the dossier's data. The wording follows
 * the legal templates; the layout is in forms-pdf.ts.
 */

export type StepOutcome = 'early' | 'on_time' | 'late';
export const OUTCOME_LABELS: Record<StepOutcome, string> = { early: 'Trước hạn', on_time: 'Đúng hạn', late: 'Quá hạn' };

export type FormInput = {
  code: string | null;
  lookupUrl: string;
  unit: { name: string; parentName: string | null };
  procedure: { code: string; name: string; caseName: string | null; timeLimitLabel: string };
  applicant: { name: string; idNumber: string | null; phone: string | null; email: string | null; address: string | null };
  channelLabel: string;
  receivedAt: Date | null;
  /** The appointment printed on the receipt (the first due date). */
  firstDueAt: Date | null;
  dueAt: Date | null;
  feeLabel: string | null;
  returnMethod: ReturnMethod | null;
  receiverName: string | null;
  documents: { name: string; form: string; copies: number }[];
  /** The action that issued the form (02–05): who, when, why, and its details. */
  issued?: { at: Date; actorName: string | null; reason: string | null; items?: string[]; deadline?: Date | null; newDueAt?: Date | null; previousDueAt?: Date | null };
  /** Form 06: each hand-over in order. */
  handovers?: { at: Date; from: string; to: string; stepName: string | null; dueAt: Date | null; outcome: StepOutcome | null; note: string | null }[];
};

export const FORM_TITLES: Record<FormNumber, string> = {
  '01': 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ',
  '02': 'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ',
  '03': 'PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ',
  '04': 'PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ',
  '05': 'THÔNG BÁO VỀ VIỆC DỪNG GIẢI QUYẾT HỒ SƠ',
  '06': 'PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ',
};

const text = (t: string, extra: Partial<Extract<FormBlock, { kind: 'text' }>> = {}): FormBlock => ({ kind: 'text', text: t, ...extra });
const or = (v: string | null | undefined, fallback = '……') => (v && v.trim() ? v : fallback);

function applicantBlocks(f: FormInput): FormBlock[] {
  const a = f.applicant;
  return [
    text(`Tiếp nhận hồ sơ của: ${a.name}`),
    text(`Số định danh cá nhân/CCCD: ${or(a.idNumber)}`),
    text(`Địa chỉ: ${or(a.address)}`),
    text(`Số điện thoại: ${or(a.phone)}; thư điện tử: ${or(a.email)}`),
    text(`Nội dung yêu cầu giải quyết: ${f.procedure.name}${f.procedure.caseName ? ` (${f.procedure.caseName})` : ''} — mã thủ tục ${f.procedure.code}`),
  ];
}

function receipt(f: FormInput): FormBlock[] {
  return [
    ...applicantBlocks(f),
    text(`Hình thức nộp: ${f.channelLabel}`),
    text('1. Thành phần hồ sơ và số lượng mỗi loại giấy tờ gồm:', { gapBefore: 4 }),
    {
      kind: 'table',
      columns: [{ header: 'STT', width: 1, align: 'center' }, { header: 'Tên loại giấy tờ', width: 8 }, { header: 'Hình thức', width: 3, align: 'center' }, { header: 'Số lượng', width: 2, align: 'center' }],
      rows: f.documents.map((d, i) => [String(i + 1), d.name, d.form, String(d.copies)]),
    },
    text('2. Số lượng hồ sơ: 01 (bộ)'),
    text(`3. Thời gian giải quyết hồ sơ theo quy định là: ${f.procedure.timeLimitLabel}`),
    text(`4. Thời gian nhận hồ sơ: ${f.receivedAt ? spokenDateTime(f.receivedAt) : '……'}`),
    text(`5. Thời gian trả kết quả giải quyết hồ sơ: ${f.firstDueAt ? spokenDateTime(f.firstDueAt) : '……'}`),
    text(`6. Đăng ký nhận kết quả tại: ${f.returnMethod ? RETURN_METHOD_LABELS[f.returnMethod] : RETURN_METHOD_LABELS.counter}`),
    text(`7. Phí, lệ phí: ${or(f.feeLabel, 'Không')}`),
    { kind: 'signatures', blocks: [{ title: 'Người nộp hồ sơ', name: f.applicant.name }, { title: 'Người tiếp nhận hồ sơ', name: f.receiverName }] },
  ];
}

function intro(f: FormInput): FormBlock {
  const when = f.receivedAt ? `Ngày ${formatDay(f.receivedAt)}` : 'Ngày ……';
  return text(`${when}, ${f.unit.name} tiếp nhận hồ sơ của ông/bà ${f.applicant.name}, mã hồ sơ ${or(f.code)}, đề nghị giải quyết thủ tục: ${f.procedure.name}.`);
}

function supplement(f: FormInput): FormBlock[] {
  const i = f.issued!;
  return [
    intro(f),
    text('Sau khi xem xét, đề nghị ông/bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:', { gapBefore: 4 }),
    { kind: 'table', columns: [{ header: 'STT', width: 1, align: 'center' }, { header: 'Nội dung yêu cầu bổ sung, hoàn thiện', width: 11 }], rows: (i.items ?? []).map((item, n) => [String(n + 1), item]) },
    text(`Lý do: ${or(i.reason)}`),
    text(`Thời hạn bổ sung hồ sơ: trước ${i.deadline ? formatDateTime(i.deadline) : '……'}.`),
    text('Thời gian giải quyết hồ sơ tạm dừng từ khi có phiếu này đến khi ông/bà nộp đủ hồ sơ bổ sung; ngày hẹn trả kết quả sẽ được tính lại.'),
    text(`Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, ông/bà liên hệ ${or(i.actorName, 'cán bộ tiếp nhận')} để được hướng dẫn.`),
    { kind: 'signatures', blocks: [{ title: 'Người hướng dẫn', name: i.actorName }] },
  ];
}

function refusal(f: FormInput): FormBlock[] {
  const i = f.issued!;
  return [
    intro(f),
    text(`Qua xem xét, ${f.unit.name} thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:`, { gapBefore: 4 }),
    text(or(i.reason), { bold: true, indent: 14 }),
    text('Xin thông báo cho ông/bà được biết và thực hiện.'),
    { kind: 'signatures', blocks: [{ title: 'Người từ chối', name: i.actorName }] },
  ];
}

function apology(f: FormInput): FormBlock[] {
  const i = f.issued!;
  const previous = i.previousDueAt ? formatDateTime(i.previousDueAt) : '……';
  return [
    text(`Ngày ${f.receivedAt ? formatDay(f.receivedAt) : '……'}, ${f.unit.name} tiếp nhận giải quyết hồ sơ của ông/bà ${f.applicant.name}, mã hồ sơ ${or(f.code)}, đề nghị giải quyết thủ tục: ${f.procedure.name}; thời gian hẹn trả kết quả: ${previous}.`),
    text(`Tuy nhiên đến nay, ${f.unit.name} chưa trả kết quả giải quyết hồ sơ cho ông/bà đúng hẹn.`),
    text(`Lý do: ${or(i.reason)}`),
    text(`Sự chậm trễ này đã gây phiền hà cho ông/bà. ${f.unit.name} xin lỗi ông/bà và sẽ trả kết quả giải quyết hồ sơ cho ông/bà vào ${i.newDueAt ? spokenDateTime(i.newDueAt) : '……'}.`),
    text('Xin trân trọng cảm ơn ông/bà.'),
    { kind: 'signatures', blocks: [{ title: 'Người ký phiếu xin lỗi', name: i.actorName }] },
  ];
}

function stop(f: FormInput): FormBlock[] {
  const i = f.issued!;
  return [
    intro(f),
    text(`${f.unit.name} thông báo dừng giải quyết hồ sơ nêu trên kể từ ${formatDateTime(i.at)}.`, { gapBefore: 4 }),
    text(`Lý do: ${or(i.reason)}`, { bold: true }),
    text('Xin thông báo cho ông/bà được biết.'),
    { kind: 'signatures', blocks: [{ title: 'Người thông báo', name: i.actorName }] },
  ];
}

function control(f: FormInput): FormBlock[] {
  return [
    text(`Kèm theo hồ sơ của: ${f.applicant.name}`),
    text(`Thủ tục: ${f.procedure.name}`),
    text(`Ngày nhận hồ sơ: ${f.receivedAt ? formatDateTime(f.receivedAt) : '……'}; ngày hẹn trả kết quả: ${f.dueAt ? formatDateTime(f.dueAt) : '……'}`),
    {
      kind: 'table',
      columns: [{ header: 'Tên cơ quan, người giao và người nhận', width: 6 }, { header: 'Thời gian giao, nhận hồ sơ', width: 3, align: 'center' }, { header: 'Kết quả giải quyết hồ sơ (trước hạn/đúng hạn/quá hạn)', width: 3, align: 'center' }, { header: 'Ghi chú', width: 3 }],
      rows: (f.handovers ?? []).map((h) => [
        `Giao: ${h.from}\nNhận: ${h.to}`,
        formatDateTime(h.at),
        h.outcome ? OUTCOME_LABELS[h.outcome] : '',
        [h.stepName, h.dueAt ? `Hạn bước: ${formatDateTime(h.dueAt)}` : null, h.note].filter(Boolean).join('\n'),
      ]),
    },
  ];
}

const BODIES: Record<FormNumber, (f: FormInput) => FormBlock[]> = { '01': receipt, '02': supplement, '03': refusal, '04': apology, '05': stop, '06': control };

/** The full specification of one form, ready for renderFormPdf. `at` dates the form (the action's time, or now). */
export function formSpec(number: FormNumber, f: FormInput, at: Date): FormSpec {
  return {
    parentAgency: f.unit.parentName,
    agency: f.unit.name,
    dateLine: dateLine(placeName(f.unit.parentName && /^Bộ phận/i.test(f.unit.name) ? f.unit.parentName : f.unit.name), localIsoDate(at)),
    number: null,
    title: FORM_TITLES[number],
    subtitle: f.code ? `Mã hồ sơ: ${f.code}` : null,
    blocks: BODIES[number](f),
    qr: { url: f.lookupUrl, code: f.code },
  };
}

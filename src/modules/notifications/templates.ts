import { STATUS, type StatusCode } from '../dossiers/index.js';

/**
 * What a citizen is told, per event of their dossier, by e-mail and SMS. The texts are the defaults; an
 * administrator overrides them per event and channel (notification_templates). Variables are written
 * `{ten_bien}`; only those listed in VARIABLES may appear, so that a typo is refused when saved instead of
 * reaching a citizen as a raw brace.
 */
export const VARIABLES = {
  ho_ten: 'Họ tên người nộp',
  ma_ho_so: 'Mã hồ sơ',
  ten_thu_tuc: 'Tên thủ tục',
  don_vi: 'Cơ quan tiếp nhận',
  trang_thai: 'Trạng thái mới',
  ngay_hen_tra: 'Ngày hẹn trả kết quả (dd/MM/yyyy HH:mm)',
  ly_do: 'Lý do (từ chối, bổ sung, xin lỗi, dừng)',
  han_bo_sung: 'Hạn nộp bổ sung',
  link_tra_cuu: 'Đường dẫn tra cứu hồ sơ',
} as const;
export type Variable = keyof typeof VARIABLES;
export type Values = Partial<Record<Variable, string>>;

export type EventDef = { label: string; email: { subject: string; body: string }; sms: string };

const footer = '\n\nTra cứu tình trạng hồ sơ: {link_tra_cuu}\nĐây là thư tự động, vui lòng không trả lời.';

export const EVENTS = {
  submitted: {
    label: 'Đã nộp trực tuyến, chờ tiếp nhận',
    email: { subject: 'Đã nhận hồ sơ trực tuyến: {ten_thu_tuc}', body: 'Kính gửi {ho_ten},\n\n{don_vi} đã nhận hồ sơ trực tuyến của Ông/Bà về thủ tục "{ten_thu_tuc}". Bộ phận Một cửa sẽ kiểm tra và tiếp nhận hoặc trả lời trong vòng 8 giờ làm việc.' + footer },
    sms: '{don_vi}: da nhan ho so truc tuyen "{ten_thu_tuc}", se tiep nhan trong 8 gio lam viec.',
  },
  received: {
    label: 'Đã tiếp nhận (có mã và ngày hẹn trả)',
    email: { subject: 'Hồ sơ {ma_ho_so} đã được tiếp nhận', body: 'Kính gửi {ho_ten},\n\n{don_vi} đã tiếp nhận hồ sơ "{ten_thu_tuc}", mã hồ sơ {ma_ho_so}.\nNgày hẹn trả kết quả: {ngay_hen_tra}.' + footer },
    sms: 'Ho so {ma_ho_so} da duoc tiep nhan. Hen tra ket qua: {ngay_hen_tra}. Tra cuu: {link_tra_cuu}',
  },
  refused: {
    label: 'Từ chối tiếp nhận / giải quyết',
    email: { subject: 'Hồ sơ {ma_ho_so}: từ chối', body: 'Kính gửi {ho_ten},\n\n{don_vi} từ chối hồ sơ "{ten_thu_tuc}".\nLý do: {ly_do}' + footer },
    sms: 'Ho so {ma_ho_so} bi tu choi. Ly do: {ly_do}',
  },
  supplement_requested: {
    label: 'Yêu cầu bổ sung hồ sơ',
    email: { subject: 'Hồ sơ {ma_ho_so}: cần bổ sung', body: 'Kính gửi {ho_ten},\n\nHồ sơ "{ten_thu_tuc}" (mã {ma_ho_so}) cần được bổ sung:\n{ly_do}\n\nHạn nộp bổ sung: {han_bo_sung}. Thời hạn giải quyết tạm dừng cho đến khi nhận đủ.' + footer },
    sms: 'Ho so {ma_ho_so} can bo sung truoc {han_bo_sung}: {ly_do}',
  },
  processing: {
    label: 'Đang xử lý',
    email: { subject: 'Hồ sơ {ma_ho_so} đang được xử lý', body: 'Kính gửi {ho_ten},\n\nHồ sơ "{ten_thu_tuc}" (mã {ma_ho_so}) đang được xử lý. Ngày hẹn trả kết quả: {ngay_hen_tra}.' + footer },
    sms: 'Ho so {ma_ho_so} dang duoc xu ly, hen tra {ngay_hen_tra}.',
  },
  awaiting_payment: {
    label: 'Chờ nộp phí, lệ phí',
    email: { subject: 'Hồ sơ {ma_ho_so}: chờ nộp phí, lệ phí', body: 'Kính gửi {ho_ten},\n\nHồ sơ "{ten_thu_tuc}" (mã {ma_ho_so}) đang chờ Ông/Bà nộp phí, lệ phí.' + footer },
    sms: 'Ho so {ma_ho_so} cho nop phi, le phi. Chi tiet: {link_tra_cuu}',
  },
  apologized: {
    label: 'Xin lỗi và hẹn lại ngày trả',
    email: { subject: 'Hồ sơ {ma_ho_so}: xin lỗi và hẹn lại ngày trả kết quả', body: 'Kính gửi {ho_ten},\n\n{don_vi} xin lỗi Ông/Bà vì hồ sơ "{ten_thu_tuc}" (mã {ma_ho_so}) chưa giải quyết được đúng hẹn.\nLý do: {ly_do}\nNgày hẹn trả mới: {ngay_hen_tra}.' + footer },
    sms: 'Xin loi: ho so {ma_ho_so} tre hen. Hen tra moi: {ngay_hen_tra}. Ly do: {ly_do}',
  },
  withdrawn: {
    label: 'Đã rút hồ sơ',
    email: { subject: 'Hồ sơ {ma_ho_so} đã được rút', body: 'Kính gửi {ho_ten},\n\nHồ sơ "{ten_thu_tuc}" (mã {ma_ho_so}) đã được rút theo đề nghị của Ông/Bà.' + footer },
    sms: 'Ho so {ma_ho_so} da duoc rut theo de nghi.',
  },
  stopped: {
    label: 'Dừng xử lý',
    email: { subject: 'Hồ sơ {ma_ho_so}: dừng xử lý', body: 'Kính gửi {ho_ten},\n\n{don_vi} dừng xử lý hồ sơ "{ten_thu_tuc}" (mã {ma_ho_so}).\nLý do: {ly_do}' + footer },
    sms: 'Ho so {ma_ho_so} dung xu ly. Ly do: {ly_do}',
  },
  done: {
    label: 'Đã có kết quả, chờ trả',
    email: { subject: 'Hồ sơ {ma_ho_so} đã có kết quả', body: 'Kính gửi {ho_ten},\n\nHồ sơ "{ten_thu_tuc}" (mã {ma_ho_so}) đã giải quyết xong. Mời Ông/Bà nhận kết quả tại {don_vi} hoặc theo hình thức đã đăng ký.' + footer },
    sms: 'Ho so {ma_ho_so} da co ket qua. Moi Ong/Ba nhan ket qua.',
  },
  returned: {
    label: 'Đã trả kết quả',
    email: { subject: 'Hồ sơ {ma_ho_so} đã trả kết quả', body: 'Kính gửi {ho_ten},\n\nKết quả hồ sơ "{ten_thu_tuc}" (mã {ma_ho_so}) đã được trả. Mời Ông/Bà đánh giá mức độ hài lòng tại {link_tra_cuu}.' + footer },
    sms: 'Ho so {ma_ho_so} da tra ket qua. Danh gia hai long: {link_tra_cuu}',
  },
} as const satisfies Record<string, EventDef>;
export type EventKey = keyof typeof EVENTS;
export const EVENT_KEYS = Object.keys(EVENTS) as EventKey[];

/** The event a change of status (or an apology, which keeps the status) means for the citizen; null: nothing to tell. */
export function eventFor(action: string, fromStatus: StatusCode | null, toStatus: StatusCode): EventKey | null {
  if (action === 'apologize') return 'apologized';
  if (fromStatus === toStatus) return null;
  switch (toStatus) {
    case STATUS.submitted:
      return 'submitted';
    case STATUS.received:
      // Reception (counter: from nothing; online: from 1); back to 2 after a supplement or a paid fee is not a new receipt.
      return fromStatus === null || fromStatus === STATUS.submitted ? 'received' : null;
    case STATUS.refused:
      return 'refused';
    case STATUS.supplementRequested:
      return 'supplement_requested';
    case STATUS.processing:
      return fromStatus === STATUS.received ? 'processing' : null; // a resumed clock or an internal hand-back is not news
    case STATUS.awaitingFee:
      return 'awaiting_payment';
    case STATUS.withdrawn:
      return 'withdrawn';
    case STATUS.stopped:
      return 'stopped';
    case STATUS.done:
      return 'done';
    case STATUS.returned:
      return 'returned';
    default:
      return null;
  }
}

const VARIABLE = /\{([^{}\s]*)\}/g;

/** Unknown `{...}` variables in a template (empty when it is valid). */
export function unknownVariables(text: string): string[] {
  return [...text.matchAll(VARIABLE)].map((m) => m[1]).filter((v) => !(v in VARIABLES));
}

/** Fills the variables; a value that is missing becomes "—" rather than a raw brace. */
export function render(text: string, values: Values): string {
  return text.replace(VARIABLE, (whole, name: string) => (name in VARIABLES ? (values[name as Variable] ?? '—') : whole)).normalize('NFC');
}

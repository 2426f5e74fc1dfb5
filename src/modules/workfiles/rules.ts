import type { FieldError } from '../../core/errors/index.js';

/**
 * Rules of work files (hồ sơ công việc), pure functions.
 *
 * Notation (ký hiệu hồ sơ) in the yearly file list (danh mục hồ sơ): the running number of the file
 * in the list, a dot, and the abbreviation of the section or field it belongs to — `01.TCCB`,
 * `12.VP`, `03.TP-HT`. Stored upper-case (NFC), unique per unit and year.
 */
export const NOTATION_MAX = 30;
const NOTATION = /^\d{1,3}\.[A-ZĐ0-9]+(?:-[A-ZĐ0-9]+)*$/u;

export function normalizeNotation(raw: string): string {
  return raw.normalize('NFC').trim().toUpperCase();
}

/** Null when the (normalised) notation is valid; otherwise the field error. */
export function notationProblem(notation: string): FieldError | null {
  if (notation.length === 0) return { field: 'notation', message: 'Chưa nhập ký hiệu hồ sơ.' };
  if (notation.length > NOTATION_MAX) return { field: 'notation', message: `Ký hiệu hồ sơ dài tối đa ${NOTATION_MAX} ký tự.` };
  if (!NOTATION.test(notation)) {
    return { field: 'notation', message: 'Ký hiệu hồ sơ gồm số thứ tự, dấu chấm và chữ viết tắt (chữ cái hoặc chữ số, có thể nối bằng dấu gạch ngang), ví dụ 01.TCCB.' };
  }
  return null;
}

/** Retention (thời hạn bảo quản): null = Vĩnh viễn, else 1–70 years. */
export const RETENTION_MIN = 1;
export const RETENTION_MAX = 70;

export function retentionLabel(years: number | null): string {
  return years == null ? 'Vĩnh viễn' : `${years} năm`;
}

/** The running number at the start of a notation, for ordering the list (`02.VP` before `10.VP`). */
export function notationOrder(notation: string): number {
  const n = Number.parseInt(notation.split('.')[0], 10);
  return Number.isFinite(n) ? n : Number.MAX_SAFE_INTEGER;
}

/** Mã hồ sơ (FileCode, archives metadata): agency identifier, year and notation, e.g. `000.01.31.H99.2026.01.TCCB`. */
export function fileCode(agencyCode: string | null, year: number, notation: string): string {
  return [agencyCode, String(year), notation].filter(Boolean).join('.');
}

// --- Transfer to the agency archive (nộp lưu vào Lưu trữ cơ quan) ---

/**
 * Closed files are handed to the agency archive within a time the unit configures, counted from the
 * day the file was closed (the Law on Archives: within one year of the end of the work, so 12 months
 * by default). The reminder starts TRANSFER_REMINDER_DAYS before that date and stays until the file is
 * marked transferred.
 */
export const DEFAULT_TRANSFER_MONTHS = 12;
export const TRANSFER_REMINDER_DAYS = 30;

/** yyyy-MM-dd plus calendar months; the day is clamped to the end of a shorter month (31/01 + 1 → 28/02). */
export function addMonths(isoDate: string, months: number): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

export function daysBetween(fromIso: string, toIso: string): number {
  return Math.round((Date.parse(`${toIso}T00:00:00Z`) - Date.parse(`${fromIso}T00:00:00Z`)) / 86_400_000);
}

export type TransferState = 'not_due' | 'due_soon' | 'overdue';

/** Where a closed file stands against its transfer date, seen on `today` (local dates). */
export function transferState(closedOn: string, months: number, today: string): { dueDate: string; daysLeft: number; state: TransferState } {
  const dueDate = addMonths(closedOn, months);
  const daysLeft = daysBetween(today, dueDate);
  const state: TransferState = daysLeft < 0 ? 'overdue' : daysLeft <= TRANSFER_REMINDER_DAYS ? 'due_soon' : 'not_due';
  return { dueDate, daysLeft, state };
}

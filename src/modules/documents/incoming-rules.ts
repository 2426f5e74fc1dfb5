import { type Db, perDatabase } from '../../core/db/index.js';
import { AppError, type FieldError, validationFailed } from '../../core/errors/index.js';
import { localDate } from './numbering.js';
import { documentTypes } from './schema.js';

/** Rules of an incoming document's metadata that need the clock or the database (formats are the schema's). */

/** A real calendar day (rejects 2026-02-30), in a sane range. */
export function isCalendarDate(iso: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return false;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso && iso >= '1900-01-01' && iso <= '2999-12-31';
}

export type TypeRow = typeof documentTypes.$inferSelect;

/** A document type in force on the given day (Decree 30's list is data with validity dates). */
export function typeInForce(t: TypeRow | undefined, day: string): boolean {
  return !!t && t.validFrom <= day && (t.validTo == null || t.validTo >= day);
}

const typeCache = perDatabase((): { types?: Map<string, TypeRow> } => ({}));
/** A row of Decree 30's type list: reference data from the migrations, read once per database (again for an unknown code). */
export async function documentType(db: Db, code: string): Promise<TypeRow | undefined> {
  const cache = typeCache(db);
  if (!cache.types?.has(code)) cache.types = new Map((await db.select().from(documentTypes)).map((t) => [t.code, t]));
  return cache.types.get(code);
}

export type CheckedFields = {
  issuer: string;
  issuerUnitId: string | null;
  issuedDate: string;
  dueDate?: string | null;
  typeCode: string;
  receivedVia: string;
};

export async function checkIncoming(db: Db, v: CheckedFields, issuerUnit: { active: boolean } | undefined, now: Date, fromSystem: boolean): Promise<void> {
  if (v.issuerUnitId && (!issuerUnit || !issuerUnit.active)) {
    throw new AppError(404, 'not-found', 'Không tìm thấy', 'Cơ quan ban hành không có trong danh bạ.', [{ field: 'issuerUnitId', message: 'Không tìm thấy cơ quan ban hành.' }]);
  }
  const errors: FieldError[] = [];
  const today = localDate(now);
  if (!issuerUnit && !v.issuer.trim()) errors.push({ field: 'issuer', message: 'Nhập tên cơ quan ban hành hoặc chọn từ danh bạ.' });
  if (!isCalendarDate(v.issuedDate)) errors.push({ field: 'issuedDate', message: 'Ngày văn bản không có thật.' });
  else if (v.issuedDate > today) errors.push({ field: 'issuedDate', message: 'Ngày văn bản không được sau ngày hôm nay.' });
  if (v.dueDate) {
    if (!isCalendarDate(v.dueDate)) errors.push({ field: 'dueDate', message: 'Hạn xử lý không phải ngày có thật.' });
    else if (v.dueDate < v.issuedDate) errors.push({ field: 'dueDate', message: 'Hạn xử lý không được trước ngày văn bản.' });
  }
  const type = await documentType(db, v.typeCode);
  if (!type) errors.push({ field: 'typeCode', message: 'Loại văn bản không có trong danh mục.' });
  else if (!typeInForce(type, today)) errors.push({ field: 'typeCode', message: `Loại văn bản "${type.name}" không còn hiệu lực.` });
  if (v.receivedVia === 'system' && !fromSystem) errors.push({ field: 'receivedVia', message: 'Văn bản nhận qua hệ thống được tiếp nhận từ hàng chờ, không đăng ký tay.' });
  if (errors.length) throw validationFailed(errors);
}

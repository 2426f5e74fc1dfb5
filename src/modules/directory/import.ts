import type ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { type Principal, type Role, can } from '../../core/access/index.js';
import { type ActorContext, writeAudit } from '../../core/audit/index.js';
import { hashPassword, passwordProblems } from '../../core/auth/password.js';
import { users } from '../../core/auth/schema.js';
import { type Db, inTransaction } from '../../core/db/index.js';
import { AppError, badRequest } from '../../core/errors/index.js';
import { isUuid } from '../../core/ids/index.js';
import { insertOfficial, officialInputProblems } from './officials.js';
import { ROLES, UNIT_KINDS, UNIT_LEVELS, units } from './schema.js';
import { type UnitInput, type UnitRow, insertUnit, unitInputProblems } from './units.js';

/** Vietnamese labels accepted in the sheet next to the codes (the template's drop-downs use the labels). */
export const LEVEL_LABELS: Record<string, string> = { central: 'Trung ương', province: 'Tỉnh', district: 'Huyện', commune: 'Xã' };
export const KIND_LABELS: Record<string, string> = {
  people_committee: 'UBND',
  department: 'Sở/ngành',
  office: 'Văn phòng',
  onestop_desk: 'Bộ phận Một cửa',
  division: 'Phòng/ban',
  other: 'Khác',
};
export const ROLE_LABELS: Record<string, string> = {
  admin: 'Quản trị hệ thống',
  unit_admin: 'Quản trị đơn vị',
  clerk: 'Văn thư',
  specialist: 'Chuyên viên',
  leader: 'Lãnh đạo',
  deputy_leader: 'Phó lãnh đạo',
  onestop_officer: 'Cán bộ một cửa',
};

const UNIT_COLUMNS = ['Mã tham chiếu', 'Đơn vị cấp trên', 'Tên đơn vị', 'Tên viết tắt', 'Cấp', 'Loại', 'Mã định danh', 'Địa chỉ', 'Điện thoại', 'Email'];
const OFFICIAL_COLUMNS = ['Tên đăng nhập', 'Họ và tên', 'Chức vụ', 'Đơn vị', 'Vai trò', 'Email', 'Điện thoại', 'Mật khẩu ban đầu'];

export type ImportError = { sheet: string; row: number; field: string; message: string };

const fold = (s: string) => s.normalize('NFC').trim().toLowerCase();
function fromLabel(value: string, codes: readonly string[], labels: Record<string, string>): string | undefined {
  const v = fold(value);
  return codes.find((c) => c === v || fold(labels[c] ?? '') === v);
}

function cellText(row: ExcelJS.Row, col: number): string {
  const v = row.getCell(col).value as unknown;
  if (v == null) return '';
  if (typeof v === 'object') {
    const o = v as { text?: unknown; result?: unknown; richText?: { text: string }[] };
    if (o.richText) return o.richText.map((t) => t.text).join('').trim();
    if (o.text !== undefined) return String(o.text).trim();
    if (o.result !== undefined) return String(o.result).trim();
  }
  return String(v).trim();
}

// exceljs takes ~0.3 s to load: only when a sheet is actually read or written, not at start-up.
const excel = async () => (await import('exceljs')).default;

export async function buildTemplate(): Promise<Buffer> {
  const wb = new (await excel()).Workbook();
  wb.creator = 'LienThong';
  const guide = wb.addWorksheet('HuongDan');
  guide.columns = [{ width: 110 }];
  [
    'MẪU NHẬP ĐƠN VỊ VÀ CÁN BỘ — LienThong',
    'Sheet "DonVi": mỗi dòng một đơn vị. "Mã tham chiếu" là mã tự đặt để các dòng khác (và sheet CanBo) trỏ tới.',
    '"Đơn vị cấp trên": mã định danh của đơn vị đã có trong hệ thống, hoặc Mã tham chiếu của một dòng phía trên; để trống = đơn vị gốc (chỉ quản trị hệ thống).',
    `"Cấp": ${Object.values(LEVEL_LABELS).join(', ')}. "Loại": ${Object.values(KIND_LABELS).join(', ')}.`,
    'Mã định danh: các nhóm chữ số 0–9 và chữ in hoa A–Z ngăn cách bởi dấu chấm, tối đa 35 ký tự (ví dụ 000.00.00.H99).',
    'Sheet "CanBo": "Đơn vị" là mã định danh hoặc Mã tham chiếu; "Vai trò" ghi một hoặc nhiều vai trò cách nhau dấu phẩy:',
    `   ${Object.values(ROLE_LABELS).join(', ')}.`,
    'Mật khẩu ban đầu: ít nhất 10 ký tự, có chữ hoa, chữ thường, chữ số và ký tự đặc biệt.',
    'Nếu có bất kỳ dòng nào lỗi, hệ thống không nhập gì và trả về danh sách lỗi theo từng dòng.',
  ].forEach((t) => guide.addRow([t]));
  guide.getRow(1).font = { bold: true, size: 13 };

  const us = wb.addWorksheet('DonVi');
  us.addRow(UNIT_COLUMNS).font = { bold: true };
  us.columns = UNIT_COLUMNS.map((h) => ({ width: Math.max(14, h.length + 4) }));
  us.addRow(['XA-MOI', '000.00.00.H99', 'Ủy ban nhân dân xã Mẫu', 'UBND', 'Xã', 'UBND', '000.09.31.H99', '', '', '']);
  const os = wb.addWorksheet('CanBo');
  os.addRow(OFFICIAL_COLUMNS).font = { bold: true };
  os.columns = OFFICIAL_COLUMNS.map((h) => ({ width: Math.max(16, h.length + 4) }));
  os.addRow(['vanthu.mau', 'Nguyễn Văn Mẫu', 'Văn thư', 'XA-MOI', 'Văn thư', 'vanthu.mau@example.vn', '', 'DoiMatKhau@2026']);
  for (let r = 2; r <= 500; r++) {
    us.getCell(r, 5).dataValidation = { type: 'list', allowBlank: true, formulae: [`"${Object.values(LEVEL_LABELS).join(',')}"`] };
    us.getCell(r, 6).dataValidation = { type: 'list', allowBlank: true, formulae: [`"${Object.values(KIND_LABELS).join(',')}"`] };
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

type PlannedUnit = { ref: string; row: number; parent: { existing: UnitRow } | { ref: string } | null; input: UnitInput };
type PlannedOfficial = { row: number; unit: { existing: UnitRow } | { ref: string }; input: { username: string; fullName: string; positionTitle: string; email: string; phone: string; password: string; roles: Role[] } };

/**
 * Validates every row first; writes nothing unless all rows are valid, then writes everything in one
 * transaction (so a failure half-way rolls back the whole import).
 */
export async function importDirectory(db: Db, p: Principal, file: Buffer, ctx: ActorContext): Promise<{ unitsCreated: number; officialsCreated: number }> {
  const wb = new (await excel()).Workbook();
  try {
    await wb.xlsx.load(file as unknown as ArrayBuffer);
  } catch {
    throw badRequest('Tệp không phải bảng tính Excel (.xlsx) hợp lệ.');
  }
  const errors: ImportError[] = [];
  const unitSheet = wb.getWorksheet('DonVi');
  const officialSheet = wb.getWorksheet('CanBo');
  if (!unitSheet && !officialSheet) throw badRequest('Không tìm thấy sheet "DonVi" hoặc "CanBo". Hãy dùng tệp mẫu.');

  const existing = async (key: string): Promise<UnitRow | undefined> => {
    const rows = await db.select().from(units).where(isUuid(key) ? sql`${units.id} = ${key}` : sql`${units.agencyCode} = ${key}`).limit(1);
    return rows[0];
  };
  const planned: PlannedUnit[] = [];
  const refs = new Set<string>();
  const agencyCodes = new Set<string>();
  unitSheet?.eachRow((row, n) => {
    if (n === 1) return;
    const [ref, parentKey, name, shortName, level, kind, agencyCode, address, phone, email] = UNIT_COLUMNS.map((_, i) => cellText(row, i + 1));
    if (!ref && !name) return;
    planned.push({ ref, row: n, parent: parentKey ? { ref: parentKey } : null, input: { parentId: null, name, shortName, level: level as never, kind: kind as never, agencyCode: agencyCode || null, address, phone, email } });
  });
  for (const u of planned) {
    const err = (field: string, message: string) => errors.push({ sheet: 'DonVi', row: u.row, field, message });
    if (!u.ref) err('Mã tham chiếu', 'Thiếu mã tham chiếu.');
    else if (refs.has(u.ref)) err('Mã tham chiếu', `Mã tham chiếu "${u.ref}" bị trùng.`);
    const level = fromLabel(String(u.input.level), UNIT_LEVELS, LEVEL_LABELS);
    const kind = fromLabel(String(u.input.kind), UNIT_KINDS, KIND_LABELS);
    if (!level) err('Cấp', 'Cấp không hợp lệ.');
    if (!kind) err('Loại', 'Loại đơn vị không hợp lệ.');
    u.input.level = level as UnitInput['level'];
    u.input.kind = kind as UnitInput['kind'];
    const unitFields: Record<string, string> = { name: 'Tên đơn vị', shortName: 'Tên viết tắt', agencyCode: 'Mã định danh', phone: 'Điện thoại', email: 'Email' };
    for (const e of unitInputProblems({ ...u.input, name: u.input.name, shortName: u.input.shortName })) err(unitFields[e.field] ?? e.field, e.message);
    if (u.input.agencyCode) {
      if (agencyCodes.has(u.input.agencyCode) || (await existing(u.input.agencyCode))) err('Mã định danh', 'Mã định danh đã tồn tại.');
      agencyCodes.add(u.input.agencyCode);
    }
    if (u.parent && 'ref' in u.parent) {
      const key = u.parent.ref;
      if (refs.has(key)) {
        // parent is an earlier row of this sheet
      } else {
        const ex = await existing(key);
        if (!ex || !can(p, 'unit.read', ex.path)) err('Đơn vị cấp trên', `Không tìm thấy đơn vị cấp trên "${key}" (mã định danh hoặc mã tham chiếu của dòng phía trên).`);
        else if (!can(p, 'unit.manage', ex.path)) err('Đơn vị cấp trên', 'Bạn không có quyền quản trị đơn vị cấp trên này.');
        else if (!ex.active) err('Đơn vị cấp trên', 'Đơn vị cấp trên đã ngừng hoạt động.');
        else u.parent = { existing: ex };
      }
    } else if (!u.parent && !can(p, 'unit.manage')) {
      err('Đơn vị cấp trên', 'Chỉ quản trị hệ thống được tạo đơn vị gốc.');
    }
    if (u.ref) refs.add(u.ref);
  }

  const plannedOfficials: PlannedOfficial[] = [];
  const usernames = new Set<string>();
  const officialRows: { row: number; cells: string[] }[] = [];
  officialSheet?.eachRow((row, n) => {
    if (n === 1) return;
    const cells = OFFICIAL_COLUMNS.map((_, i) => cellText(row, i + 1));
    if (cells.every((c) => !c)) return;
    officialRows.push({ row: n, cells });
  });
  for (const { row, cells } of officialRows) {
    const [username, fullName, positionTitle, unitKey, rolesText, email, phone, password] = cells;
    const err = (field: string, message: string) => errors.push({ sheet: 'CanBo', row, field, message });
    const roles: Role[] = [];
    for (const part of rolesText.split(/[,;]/).map((s) => s.trim()).filter(Boolean)) {
      const r = fromLabel(part, ROLES, ROLE_LABELS) as Role | undefined;
      if (!r) err('Vai trò', `Vai trò "${part}" không hợp lệ.`);
      else if (r === 'admin' && !can(p, 'role.grant_admin')) err('Vai trò', 'Chỉ quản trị hệ thống được cấp vai trò quản trị hệ thống.');
      else roles.push(r);
    }
    const fieldNames: Record<string, string> = { username: 'Tên đăng nhập', fullName: 'Họ và tên', email: 'Email', phone: 'Điện thoại', password: 'Mật khẩu ban đầu' };
    for (const e of officialInputProblems({ username, fullName, email, phone })) err(fieldNames[e.field] ?? e.field, e.message);
    for (const m of passwordProblems(password, username)) err('Mật khẩu ban đầu', m);
    const uname = username.toLowerCase();
    if (usernames.has(uname)) err('Tên đăng nhập', 'Tên đăng nhập bị trùng trong tệp.');
    else {
      const [dup] = await db.select({ id: users.id }).from(users).where(sql`lower(${users.username}) = ${uname}`).limit(1);
      if (dup) err('Tên đăng nhập', `Tên đăng nhập "${username}" đã được dùng.`);
    }
    usernames.add(uname);
    let unit: PlannedOfficial['unit'] | undefined;
    if (!unitKey) err('Đơn vị', 'Thiếu đơn vị.');
    else if (refs.has(unitKey)) unit = { ref: unitKey };
    else {
      const ex = await existing(unitKey);
      if (!ex || !can(p, 'unit.read', ex.path)) err('Đơn vị', `Không tìm thấy đơn vị "${unitKey}".`);
      else if (!can(p, 'official.manage', ex.path)) err('Đơn vị', 'Bạn không có quyền quản trị cán bộ của đơn vị này.');
      else if (!ex.active) err('Đơn vị', 'Đơn vị đã ngừng hoạt động.');
      else unit = { existing: ex };
    }
    if (unit) plannedOfficials.push({ row, unit, input: { username: uname, fullName, positionTitle, email, phone, password, roles } });
  }
  if (errors.length) {
    throw new AppError(422, 'import-rejected', 'Tệp nhập có lỗi, chưa nhập dữ liệu nào', `${errors.length} lỗi. Sửa các dòng được liệt kê rồi nhập lại.`, errors);
  }
  if (planned.length === 0 && plannedOfficials.length === 0) throw badRequest('Tệp không có dòng dữ liệu nào.');

  const hashes = await Promise.all(plannedOfficials.map((o) => hashPassword(o.input.password)));
  await inTransaction(db, async (tx) => {
    const created = new Map<string, UnitRow>();
    for (const u of planned) {
      const parent = u.parent === null ? null : 'existing' in u.parent ? u.parent.existing : created.get(u.parent.ref)!;
      created.set(u.ref, await insertUnit(tx, parent, u.input, ctx));
    }
    for (const [i, o] of plannedOfficials.entries()) {
      const unit = 'existing' in o.unit ? o.unit.existing : created.get(o.unit.ref)!;
      await insertOfficial(tx, { ...o.input, unitId: unit.id, passwordHash: hashes[i], roles: o.input.roles.map((role) => ({ unitId: unit.id, role })) }, ctx);
    }
    await writeAudit(tx, ctx, {
      action: 'directory.import',
      objectType: 'import',
      objectId: null,
      summary: { unitsCreated: planned.length, officialsCreated: plannedOfficials.length, units: [...created.values()].map((u) => u.id) },
    });
  });
  return { unitsCreated: planned.length, officialsCreated: plannedOfficials.length };
}

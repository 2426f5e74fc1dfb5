import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../core/db/index.js';
import { bearer, createTestApp, type TestContext } from '../../test/harness.js';

let t: TestContext;
let admin: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
});
afterAll(() => t.close());

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const UNIT_HEADERS = ['Mã tham chiếu', 'Đơn vị cấp trên', 'Tên đơn vị', 'Tên viết tắt', 'Cấp', 'Loại', 'Mã định danh', 'Địa chỉ', 'Điện thoại', 'Email'];
const OFFICIAL_HEADERS = ['Tên đăng nhập', 'Họ và tên', 'Chức vụ', 'Đơn vị', 'Vai trò', 'Email', 'Điện thoại', 'Mật khẩu ban đầu'];

/** A workbook like the template, built here. */
async function workbook(unitRows: (string | number)[][], officialRows: (string | number)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const us = wb.addWorksheet('DonVi');
  us.addRow(UNIT_HEADERS);
  for (const r of unitRows) us.addRow(r);
  const os = wb.addWorksheet('CanBo');
  os.addRow(OFFICIAL_HEADERS);
  for (const r of officialRows) os.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

type Part = { name: string; filename?: string; contentType?: string; data: Buffer | string };
/** A multipart/form-data body built by hand. */
function multipart(parts: Part[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----lienthong${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename ? `; filename="${p.filename}"` : ''}`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${p.contentType ? `Content-Type: ${p.contentType}\r\n` : ''}\r\n`));
    chunks.push(Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const upload = (token: string, file: Buffer, filename = 'danh-ba.xlsx', contentType = XLSX) => {
  const body = multipart([{ name: 'file', filename, contentType, data: file }]);
  return t.app.inject({ method: 'POST', url: '/api/directory/import', payload: body.payload, headers: { ...bearer(token), ...body.headers } });
};

const counts = async () =>
  (await queryRows<{ units: number; users: number; roles: number; audit: number }>(
    t.database.db,
    sql`SELECT (SELECT count(*)::int FROM units) AS units, (SELECT count(*)::int FROM users) AS users,
               (SELECT count(*)::int FROM role_assignments) AS roles, (SELECT count(*)::int FROM audit_log WHERE action <> 'auth.login') AS audit`,
  ))[0];
const unitByCode = async (code: string) =>
  (await queryRows<{ id: string; parent_id: string; name: string; short_name: string; level: string; kind: string; depth: number; phone: string | null; email: string | null }>(
    t.database.db,
    sql`SELECT id, parent_id, name, short_name, level, kind, depth, phone, email FROM units WHERE agency_code = ${code}`,
  ))[0];
const unitByName = async (name: string) =>
  (await queryRows<{ id: string; parent_id: string; depth: number; agency_code: string | null }>(t.database.db, sql`SELECT id, parent_id, depth, agency_code FROM units WHERE name = ${name}`))[0];

describe('GET /api/directory/import/template', () => {
  it('returns an .xlsx with the sheets DonVi and CanBo and their headers', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/directory/import/template', headers: bearer(await t.login('vanthu.xa')) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(XLSX);
    expect(res.headers['content-disposition']).toBe('attachment; filename="mau-nhap-don-vi-can-bo.xlsx"');
    expect(res.rawPayload.subarray(0, 2).toString()).toBe('PK'); // a zip container
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['HuongDan', 'DonVi', 'CanBo']);
    const header = (name: string) => (wb.getWorksheet(name)!.getRow(1).values as unknown[]).slice(1);
    expect(header('DonVi')).toEqual(UNIT_HEADERS);
    expect(header('CanBo')).toEqual(OFFICIAL_HEADERS);
    expect(wb.getWorksheet('DonVi')!.getCell(2, 5).dataValidation).toMatchObject({ type: 'list', formulae: ['"Trung ương,Tỉnh,Huyện,Xã"'] });
    expect(String(wb.getWorksheet('HuongDan')!.getCell(1, 1).value)).toContain('MẪU NHẬP ĐƠN VỊ VÀ CÁN BỘ');
  });

  it('requires sign-in', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/directory/import/template' })).statusCode).toBe(401);
  });

  it('imports as it is (its sample rows are valid)', async () => {
    const tpl = (await t.app.inject({ method: 'GET', url: '/api/directory/import/template', headers: bearer(admin) })).rawPayload;
    const res = await upload(admin, tpl, 'mau-nhap-don-vi-can-bo.xlsx');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ unitsCreated: 1, officialsCreated: 1 });
    expect(await unitByCode('000.09.31.H99')).toMatchObject({ name: 'Ủy ban nhân dân xã Mẫu', level: 'commune', kind: 'people_committee', parent_id: await t.unitId('000.00.00.H99') });
    await t.login('vanthu.mau', 'DoiMatKhau@2026');
  });
});

describe('POST /api/directory/import', () => {
  it('imports units (by agency code and by an earlier row’s reference) and officials with Vietnamese role labels', async () => {
    const before = await counts();
    const file = await workbook(
      [
        ['DCXD', '000.01.31.H99', 'Tổ Địa chính – Xây dựng', 'DCXD', 'Xã', 'Phòng/ban', '003.01.31.H99', 'Trụ sở UBND xã Tân An', '0200 3811 333', 'dcxd.tanan@thaihoa.gov.vn'],
        ['DATDAI', 'DCXD', 'Nhóm Đất đai', 'DD', 'xã', 'phòng/ban', '', '', '', ''],
        ['BQLDA', '000.00.00.H99', 'Ban Quản lý dự án', 'BQLDA', 'province', 'other', '000.00.09.H99', '', '', ''],
      ],
      [
        ['diachinh.xa', 'Lê Văn Địa', 'Công chức Địa chính – Xây dựng', 'DCXD', 'Văn thư, Chuyên viên', 'diachinh.tanan@thaihoa.gov.vn', '0912 111 222', 'DiaChinh#2026'],
        ['nhom.truong', 'Phan Thị Nhóm', 'Trưởng nhóm', 'DATDAI', 'Lãnh đạo; Cán bộ một cửa', '', '', 'NhomTruong#2026'],
        ['vp.tanan', 'Đỗ Văn Phòng', '', '001.01.31.H99', 'specialist', '', '', 'VanPhong#2026x'],
        ['bqlda.gd', 'Mai Văn Giám', 'Giám đốc', 'BQLDA', 'Lãnh đạo, Quản trị đơn vị', '', '', 'GiamDoc#2026xy'],
      ],
    );
    const res = await upload(admin, file);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ unitsCreated: 3, officialsCreated: 4 });
    const after = await counts();
    expect(after.units - before.units).toBe(3);
    expect(after.users - before.users).toBe(4);
    expect(after.roles - before.roles).toBe(7);

    const tanAn = await t.unitId('000.01.31.H99');
    const dcxd = await unitByCode('003.01.31.H99');
    expect(dcxd).toMatchObject({ parent_id: tanAn, name: 'Tổ Địa chính – Xây dựng', short_name: 'DCXD', level: 'commune', kind: 'division', depth: 2, phone: '0200 3811 333', email: 'dcxd.tanan@thaihoa.gov.vn' });
    const datDai = await unitByName('Nhóm Đất đai');
    expect(datDai).toMatchObject({ parent_id: dcxd.id, depth: 3, agency_code: null });
    expect(await unitByCode('000.00.09.H99')).toMatchObject({ level: 'province', kind: 'other', depth: 1 });

    const officials = (await t.app.inject({ method: 'GET', url: `/api/officials?unitId=${dcxd.id}`, headers: bearer(admin) })).json();
    expect(officials.items).toHaveLength(1);
    expect(officials.items[0]).toMatchObject({ username: 'diachinh.xa', fullName: 'Lê Văn Địa', positionTitle: 'Công chức Địa chính – Xây dựng', email: 'diachinh.tanan@thaihoa.gov.vn', phone: '0912 111 222' });
    expect(officials.items[0].roles.map((r: { role: string; unitId: string }) => `${r.role}@${r.unitId}`).sort()).toEqual([`clerk@${dcxd.id}`, `specialist@${dcxd.id}`]);

    // the new officials sign in and see their roles
    const token = await t.login('nhom.truong', 'NhomTruong#2026');
    const me = (await t.app.inject({ method: 'GET', url: '/api/me', headers: bearer(token) })).json();
    expect(me.user).toMatchObject({ username: 'nhom.truong', unitId: datDai.id });
    expect(me.roles.map((r: { role: string }) => r.role).sort()).toEqual(['leader', 'onestop_officer']);
    await t.login('diachinh.xa', 'DiaChinh#2026');
    await t.login('vp.tanan', 'VanPhong#2026x');

    const audit = (await t.app.inject({ method: 'GET', url: '/api/audit?action=directory.import', headers: bearer(admin) })).json().items[0];
    expect(audit).toMatchObject({ actorId: await t.userId('admin'), objectType: 'import', summary: { unitsCreated: 3, officialsCreated: 4 } });
    expect(audit.summary.units).toEqual(expect.arrayContaining([dcxd.id, datDai.id]));
  });

  it('refuses a workbook with bad rows with 422 listing sheet/row/field/message, writing nothing', async () => {
    const before = await counts();
    const file = await workbook(
      [
        ['SAIMA', '000.01.31.H99', 'Tổ sai mã', 'SM', 'Xã', 'Phòng/ban', '000..h31', '', '', ''], // row 2: bad agency code
        ['MOCOI', 'KHONG-CO', 'Tổ mồ côi', 'MC', 'Xã', 'Phòng/ban', '', '', '', ''], // row 3: unknown parent
        ['THON', '000.01.31.H99', 'Thôn Một', 'T1', 'Thôn', 'Phòng/ban', '', '', '', ''], // row 4: bad level
        ['TOT', '000.01.31.H99', 'Tổ hợp lệ', 'TOT', 'Xã', 'Phòng/ban', '004.01.31.H99', '', '', ''], // row 5: valid
        ['TOT', '000.01.31.H99', 'Tổ trùng mã', 'TT', 'Xã', 'Phòng/ban', '000.02.31.H99', '', '', ''], // row 6: duplicate ref and agency code
      ],
      [
        ['vanthu.xa', 'Trùng Tên', '', 'TOT', 'Văn thư', '', '', 'TrungTen#2026'], // row 2: duplicate username
        ['yeu.mk', 'Mật Khẩu Yếu', '', 'TOT', 'Chuyên viên', '', '', 'yeu'], // row 3: weak password
        ['sai.vaitro', 'Sai Vai Trò', '', 'TOT', 'Văn thư, Thủ quỹ', '', '', 'SaiVaiTro#2026'], // row 4: bad role
        ['hop.le', 'Hợp Lệ', '', 'TOT', 'Chuyên viên', '', '', 'HopLe#2026xy'], // row 5: valid
        ['hop.le', 'Trùng Trong Tệp', '', 'KHONG-CO', '', 'khong-phai-email', '', 'TrungTep#2026'], // row 6: dup in file, unknown unit, bad e-mail
      ],
    );
    const res = await upload(admin, file);
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json();
    expect(body).toMatchObject({ status: 422, type: 'https://lienthong.vn/problems/import-rejected', title: 'Tệp nhập có lỗi, chưa nhập dữ liệu nào' });
    const errors = body.errors as { sheet: string; row: number; field: string; message: string }[];
    for (const e of errors) {
      expect(['DonVi', 'CanBo']).toContain(e.sheet);
      expect(e.message.length).toBeGreaterThan(5);
    }
    const at = (sheet: string, row: number) => errors.filter((e) => e.sheet === sheet && e.row === row);
    expect(at('DonVi', 2)).toEqual([{ sheet: 'DonVi', row: 2, field: 'Mã định danh', message: 'Mã định danh gồm các nhóm chữ số 0–9 và chữ in hoa A–Z, ngăn cách bởi dấu chấm (ví dụ 000.00.00.H99).' }]);
    expect(at('DonVi', 3)).toEqual([{ sheet: 'DonVi', row: 3, field: 'Đơn vị cấp trên', message: 'Không tìm thấy đơn vị cấp trên "KHONG-CO" (mã định danh hoặc mã tham chiếu của dòng phía trên).' }]);
    expect(at('DonVi', 4)).toEqual([{ sheet: 'DonVi', row: 4, field: 'Cấp', message: 'Cấp không hợp lệ.' }]);
    expect(at('DonVi', 5)).toEqual([]);
    expect(at('DonVi', 6).map((e) => e.field).sort()).toEqual(['Mã tham chiếu', 'Mã định danh']);
    expect(at('CanBo', 2)).toEqual([{ sheet: 'CanBo', row: 2, field: 'Tên đăng nhập', message: 'Tên đăng nhập "vanthu.xa" đã được dùng.' }]);
    expect(at('CanBo', 3).every((e) => e.field === 'Mật khẩu ban đầu')).toBe(true);
    expect(at('CanBo', 3).map((e) => e.message)).toEqual(['Mật khẩu phải có ít nhất 10 ký tự.', 'Mật khẩu phải có chữ hoa.', 'Mật khẩu phải có chữ số.', 'Mật khẩu phải có ký tự đặc biệt.']);
    expect(at('CanBo', 4)).toEqual([{ sheet: 'CanBo', row: 4, field: 'Vai trò', message: 'Vai trò "Thủ quỹ" không hợp lệ.' }]);
    expect(at('CanBo', 5)).toEqual([]);
    expect(at('CanBo', 6).map((e) => e.field).sort()).toEqual(['Email', 'Tên đăng nhập', 'Đơn vị']);
    expect(body.detail).toBe(`${errors.length} lỗi. Sửa các dòng được liệt kê rồi nhập lại.`);

    expect(await counts()).toEqual(before);
    expect(await unitByName('Tổ hợp lệ')).toBeUndefined();
    expect(await queryRows(t.database.db, sql`SELECT 1 FROM users WHERE username IN ('hop.le', 'yeu.mk', 'sai.vaitro')`)).toHaveLength(0);
  });

  it('names unit fields by their column headers, like the official fields', async () => {
    const res = await upload(admin, await workbook([['X', '000.01.31.H99', '', 'có dấu cách', 'Xã', 'Phòng/ban', '', '', 'abc', 'sai']], []));
    expect(res.statusCode).toBe(422);
    expect(res.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['Email', 'Tên viết tắt', 'Tên đơn vị', 'Điện thoại'].sort());
  });

  it('refuses a parent unit that has been deactivated', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/units', headers: bearer(admin), payload: { parentId: await t.unitId('000.00.03.H99'), level: 'province', kind: 'division', name: 'Phòng đã giải thể', shortName: 'GT', agencyCode: '001.00.03.H99' } });
    expect(created.statusCode).toBe(201);
    expect((await t.app.inject({ method: 'PATCH', url: `/api/units/${created.json().id}`, headers: bearer(admin), payload: { active: false } })).statusCode).toBe(200);
    const before = await counts();
    const res = await upload(admin, await workbook([['CON', '001.00.03.H99', 'Tổ con', 'TC', 'Tỉnh', 'Phòng/ban', '', '', '', '']], []));
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([{ sheet: 'DonVi', row: 2, field: 'Đơn vị cấp trên', message: expect.stringContaining('ngừng hoạt động') }]);
    expect(await counts()).toEqual(before);
  });

  it('limits a unit administrator to the commune, and refuses clerks (404)', async () => {
    const tanAn = await t.unitId('000.01.31.H99');
    const make = await t.app.inject({ method: 'POST', url: '/api/officials', headers: bearer(admin), payload: { username: 'qtdv.import', fullName: 'Quản trị Nhập', unitId: tanAn, password: 'QuanTri#2026x', roles: [{ unitId: tanAn, role: 'unit_admin' }] } });
    expect(make.statusCode).toBe(201);
    const ua = await t.login('qtdv.import', 'QuanTri#2026x');
    const before = await counts();
    const bad = await upload(
      ua,
      await workbook(
        [['LAN', '000.02.31.H99', 'Tổ lấn sang', 'LS', 'Xã', 'Phòng/ban', '', '', '', ''], ['GOC', '', 'Đơn vị gốc', 'G', 'Xã', 'Khác', '', '', '', '']],
        [['qt.moi', 'Quản Trị Mới', '', '001.01.31.H99', 'Quản trị hệ thống', '', '', 'QuanTriMoi#2026'], ['lan.sang', 'Lấn Sang', '', '000.02.31.H99', 'Văn thư', '', '', 'LanSang#2026x']],
      ),
    );
    expect(bad.statusCode).toBe(422);
    const errors = bad.json().errors as { sheet: string; row: number; field: string; message: string }[];
    expect(errors).toEqual(
      expect.arrayContaining([
        { sheet: 'DonVi', row: 2, field: 'Đơn vị cấp trên', message: expect.stringContaining('Không tìm thấy') },
        { sheet: 'DonVi', row: 3, field: 'Đơn vị cấp trên', message: 'Chỉ quản trị hệ thống được tạo đơn vị gốc.' },
        { sheet: 'CanBo', row: 2, field: 'Vai trò', message: 'Chỉ quản trị hệ thống được cấp vai trò quản trị hệ thống.' },
        { sheet: 'CanBo', row: 3, field: 'Đơn vị', message: 'Không tìm thấy đơn vị "000.02.31.H99".' },
      ]),
    );
    expect(await counts()).toEqual(before);
    const good = await upload(ua, await workbook([['TOMOI', '002.01.31.H99', 'Tổ tiếp nhận', 'TTN', 'Xã', 'Phòng/ban', '', '', '', '']], [['tiepnhan.xa', 'Tiếp Nhận', '', 'TOMOI', 'Cán bộ một cửa', '', '', 'TiepNhan#2026']]));
    expect(good.statusCode, good.body).toBe(200);
    expect(good.json()).toEqual({ unitsCreated: 1, officialsCreated: 1 });

    const clerk = await upload(await t.login('vanthu.xa'), await workbook([['X', '000.01.31.H99', 'X', 'X', 'Xã', 'Phòng/ban', '', '', '', '']], []));
    expect(clerk.statusCode).toBe(404);
  });

  it('refuses a file that is not .xlsx with 400', async () => {
    const before = await counts();
    for (const [data, name, type] of [
      [Buffer.from('Mã tham chiếu,Tên đơn vị\nA,B\n'), 'danh-ba.csv', 'text/csv'],
      [Buffer.from('PK\u0003\u0004 không phải bảng tính'), 'hong.xlsx', XLSX],
      [Buffer.alloc(0), 'rong.xlsx', XLSX],
    ] as const) {
      const res = await upload(admin, data, name, type);
      expect(res.statusCode, name).toBe(400);
      expect(res.json()).toMatchObject({ status: 400, detail: 'Tệp không phải bảng tính Excel (.xlsx) hợp lệ.' });
    }
    expect(await counts()).toEqual(before);
  });

  it('refuses a workbook without the DonVi/CanBo sheets, and one without data rows (400)', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Sheet1').addRow(['a']);
    const other = await upload(admin, Buffer.from(await wb.xlsx.writeBuffer()));
    expect(other.statusCode).toBe(400);
    expect(other.json().detail).toContain('DonVi');
    const empty = await upload(admin, await workbook([], []));
    expect(empty.statusCode).toBe(400);
    expect(empty.json().detail).toBe('Tệp không có dòng dữ liệu nào.');
  });

  it('refuses a request without a file with 400', async () => {
    const body = multipart([{ name: 'note', data: 'không có tệp' }]);
    const res = await t.app.inject({ method: 'POST', url: '/api/directory/import', payload: body.payload, headers: { ...bearer(admin), ...body.headers } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ status: 400, detail: 'Thiếu tệp (trường "file").' });
  });

  it('refuses a request that is not multipart with a 4xx problem, not a 500', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/directory/import', payload: { file: 'x' }, headers: bearer(admin) });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});

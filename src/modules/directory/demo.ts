import { eq } from 'drizzle-orm';
import type { Role } from '../../core/access/index.js';
import type { ActorContext } from '../../core/audit/index.js';
import { hashPassword } from '../../core/auth/password.js';
import { users } from '../../core/auth/schema.js';
import { type Db, inTransaction } from '../../core/db/index.js';
import { createCitizen } from './citizens.js';
import { insertOfficial } from './officials.js';
import { type UnitInput, type UnitRow, insertUnit } from './units.js';

/** Demo password of every demo account. Never printed in production mode. */
export const DEMO_PASSWORD = 'LienThong@2026';

type DemoUnit = UnitInput & { key: string; parent?: string };
// A fictional province under the two-tier structure in force since 1 July 2025.
const UNITS: DemoUnit[] = [
  { key: 'tinh', parentId: null, level: 'province', kind: 'people_committee', name: 'Ủy ban nhân dân tỉnh Thái Hòa', shortName: 'UBND', agencyCode: '000.00.00.H99', address: 'Số 1 đường Trung tâm, phường Thái Hòa, tỉnh Thái Hòa', phone: '0200 3800 100', email: 'ubnd@thaihoa.gov.vn' },
  { key: 'vp', parent: 'tinh', parentId: null, level: 'province', kind: 'office', name: 'Văn phòng Ủy ban nhân dân tỉnh', shortName: 'VP', agencyCode: '000.00.01.H99', email: 'vanphong@thaihoa.gov.vn' },
  { key: 'snv', parent: 'tinh', parentId: null, level: 'province', kind: 'department', name: 'Sở Nội vụ', shortName: 'SNV', agencyCode: '000.00.02.H99', email: 'snv@thaihoa.gov.vn' },
  { key: 'stp', parent: 'tinh', parentId: null, level: 'province', kind: 'department', name: 'Sở Tư pháp', shortName: 'STP', agencyCode: '000.00.03.H99', email: 'stp@thaihoa.gov.vn' },
  { key: 'xa1', parent: 'tinh', parentId: null, level: 'commune', kind: 'people_committee', name: 'Ủy ban nhân dân xã Tân An', shortName: 'UBND', agencyCode: '000.01.31.H99', address: 'Xã Tân An, tỉnh Thái Hòa', phone: '0200 3811 111', email: 'ubnd.tanan@thaihoa.gov.vn' },
  { key: 'xa1vp', parent: 'xa1', parentId: null, level: 'commune', kind: 'office', name: 'Văn phòng HĐND và UBND xã Tân An', shortName: 'VP', agencyCode: '001.01.31.H99' },
  { key: 'xa1mc', parent: 'xa1', parentId: null, level: 'commune', kind: 'onestop_desk', name: 'Bộ phận Một cửa xã Tân An', shortName: 'BPMC', agencyCode: '002.01.31.H99' },
  { key: 'xa2', parent: 'tinh', parentId: null, level: 'commune', kind: 'people_committee', name: 'Ủy ban nhân dân xã Phú Lộc', shortName: 'UBND', agencyCode: '000.02.31.H99', address: 'Xã Phú Lộc, tỉnh Thái Hòa', phone: '0200 3822 222', email: 'ubnd.phuloc@thaihoa.gov.vn' },
  { key: 'xa2vp', parent: 'xa2', parentId: null, level: 'commune', kind: 'office', name: 'Văn phòng HĐND và UBND xã Phú Lộc', shortName: 'VP', agencyCode: '001.02.31.H99' },
  { key: 'xa2mc', parent: 'xa2', parentId: null, level: 'commune', kind: 'onestop_desk', name: 'Bộ phận Một cửa xã Phú Lộc', shortName: 'BPMC', agencyCode: '002.02.31.H99' },
];

type DemoOfficial = { username: string; fullName: string; positionTitle: string; unit: string; roles: [string, Role][]; email: string };
export const DEMO_OFFICIALS: DemoOfficial[] = [
  { username: 'admin', fullName: 'Quản trị hệ thống', positionTitle: 'Quản trị viên', unit: 'tinh', roles: [['tinh', 'admin']], email: 'admin@thaihoa.gov.vn' },
  { username: 'vanthu.tinh', fullName: 'Nguyễn Thị Thu', positionTitle: 'Văn thư', unit: 'vp', roles: [['vp', 'clerk']], email: 'vanthu.tinh@thaihoa.gov.vn' },
  { username: 'chuyenvien.tinh', fullName: 'Trần Văn Minh', positionTitle: 'Chuyên viên', unit: 'vp', roles: [['vp', 'specialist']], email: 'chuyenvien.tinh@thaihoa.gov.vn' },
  { username: 'lanhdao.tinh', fullName: 'Lê Quang Huy', positionTitle: 'Chánh Văn phòng', unit: 'vp', roles: [['vp', 'leader']], email: 'lanhdao.tinh@thaihoa.gov.vn' },
  { username: 'vanthu.xa', fullName: 'Phạm Thị Hoa', positionTitle: 'Văn thư', unit: 'xa1', roles: [['xa1', 'clerk']], email: 'vanthu.tanan@thaihoa.gov.vn' },
  { username: 'chuyenvien.xa', fullName: 'Hoàng Văn Nam', positionTitle: 'Công chức Văn phòng – Thống kê', unit: 'xa1', roles: [['xa1', 'specialist']], email: 'chuyenvien.tanan@thaihoa.gov.vn' },
  { username: 'lanhdao.xa', fullName: 'Đặng Văn Bình', positionTitle: 'Chủ tịch UBND xã', unit: 'xa1', roles: [['xa1', 'leader']], email: 'lanhdao.tanan@thaihoa.gov.vn' },
  { username: 'motcua.xa', fullName: 'Vũ Thị Lan', positionTitle: 'Công chức Bộ phận Một cửa', unit: 'xa1', roles: [['xa1', 'onestop_officer']], email: 'motcua.tanan@thaihoa.gov.vn' },
  { username: 'vanthu.xa2', fullName: 'Bùi Thị Mai', positionTitle: 'Văn thư', unit: 'xa2', roles: [['xa2', 'clerk']], email: 'vanthu.phuloc@thaihoa.gov.vn' },
];

export const DEMO_CITIZEN = { username: 'congdan', fullName: 'Nguyễn Văn An', idNumber: '001090012345', email: 'congdan@example.vn', phone: '0912 345 678' };

export async function hasDemoData(db: Db): Promise<boolean> {
  const [u] = await db.select({ id: users.id }).from(users).where(eq(users.username, 'admin')).limit(1);
  return !!u;
}

/** Loads the fixed demo province (idempotent: does nothing when the demo admin exists). */
export async function seedDemo(db: Db, ctx: ActorContext, passwordHash?: string): Promise<boolean> {
  if (await hasDemoData(db)) return false;
  const hash = passwordHash ?? (await hashPassword(DEMO_PASSWORD));
  await inTransaction(db, async (tx) => {
    const byKey = new Map<string, UnitRow>();
    for (const u of UNITS) byKey.set(u.key, await insertUnit(tx, u.parent ? byKey.get(u.parent)! : null, u, ctx));
    for (const o of DEMO_OFFICIALS) {
      await insertOfficial(
        tx,
        { ...o, unitId: byKey.get(o.unit)!.id, passwordHash: hash, phone: null, roles: o.roles.map(([k, role]) => ({ unitId: byKey.get(k)!.id, role })) },
        ctx,
      );
    }
    await createCitizen(tx, { ...DEMO_CITIZEN, password: DEMO_PASSWORD }, ctx, hash);
  });
  return true;
}

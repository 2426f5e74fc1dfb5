import { sql } from 'drizzle-orm';
import { queryRows } from '../../core/db/index.js';
import { bearer, createTestApp, type TestContext } from '../../test/harness.js';
import { seedDemoProcedures } from './demo.js';

/** Test factories for the procedure catalogue. */

/** Setting up an app with the demo province and catalogue (PDF forms, import) takes a few seconds alone and
 * over a minute on a loaded 2-core machine; hooks that do it get this much time. */
export const SETUP_MS = 180_000;

/** A test app with the demo province and its demo catalogue. */
export async function createCatalogueApp(now = new Date()): Promise<TestContext> {
  const t = await createTestApp();
  await seedDemoProcedures(t.database, t.app.fileStore, now);
  return t;
}

export async function procedureIdByCode(t: TestContext, code: string): Promise<string> {
  const [r] = await queryRows<{ id: string }>(t.database.db, sql`SELECT id FROM procedures WHERE code = ${code}`);
  if (!r) throw new Error(`no procedure ${code}`);
  return r.id;
}

/** A minimal valid body for POST /api/procedures. */
export const newProcedureBody = (code: string, over: Record<string, unknown> = {}) => ({
  code,
  name: 'Xác nhận thông tin hộ tịch',
  field: 'Hộ tịch',
  level: 'commune',
  onlineLevel: 'none',
  record: {
    executing: { levels: ['commune'], kinds: ['people_committee'] },
    applicants: ['citizen'],
    steps: 'Nộp hồ sơ; kiểm tra; trả kết quả.',
    channels: [{ channel: 'in_person', timeLimit: { unit: 'working-days', amount: 3 }, fee: { kind: 'fixed', amount: 5000, per: 'bản' } }],
    cases: [{ name: 'Thông thường', documents: [{ name: 'Tờ khai', originals: 1, copies: 0, required: true }] }],
    result: 'Văn bản xác nhận',
    legalBasis: 'Luật Hộ tịch số 60/2014/QH13',
  },
  process: [
    { kind: 'receive', name: 'Tiếp nhận', role: 'onestop_officer', unitRule: 'receiving_unit', shareKind: 'hours', shareValue: 2 },
    { kind: 'review', name: 'Thẩm định', role: 'specialist', unitRule: 'receiving_unit', shareKind: 'hours', shareValue: 16 },
    { kind: 'approve', name: 'Phê duyệt', role: 'leader', unitRule: 'receiving_unit', shareKind: 'hours', shareValue: 4 },
    { kind: 'return', name: 'Trả kết quả', role: 'onestop_officer', unitRule: 'receiving_unit', shareKind: 'hours', shareValue: 2 },
  ],
  ...over,
});

export async function asAdmin(t: TestContext): Promise<Record<string, string>> {
  return bearer(await t.login('admin'));
}

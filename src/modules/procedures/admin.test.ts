import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../core/db/index.js';
import { bearer, type TestContext } from '../../test/harness.js';
import { procedureVersionAt } from './read.js';
import { asAdmin, createCatalogueApp, newProcedureBody, procedureIdByCode, SETUP_MS } from './testing.js';

let t: TestContext;
let admin: Record<string, string>;
beforeAll(async () => {
  t = await createCatalogueApp();
  admin = await asAdmin(t);
}, SETUP_MS);
afterAll(async () => t?.close());

const call = (method: 'POST' | 'PUT' | 'GET', url: string, headers: Record<string, string>, payload?: unknown) =>
  t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
const localDate = (offsetDays: number) => new Date(Date.now() + 7 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);

describe('who may write', { timeout: 120_000 }, () => {
  it('anonymous: 401; officials without the role: 403; reads stay public', async () => {
    const id = await procedureIdByCode(t, '2.000884');
    expect((await call('POST', '/api/procedures', {}, newProcedureBody('9.000001'))).statusCode).toBe(401);
    expect((await call('PUT', `/api/procedures/${id}/process`, {}, { steps: [] })).statusCode).toBe(401);
    expect((await call('GET', '/api/procedures/export', {})).statusCode).toBe(401);
    for (const user of ['lanhdao.xa', 'motcua.xa', 'chuyenvien.tinh']) {
      const h = bearer(await t.login(user));
      expect((await call('POST', '/api/procedures', h, newProcedureBody('9.000001'))).statusCode, user).toBe(403);
      expect((await call('POST', `/api/procedures/${id}/retire`, h, { reason: 'thử' })).statusCode, user).toBe(403);
      expect((await call('GET', '/api/procedures/export', h)).statusCode, user).toBe(403);
      expect((await call('POST', '/api/procedures/import', h, { format: 'lienthong-procedures', formatVersion: 1, procedures: [] })).statusCode, user).toBe(403);
    }
    // A citizen signed in is no manager either.
    expect((await call('POST', '/api/procedures', bearer(await t.login('congdan')), newProcedureBody('9.000001'))).statusCode).toBe(403);
  });

  it("a unit admin manages their unit's procedures, not the province's", async () => {
    const xa1 = await t.unitId('000.01.31.H99');
    await t.database.db.execute(sql`INSERT INTO role_assignments (user_id, unit_id, role) VALUES (${await t.userId('chuyenvien.xa')}, ${xa1}, 'unit_admin')`);
    const h = bearer(await t.login('chuyenvien.xa'));
    const own = await call('POST', '/api/procedures', h, newProcedureBody('9.000101', { ownerUnitId: xa1 }));
    expect(own.statusCode).toBe(201);
    expect(own.json().canManage).toBe(true);
    expect((await call('POST', '/api/procedures', h, newProcedureBody('9.000102', { ownerUnitId: await t.unitId('000.00.00.H99') }))).statusCode).toBe(403);
    const province = await procedureIdByCode(t, '2.000884');
    const edit = await call('PUT', `/api/procedures/${province}`, h, { ...newProcedureBody('x'), code: undefined });
    expect(edit.statusCode).toBe(403);
    expect((await call('GET', `/api/procedures/${province}`, h)).json().canManage).toBe(false);
  });
});

describe('create, edit, process, retire', { timeout: 120_000 }, () => {
  it('creates version 1 with its process, audited', async () => {
    const res = await call('POST', '/api/procedures', admin, newProcedureBody(' 9.000201 '));
    expect(res.statusCode).toBe(201);
    const d = res.json();
    expect([d.code, d.current.version, d.current.process.length, d.canManage]).toEqual(['9.000201', 1, 4, true]);
    const [a] = await queryRows<{ action: string; object_id: string }>(t.database.db, sql`SELECT action, object_id FROM audit_log WHERE action = 'procedure.create' AND object_id = ${d.id}`);
    expect(a).toBeDefined();
    expect((await call('POST', '/api/procedures', admin, newProcedureBody('9.000201'))).statusCode).toBe(409);
  });

  it('refuses bad input with the failing fields', async () => {
    const bad = await call('POST', '/api/procedures', admin, newProcedureBody('9.000301', { level: 'village', record: { ...newProcedureBody('x').record, channels: [] } }));
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    const fields = bad.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['level', 'record.channels']));
    const code = await call('POST', '/api/procedures', admin, newProcedureBody('mã sai'));
    expect([code.statusCode, code.json().errors[0].field]).toEqual([400, 'code']);
    // Shares over the 3-working-day limit (24 h).
    const body = newProcedureBody('9.000302');
    body.process[1].shareValue = 40;
    const over = await call('POST', '/api/procedures', admin, body);
    expect(over.statusCode).toBe(400);
    expect(over.json().errors[0]).toMatchObject({ field: 'process' });
    expect(over.json().errors[0].message).toMatch(/vượt thời hạn/);
    // Unknown form file and unit.
    const refs = newProcedureBody('9.000303');
    (refs.record.cases[0].documents[0] as Record<string, unknown>).template = { fileId: '0190f3a0-0000-7000-8000-00000000dead', name: 'Mẫu.pdf' };
    (refs.record.executing as Record<string, unknown>).unitIds = ['0190f3a0-0000-7000-8000-00000000beef'];
    const missing = await call('POST', '/api/procedures', admin, refs);
    expect(missing.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['record.cases.0.documents.0.template', 'record.executing.unitIds.0']);
    expect((await call('POST', '/api/procedures', admin, newProcedureBody('9.000304', { effectiveFrom: '2026-13-01' }))).statusCode).toBe(400);
  });

  it('an edit is a new version from its effective date; the old one stays for its dates', async () => {
    const id = await procedureIdByCode(t, '2.000884');
    const before = (await call('GET', `/api/procedures/${id}`, admin)).json();
    const { current } = before;
    const body = { effectiveFrom: localDate(10), baseVersionId: current.id, name: current.name, field: current.field, level: current.level, onlineLevel: 'partial', record: { ...current.record, channels: [...current.record.channels, { channel: 'online', timeLimit: { unit: 'same-day' }, fee: { kind: 'fixed', amount: 10000, per: 'trường hợp' } }] }, changeNote: 'Thêm nộp trực tuyến' };
    const res = await call('PUT', `/api/procedures/${id}`, admin, body);
    expect(res.statusCode).toBe(200);
    const d = res.json();
    // Still version 1 today; version 2 from its date, with the process carried over.
    expect(d.current.version).toBe(1);
    expect(d.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    const v2 = await procedureVersionAt(t.database.db, id, new Date(Date.now() + 11 * 86_400_000));
    expect([v2?.version, v2?.onlineLevel, v2?.process.length]).toEqual([2, 'partial', 4]);
    // The same edit again is stale (version 2 exists now), a past date is refused, no change is refused.
    expect((await call('PUT', `/api/procedures/${id}`, admin, body)).statusCode).toBe(409);
    expect((await call('PUT', `/api/procedures/${id}`, admin, { ...body, baseVersionId: undefined, effectiveFrom: '2025-01-01' })).statusCode).toBe(400);
    const same = await call('PUT', `/api/procedures/${id}`, admin, { ...body, baseVersionId: v2!.id, effectiveFrom: localDate(20) });
    expect([same.statusCode, same.json().title]).toEqual([422, 'Không có thay đổi']);
    // A version dated before version 2 would be undone by it on its date: refused; without a date it takes version 2's.
    const steps = v2!.process.map(({ kind, name, role, unitRule, targetUnitId, targetLevel, shareKind, shareValue }) => ({ kind, name, role, unitRule, targetUnitId, targetLevel, shareKind, shareValue }));
    const swapped = [steps[0], steps[2], steps[1], steps[3]];
    const early = await call('PUT', `/api/procedures/${id}/process`, admin, { steps: swapped, effectiveFrom: localDate(0) });
    expect([early.statusCode, early.json().errors[0].field]).toEqual([400, 'effectiveFrom']);
    const later = await call('PUT', `/api/procedures/${id}/process`, admin, { steps: swapped });
    expect(later.statusCode).toBe(200);
    expect(later.json().versions[0]).toMatchObject({ version: 3, effectiveFrom: v2!.effectiveFrom });
    const audit = await queryRows<{ summary: { version: number } }>(t.database.db, sql`SELECT summary FROM audit_log WHERE action = 'procedure.edit' AND object_id = ${id}`);
    expect(audit.map((a) => a.summary.version)).toEqual([2]);
  });

  it('editing the process reorders steps in a new version, effective now', async () => {
    const id = await procedureIdByCode(t, '2.000635');
    const { current } = (await call('GET', `/api/procedures/${id}`, admin)).json();
    const steps = current.process.map(({ kind, name, role, unitRule, targetUnitId, targetLevel, shareKind, shareValue }: Record<string, unknown>) => ({ kind, name, role, unitRule, targetUnitId, targetLevel, shareKind, shareValue }));
    // Leader approval before the specialist's review is a legal order too; swap them.
    const reordered = [steps[0], steps[2], steps[1], steps[3]];
    const res = await call('PUT', `/api/procedures/${id}/process`, admin, { steps: reordered, baseVersionId: current.id });
    expect(res.statusCode).toBe(200);
    const d = res.json();
    expect(d.current.version).toBe(2);
    expect(d.current.process.map((s: { kind: string; position: number }) => `${s.position}:${s.kind}`)).toEqual(['1:receive', '2:approve', '3:review', '4:return']);
    expect(d.current.changeNote).toBe('Sửa quy trình nội bộ');
    // Version 1 (what earlier dossiers keep) is unchanged.
    const v1 = (await call('GET', `/api/procedures/versions/${current.id}`, {})).json();
    expect(v1.process.map((s: { kind: string }) => s.kind)).toEqual(['receive', 'review', 'approve', 'return']);
    // A process that does not start with reception or runs over the same-day limit is refused.
    const bad = await call('PUT', `/api/procedures/${id}/process`, admin, { steps: [reordered[1], ...reordered.slice(2).map((s: Record<string, unknown>) => ({ ...s, shareValue: 6 }))] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['process.0.kind', 'process']));
    expect((await call('PUT', `/api/procedures/${id}/process`, admin, { steps: [] })).statusCode).toBe(400);
  });

  it('retiring hides the procedure from the public from its date; earlier dates still show it', async () => {
    const id = await procedureIdByCode(t, '9.000201');
    expect((await call('POST', `/api/procedures/${id}/retire`, admin, { reason: '' })).statusCode).toBe(400);
    const res = await call('POST', `/api/procedures/${id}/retire`, admin, { reason: 'Bãi bỏ theo Quyết định công bố của Chủ tịch UBND tỉnh' });
    expect(res.statusCode).toBe(200);
    expect(res.json().retiredFrom).not.toBeNull();
    expect((await call('GET', `/api/procedures/${id}`, {})).statusCode).toBe(404);
    expect((await call('GET', `/api/procedures/${id}`, admin)).json().canManage).toBe(true);
    expect((await call('GET', '/api/procedures?q=9.000201', {})).json().total).toBe(0);
    expect((await call('GET', '/api/procedures?q=9.000201&includeRetired=true', {})).json().total).toBe(0);
    expect((await call('GET', '/api/procedures?q=9.000201&includeRetired=true', admin)).json().total).toBe(1);
    expect((await call('POST', `/api/procedures/${id}/retire`, admin, { reason: 'lần nữa' })).statusCode).toBe(409);
  });
});

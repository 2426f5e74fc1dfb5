import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../core/db/index.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { asAdmin, createCatalogueApp, SETUP_MS } from './testing.js';

// Two deployments: A with the demo catalogue, B with the same demo province (other ids) and no catalogue.
let a: TestContext;
let b: TestContext;
beforeAll(async () => {
  a = await createCatalogueApp();
  b = await createTestApp({ ownIds: true });
}, 2 * SETUP_MS);
afterAll(async () => {
  await a?.close();
  await b?.close();
});

type Catalogue = {
  units: { id: string; agencyCode: string | null }[];
  files: { id: string; sha256: string; name: string }[];
  procedures: { code: string; ownerUnitId: string; versions: { version: number; effectiveFrom: string; record: { cases: { documents: { template: { fileId: string } | null }[] }[] } }[] }[];
};

const exportOf = async (t: TestContext): Promise<Catalogue> => {
  const res = await t.app.inject({ method: 'GET', url: '/api/procedures/export', headers: await asAdmin(t) });
  expect(res.statusCode).toBe(200);
  expect(String(res.headers['content-disposition'])).toMatch(/attachment; filename="danh-muc-thu-tuc-/);
  return res.json();
};
const importInto = async (t: TestContext, body: unknown) => t.app.inject({ method: 'POST', url: '/api/procedures/import', headers: await asAdmin(t), payload: body as object });

/** The export with this deployment's ids replaced by portable names (agency codes, file hashes). */
function portable(c: Catalogue): unknown {
  let s = JSON.stringify(c.procedures);
  for (const u of c.units) s = s.replaceAll(u.id, `unit:${u.agencyCode}`);
  for (const f of c.files) s = s.replaceAll(f.id, `file:${f.sha256}`);
  return JSON.parse(s);
}

describe('catalogue export and import', { timeout: 120_000 }, () => {
  it('exports every procedure and version with the units and files they refer to', async () => {
    const c = await exportOf(a);
    expect(c.procedures.map((p) => p.code)).toEqual(['1.000894', '1.001193', '2.000488', '2.000635', '2.000815', '2.000884']);
    expect(c.procedures.find((p) => p.code === '1.001193')!.versions.map((v) => v.version)).toEqual([1, 2]);
    expect(c.units.map((u) => u.agencyCode).sort()).toEqual(['000.00.00.H99', '000.00.03.H99']);
    expect(c.files).toHaveLength(4);
  });

  it('re-importing the export changes nothing', async () => {
    const c = await exportOf(a);
    const [{ n: before }] = await queryRows<{ n: number }>(a.database.db, sql`SELECT count(*)::int AS n FROM procedure_versions`);
    const res = await importInto(a, c);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ proceduresCreated: 0, versionsAdded: 0, versionsUnchanged: 7, retired: 0 });
    const [{ n: after }] = await queryRows<{ n: number }>(a.database.db, sql`SELECT count(*)::int AS n FROM procedure_versions`);
    expect(after).toBe(before);
  });

  it('another deployment without the form files: nothing imported, every missing file listed', async () => {
    const res = await importInto(b, await exportOf(a));
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const body = res.json();
    expect(body.title).toBe('Tệp danh mục không hợp lệ');
    // Units resolve by agency code; templates do not.
    expect(body.errors.every((e: { field: string }) => /^procedures\.\d+\.versions\.\d+\.record\.cases\.\d+\.documents\.\d+\.template$/.test(e.field))).toBe(true);
    expect(body.errors).toHaveLength(8); // birth v1 and v2 (two cases each), marriage (two cases), extract, criminal record
    const [{ n }] = await queryRows<{ n: number }>(b.database.db, sql`SELECT count(*)::int AS n FROM procedures`);
    expect(n).toBe(0);
  });

  it('round trip: with the same form files uploaded, the import gives the same catalogue', async () => {
    const c = await exportOf(a);
    // Upload the templates into B (same bytes → same SHA-256, other ids).
    const token = (await asAdmin(b)).authorization;
    for (const f of c.files) {
      const content = (await a.app.inject({ method: 'GET', url: `/api/procedures/forms/${f.id}` })).rawPayload;
      const boundary = 'lt-boundary';
      const payload = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${f.name}"\r\nContent-Type: application/pdf\r\n\r\n`),
        content,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const up = await b.app.inject({ method: 'POST', url: '/api/files', headers: { authorization: token, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
      expect(up.statusCode).toBe(201);
      expect(up.json().id).not.toBe(f.id);
    }
    const res = await importInto(b, c);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ proceduresCreated: 6, versionsAdded: 7, versionsUnchanged: 0, retired: 0 });
    const again = await exportOf(b);
    expect(portable(again)).toEqual(portable(c));
    expect(again.units.map((u) => u.id)).not.toEqual(expect.arrayContaining(c.units.map((u) => u.id)));
    // Import again: idempotent.
    expect((await importInto(b, c)).json()).toMatchObject({ proceduresCreated: 0, versionsAdded: 0, versionsUnchanged: 7 });
    const audits = await queryRows<{ n: number }>(b.database.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'procedure.import'`);
    expect(audits[0].n).toBe(6);
  });

  it('a changed version under an existing number is refused; a new number is added', async () => {
    const c = await exportOf(a);
    const marriage = c.procedures.find((p) => p.code === '1.000894')! as unknown as { versions: Record<string, unknown>[] };
    const changed = { ...marriage.versions[0], name: 'Đăng ký kết hôn (sửa)' };
    const refused = await importInto(a, { ...c, procedures: [{ ...marriage, versions: [changed] }] });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors[0]).toMatchObject({ field: 'procedures.0.versions.0.version' });
    expect(refused.json().errors[0].message).toMatch(/đã có phiên bản 1 với nội dung khác/);
    const added = await importInto(a, { ...c, procedures: [{ ...marriage, versions: [marriage.versions[0], { ...changed, version: 2, effectiveFrom: '2027-01-01' }] }] });
    expect(added.statusCode).toBe(200);
    expect(added.json()).toEqual({ proceduresCreated: 0, versionsAdded: 1, versionsUnchanged: 1, retired: 0 });
  });

  it('a malformed file is a 400 naming the fields; duplicates and bad references are listed together', async () => {
    const res = await importInto(a, { format: 'something-else', formatVersion: 1, procedures: [{ code: '1.0', versions: [] }] });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['format', 'procedures.0.ownerUnitId', 'procedures.0.versions']));
    const c = await exportOf(a);
    const p0 = c.procedures[0];
    const bad = await importInto(a, {
      ...c,
      procedures: [
        { ...p0, code: '9.100001', ownerUnitId: '0190f3a0-0000-7000-8000-00000000beef' },
        { ...p0, code: '9.100002', versions: [p0.versions[0], p0.versions[0]] },
        { ...p0, code: '9.100002' },
      ],
    });
    expect(bad.statusCode).toBe(422);
    const fields = bad.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['procedures.0.ownerUnitId', 'procedures.1.versions.1.version', 'procedures.2.code']));
    const [{ n }] = await queryRows<{ n: number }>(a.database.db, sql`SELECT count(*)::int AS n FROM procedures WHERE code LIKE '9.1%'`);
    expect(n).toBe(0);
  });
});

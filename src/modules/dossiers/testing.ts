import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { PDFDocument } from 'pdf-lib';
import type { Config } from '../../config.js';
import { fixedClock } from '../../core/clock/index.js';
import { queryRows } from '../../core/db/index.js';
import { bearer, createTestApp, type TestContext } from '../../test/harness.js';
import { seedDemoProcedures } from '../procedures/index.js';

/**
 * Test factories of the dossier tests: the demo province with its demo procedure catalogue, a clock
 * that stands still (Tuesday 10 March 2026, 09:00 in Hà Nội unless told), signed-in officers, uploads.
 * Not a test file itself (no vitest here).
 */

export const TUESDAY_9AM = new Date('2026-03-10T02:00:00Z');

export const CODES = { birth: '1.001193', marriage: '1.000894', extract: '2.000635', certify: '2.000815', signature: '2.000884', criminalRecord: '2.000488' } as const;
export const UNITS = { province: '000.00.00.H99', justice: '000.00.03.H99', tanAn: '000.01.31.H99', phuLoc: '000.02.31.H99', office: '000.00.01.H99' } as const;

/** A response: JSON bodies are read freely in tests (as `res.json()` is). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Reply = { status: number; body: any; headers: Record<string, unknown>; raw: Buffer };

/** Asserts an RFC 9457 problem with a Vietnamese title (and the field, when given). */
export function expectProblem(r: Reply, status: number, field?: string): void {
  assert.equal(r.status, status, JSON.stringify(r.body));
  assert.ok(String(r.headers['content-type']).includes('application/problem+json'), 'problem+json');
  assert.match(r.body.title, /[^\x20-\x7e]/);
  if (field) assert.ok((r.body.errors ?? []).some((e: { field: string }) => e.field === field), `field ${field} in ${JSON.stringify(r.body.errors)}`);
}

export type DossierTestApp = {
  t: TestContext;
  clock: ReturnType<typeof fixedClock>;
  procedure(code: string): Promise<string>;
  token(username: string): Promise<string>;
  /** Moves the clock; sessions do not survive long jumps, so the next token() signs in again. */
  at(time: Date): void;
  api(token: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, headers?: Record<string, string>): Promise<Reply>;
  upload(token: string, content: Buffer, name: string): Promise<string>;
  /** Creates an active official with a role in the unit (by agency code), returns the username. */
  official(username: string, fullName: string, unitCode: string, role: string): Promise<string>;
};

/** `config`: e.g. a SIGNING_KEY for the tests that seal results. */
export async function createDossierApp(start = TUESDAY_9AM, opts: { config?: Partial<Config> } = {}): Promise<DossierTestApp> {
  const clock = fixedClock(start);
  const t = await createTestApp({ clock, config: opts.config });
  await seedDemoProcedures(t.database, t.app.fileStore, new Date('2025-06-01T00:00:00Z'));
  const tokens = new Map<string, string>();
  const token = async (u: string) => {
    if (!tokens.has(u)) tokens.set(u, await t.login(u));
    return tokens.get(u)!;
  };
  const api: DossierTestApp['api'] = async (tk, method, url, payload, headers = {}) => {
    const res = await t.app.inject({ method, url, headers: { ...bearer(tk), ...headers }, ...(payload === undefined ? {} : { payload: payload as object }) });
    const json = String(res.headers['content-type'] ?? '').includes('json');
    return { status: res.statusCode, body: json && res.body ? res.json() : res.body, headers: res.headers, raw: res.rawPayload };
  };
  return {
    t,
    clock,
    token,
    at(time) {
      clock.set(time);
      tokens.clear();
    },
    api,
    async procedure(code) {
      const [r] = await queryRows<{ id: string }>(t.database.db, sql`SELECT id FROM procedures WHERE code = ${code}`);
      assert.ok(r, `no procedure ${code}`);
      return r.id;
    },
    async upload(tk, content, name) {
      const boundary = '----lienthongtest' + Math.random().toString(16).slice(2);
      const payload = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
        content,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const res = await t.app.inject({ method: 'POST', url: '/api/files', headers: { ...bearer(tk), 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
      assert.equal(res.statusCode, 201, res.body);
      return res.json().id as string;
    },
    async official(username, fullName, unitCode, role) {
      const admin = await token('admin');
      const unitId = await t.unitId(unitCode);
      const res = await api(admin, 'POST', '/api/officials', {
        username, fullName, unitId, positionTitle: 'Chuyên viên', email: `${username}@thaihoa.gov.vn`, password: 'LienThong@2026', roles: [{ unitId, role }],
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return username;
    },
  };
}

/** A small PDF with `pages` pages. */
export async function pdfOf(pages = 1, label = 'Scan page'): Promise<Buffer> {
  const doc = await PDFDocument.create();
  for (let i = 1; i <= pages; i++) doc.addPage([595, 842]).drawText(`${label} ${i}`, { x: 50, y: 780, size: 14 });
  return Buffer.from(await doc.save());
}

/** Counter reception body: birth registration (case th1), both required documents ticked. */
export const counterBody = (procedureId: string, over: Record<string, unknown> = {}) => ({
  procedureId,
  caseId: 'th1',
  channel: 'counter',
  applicant: { name: 'Trần Thị Bình', idNumber: '001185000123', phone: '0987 654 321', address: 'Thôn Đông, xã Tân An' },
  documents: [{ index: 0, fileIds: [] }, { index: 1, fileIds: [] }],
  fileIds: [],
  ...over,
});

export async function auditCount(t: TestContext, objectId: string): Promise<number> {
  const [{ n }] = await queryRows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE object_id = ${objectId}`);
  return n;
}

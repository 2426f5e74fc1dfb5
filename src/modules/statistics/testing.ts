import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { PDFDocument } from 'pdf-lib';
import { fixedClock } from '../../core/clock/index.js';
import { queryRows } from '../../core/db/index.js';
import { bearer, createTestApp, type TestContext } from '../../test/harness.js';
import { seedDemoProcedures } from '../procedures/index.js';

/**
 * Test factories of the statistics tests (not a test file): the demo province with its procedure
 * catalogue, a clock the scenario moves, signed-in officials and citizens, and dossiers driven through
 * the real HTTP API of the dossiers module — nothing is written to the tables directly.
 */

export const CODES = { birth: '1.001193', marriage: '1.000894', extract: '2.000635' } as const;
export const UNITS = { province: '000.00.00.H99', tanAn: '000.01.31.H99', phuLoc: '000.02.31.H99' } as const;

/** A Hà Nội wall-clock time 'yyyy-MM-ddTHH:mm' as an instant. */
export const local = (s: string) => new Date(`${s}:00+07:00`);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Reply = { status: number; body: any; headers: Record<string, unknown>; raw: Buffer };

export type StatsApp = {
  t: TestContext;
  /** Moves the clock to a local time (sessions do not survive the jump: the next call signs in again). */
  at(time: string): void;
  api(user: string | null, method: 'GET' | 'POST', url: string, payload?: unknown): Promise<Reply>;
  official(username: string, fullName: string, unitCode: string, role: string): Promise<void>;
  /** Counter (or post) reception: returns the dossier id. */
  receive(user: string, code: keyof typeof CODES, caseId: string, channel?: 'counter' | 'post'): Promise<string>;
  /** An online submission by the demo citizen to Tân An (birth registration, both documents uploaded). */
  submitOnline(): Promise<string>;
  act(user: string, id: string, action: string, body?: Record<string, unknown>): Promise<Reply>;
  /** Desk → specialist → the unit's leaders → approval (back to the desk's return step), all at the current time. */
  toApproval(id: string, desk?: string, specialist?: string, leader?: string): Promise<void>;
  /** The desk attaches a result (9, done) */
  complete(id: string, desk?: string): Promise<void>;
  close(): Promise<void>;
};

export async function pdf(label: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]).drawText(label, { x: 50, y: 780, size: 14 });
  return Buffer.from(await doc.save());
}

export async function createStatsApp(start: string): Promise<StatsApp> {
  const clock = fixedClock(local(start));
  const t = await createTestApp({ clock });
  await seedDemoProcedures(t.database, t.app.fileStore, new Date('2025-06-01T00:00:00Z'));
  const tokens = new Map<string, string>();
  const token = async (u: string) => {
    if (!tokens.has(u)) tokens.set(u, await t.login(u));
    return tokens.get(u)!;
  };
  const procedures = new Map<string, string>();
  const procedure = async (code: string) => {
    if (!procedures.has(code)) {
      const [r] = await queryRows<{ id: string }>(t.database.db, sql`SELECT id FROM procedures WHERE code = ${code}`);
      assert.ok(r, `no procedure ${code}`);
      procedures.set(code, r.id);
    }
    return procedures.get(code)!;
  };
  const api: StatsApp['api'] = async (user, method, url, payload) => {
    const headers = user ? bearer(await token(user)) : {};
    const res = await t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
    const json = String(res.headers['content-type'] ?? '').includes('json');
    return { status: res.statusCode, body: json && res.body ? res.json() : res.body, headers: res.headers, raw: res.rawPayload };
  };
  const upload = async (user: string, content: Buffer, name: string) => {
    const boundary = `----lienthongstats${Math.random().toString(16).slice(2)}`;
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/pdf\r\n\r\n`),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await t.app.inject({ method: 'POST', url: '/api/files', headers: { ...bearer(await token(user)), 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
    assert.equal(res.statusCode, 201, res.body);
    return res.json().id as string;
  };
  const ok = (r: Reply, what: string) => {
    assert.ok(r.status < 300, `${what}: ${r.status} ${JSON.stringify(r.body)}`);
    return r;
  };
  let applicants = 0;
  const h: StatsApp = {
    t,
    at(time) {
      clock.set(local(time));
      tokens.clear();
    },
    api,
    async official(username, fullName, unitCode, role) {
      const unitId = await t.unitId(unitCode);
      ok(await api('admin', 'POST', '/api/officials', { username, fullName, unitId, positionTitle: 'Công chức', email: `${username}@thaihoa.gov.vn`, password: 'LienThong@2026', roles: [{ unitId, role }] }), `official ${username}`);
    },
    async receive(user, code, caseId, channel = 'counter') {
      applicants++;
      const r = ok(await api(user, 'POST', '/api/dossiers', {
        procedureId: await procedure(CODES[code]), caseId, channel,
        applicant: { name: `Người nộp số ${applicants}`, idNumber: `0011850${String(applicants).padStart(5, '0')}`, phone: '0987654321', address: 'Xã Tân An' },
        documents: [{ index: 0, fileIds: [] }, { index: 1, fileIds: [] }], fileIds: [],
      }), `receive ${code}`);
      return r.body.id as string;
    },
    async submitOnline() {
      const files = [await upload('congdan', await pdf('To khai'), 'to-khai.pdf'), await upload('congdan', await pdf('Giay chung sinh'), 'giay-chung-sinh.pdf')];
      const r = ok(await api('congdan', 'POST', '/api/dossiers', {
        procedureId: await procedure(CODES.birth), caseId: 'th1', channel: 'online', unitId: await t.unitId(UNITS.tanAn),
        applicant: { address: 'Thôn Đông, xã Tân An' }, documents: [{ index: 0, fileIds: [files[0]] }, { index: 1, fileIds: [files[1]] }], fileIds: [],
      }), 'online submission');
      assert.equal(r.body.statusCode, 1);
      return r.body.id as string;
    },
    async act(user, id, action, body = {}) {
      return ok(await api(user, 'POST', `/api/dossiers/${id}/actions/${action}`, body), `${action} by ${user}`);
    },
    async toApproval(id, desk = 'motcua.xa', specialist = 'chuyenvien.xa', leader = 'lanhdao.xa') {
      await h.act(desk, id, 'forward', { toUserId: await t.userId(specialist) });
      await h.act(specialist, id, 'forward', {});
      await h.act(leader, id, 'approve', {});
    },
    async complete(id, desk = 'motcua.xa') {
      await h.act(desk, id, 'complete', { fileIds: [await upload(desk, await pdf('Ket qua'), 'ket-qua.pdf')] });
    },
    close: () => t.close(),
  };
  return h;
}

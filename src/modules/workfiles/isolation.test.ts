import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../core/db/index.js';
import { bearer, createTestApp, type TestContext } from '../../test/harness.js';
import { insertDocument } from './testing.js';

/**
 * "A commune clerk cannot read or change the other commune's work files through any endpoint."
 * vanthu.xa2 (clerk of Phú Lộc) against Tân An's files in every state. A guard checks the OpenAPI
 * document so that a new work-file endpoint cannot be added without a line here.
 */

let t: TestContext;
let intruder: string; // vanthu.xa2
let ids: Ids;
type Ids = { tanAn: string; planned: string; open: string; closed: string; doc: string; ownDoc: string };
type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
type Probe = { op: string; what: string; url: (x: Ids) => string; body?: (x: Ids) => unknown };

const entry = { year: 2026, notation: '09.LS', title: 'Lấn sang', retentionYears: 5 };
const PROBES: Probe[] = [
  { op: 'GET /api/work-files', what: 'list Tân An’s files', url: (x) => `/api/work-files?unitId=${x.tanAn}` },
  { op: 'GET /api/work-files', what: 'find the files holding Tân An’s document', url: (x) => `/api/work-files?documentId=${x.doc}` },
  { op: 'POST /api/work-files', what: 'add an entry to Tân An’s list', url: () => '/api/work-files', body: (x) => ({ ...entry, unitId: x.tanAn }) },
  { op: 'POST /api/work-files/copy', what: 'copy Tân An’s list', url: () => '/api/work-files/copy', body: (x) => ({ unitId: x.tanAn, fromYear: 2026, toYear: 2027 }) },
  { op: 'GET /api/work-files/transfer-due', what: 'read Tân An’s transfer reminders', url: (x) => `/api/work-files/transfer-due?unitId=${x.tanAn}` },
  { op: 'GET /api/work-files/settings', what: 'read Tân An’s transfer setting', url: (x) => `/api/work-files/settings?unitId=${x.tanAn}` },
  { op: 'PUT /api/work-files/settings', what: 'change Tân An’s transfer setting', url: () => '/api/work-files/settings', body: (x) => ({ unitId: x.tanAn, transferMonths: 1 }) },
  { op: 'GET /api/work-files/{id}', what: 'read a file', url: (x) => `/api/work-files/${x.open}` },
  { op: 'PATCH /api/work-files/{id}', what: 'rename a file', url: (x) => `/api/work-files/${x.open}`, body: () => ({ title: 'Đã bị sửa' }) },
  { op: 'DELETE /api/work-files/{id}', what: 'delete a planned file', url: (x) => `/api/work-files/${x.planned}` },
  { op: 'POST /api/work-files/{id}/open', what: 'open a planned file', url: (x) => `/api/work-files/${x.planned}/open` },
  { op: 'POST /api/work-files/{id}/close', what: 'close an open file', url: (x) => `/api/work-files/${x.open}/close` },
  { op: 'POST /api/work-files/{id}/reopen', what: 'reopen a closed file', url: (x) => `/api/work-files/${x.closed}/reopen`, body: () => ({ reason: 'Lấn quyền' }) },
  { op: 'POST /api/work-files/{id}/transfer', what: 'mark a closed file transferred', url: (x) => `/api/work-files/${x.closed}/transfer` },
  { op: 'POST /api/work-files/{id}/documents', what: 'slip its own document into the file', url: (x) => `/api/work-files/${x.open}/documents`, body: (x) => ({ documentId: x.ownDoc }) },
  { op: 'DELETE /api/work-files/{id}/documents/{documentId}', what: 'take a document out', url: (x) => `/api/work-files/${x.open}/documents/${x.doc}` },
  { op: 'GET /api/work-files/{id}/export', what: 'export the PDF', url: (x) => `/api/work-files/${x.closed}/export?format=pdf` },
  { op: 'GET /api/work-files/{id}/export', what: 'export the XML', url: (x) => `/api/work-files/${x.closed}/export?format=xml` },
];

async function as(token: string, method: Method, url: string, payload?: unknown) {
  return t.app.inject({ method, url, headers: bearer(token), ...(payload === undefined ? {} : { payload: payload as object }) });
}

async function snapshot() {
  const files = await queryRows<{ id: string; status: string; title: string; n: number }>(
    t.database.db,
    sql`SELECT w.id, w.status, w.title, (SELECT count(*)::int FROM work_file_documents x WHERE x.work_file_id = w.id) AS n FROM work_files w ORDER BY w.id`,
  );
  const settings = await queryRows<{ key: string }>(t.database.db, sql`SELECT key FROM settings WHERE key LIKE 'workfiles.%'`);
  return { files, settings };
}

beforeAll(async () => {
  t = await createTestApp();
  const clerk = await t.login('vanthu.xa');
  intruder = await t.login('vanthu.xa2');
  const tanAn = await t.unitId('000.01.31.H99');
  const clerkId = await t.userId('vanthu.xa');
  const make = async (notation: string) => (await as(clerk, 'POST', '/api/work-files', { year: 2026, notation, title: `Hồ sơ ${notation}`, retentionYears: null })).json().id as string;
  const [planned, open, closed] = [await make('01.KH'), await make('02.MO'), await make('03.DG')];
  const doc = await insertDocument(t, { unitId: tanAn, createdBy: clerkId, subject: 'Văn bản của Tân An' });
  const ownDoc = await insertDocument(t, { unitId: await t.unitId('000.02.31.H99'), createdBy: await t.userId('vanthu.xa2'), subject: 'Văn bản của Phú Lộc' });
  for (const f of [open, closed]) {
    await as(clerk, 'POST', `/api/work-files/${f}/open`);
    expect((await as(clerk, 'POST', `/api/work-files/${f}/documents`, { documentId: doc })).statusCode).toBe(200);
  }
  expect((await as(clerk, 'POST', `/api/work-files/${closed}/close`)).statusCode).toBe(200);
  ids = { tanAn, planned, open, closed, doc, ownDoc };
});
afterAll(async () => t?.close());

describe('vanthu.xa2 against Tân An’s work files', () => {
  it('gets 404 from every endpoint and changes nothing', async () => {
    const before = await snapshot();
    for (const p of PROBES) {
      const res = await as(intruder, p.op.split(' ')[0] as Method, p.url(ids), p.body?.(ids));
      expect(res.statusCode, `${p.op}: ${p.what}`).toBe(404);
      expect(res.headers['content-type'], p.what).toContain('application/problem+json');
      expect(res.body, p.what).not.toContain('Hồ sơ 0');
    }
    expect(await snapshot()).toEqual(before);
  });

  it('sees none of Tân An’s files in its own lists', async () => {
    const list = await as(intruder, 'GET', '/api/work-files');
    expect(list.statusCode).toBe(200);
    expect(list.json().total).toBe(0);
    const due = await as(intruder, 'GET', '/api/work-files/transfer-due');
    expect(due.json().total).toBe(0);
    expect((await as(intruder, 'GET', '/api/work-files/settings')).json().unitId).toBe(await t.unitId('000.02.31.H99'));
  });

  it('covers every work-file endpoint of the API', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    const ops = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/api/work-files'))
      .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    expect(ops.length).toBeGreaterThan(10);
    const probed = new Set(PROBES.map((p) => p.op));
    expect(ops.filter((o) => !probed.has(o))).toEqual([]);
  });
});
